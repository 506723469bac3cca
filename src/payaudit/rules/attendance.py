"""The monthly minimum a full-time employee's payout must reach, by attendance (MW002, PY006).

Per payout and calendar month it covers, with M the monthly minimum of the worker's area class:

    required = M × scheduled days of the month in the period / scheduled days of the month
               − M / 21.75 × absent days,  at least 0

Scheduled days are the calendar's working days, 补班 days included, never a statutory holiday or a
rest day: full attendance over a whole month needs the whole minimum however many working days
the month has, and each day of absence lowers it by one paid day (monthly minimum / 21.75).
Absent days are the scheduled days of the period less `days_worked` when the payout gives it
(shared among the months in proportion to their scheduled days), else less the scheduled days with
work recorded (orders or shifts; a day outside the audited range counts as attended, its work
not being read); with no work recorded at all in the period attendance is unknown and taken as
full. A month in which no scheduled day was attended requires nothing: the minimum wage
presumes normal work done. Where the minimum changes inside a month, M is the average of the
scheduled days' own minimums.

Everything stays an exact fraction over integers: required = required_num / required_den fen.
"""

from __future__ import annotations

import polars as pl

from payaudit.calendar import scheduled_days
from payaudit.engine.context import AuditContext
from payaudit.engine.inputs import DEFAULT_AREA_CLASS
from payaudit.engine.worktime import split_days
from payaudit.money import div_half_up
from payaudit.rules.payment import payouts

# How attendance was known, as the evidence says it.
GIVEN, RECORDED, UNKNOWN = "days_worked", "work recorded", "unknown: full attendance assumed"


def _worked(ctx: AuditContext, who: pl.LazyFrame) -> pl.LazyFrame:
    """worker_id, date: each day with work recorded, an order or any shift, of the workers
    `who` (few: those paid monthly, chosen first so that not every worker's days are read)."""
    shifts = ctx.shifts.join(who, on="worker_id", how="semi")
    shifts = split_days(shifts.select("worker_id", "start", "end"))
    days = ctx.daily.join(who, on="worker_id", how="semi")
    days = days.filter((pl.col("seconds") > 0) | (pl.col("orders") > 0))
    return pl.concat([frame.select("worker_id", "date") for frame in (days, shifts)]).unique()


def monthly_minimum(ctx: AuditContext, pays: pl.LazyFrame) -> pl.LazyFrame:
    """Per payout in `pays` and calendar month with scheduled working days in its period:
    _payout, period_start and period_end (the period's part in the month), scheduled (days of
    the period in the month), month_days (of the whole month), absent (days, for display),
    attendance (GIVEN, RECORDED or UNKNOWN), minimum_fen (the month's minimum), required_num
    and required_den (the required pay in fen), and share_num / share_den: the part of the
    payout's eligible pay that belongs to the month, in proportion to its scheduled days."""
    span = pays.select(pl.col("period_start").min(), pl.col("period_end").max()).collect()
    first, last = span.row(0)
    # Without payouts any day will do: there is nothing to join it to.
    calendar = scheduled_days(first or ctx.date_from, last or ctx.date_from).lazy()
    keys = pays.select("_payout", "worker_id", "period_start", "period_end")
    worked = _worked(ctx, keys.select("worker_id").unique())
    district = ctx.workers.select("worker_id", "district")
    days = (
        keys.with_columns(date=pl.date_ranges("period_start", "period_end"))
        .explode("date")
        .join(calendar, on="date")
        .join(worked.with_columns(worked=pl.lit(1)), on=["worker_id", "date"], how="left")
        .join(district, on="worker_id", how="left")
    )
    days = ctx.pack.with_area_class(days, "district", "date").with_columns(
        pl.col("area_class").fill_null(DEFAULT_AREA_CLASS)
    )
    days = ctx.pack.asof(days, "min_wage_monthly", class_col="area_class", out="minimum")
    # The work of days outside the audited range is not loaded: they count as attended.
    outside = ~pl.col("date").is_between(ctx.date_from, ctx.date_to)
    days = days.with_columns(worked=pl.when(outside).then(1).otherwise("worked"))
    parts = (
        days.drop_nulls("minimum")
        .group_by("_payout", "month")
        .agg(
            scheduled=pl.len().cast(pl.Int64),
            attended=pl.col("worked").sum().cast(pl.Int64),
            month_days=pl.col("month_days").first(),
            fen=(pl.col("minimum") * 100).round().cast(pl.Int64).sum(),
            period_start=pl.max_horizontal(pl.col("period_start").first(), pl.col("month").first()),
            period_end=pl.min_horizontal(
                pl.col("period_end").first(), pl.col("month").first().dt.month_end()
            ),
        )
    )
    recorded = (
        worked.join(keys, on="worker_id")
        .filter(pl.col("date").is_between("period_start", "period_end"))
        .group_by("_payout")
        .agg(recorded=pl.len())
    )
    paid_days = ctx.pack.asof(pays, "monthly_paid_days", date_col="period_end", out="paid_days")
    payout = paid_days.select(
        "_payout",
        "eligible",
        "days_worked",
        p=(pl.col("paid_days") * 100).round().cast(pl.Int64),
    ).join(recorded, on="_payout", how="left")
    return _required(parts.join(payout, on="_payout"))


def full_time_minimum(ctx: AuditContext, categories: tuple[str, ...]) -> pl.LazyFrame:
    """monthly_minimum of the full-time payouts of workers in `categories` (payouts()), worked
    out once for the rules that read it (MW002, PY006)."""
    pays = payouts(ctx, categories).filter(~pl.col("part_time"))
    return ctx.shared(("monthly_minimum", categories), lambda: monthly_minimum(ctx, pays))


def _required(parts: pl.LazyFrame) -> pl.LazyFrame:
    """The exact required pay of each part (see the module docstring). The absent fraction of
    the part's scheduled days is absent_num / (100 × absent_den): from days_worked over the
    whole period, from the part's own days with work recorded, or none."""
    period_days = pl.col("scheduled").sum().over("_payout")
    given = pl.col("days_worked").is_not_null()
    recorded = pl.col("recorded").fill_null(0) > 0
    given_absent = (period_days * 100 - (pl.col("days_worked") * 100).round().cast(pl.Int64)).clip(
        lower_bound=0
    )
    absent_num = (
        pl.when(given)
        .then(given_absent)
        .when(recorded)
        .then((pl.col("scheduled") - pl.col("attended")) * 100)
        .otherwise(0)
    )
    absent_den = pl.when(given).then(period_days).when(recorded).then("scheduled").otherwise(1)
    attendance = pl.when(given).then(pl.lit(GIVEN)).when(recorded).then(pl.lit(RECORDED))
    # required = fen / month_days − fen / scheduled × absent days / (p / 100), where absent days
    # = absent_num × scheduled / (100 × absent_den): over month_days × absent_den × p.
    need = pl.col("absent_den") * pl.col("p") - pl.col("absent_num") * pl.col("month_days")
    # Int128: a period of decades with a large gross would overflow Int64 in the products below.
    return (
        parts.with_columns(pl.col("fen", "eligible", "p").cast(pl.Int128))
        .with_columns(absent_num=absent_num, absent_den=absent_den, period_days=period_days)
        .with_columns(
            attendance=attendance.otherwise(pl.lit(UNKNOWN)),
            absent=(
                pl.col("absent_num") * pl.col("scheduled") / pl.col("absent_den") / 100
            ).round(2),
            minimum_fen=div_half_up(pl.col("fen"), pl.col("scheduled")),
            # No day attended in the month: no normal work was done, so no minimum is owed
            # (最低工资规定 art. 3), though the formula alone would leave M − M/21.75 × days.
            required_num=pl.when(pl.col("absent_num") >= 100 * pl.col("absent_den"))
            .then(0)
            .otherwise(pl.col("fen") * need.clip(lower_bound=0)),
            required_den=pl.col("month_days") * pl.col("absent_den") * pl.col("p"),
            share_num=pl.col("eligible") * pl.col("scheduled"),
            share_den=pl.col("period_days"),
        )
        .select(
            "_payout", "period_start", "period_end", "scheduled", "month_days", "absent",
            "attendance", "minimum_fen", "required_num", "required_den", "share_num", "share_den",
        )
    )  # fmt: skip


# A part's required pay in fen, rounded half-up once (as MW002 reports it).
REQUIRED_FEN = div_half_up(pl.col("required_num"), pl.col("required_den")).cast(pl.Int64)
