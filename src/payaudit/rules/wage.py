"""Minimum-wage rules: the hourly minimum of platform-managed workers per period (MW001) and
the monthly minimum of full-time employees per payout period (MW002)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import ELIGIBLE, AuditContext, cny, evidence
from payaudit.money import div_half_up
from payaudit.rules.base import Rule, register
from payaudit.rules.payment import payout_findings, payouts, period_days

_PERIOD_START = {
    "day": pl.col("date"),
    "week": pl.col("date").dt.truncate("1w"),  # ISO week, Monday
    "month": pl.col("date").dt.truncate("1mo"),
}
_PERIOD_END = {
    "day": pl.col("period_start"),
    "week": pl.col("period_start") + pl.duration(days=6),
    "month": pl.col("period_start").dt.month_end(),
}

EXCLUDED = (
    "《最低工资规定》（劳动和社会保障部令第21号）第十二条; 《重庆市最低工资保障规定》"
    "（重庆市人民政府令第106号）"
)


def hourly_required(
    days: pl.LazyFrame, keys: tuple[str, ...], ctx: AuditContext, **more: pl.Expr
) -> pl.LazyFrame:
    """Per group of days: `seconds` worked and `required`, the pay the hourly minimum asks for
    them in fen. Required pay is an exact rational, Σ seconds × fen/h × num over 3600 × den
    (the allowance ratio as num/den), rounded half-up to the fen once."""
    num, den = ctx.factor.numerator, ctx.factor.denominator
    return (
        days.group_by(*keys)
        .agg(
            seconds=pl.col("seconds").sum(),
            required_num=(pl.col("seconds") * pl.col("min_wage_fen")).sum() * num,
            **more,
        )
        .with_columns(required=div_half_up(pl.col("required_num"), 3600 * den))
    )


def per_hour(ctx: AuditContext) -> tuple[pl.Expr, pl.Expr]:
    """Observed (eligible pay) and threshold (required pay) per working hour, in CNY."""
    observed = pl.col("eligible") / 100 / ctx.working_hours(pl.col("seconds"))
    threshold = pl.col("required_num") / (100 * pl.col("seconds") * ctx.factor.numerator)
    return observed.round(2), threshold.round(2)


@register
class HourlyMinimumWage(Rule):
    """Pay per working hour of a platform-managed worker below the hourly minimum wage.

    Per worker and period (`--period`: day, ISO week Monday–Sunday, or calendar month, the
    default; clipped to the audited range and to the days the rule is in force), the eligible
    pay is Σ pay − Σ allowance − Σ cost of the orders in the period: special-condition
    allowances and premiums (night, bad weather, high temperature, holiday) do not count toward
    the minimum wage, nor do tips, ever. An order crossing midnight counts on each day with
    its share of the time, and its pay, allowance and cost with it. The required pay is the sum
    over the days of the period of that day's working time (merged order time plus required
    online time, times 1 + allowance ratio) × the hourly minimum wage in force that day in the
    worker's area class, so a period spanning a change of the minimum uses each day's own
    figure. A finding
    when eligible < required, the required pay rounded half-up to the fen once; the shortfall
    is required − eligible. Observed: eligible pay per working hour; threshold: required pay
    per working hour (the time-weighted minimum).
    """

    code = "MW001"
    name = {"en": "Hourly minimum wage", "zh": "小时最低工资"}
    severity = "error"
    categories = ("platform_managed",)
    params = ("min_wage_hourly",)
    unit = "CNY/h"
    basis = (
        "渝人社发〔2021〕38号 第（五）项; 人社厅发〔2023〕50号 第4条; "
        "《最低工资规定》（劳动和社会保障部令第21号）第十二条"
    )
    message = {
        "zh": "{period_start}至{period_end}，每工作小时报酬{observed}元，低于小时最低工资"
        "{threshold}元，应补发{shortfall}元",
        "en": "From {period_start} to {period_end} pay per working hour was {observed} CNY, "
        "below the hourly minimum wage of {threshold} CNY; {shortfall} CNY is owed",
    }
    example = (
        "W1, 2025-01: 100 h of working time in 渝中区 (class 1, 23 CNY/h) require 2,300.00 CNY; "
        "orders paid 2,250.00 CNY, of which 150.00 CNY night allowance, less 100.00 CNY of "
        "costs → eligible 2,000.00, observed 20.00 CNY/h, threshold 23.00 CNY/h, shortfall "
        "300.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        period = ctx.settings.period
        days = ctx.for_categories(ctx.daily, self.categories).with_columns(
            period_start=_PERIOD_START[period]
        )
        periods = (
            hourly_required(
                days,
                ("worker_id", "period_start"),
                ctx,
                eligible=ELIGIBLE.sum(),
                orders=pl.col("orders").sum(),
                dates=pl.col("date").filter(pl.col("seconds") > 0).sort(),
            )
            .with_columns(period_end=_PERIOD_END[period])
            .filter((pl.col("seconds") > 0) & (pl.col("eligible") < pl.col("required")))
        )
        hours = ctx.working_hours(pl.col("seconds"))
        observed, threshold = per_hour(ctx)
        return periods.select(
            "worker_id",
            period_start=pl.max_horizontal("period_start", pl.lit(ctx.date_from)),
            period_end=pl.min_horizontal("period_end", pl.lit(ctx.date_to)),
            observed=observed,
            threshold=threshold,
            unit=pl.lit(self.unit),
            shortfall_fen=pl.col("required") - pl.col("eligible"),
            evidence=evidence(
                dates=pl.col("dates"),
                days=pl.col("dates").list.len(),
                hours=hours.round(4),
                eligible_cny=cny(pl.col("eligible")),
                required_cny=cny(pl.col("required")),
                orders=pl.col("orders"),
            ),
            basis=pl.lit(self.basis),
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
    basis = f"《劳动法》第四十八条; 渝人社发〔2021〕38号 第（五）项; {EXCLUDED}"
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
