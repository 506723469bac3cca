"""Minimum-wage rules: the hourly minimum of platform-managed workers per period (MW001) and
the monthly minimum of full-time employees per payout period (MW002)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import ELIGIBLE, AuditContext, cny, evidence
from payaudit.money import div_half_up
from payaudit.rules.attendance import REQUIRED_FEN, full_time_minimum
from payaudit.rules.base import Rule, register
from payaudit.rules.payment import payout_findings, payouts

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


@register
class MonthlyMinimumWage(Rule):
    """Pay of a full-time employee below the monthly minimum wage, by attendance.

    Per payout period and calendar month it covers, the monthly minimum M of the worker's area
    class is required in proportion to the month's scheduled working days in the period (the
    calendar's working days, 补班 days included, never a statutory holiday or a rest day) less
    one paid day (`monthly_paid_days`, 21.75 a month) for each day of absence:

        required = M × scheduled days in the period / scheduled days of the month
                   − M / 21.75 × absent days, at least 0.

    Full attendance over a whole month requires the whole minimum, however many working days the
    month has. Absent days = the scheduled days of the period less `days_worked` (出勤天数) when
    the payout gives it, shared among the months in proportion to their scheduled days; else less
    the scheduled days with work recorded (an order or a shift; days outside the audited range
    count as attended, their work not being read). A period with no work recorded at all has
    unknown attendance, taken as full, and the evidence says so.

    The pay that counts toward the minimum is gross − overtime_pay − allowances (night,
    high-temperature and other special allowances are excluded; individual social insurance and
    housing fund are included, so gross is taken before them), shared among the months the
    period covers in proportion to their scheduled days. Each month uses its own minimum, so a
    period spanning a change (16 Dec 2024 – 15 Jan 2025: 2100 → 2330 in class 1) gives one
    finding per month. A finding when that pay is below the required pay; the shortfall is the
    difference, an exact fraction rounded half-up to the fen once. Not audited: part-time
    employees (PT003). Amounts left empty count as 0.
    """

    code = "MW002"
    name = {"en": "Monthly minimum wage", "zh": "月最低工资"}
    severity = "error"
    categories = ("employee",)
    params = ("min_wage_monthly", "monthly_paid_days")
    unit = "CNY"
    basis = f"《劳动法》第四十八条; 渝人社发〔2021〕38号 第（五）项; {EXCLUDED}"
    message = {
        "zh": "{period_start}至{period_end}计入最低工资的工资{observed}元，低于按出勤计算的"
        "月最低工资{threshold}元，应补发{shortfall}元",
        "en": "From {period_start} to {period_end} pay counting toward the minimum was "
        "{observed} CNY, below the monthly minimum of {threshold} CNY for the attendance; "
        "{shortfall} CNY is owed",
    }
    example = (
        "W1 (渝中区, class 1: 2,330 CNY), payout for January 2025, which has 19 scheduled working "
        "days (the 补班 Sunday 1/26 included; 1/1 and 1/28–1/31 are statutory holidays), fully "
        "attended: gross 2,100.00 CNY, no overtime or allowances → required 2,330 × 19 / 19 = "
        "2,330.00, shortfall 230.00 CNY. With days_worked 17 (2 days absent): required 2,330 − "
        "2,330 / 21.75 × 2 = 2,115.75; gross 2,200.00 → no finding."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        pays = payouts(ctx, self.categories).filter(~pl.col("part_time"))
        parts = full_time_minimum(ctx, self.categories)
        shortfall = div_half_up(
            pl.col("required_num") * pl.col("share_den")
            - pl.col("share_num") * pl.col("required_den"),
            pl.col("required_den") * pl.col("share_den"),
        ).cast(pl.Int64)
        found = (
            pays.drop("period_start", "period_end")
            .join(parts, on="_payout")
            .with_columns(shortfall=shortfall)
            .filter(pl.col("shortfall") > 0)
        )
        return payout_findings(
            self,
            found,
            cny(div_half_up(pl.col("share_num"), pl.col("share_den"))),
            cny(REQUIRED_FEN),
            pl.col("shortfall"),
            attendance="attendance",
            scheduled_days="scheduled",
            month_scheduled_days="month_days",
            absent_days="absent",
            days_worked="days_worked",
            monthly_minimum_cny=cny(pl.col("minimum_fen")),
            gross_cny=cny(pl.col("gross")),
            overtime_pay_cny=cny(pl.col("overtime_pay")),
            allowances_cny=cny(pl.col("allowances")),
        )
