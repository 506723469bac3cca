"""Part-time (非全日制) employees: hours per week and per day on average (PT001, PT002), and
pay against the hourly minimum per payout period (PT003)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import AuditContext, cny
from payaudit.rules.base import Rule, register
from payaudit.rules.overtime import employee_days, hours, periods, scaled
from payaudit.rules.payment import payout_findings, payouts, period_days, select_findings
from payaudit.rules.wage import EXCLUDED, hourly_required, per_hour


@register
class PartTimeHourlyMinimum(Rule):
    """Pay of a part-time (非全日制) employee below the hourly minimum wage, per payout period.

    Eligible pay = gross − overtime_pay − allowances of the payout. Required pay = Σ over the
    days of the period of that day's working time (docs/semantics.md, with the allowance ratio) ×
    the hourly minimum in force that day in the worker's area class, rounded half-up to the fen
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
    basis = f"《劳动合同法》第七十二条; {EXCLUDED}"
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
        pays = payouts(ctx, self.categories).filter(pl.col("part_time"))
        need = hourly_required(period_days(ctx.daily, pays), ("_payout",), ctx)
        found = pays.join(need, on="_payout").filter(pl.col("eligible") < pl.col("required"))
        observed, threshold = per_hour(ctx)
        return payout_findings(
            self,
            found,
            observed,
            threshold,
            pl.col("required") - pl.col("eligible"),
            hours=ctx.working_hours(pl.col("seconds")).round(4),
            eligible_cny=cny(pl.col("eligible")),
            required_cny=cny(pl.col("required")),
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
