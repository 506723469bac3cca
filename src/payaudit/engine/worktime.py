"""Working time (docs/semantics.md; 人社厅发〔2023〕50号 第4–5条) as lazy-frame functions.

Every function takes and returns lazy frames and works on whole frames (one sort and linear
scans for runs of intervals, see _ordered and _runs): no Python loop over rows or workers.
Times are naive local datetimes; durations are whole seconds (Int64), so that money computed
from them stays exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import polars as pl

from payaudit.money import div_half_up

_US = pl.duration(microseconds=1)
_ONE_US = timedelta(microseconds=1)
_DT = pl.Datetime("us")
_KEY_BITS = 62  # worker code × span + microseconds must stay below 2**_KEY_BITS


def allowance_factor(ratio: Decimal) -> Fraction:
    """1 + allowance_ratio as an exact fraction: working time = merged time × this."""
    return 1 + Fraction(ratio)


def _ordered(frame: pl.LazyFrame) -> tuple[pl.LazyFrame, datetime, int, bool]:
    """`frame` (worker_id, start, end, and columns that ride along) collected once in order of
    worker then start, as integer keys on one scale: `_s`, `_e` microseconds since the first
    start `t0` plus, when `fits`, the worker's code × `span`, so one sort of a single integer
    key orders by worker and time (a third of the cost of a sort by both, or of windows over
    workers) and a running maximum of `_e` cannot pass from one worker to the next. When
    codes × span would not fit in 62 bits, the sort is by (code, start). The worker is kept as
    a categorical `_w` (4 bytes a row, not a string): this frame is the largest of the audit."""
    frame = frame.with_columns(_w=pl.col("worker_id").cast(pl.Categorical)).collect()
    codes = pl.col("_w").to_physical()
    t0, t1, top = frame.select(pl.col("start").min(), pl.col("end").max(), codes.max()).row(0)
    if t0 is None:  # no rows
        t0, t1, top = datetime(1970, 1, 1), datetime(1970, 1, 1), 0
    span = (t1 - t0) // _ONE_US + 1
    fits = (top + 1) * span < 2**_KEY_BITS
    offset = codes.cast(pl.Int64) * span if fits else pl.lit(0, pl.Int64)
    keys = frame.lazy().select(
        pl.exclude("worker_id", "start", "end"),
        _s=offset + (pl.col("start") - t0).dt.total_microseconds(),
        _e=offset + (pl.col("end") - t0).dt.total_microseconds(),
    )
    ordered = keys.sort("_s") if fits else keys.sort(codes, "_s")
    return ordered.collect().lazy(), t0, span, fits


def _runs(
    ordered: pl.LazyFrame, t0: datetime, span: int, fits: bool, new_run, positions: bool = False
) -> pl.LazyFrame:
    """Rows of `_ordered` (or a filter of them: their order stays) cut into runs: a run starts
    at a worker's first row and wherever `new_run(start_key, reach)` holds, with `reach` the
    latest end of the worker's rows before it (keys in microseconds on one scale). Out: one row
    per run: worker_id, start (its first start), end (the latest end of its rows); with
    `positions`, `_first` and `_count`: where its rows are among those given."""
    code = pl.col("_w").to_physical()
    offset = code.cast(pl.Int64) * span if fits else pl.lit(0, pl.Int64)
    reach = pl.col("_e").cum_max() if fits else pl.col("_e").cum_max().over("_w")
    first = (code != code.shift(1)).fill_null(True)
    marked = ordered.with_columns(_reach=reach).with_columns(
        _new=first | new_run(pl.col("_s"), pl.col("_reach").shift(1))
    )
    last = pl.col("_new").shift(-1).fill_null(True)
    moment = lambda key: pl.lit(t0) + (key - offset) * _US  # noqa: E731
    starts = marked.filter("_new").select(
        worker_id=pl.col("_w").cast(pl.String), start=moment(pl.col("_s"))
    )
    ends = marked.filter(last).select(end=moment(pl.col("_reach")))
    if not positions:
        return pl.concat([starts, ends], how="horizontal")
    at = marked.select(_first=pl.col("_new").arg_true(), _last=last.arg_true())
    count = pl.col("_last") - pl.col("_first") + 1
    return pl.concat([starts, ends, at], how="horizontal").select(pl.exclude("_last"), _count=count)


def _merge(begin: pl.Expr, reach: pl.Expr) -> pl.Expr:
    """An interval starting after all before it end starts a new merged interval."""
    return begin > reach


def _stretch(begin: pl.Expr, reach: pl.Expr) -> pl.Expr:
    """A gap of at least the break ends a stretch; without a break length in force (before
    the standard), any gap does."""
    return (begin - reach >= pl.col("_break")).fill_null(begin > reach)


def _nonempty(ordered: pl.LazyFrame) -> pl.LazyFrame:
    return ordered.filter(pl.col("_e") > pl.col("_s"))  # an empty interval adds no time


def merge_intervals(intervals: pl.LazyFrame) -> pl.LazyFrame:
    """Per worker, overlapping or touching [start, end) intervals merged into one, so that no
    time is counted twice. In: worker_id, start, end. Out: worker_id, start, end."""
    ordered, t0, span, fits = _ordered(intervals.select("worker_id", "start", "end"))
    return _runs(_nonempty(ordered), t0, span, fits, _merge)


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


def split_money(
    orders: pl.LazyFrame, money: tuple[str, ...], whole: tuple[str, ...] = ()
) -> pl.LazyFrame:
    """Each order's money columns (integer fen) on the days its time falls on: an order
    crossing midnight gives each later day its share of the order's time, in fen rounded
    half-up, and the day it was accepted the rest, so the shares add up to the amount
    (23:00–01:00 paid 20.00: 10.00 and 10.00). In: worker_id, date (the accepted day),
    accepted_at, completed_at, `money` and `whole`. Out: worker_id, date, `money`, `whole`
    (not split: all on the accepted day, 0 on later days) and accepted (1 on the day the order
    was accepted, else 0), one row per order and day."""
    last = (pl.col("completed_at") - _US).dt.date()
    crossing = last > pl.col("date")  # an empty order ends on the day it starts
    same_day = orders.filter(~crossing).select(
        "worker_id", "date", *money, *whole, accepted=pl.lit(1, pl.Int32)
    )
    day_start = pl.col("date").cast(_DT)
    piece = pl.min_horizontal("completed_at", day_start + pl.duration(days=1))
    piece = (piece - pl.max_horizontal("accepted_at", day_start)).dt.total_milliseconds()
    total = (pl.col("completed_at") - pl.col("accepted_at")).dt.total_milliseconds()
    first = pl.col("date") == pl.col("_first")
    shares = {}
    for m in money:
        later = pl.when(first).then(0).otherwise(div_half_up(pl.col(m) * piece, total))
        shares[m] = pl.when(first).then(pl.col(m) - later.sum().over("_order")).otherwise(later)
    pieces = (
        orders.filter(crossing)
        .select(
            "worker_id",
            "accepted_at",
            "completed_at",
            *money,
            *whole,
            _first="date",
            date=pl.date_ranges("date", last),
            _order=pl.int_range(pl.len()),
        )
        .explode("date")
        .select(
            "worker_id",
            "date",
            accepted=first.cast(pl.Int32),
            **shares,
            **{w: pl.when(first).then(w).otherwise(0) for w in whole},
        )
    )
    return pl.concat([same_day, pieces], how="diagonal")


def daily_seconds(merged: pl.LazyFrame) -> pl.LazyFrame:
    """Working seconds per worker and day (before the allowance) of merged intervals.
    In: worker_id, start, end (merged). Out: worker_id, date, seconds."""
    return split_days(merged).group_by("worker_id", "date").agg(pl.col("seconds").sum())


def stretches(
    orders: pl.LazyFrame, min_break_seconds: pl.Expr
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Continuous order stretches (连续接单时间): runs of orders in which every gap
    (from the latest end so far to the next start) is shorter than the break; a gap equal to it
    is a break. A stretch lasts from its first start to its last end and belongs to the day it
    starts on.

    In: worker_id, accepted_at, completed_at, and the columns `min_break_seconds` reads
    (evaluated per order, on the order that follows the gap).
    Out: (stretches: worker_id, date, start, end, seconds, _first, _count; members: `_i`, the
    orders' row numbers in stretch order, see merged_and_stretches). The orders of a stretch
    are those of its worker accepted from its start to its end (`stretch_orders`)."""
    empty = pl.LazyFrame(schema={"worker_id": pl.String, "start": _DT, "end": _DT})
    numbered = orders.with_row_index("_i")
    return merged_and_stretches(numbered, empty, min_break_seconds)[1:]


def merged_and_stretches(
    orders: pl.LazyFrame, intervals: pl.LazyFrame, min_break_seconds: pl.Expr
) -> tuple[pl.LazyFrame, pl.LazyFrame, pl.LazyFrame]:
    """`merge_intervals` of the orders with `intervals` (worker_id, start, end: e.g. online
    time) and `stretches` of the orders, from one sort of both: the orders' rows of it are
    still in order. The orders carry `_i` (UInt32), their row number in the table that
    `stretch_orders` later reads; `members` is `_i` of every order in the order of the
    stretches, each stretch's rows `_count` from `_first`, so that the orders of a few
    stretches are read by position rather than looked up among all orders."""
    rows = pl.concat(
        [
            orders.select(
                "worker_id",
                start="accepted_at",
                end="completed_at",
                _break=(min_break_seconds * 1_000_000).cast(pl.Int64),
                _order=pl.lit(True),
                _i=pl.col("_i").cast(pl.UInt32),
            ),
            intervals.select(
                "worker_id",
                "start",
                "end",
                _break=pl.lit(None, pl.Int64),
                _order=pl.lit(False),
                _i=pl.lit(0, pl.UInt32),  # never read: not an order
            ),
        ]
    )
    ordered, t0, span, fits = _ordered(rows)
    merged = _runs(_nonempty(ordered), t0, span, fits, _merge)
    in_order = ordered.filter("_order")
    runs = _runs(in_order, t0, span, fits, _stretch, positions=True)
    found = runs.select(
        "worker_id",
        date=pl.col("start").dt.date(),
        start="start",
        end="end",
        seconds=(pl.col("end") - pl.col("start")).dt.total_seconds(),
        _first="_first",
        _count="_count",
    )
    return merged, found, in_order.select("_i")


def stretch_orders(
    stretches: pl.LazyFrame, members: pl.Series, orders: pl.DataFrame
) -> pl.LazyFrame:
    """`stretches` (a few, e.g. findings, with `_first` and `_count`) with `order_ids`: the
    ids of their orders in order of acceptance, read by position from `members` and the
    `orders` table they number (see merged_and_stretches): no join with every order."""
    at = pl.int_ranges("_first", pl.col("_first") + pl.col("_count"), dtype=pl.UInt32)
    rows = stretches.select("_first", _at=at).explode("_at")
    row = pl.lit(members).gather("_at")
    ids = (
        rows.select(
            "_first",
            order_id=pl.lit(orders.get_column("order_id")).gather(row),
            accepted_at=pl.lit(orders.get_column("accepted_at")).gather(row),
        )
        .group_by("_first")
        .agg(order_ids=pl.col("order_id").sort_by("accepted_at", "order_id"))
    )
    return stretches.join(ids, on="_first", how="left", maintain_order="left")
