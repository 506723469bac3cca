"""Fatigue: continuous order time and daily working time (recommended standard: warnings)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import AuditContext, evidence
from payaudit.rules.base import Rule, register

# The numbers come from a recommended national standard applied to the seed's fatigue
# reminders (rule pack note), not from a binding figure: hence warnings.
_BASIS = (
    "渝人社发〔2021〕38号 第（六）项; 人社厅发〔2023〕50号 第5条; "
    "《外卖平台服务管理基本要求》（推荐性国家标准）"
)


def _limit_seconds(hours: pl.Expr) -> pl.Expr:
    return (hours * 3600).round().cast(pl.Int64)


@register
class ContinuousWork(Rule):
    """A continuous order stretch longer than `max_continuous_hours` (4 h).

    A stretch is a run of orders in which every gap is shorter than `min_break_minutes` (20):
    a gap of exactly 20 minutes is a break. It lasts from its first start to its last end and
    belongs to the day on which it starts (docs/semantics.md). Exactly 4 h is within the limit.
    One finding per worker and day: the longest stretch is observed (its start, end and
    orders in the evidence), every stretch of the day over the limit is listed in
    `stretches`, so that the finding's id (rule, worker, day) names one finding.
    """

    code = "FT001"
    name = {"en": "Continuous work", "zh": "连续接单时间"}
    severity = "warning"
    categories = ("platform_managed", "employee")
    params = ("max_continuous_hours", "min_break_minutes")
    unit = "h"
    basis = _BASIS
    message = {
        "zh": "{period_start}连续接单{observed}小时，超过{threshold}小时上限，应安排休息",
        "en": "On {period_start} orders ran continuously for {observed} h, over the {threshold} "
        "h limit without a break",
    }
    example = (
        "W1 on 2025-01-06: orders from 09:00 to 13:01 with gaps under 20 minutes → "
        "observed 4.02 h, threshold 4 h."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        found = ctx.pack.asof(
            ctx.for_categories(ctx.stretches, self.categories), "max_continuous_hours", out="limit"
        ).filter(pl.col("seconds") > _limit_seconds(pl.col("limit")))
        hours = (pl.col("seconds") / 3600).round(2)
        span = pl.format("{}–{} ({} h)", pl.col("start").dt.strftime("%H:%M"),
                         pl.col("end").dt.strftime("%H:%M"), hours)  # fmt: skip
        longest = pl.struct("start", "end", "order_ids", "seconds", "limit").sort_by(
            "seconds", "start", descending=[True, False]
        )
        days = (
            ctx.with_stretch_orders(found)
            .group_by("worker_id", "date")
            .agg(longest=longest.first(), stretches=span.sort_by("start"))
            .unnest("longest")
        )
        return days.select(
            "worker_id",
            period_start="date",
            period_end="date",
            observed=hours,
            threshold="limit",
            unit=pl.lit(self.unit),
            shortfall_fen=pl.lit(0),
            evidence=evidence(
                date="date", start="start", end="end", order_ids="order_ids", stretches="stretches"
            ),
            basis=pl.lit(self.basis),
        )


@register
class DailyWorkingTime(Rule):
    """A day's working time over `max_daily_hours` (8 h).

    Working time as docs/semantics.md: merged order time plus required online time (all online time
    on the online basis), split at midnight, times 1 + allowance ratio. Exactly 8 h is within the
    limit.
    """

    code = "FT002"
    name = {"en": "Daily working time", "zh": "每日工作时间"}
    severity = "warning"
    categories = ("platform_managed",)
    params = ("max_daily_hours",)
    unit = "h"
    basis = _BASIS
    message = {
        "zh": "{period_start}工作时间{observed}小时，超过每日{threshold}小时上限",
        "en": "On {period_start} working time was {observed} h, over the daily limit of "
        "{threshold} h",
    }
    example = "W1 on 2025-01-06: 9 h 30 min of order time → observed 9.5 h, threshold 8 h."

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        num, den = ctx.factor.numerator, ctx.factor.denominator
        days = ctx.pack.asof(
            ctx.for_categories(ctx.daily, self.categories), "max_daily_hours", out="limit"
        )
        # Working seconds × den = seconds × num, compared exactly with the limit × den.
        over = pl.col("seconds") * num > _limit_seconds(pl.col("limit")) * den
        return ctx.with_order_ids(days.filter(over)).select(
            "worker_id",
            period_start="date",
            period_end="date",
            observed=pl.col("hours").round(2),
            threshold="limit",
            unit=pl.lit(self.unit),
            shortfall_fen=pl.lit(0),
            evidence=evidence(
                date="date",
                seconds="seconds",
                hours=pl.col("hours").round(4),
                order_ids="order_ids",
            ),
            basis=pl.lit(self.basis),
        )
