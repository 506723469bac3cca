"""Working time of employees: overtime hours and pay (OT001, OT002) and the weekly rest day
(RD001).

Hours systems (roster `hours_system`; empty counts as `standard`): `flexible` (不定时工作制) is
exempt from every rule here; `comprehensive` (综合计算工时) is checked over period totals;
part-time (非全日制) employees have their own limits instead (PT001–PT003). Working time is as
docs/semantics.md says, with the allowance ratio; seconds are carried × the ratio's denominator
so that every comparison is exact.
"""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import RATIO_DEN, AuditContext, cny, ratio_num
from payaudit.money import div_half_up
from payaudit.rules.base import Rule, register
from payaudit.rules.holiday import WORKING_DAYS
from payaudit.rules.payment import payout_findings, payouts, period_days, select_findings

DAYS_A_WEEK = 7
_LABOUR_LAW = "《劳动法》第三十六条、第四十一条; 《国务院关于职工工作时间的规定》第三条"
_PAY_LAW = (
    "《劳动法》第四十四条; 《工资支付暂行规定》（劳部发〔1994〕489号）第十三条; 劳社部发〔2008〕3号"
)
_PERIOD = {
    "1w": pl.col("period_start") + pl.duration(days=DAYS_A_WEEK - 1),
    "1mo": pl.col("period_start").dt.month_end(),
}


def scaled(hours: pl.Expr, den: int) -> pl.Expr:
    """Hours as seconds × den (the unit of `work` and `over`), exact."""
    return (hours * 3600).round().cast(pl.Int64) * den


def employee_days(
    ctx: AuditContext, systems: tuple[str, ...], part_time: bool | None = False
) -> pl.LazyFrame:
    """ctx.daily rows with working time of employees in the hours `systems`, full-time,
    part-time (`part_time`) or both (None), with `system`, `work` (working seconds × den) and
    `over`, the day's overtime in the same unit: beyond `standard_daily_hours` on working days
    (补班 days included), all of it on rest days and statutory holidays."""
    system = pl.col("hours_system").fill_null("standard")
    chosen = ctx.workers.filter((pl.col("category") == "employee") & system.is_in(systems))
    if part_time is not None:
        chosen = chosen.filter(pl.col("part_time").fill_null(False) == part_time)
    chosen = chosen.select("worker_id", system=system)
    days = ctx.daily.filter(pl.col("seconds") > 0).join(chosen, on="worker_id")
    days = days.join(ctx.calendar.select("date", "review"), on="date", how="left")
    days = ctx.pack.asof(days, "standard_daily_hours", out="std")
    work = pl.col("seconds") * ctx.factor.numerator
    beyond = (work - scaled(pl.col("std"), ctx.factor.denominator)).clip(lower_bound=0)
    over = pl.when(pl.col("day_type").is_in(WORKING_DAYS)).then(beyond).otherwise(work)
    return days.with_columns(work=work, over=over)


def periods(days: pl.LazyFrame, every: str, ctx: AuditContext) -> pl.LazyFrame:
    """`days` with period_start and period_end of their ISO week or calendar month, clipped to
    the audited range."""
    start = pl.col("date").dt.truncate(every)
    return days.with_columns(period_start=start).with_columns(
        period_start=pl.max_horizontal("period_start", pl.lit(ctx.date_from)),
        period_end=pl.min_horizontal(_PERIOD[every], pl.lit(ctx.date_to)),
    )


def overtime_totals(ctx: AuditContext, days: pl.LazyFrame, *keys: str) -> pl.LazyFrame:
    """Per worker, system, period_start, period_end (and `keys`): extended, rest-day and
    statutory-holiday overtime (× den). `comprehensive`: no rest-day category; extended is the
    work on days other than statutory holidays beyond the standard hours of the working days
    of the period (within the audited range); statutory-holiday work is overtime either way."""
    statutory = pl.col("day_type") == "statutory_holiday"
    totals = days.group_by("worker_id", "system", "period_start", "period_end", *keys).agg(
        extended=pl.col("over").filter(pl.col("day_type").is_in(WORKING_DAYS)).sum(),
        rest=pl.col("over").filter(pl.col("day_type") == "rest_day").sum(),
        holiday=pl.col("over").filter(statutory).sum(),
        ordinary=pl.col("work").filter(~statutory).sum(),
        rest_dates=pl.col("date").filter(pl.col("day_type") == "rest_day").sort(),
        review_dates=pl.col("date").filter(pl.col("review")).sort(),
    )
    calendar = ctx.pack.asof(ctx.calendar, "standard_daily_hours", out="std")
    own = pl.when(pl.col("day_type").is_in(WORKING_DAYS)).then(
        scaled(pl.col("std"), ctx.factor.denominator)
    )
    cumulative = calendar.select("date", own=own.fill_null(0)).with_columns(
        through=pl.col("own").cum_sum()
    )
    comprehensive = pl.col("system") == "comprehensive"
    standard = pl.col("through") - pl.col("before")
    return (
        totals.join(cumulative.select(period_end="date", through="through"), on="period_end")
        .join(
            cumulative.select(period_start="date", before=pl.col("through") - pl.col("own")),
            on="period_start",
        )
        .with_columns(
            extended=pl.when(comprehensive)
            .then((pl.col("ordinary") - standard).clip(lower_bound=0))
            .otherwise("extended"),
            rest=pl.when(comprehensive).then(0).otherwise("rest"),
        )
        .with_columns(total=pl.col("extended") + pl.col("rest") + pl.col("holiday"))
    )


def hours(ctx: AuditContext, column: str) -> pl.Expr:
    """A column of seconds × den as hours, for display."""
    return (pl.col(column) / ctx.factor.denominator / 3600).round(4)


@register
class OvertimeHours(Rule):
    """Overtime over the legal limits, for full-time employees on standard or comprehensive
    hours (flexible hours are exempt; part-time employees: PT001/PT002).

    Standard hours: a day whose working time exceeds `standard_daily_hours` +
    `max_overtime_daily_hours` (8 + 3 = 11 h) on any type of day is a day finding. A calendar
    month (clipped to the audited range) whose overtime exceeds `max_overtime_monthly_hours`
    (36 h) is a month finding; overtime = hours beyond 8 on working days (补班 days are working
    days) plus all hours on rest days and statutory holidays. Comprehensive hours: no day
    limit; per calendar month, overtime = work on non-holiday days beyond 8 h × the working
    days of the month (within the audited range) plus all work on statutory holidays, against
    the same 36 h. Exactly at a limit is no finding. No money is computed here (OT002).
    """

    code = "OT001"
    name = {"en": "Overtime hours", "zh": "延长工作时间"}
    severity = "error"
    categories = ("employee",)
    params = ("standard_daily_hours", "max_overtime_daily_hours", "max_overtime_monthly_hours")
    unit = "h"
    basis = _LABOUR_LAW
    message = {
        "zh": "{period_start}至{period_end}工作或加班{observed}小时，超过上限{threshold}小时",
        "en": "From {period_start} to {period_end} working or overtime hours were {observed} h, "
        "over the limit of {threshold} h",
    }
    example = (
        "W1 (standard hours) worked 12 h on 2025-01-06 → a day finding, observed 12, threshold "
        "11 h; 40 h of overtime in January 2025 → a month finding, observed 40, threshold 36 h."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        den = ctx.factor.denominator
        days = employee_days(ctx, ("standard", "comprehensive"), part_time=False)
        daily = ctx.pack.asof(days, "max_overtime_daily_hours", out="extra")
        daily = daily.with_columns(limit=pl.col("std") + pl.col("extra"), period_start="date")
        long_days = daily.filter(
            (pl.col("system") == "standard") & (pl.col("work") > scaled(pl.col("limit"), den))
        ).with_columns(period_end="date")
        months = overtime_totals(ctx, periods(days, "1mo", ctx))
        months = ctx.pack.asof(months, "max_overtime_monthly_hours", "period_start", out="limit")
        months = months.filter(pl.col("total") > scaled(pl.col("limit"), den))
        return pl.concat(
            [
                select_findings(
                    self, long_days, hours(ctx, "work"), "limit", work_hours=hours(ctx, "work")
                ),
                select_findings(
                    self,
                    months,
                    hours(ctx, "total"),
                    "limit",
                    extended_hours=hours(ctx, "extended"),
                    rest_day_hours=hours(ctx, "rest"),
                    holiday_hours=hours(ctx, "holiday"),
                ),
            ]
        )


@register
class OvertimePay(Rule):
    """Overtime paid below 150 % / 200 % / 300 % of the hourly wage, per payout period, for
    full-time employees on standard or comprehensive hours (flexible hours are exempt).

    Required overtime pay = hourly base × (`overtime_ratio_extended` (1.5) × extended hours +
    `overtime_ratio_rest_day` (2) × rest-day hours + `overtime_ratio_holiday` (3) ×
    statutory-holiday hours), with the hours of the days of the payout period (within the
    audited range) and the calendar: a statutory holiday on a weekend is still 300 %; a 补班
    weekend day is a working day; other days off of a break are rest days. Hourly base =
    monthly_wage / `monthly_paid_hours` (174), else (gross − overtime_pay) / 174. Rest-day
    hours are counted at 200 % because compensatory rest (补休) cannot be known from the data:
    findings say so, and list the rest days worked. Weekday rest days that may be the 补假
    of a statutory day falling on a weekend are counted at 200 % (prevailing practice) and
    listed as `review_dates`: whether they are owed 300 % is unsettled. Comprehensive hours:
    extended hours = work on non-holiday days beyond 8 h × the period's working days; no
    rest-day category. A finding when overtime_pay < required (rounded half-up to the fen
    once); shortfall the difference.
    """

    code = "OT002"
    name = {"en": "Overtime pay", "zh": "加班工资"}
    severity = "error"
    categories = ("employee",)
    params = (
        "standard_daily_hours",
        "overtime_ratio_extended",
        "overtime_ratio_rest_day",
        "overtime_ratio_holiday",
        "monthly_paid_hours",
    )
    unit = "CNY"
    basis = _PAY_LAW
    message = {
        "zh": "{period_start}至{period_end}加班工资{observed}元，低于应付{threshold}元，应补发"
        "{shortfall}元（休息日加班按200%计：数据无法确认是否已安排补休）",
        "en": "From {period_start} to {period_end} overtime pay was {observed} CNY, below the "
        "{threshold} CNY due; {shortfall} CNY is owed (rest-day hours at 200 %: whether "
        "compensatory rest was given cannot be known from the data)",
    }
    example = (
        "W1, monthly wage 3,480.00 CNY (20 CNY/h), May 2025: 10 extended hours, 8 h on a "
        "Sunday and 8 h on 2025-05-31 (端午, a Saturday) → 20 × (1.5 × 10 + 2 × 8 + 3 × 8) = "
        "1,100.00 CNY due; 600.00 paid → shortfall 500.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories)
        for name in self.params[1:]:
            pays = ctx.pack.asof(pays, name, date_col="period_end")
        days = employee_days(ctx, ("standard", "comprehensive"), part_time=False)
        days = period_days(days, pays).with_columns(
            pl.col("period_start", "period_end").clip(ctx.date_from, ctx.date_to)
        )
        totals = overtime_totals(ctx, days, "_payout").drop("period_start", "period_end")
        ratio = {
            n: ratio_num(pl.col(f"overtime_ratio_{n}")).cast(pl.Int128)
            for n in ("extended", "rest_day", "holiday")
        }
        weighted = (
            ratio["extended"] * pl.col("extended")
            + ratio["rest_day"] * pl.col("rest")
            + ratio["holiday"] * pl.col("holiday")
        )
        base = pl.coalesce("monthly_wage", pl.col("gross") - pl.col("overtime_pay"))
        per_month = (pl.col("monthly_paid_hours") * 100).round().cast(pl.Int128)
        # fen = base × Σ ratio × seconds / (hours a month × 3600 × den), all integers.
        num = base.cast(pl.Int128) * weighted * 100
        den = per_month * 3600 * ctx.factor.denominator * RATIO_DEN
        found = (
            pays.join(totals, on="_payout")
            .with_columns(required=div_half_up(num, den).cast(pl.Int64), base=base)
            .filter(pl.col("overtime_pay") < pl.col("required"))
        )
        return payout_findings(
            self,
            found,
            cny(pl.col("overtime_pay")),
            cny(pl.col("required")),
            pl.col("required") - pl.col("overtime_pay"),
            hourly_base_cny=(pl.col("base") / per_month).round(2),
            extended_hours=hours(ctx, "extended"),
            rest_day_hours=hours(ctx, "rest"),
            holiday_hours=hours(ctx, "holiday"),
            rest_days=pl.col("rest_dates"),
            review_dates=pl.col("review_dates"),
            comp_rest_unknown=pl.col("rest") > 0,
        )


@register
class WeeklyRestDay(Rule):
    """A Monday–Sunday week with working time on all seven days, for employees on standard
    hours (part-time included; comprehensive and flexible hours are exempt: their rest is
    arranged over the period). Only weeks wholly inside the audited range can be complete.
    """

    code = "RD001"
    name = {"en": "Weekly rest day", "zh": "每周休息日"}
    severity = "error"
    categories = ("employee",)
    unit = "days"
    basis = "《劳动法》第三十八条"
    message = {
        "zh": "{period_start}至{period_end}一周{observed}天均有工作，未保证每周至少休息一日",
        "en": "In the week {period_start} to {period_end} there was work on all {observed} "
        "days: no weekly rest day",
    }
    example = (
        "W1 worked every day from Monday 2025-01-06 to Sunday 2025-01-12 → observed 7, threshold 6."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        weeks = (
            periods(employee_days(ctx, ("standard",), part_time=None), "1w", ctx)
            .group_by("worker_id", "period_start", "period_end")
            .agg(dates=pl.col("date").sort(), worked=pl.len())
            .filter(pl.col("worked") == DAYS_A_WEEK)
        )
        return select_findings(
            self, weeks, pl.col("worked").cast(pl.Float64), pl.lit(DAYS_A_WEEK - 1.0), dates="dates"
        )
