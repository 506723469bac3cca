"""Minimum-wage rules."""

from __future__ import annotations

import polars as pl

from payaudit.audit_context import AuditContext, cny, evidence
from payaudit.money import div_half_up
from payaudit.rules.base import Rule, register

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


@register
class HourlyMinimumWage(Rule):
    """Pay per working hour of a platform-managed worker below the hourly minimum wage.

    Per worker and period (`--period`: day, ISO week Monday–Sunday, or calendar month, the
    default; clipped to the audited range), the eligible pay is Σ pay − Σ cost of the orders
    accepted in the period (tips never count). The required pay is the sum over the days of the
    period of that day's working time (SPEC §3: merged order time plus required online time,
    times 1 + allowance ratio) × the hourly minimum wage in force that day in the worker's area
    class, so a period spanning a change of the minimum uses each day's own figure. A finding
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
        "orders paid 2,100.00 CNY less 100.00 CNY of costs → observed 20.00 CNY/h, threshold "
        "23.00 CNY/h, shortfall 300.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        num, den = ctx.factor.numerator, ctx.factor.denominator
        period = ctx.settings.period
        days = ctx.for_categories(ctx.daily, self.categories).with_columns(
            period_start=_PERIOD_START[period]
        )
        # Required pay is an exact rational, Σ seconds × fen/h × num over 3600 × den, rounded
        # half-up to the fen once.
        periods = (
            days.group_by("worker_id", "period_start")
            .agg(
                seconds=pl.col("seconds").sum(),
                eligible=(pl.col("pay_fen") - pl.col("cost_fen")).sum(),
                required_num=(pl.col("seconds") * pl.col("min_wage_fen")).sum() * num,
                orders=pl.col("orders").sum(),
                dates=pl.col("date").filter(pl.col("seconds") > 0).sort(),
            )
            .with_columns(period_end=_PERIOD_END[period])
            .with_columns(required=div_half_up(pl.col("required_num"), 3600 * den))
            .filter((pl.col("seconds") > 0) & (pl.col("eligible") < pl.col("required")))
        )
        hours = ctx.working_hours(pl.col("seconds"))
        return periods.select(
            "worker_id",
            period_start=pl.max_horizontal("period_start", pl.lit(ctx.date_from)),
            period_end=pl.min_horizontal("period_end", pl.lit(ctx.date_to)),
            observed=(pl.col("eligible") / 100 / hours).round(2),
            threshold=(pl.col("required_num") / (100 * pl.col("seconds") * num)).round(2),
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
