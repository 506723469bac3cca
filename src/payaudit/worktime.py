"""Working time (SPEC §3, 人社厅发〔2023〕50号 第4–5条) as lazy-frame functions.

Every function takes and returns lazy frames and runs per worker with window expressions: no
Python loop over rows or workers. Times are naive local datetimes; durations are whole seconds
(Int64), so that money computed from them stays exact.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import polars as pl

_US = pl.duration(microseconds=1)


def allowance_factor(ratio: Decimal) -> Fraction:
    """1 + allowance_ratio as an exact fraction: working time = merged time × this."""
    return 1 + Fraction(ratio)


def _running_end(end: str, start: str) -> pl.Expr:
    """Per worker, in order of start, the latest end of the intervals before each one. Windows
    ordered by `order_by` cost far less than sorting the frame by worker and time."""
    return pl.col(end).cum_max().shift(1).over("worker_id", order_by=start)


def merge_intervals(intervals: pl.LazyFrame) -> pl.LazyFrame:
    """Per worker, overlapping or touching [start, end) intervals merged into one, so that no
    time is counted twice. In: worker_id, start, end. Out: worker_id, start, end."""
    prev_end = _running_end("end", "start")
    new_group = prev_end.is_null() | (pl.col("start") > prev_end)
    return (
        intervals.filter(pl.col("end") > pl.col("start"))  # an empty interval adds no time
        .with_columns(group=new_group.cum_sum().over("worker_id", order_by="start"))
        .group_by("worker_id", "group")
        .agg(pl.col("start").min(), pl.col("end").max())
        .drop("group")
    )


def split_days(merged: pl.LazyFrame) -> pl.LazyFrame:
    """Merged intervals cut at each midnight (an interval may span several days).
    Out: worker_id, date, seconds (Int64) per piece."""
    first, last = pl.col("start").dt.date(), (pl.col("end") - _US).dt.date()
    # Most intervals end on the day they start: only the others are exploded into days.
    same_day = merged.filter(first == last).select(
        "worker_id", date=first, seconds=(pl.col("end") - pl.col("start")).dt.total_seconds()
    )
    day_start = pl.col("date").cast(pl.Datetime("us"))
    piece_start = pl.max_horizontal("start", day_start)
    piece_end = pl.min_horizontal("end", day_start + pl.duration(days=1))
    crossing = (
        merged.filter(first != last)
        .with_columns(date=pl.date_ranges(first, last))
        .explode("date")
        .select("worker_id", "date", seconds=(piece_end - piece_start).dt.total_seconds())
    )
    return pl.concat([same_day, crossing])


def daily_seconds(merged: pl.LazyFrame) -> pl.LazyFrame:
    """Working seconds per worker and day (before the allowance) of merged intervals.
    In: worker_id, start, end (merged). Out: worker_id, date, seconds."""
    return split_days(merged).group_by("worker_id", "date").agg(pl.col("seconds").sum())


def stretches(orders: pl.LazyFrame, min_break_seconds: pl.Expr) -> pl.LazyFrame:
    """Continuous order stretches (连续接单时间, SPEC §3): runs of orders in which every gap
    (from the latest end so far to the next start) is shorter than the break; a gap equal to it
    is a break. A stretch lasts from its first start to its last end and belongs to the day it
    starts on.

    In: worker_id, order_id, accepted_at, completed_at, and the columns `min_break_seconds`
    reads (evaluated per order, on the order that follows the gap).
    Out: worker_id, date, start, end, seconds. The orders of a stretch are those of its
    worker accepted from its start to its end (`stretch_orders`)."""
    prev_end = _running_end("completed_at", "accepted_at")
    gap = (pl.col("accepted_at") - prev_end).dt.total_seconds()
    new_stretch = prev_end.is_null() | (gap >= min_break_seconds)
    return (
        orders.with_columns(stretch=new_stretch.cum_sum().over("worker_id", order_by="accepted_at"))
        .group_by("worker_id", "stretch")
        .agg(start=pl.col("accepted_at").min(), end=pl.col("completed_at").max())
        .select(
            "worker_id",
            date=pl.col("start").dt.date(),
            start="start",
            end="end",
            seconds=(pl.col("end") - pl.col("start")).dt.total_seconds(),
        )
    )


def stretch_orders(stretches: pl.LazyFrame, orders: pl.LazyFrame) -> pl.LazyFrame:
    """`stretches` (a few, e.g. findings) with `order_ids`: the worker's orders accepted from
    the stretch's start to its end, in order of acceptance. Every such order belongs to the
    stretch, as its gap to the stretch's running end is not positive."""
    # Keyed by (worker, start), unique per stretch, not by a row number: `stretches` is
    # evaluated twice here and a join upstream need not keep its row order.
    ids = (
        stretches.select("worker_id", "start", "end")
        .join(orders.select("worker_id", "order_id", "accepted_at"), on="worker_id")
        .filter(pl.col("accepted_at").is_between(pl.col("start"), pl.col("end")))
        .group_by("worker_id", "start")
        .agg(order_ids=pl.col("order_id").sort_by("accepted_at", "order_id"))
    )
    return stretches.join(ids, on=["worker_id", "start"], how="left", maintain_order="left")
