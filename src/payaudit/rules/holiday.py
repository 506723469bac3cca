"""Holiday pay of platform-managed workers."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import RATIO_DEN, AuditContext, cny, evidence, ratio_num
from payaudit.money import div_half_up
from payaudit.rules.base import Rule, register

WORKING_DAYS = ("working_day", "adjusted_working_day")


@register
class HolidayPremium(Rule):
    """Work on a statutory holiday not paid more per hour than ordinary work.

    For each statutory holiday (法定节假日: not the bridging rest days of a break, not the 补班
    days) on which a platform-managed worker worked, the day's pay per working hour is compared
    with the worker's own pay per working hour on the working days (ordinary and adjusted 补班
    days; never rest days) of the same calendar month. A finding when the holiday rate is at
    most `holiday_min_ratio` (1.0) × that baseline: the law asks for pay higher than normal.
    Shortfall: (baseline × ratio − holiday rate) × holiday hours = baseline × ratio × holiday
    hours − holiday pay, exact, rounded half-up to the fen once, never below 0. A worker with no
    working day worked that month has no baseline: a warning to review, shortfall 0.
    Pay is order pay with its allowances (a holiday premium or subsidy is what this rule looks
    for; tips never count). An order crossing midnight counts on each day with its share of
    the time and of its pay: 23:00 on a working day to 01:00 on a holiday gives each day one
    hour and half the pay. Applied from the day the rule came into force for platform-managed
    workers (2021-10-29): holidays and baseline days before it are not looked at.
    """

    code = "HP001"
    name = {"en": "Holiday premium", "zh": "法定节假日报酬"}
    severity = "error"
    categories = ("platform_managed",)
    params = ("holiday_min_ratio",)
    unit = "CNY/h"
    basis = "渝人社发〔2021〕38号 第（六）项; 《全国年节及纪念日放假办法》"
    message = {
        "zh": "法定节假日{period_start}每工作小时报酬{observed}元，未高于当月工作日报酬"
        "（每小时{threshold}元），应补发{shortfall}元",
        "en": "On the statutory holiday {period_start} pay was {observed} CNY per working hour, "
        "not above the month's working-day rate ({threshold} CNY/h); {shortfall} CNY is owed",
    }
    example = (
        "W1 worked 4 h on 2025-01-28 (除夕, statutory) for 80.00 CNY (20 CNY/h, holiday "
        "allowance included) and 100 h on January's working days, 补班 1/26 among them, for "
        "2,500.00 CNY (25 CNY/h; rest days not counted) → observed 20.00, threshold 25.00 CNY/h, "
        "shortfall 25 × 4 − 80 = 20.00 CNY."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        days = ctx.for_categories(ctx.daily, self.categories).filter(pl.col("seconds") > 0)
        days = days.with_columns(month=pl.col("date").dt.truncate("1mo"))
        baseline = (
            days.filter(pl.col("day_type").is_in(WORKING_DAYS))
            .group_by("worker_id", "month")
            .agg(base_pay=pl.col("pay_fen").sum(), base_seconds=pl.col("seconds").sum())
        )
        holidays = days.filter(pl.col("day_type") == "statutory_holiday")
        holidays = ctx.pack.asof(holidays, "holiday_min_ratio", out="ratio").join(
            baseline, on=["worker_id", "month"], how="left"
        )
        r = ratio_num(pl.col("ratio"))
        # Holiday rate ≤ ratio × baseline, cross-multiplied in integers: the allowance factor
        # scales both rates alike and cancels.
        owed_num = r * pl.col("base_pay") * pl.col("seconds")
        paid_num = RATIO_DEN * pl.col("pay_fen") * pl.col("base_seconds")
        no_baseline = pl.col("base_seconds").is_null()
        hours = pl.col("hours")
        base_hours = ctx.working_hours(pl.col("base_seconds"))
        found = ctx.with_order_ids(holidays.filter(no_baseline | (paid_num <= owed_num)))
        return found.select(
            "worker_id",
            severity=pl.when(no_baseline).then(pl.lit("warning")).otherwise(pl.lit(self.severity)),
            period_start="date",
            period_end="date",
            observed=(pl.col("pay_fen") / 100 / hours).round(2),
            threshold=(pl.col("ratio") * pl.col("base_pay") / 100 / base_hours).round(2),
            unit=pl.lit(self.unit),
            shortfall_fen=pl.when(no_baseline)
            .then(0)
            .otherwise(div_half_up(owed_num - paid_num, RATIO_DEN * pl.col("base_seconds"))),
            evidence=evidence(
                date="date",
                holiday="holiday_zh",
                hours=hours.round(4),
                pay_cny=cny(pl.col("pay_fen")),
                baseline_pay_cny=cny(pl.col("base_pay")),
                baseline_hours=base_hours.round(4),
                order_ids="order_ids",
            ),
            basis=pl.lit(self.basis),
        )
