"""Injury insurance coverage: 工伤保险 of employees (IN001), 职业伤害保障 of platform-managed
workers on the pilot platforms (IN002)."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import AuditContext
from payaudit.rules.base import Rule, register
from payaudit.rules.payment import select_findings


def _uninsured(ctx: AuditContext, categories: tuple[str, ...], column: str) -> pl.LazyFrame:
    """Workers in `categories` whose roster says `column` is false (empty: unknown, skipped)."""
    chosen = ctx.workers.filter(pl.col("category").is_in(categories) & ~pl.col(column))
    return chosen.select("worker_id", "_row")


@register
class NoInjuryInsurance(Rule):
    """An employee not insured under 工伤保险 (work-injury insurance).

    A finding for each employee whose roster has injury_insurance false; empty means unknown and
    is no finding. The period is the audited range; observed = days with working time in it.
    An employee working for several platforms must be insured by each (seed item 九); the
    roster states one flag per worker, so that is what is checked.
    """

    code = "IN001"
    name = {"en": "No work-injury insurance", "zh": "未参加工伤保险"}
    severity = "error"
    categories = ("employee",)
    unit = "days"
    basis = "《工伤保险条例》第二条; 渝人社发〔2021〕38号 第（九）项"
    message = {
        "zh": "劳动者未参加工伤保险（{period_start}至{period_end}工作{observed}天）",
        "en": "The employee is not insured under 工伤保险 (work-injury insurance); {observed} days "
        "worked from {period_start} to {period_end}",
    }
    example = "W1, an employee with injury_insurance = 否 → a finding over the audited range."

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        worked = (
            ctx.daily.filter(pl.col("seconds") > 0)
            .group_by("worker_id")
            .agg(days=pl.len().cast(pl.Int64))
        )
        found = (
            _uninsured(ctx, self.categories, "injury_insurance")
            .join(worked, on="worker_id", how="left")
            .with_columns(
                pl.col("days").fill_null(0),
                period_start=pl.lit(ctx.date_from),
                period_end=pl.lit(ctx.date_to),
            )
        )
        return select_findings(
            self, found, pl.col("days").cast(pl.Float64), pl.lit(0.0), roster_row="_row"
        )


@register
class NoOccupationalInjuryCover(Rule):
    """A platform-managed worker without 职业伤害保障 who worked for a platform in the pilot.

    A finding for each platform-managed worker whose roster has occupational_injury false
    (empty: unknown, no finding) and who worked, on days in the audited range, for a platform
    that was in Chongqing's occupational-injury pilot on that day. The pilot grew in waves:
    seven platforms from 2022-07-01 (曹操出行, 美团, 饿了么, 达达, 闪送, 货拉拉, 快狗打车),
    滴滴出行, 顺丰同城, 滴滴货运 and 满帮 added from 2025-07-01
    (`occupational_injury_pilot_platforms`), and with the 2026 extension every platform of the
    ride-hailing (出行), instant-delivery (即时配送) and same-city freight (同城货运) industries
    (`occupational_injury_pilot_industries`; the rule pack gives each known platform its
    industry). A platform of another industry, or of none known, is not in the pilot: no
    finding. The period runs from the first to the last such day; observed = the number of
    such days; evidence names the platforms. Days that are in the pilot only by a wave whose
    date or notice the rule pack marks as not verified (the 2026 extension) make a separate
    `warning` to review. A day's platform is that of its orders; orders without one (or
    `--platform` itself) and required time without orders take the worker's platform (roster,
    else the most frequent order platform, else `--platform`).
    """

    code = "IN002"
    name = {"en": "No occupational injury cover", "zh": "未参加职业伤害保障"}
    severity = "error"
    categories = ("platform_managed",)
    # The pilot list is a list, which the parameters table of the report cannot show; the
    # rule-pack names are in the docstring.
    unit = "days"
    basis = (
        "人社部发〔2021〕110号; 人社部发〔2025〕24号; 渝人社规〔2025〕14号; "
        "渝人社发〔2021〕38号 第（九）项"
    )
    message = {
        "zh": "{period_start}至{period_end}在职业伤害保障试点平台工作{observed}天，"
        "未参加职业伤害保障",
        "en": "Worked {observed} days from {period_start} to {period_end} for a platform in the "
        "occupational-injury pilot without 职业伤害保障 cover",
    }
    example = (
        "W1 (platform_managed, occupational_injury = 否) delivered for 美团 (in the pilot since "
        "2022-07-01) on 2025-03-03 and 2025-03-05 → observed 2 days, an error. W2 drove for "
        "T3出行, a ride-hailing platform covered only by the 2026 extension whose day is not "
        "verified, on 2026-03-02 → observed 1 day, a warning. W3 on 滴滴出行 on 2025-06-30, "
        "before it joined on 2025-07-01 → no finding."
    )

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        uninsured = _uninsured(ctx, self.categories, "occupational_injury")
        worked = ctx.daily.filter(pl.col("seconds") > 0).select("worker_id", "date")
        worked = worked.join(uninsured, on="worker_id", how="semi")
        # A day's platforms: its orders' own, else (no order platform given, or required time
        # without orders) the worker's (roster, else most frequent order platform).
        given = ctx.orders.join(uninsured, on="worker_id", how="semi")  # before the unique
        given = given.filter(pl.col("platform") != (ctx.settings.platform or "unknown"))
        given = given.select("worker_id", "date", "platform").unique()
        own = ctx.workers.select("worker_id", worker_platform="platform")
        days = (
            worked.join(given, on=["worker_id", "date"], how="left")
            .join(own, on="worker_id", how="left")
            .with_columns(platform=pl.coalesce("platform", "worker_platform"))
        )
        pilot = ctx.pack.with_pilot_platform(days, "platform", "date").filter("pilot_platform")
        # A day counts as verified when any of its platforms is in the pilot by a verified wave.
        pilot = pilot.with_columns(
            sure=pl.col("pilot_platform_verified").any().over("worker_id", "date")
        )
        found = pilot.group_by("worker_id", "sure").agg(
            period_start=pl.col("date").min(),
            period_end=pl.col("date").max(),
            days=pl.col("date").n_unique().cast(pl.Int64),
            platforms=pl.col("platform").unique().sort(),
        )
        keys = ["worker_id", "period_start", "period_end"]  # one finding each: days differ
        severity = found.select(
            *keys, severity=pl.when("sure").then(pl.lit(self.severity)).otherwise(pl.lit("warning"))
        )
        return select_findings(
            self,
            found,
            pl.col("days").cast(pl.Float64),
            pl.lit(0.0),
            platforms="platforms",
            pilot_wave_verified="sure",
        ).join(severity, on=keys, how="left")
