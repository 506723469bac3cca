"""Employees' pay against the minimum wage per payout period: the monthly minimum of full-time
employees (MW002), deductions that leave pay below it (PY006); and the part-time (非全日制)
rules: hours (PT001, PT002) and the hourly minimum (PT003). MW002 is meant to move beside
MW001 in wage.py once that module settles."""

from __future__ import annotations

import polars as pl

from payaudit.audit_context import RATIO_DEN, AuditContext, cny, ratio_num
from payaudit.money import div_half_up
from payaudit.rules.base import Rule, register
from payaudit.rules.overtime import employee_days, hours, periods, scaled
from payaudit.rules.payment import (
    WAGE_BASIS,
    payout_findings,
    payouts,
    period_days,
    select_findings,
)

_EXCLUDED = (
    "《最低工资规定》（劳动和社会保障部令第21号）第十二条; 《重庆市最低工资保障规定》"
    "（重庆市人民政府令第106号）"
)


def monthly_minimum(ctx: AuditContext, pays: pl.LazyFrame) -> pl.LazyFrame:
    """Per payout with working time: `required`, the monthly minimum pro-rated by days worked,
    in fen, and `days_worked`. Each calendar month's part of the period needs Σ over its days
    worked of the day's monthly minimum (its area class) / max(days worked, monthly_paid_days):
    the minimum × min(1, days / 21.75) when one minimum holds, each day's own figure otherwise.
    The parts are added over the common denominator 21.75 and rounded half-up once."""
    paid_days = ctx.pack.asof(pays, "monthly_paid_days", date_col="period_end", out="paid_days")
    paid_days = paid_days.select("_payout", p=(pl.col("paid_days") * 100).round().cast(pl.Int64))
    days = ctx.pack.asof(
        period_days(ctx.daily, pays), "min_wage_monthly", class_col="area_class", out="minimum"
    )
    parts = (
        days.group_by("_payout", pl.col("date").dt.truncate("1mo"))
        .agg(
            days=pl.len().cast(pl.Int64), fen=(pl.col("minimum") * 100).round().cast(pl.Int64).sum()
        )
        .join(paid_days, on="_payout")
    )
    # A part's need as a numerator over p (2175 = 21.75 days): fen × 100 up to 21.75 days
    # worked; beyond, fen × p / days (the days' average minimum: the month is fully paid),
    # exact whenever one minimum holds for the month, as with every Chongqing change so far.
    over_p = (
        pl.when(pl.col("days") * 100 <= pl.col("p"))
        .then(pl.col("fen") * 100)
        .otherwise(div_half_up(pl.col("fen") * pl.col("p"), pl.col("days")))
    )
    return (
        parts.group_by("_payout")
        .agg(num=over_p.sum(), p=pl.col("p").first(), days_worked=pl.col("days").sum())
        .select("_payout", "days_worked", required=div_half_up(pl.col("num"), pl.col("p")))
    )


@register
class MonthlyMinimumWage(Rule):
    """Pay of a full-time employee below the monthly minimum wage, per payout period.

    Eligible pay = gross − overtime_pay − allowances (night, high-temperature and other special
    allowances are excluded from the comparison; individual social insurance and housing fund
    are included, so gross is taken before them). Required pay: the monthly minimum of the
    worker's area class × min(1, days worked / `monthly_paid_days` (21.75)), where a day worked
    is a day with working time (SPEC §3) in the period. A period spanning a change of the
    minimum (e.g. 16 Dec 2024 – 15 Jan 2025: 2100 → 2330 in class 1) is split by calendar
    month and each part pro-rated by its own days worked and its own minimum; the parts are
    added and rounded half-up to the fen once. A finding when eligible < required; shortfall =
    required − eligible. Not audited: part-time employees (PT003), and payouts without any
    working time in their period (days worked unknown). Amounts left empty count as 0.
    """

    code = "MW002"
    name = {"en": "Monthly minimum wage", "zh": "月最低工资"}
    severity = "error"
    categories = ("employee",)
    params = ("min_wage_monthly", "monthly_paid_days")
    unit = "CNY"
    basis = f"《劳动法》第四十八条; 渝人社发〔2021〕38号 第（五）项; {_EXCLUDED}"
    message = {
        "zh": "{period_start}至{period_end}计入最低工资的工资{observed}元，低于按出勤折算的"
        "月最低工资{threshold}元，应补发{shortfall}元",
        "en": "From {period_start} to {period_end} pay counting toward the minimum was "
        "{observed} CNY, below the pro-rated monthly minimum of {threshold} CNY; {shortfall} "
        "CNY is owed",
    }
    example = (
        "W1 (渝中区), payout for 2025-01 with 11 days worked: gross 1,500.00 CNY including "
        "200.00 CNY overtime pay and 100.00 CNY high-temperature allowance → eligible 1,200.00; "
        "required 2,330 × 11 / 21.75 = 1,178.39; no finding. With gross 1,400.00: eligible "
        "1,100.00, shortfall 78.39 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories).filter(~pl.col("part_time"))
        found = pays.join(monthly_minimum(ctx, pays), on="_payout").filter(
            pl.col("eligible") < pl.col("required")
        )
        return payout_findings(
            self,
            found,
            cny(pl.col("eligible")),
            cny(pl.col("required")),
            pl.col("required") - pl.col("eligible"),
            days_worked="days_worked",
            gross_cny=cny(pl.col("gross")),
            overtime_pay_cny=cny(pl.col("overtime_pay")),
            allowances_cny=cny(pl.col("allowances")),
        )


@register
class PartTimeHourlyMinimum(Rule):
    """Pay of a part-time (非全日制) employee below the hourly minimum wage, per payout period.

    Eligible pay = gross − overtime_pay − allowances of the payout. Required pay = Σ over the
    days of the period of that day's working time (SPEC §3, with the allowance ratio) × the
    hourly minimum in force that day in the worker's area class, rounded half-up to the fen
    once. A finding when eligible < required; shortfall = required − eligible. Observed and
    threshold are per working hour. Payouts without working time in their period are not
    audited.
    """

    code = "PT003"
    name = {"en": "Part-time hourly minimum wage", "zh": "非全日制小时最低工资"}
    severity = "error"
    categories = ("employee",)
    params = ("min_wage_hourly",)
    unit = "CNY/h"
    basis = f"《劳动合同法》第七十二条; {_EXCLUDED}"
    message = {
        "zh": "非全日制用工{period_start}至{period_end}每工作小时工资{observed}元，低于小时最低"
        "工资{threshold}元，应补发{shortfall}元",
        "en": "Part-time pay from {period_start} to {period_end} was {observed} CNY per working "
        "hour, below the hourly minimum of {threshold} CNY; {shortfall} CNY is owed",
    }
    example = (
        "W2 (渝中区, part-time), payout for 2025-03-01 to 2025-03-15: 40 h worked require "
        "40 × 23 = 920.00 CNY; gross 880.00 → observed 22.00, threshold 23.00 CNY/h, shortfall "
        "40.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        num, den = ctx.factor.numerator, ctx.factor.denominator
        pays = payouts(ctx, self.categories).filter(pl.col("part_time"))
        need = (
            period_days(ctx.daily, pays)
            .group_by("_payout")
            .agg(
                seconds=pl.col("seconds").sum(),
                required_num=(pl.col("seconds") * pl.col("min_wage_fen")).sum() * num,
            )
            .with_columns(required=div_half_up(pl.col("required_num"), 3600 * den))
        )
        found = pays.join(need, on="_payout").filter(pl.col("eligible") < pl.col("required"))
        hours = ctx.working_hours(pl.col("seconds"))
        return payout_findings(
            self,
            found,
            (pl.col("eligible") / 100 / hours).round(2),
            (pl.col("required_num") / (100 * pl.col("seconds") * num)).round(2),
            pl.col("required") - pl.col("eligible"),
            hours=hours.round(4),
            eligible_cny=cny(pl.col("eligible")),
            required_cny=cny(pl.col("required")),
        )


@register
class ExcessiveDeduction(Rule):
    """Deductions over the legal limits.

    The deductions are penalty + equipment + other_deduction (tax and individual social
    insurance are lawful withholdings; deposits and insurance premiums are PY004/PY005). The
    most that may be deducted is the smaller of two limits: `max_deduction_ratio` (20 %) of
    gross, and what keeps the pay that counts toward the minimum (gross − overtime_pay −
    allowances) at or above the monthly minimum pro-rated by days worked as in MW002. When
    that pay is already below the minimum nothing may be deducted. A finding when the
    deductions exceed the smaller limit; the shortfall is the excess, i.e. the larger of the two
    limbs' excesses, never more than the deductions. Without working time in the period the
    minimum cannot be pro-rated and only the 20 % limit applies. Part-time employees: the 20 %
    limit only.
    """

    code = "PY006"
    name = {"en": "Excessive deduction", "zh": "违法克扣工资"}
    severity = "error"
    categories = ("employee",)
    params = ("max_deduction_ratio", "min_wage_monthly", "monthly_paid_days")
    unit = "CNY"
    basis = f"{WAGE_BASIS}第十五条、第十六条; 《劳动法》第五十条"
    message = {
        "zh": "{period_start}至{period_end}扣款{observed}元，超过可扣上限{threshold}元，"
        "应退还{shortfall}元",
        "en": "From {period_start} to {period_end} deductions were {observed} CNY, over the "
        "{threshold} CNY that may be deducted; {shortfall} CNY is owed",
    }
    example = (
        "W1 (渝中区), January 2025 fully worked: gross 2,500.00 CNY, penalties 300.00 CNY. 20 % "
        "allows 500.00 but 2,500 − 2,330 leaves only 170.00 → shortfall 130.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories)
        pays = ctx.pack.asof(pays, "max_deduction_ratio", date_col="period_end", out="ratio")
        minimum = monthly_minimum(ctx, pays.filter(~pl.col("part_time")))
        pays = pays.join(minimum, on="_payout", how="left")
        taken = (pl.col("penalty") + pl.col("equipment") + pl.col("other_deduction")) * RATIO_DEN
        # Limits as numerators over RATIO_DEN; min_horizontal skips the null minimum limb.
        allowed = pl.min_horizontal(
            pl.col("gross") * ratio_num(pl.col("ratio")),
            (pl.col("eligible") - pl.col("required")) * RATIO_DEN,
        ).clip(lower_bound=0)
        found = pays.with_columns(taken=taken, allowed=allowed).filter(
            pl.col("taken") > pl.col("allowed")
        )
        return payout_findings(
            self,
            found,
            cny(pl.col("taken") // RATIO_DEN),
            (pl.col("allowed") / RATIO_DEN / 100).round(2),
            div_half_up(pl.col("taken") - pl.col("allowed"), RATIO_DEN),
            gross_cny=cny(pl.col("gross")),
            minimum_cny=cny(pl.col("required")),
            days_worked="days_worked",
        )


class _PartTimeWeek(Rule):
    """Per ISO week (clipped to the audited range) of a part-time employee of any hours system:
    the week's working time, or its average per day worked when `per_day`, against the
    rule-pack parameter `params[0]`; exactly at the limit is no finding."""

    per_day: bool
    categories = ("employee",)
    severity = "error"
    unit = "h"
    basis = "《劳动合同法》第六十八条"

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        systems = ("standard", "comprehensive", "flexible")
        days = periods(employee_days(ctx, systems, part_time=True), "1w", ctx)
        weeks = days.group_by("worker_id", "period_start", "period_end").agg(
            work=pl.col("work").sum(), days=pl.len(), dates=pl.col("date").sort()
        )
        weeks = ctx.pack.asof(weeks, self.params[0], "period_start", out="limit")
        per = pl.col("days") if self.per_day else pl.lit(1)
        over = pl.col("work") > scaled(pl.col("limit"), ctx.factor.denominator) * per
        observed = (pl.col("work") / per / ctx.factor.denominator / 3600).round(2)
        return select_findings(
            self, weeks.filter(over), observed, "limit", dates="dates", hours=hours(ctx, "work")
        )


@register
class PartTimeWeeklyHours(_PartTimeWeek):
    """A part-time (非全日制) employee working more than `part_time_max_weekly_hours` (24 h) in
    an ISO week (Monday–Sunday, clipped to the audited range). Exactly 24 h is no finding."""

    code = "PT001"
    per_day = False
    name = {"en": "Part-time weekly hours", "zh": "非全日制每周工作时间"}
    params = ("part_time_max_weekly_hours",)
    message = {
        "zh": "非全日制用工{period_start}至{period_end}工作{observed}小时，超过每周{threshold}小时",
        "en": "Part-time work from {period_start} to {period_end} was {observed} h, over the "
        "weekly limit of {threshold} h",
    }
    example = "W2 (part-time) worked 26 h in the week of 2025-03-03 → observed 26, threshold 24."


@register
class PartTimeDailyAverage(_PartTimeWeek):
    """A part-time (非全日制) employee whose working time per day worked, averaged over an ISO
    week (clipped to the audited range), exceeds `part_time_max_daily_hours` (4 h). Exactly 4 h
    on average is no finding."""

    code = "PT002"
    per_day = True
    name = {"en": "Part-time daily average", "zh": "非全日制日均工作时间"}
    params = ("part_time_max_daily_hours",)
    message = {
        "zh": "非全日制用工{period_start}至{period_end}日均工作{observed}小时，超过{threshold}小时",
        "en": "Part-time work from {period_start} to {period_end} averaged {observed} h a day "
        "worked, over {threshold} h",
    }
    example = "W2 (part-time) worked 5 h on each of 3 days of one week → observed 5, threshold 4."
