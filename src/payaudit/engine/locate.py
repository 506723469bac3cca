"""Where each finding shows in the input: the file and row of its first evidence row, so that a
CI system can annotate the data file at the row to look at (SARIF, GitHub annotations).

The first evidence row is the first order the evidence names, else its payout, else the
worker's first order of the finding's first day, else the worker's roster row; the row is the
one a spreadsheet shows (header = row 1) as in data issues."""

from __future__ import annotations

import polars as pl

from payaudit.engine.context import AuditContext

_PLACE = ["_path", "_row"]


def _first_of(frame: pl.LazyFrame, keys: list[str], order: str) -> pl.LazyFrame:
    """One place per key: the row first by `order`."""
    return frame.group_by(keys).agg(pl.col(_PLACE).sort_by(order).first())


def _first_string(key: str, listed: bool = False) -> pl.Expr:
    """The evidence's string at `key` (`listed`: the first of its list), null without one.
    Evidence is a flat JSON object (numbers, strings, lists of strings), in which a quote
    inside a string is escaped, so the first `"key":` is the key itself: a pattern finds it
    several times faster than a JSON parser reading the whole object."""
    opening = f'"{key}":' + ("\\[" if listed else "")
    literal = pl.col("evidence").str.extract(opening + r'("(?:[^"\\]|\\.)*")')
    return literal.str.json_decode(pl.String)  # the string literal alone: escapes undone


def locations(findings: pl.DataFrame, ctx: AuditContext) -> pl.DataFrame:
    """path, row for each finding, in the findings' order (null when nothing places it)."""
    day = pl.coalesce(_first_string("date"), _first_string("dates", listed=True))
    keys = findings.lazy().select(
        "worker_id",
        order_id=_first_string("order_ids", listed=True),
        payout_id=_first_string("payout_id"),
        date=pl.coalesce(day.str.to_date(strict=False), "period_start"),
    )
    keys = keys.with_row_index("_i").collect().lazy()
    orders = ctx.orders.select("order_id", "worker_id", "date", "accepted_at", *_PLACE)
    by_order = _first_of(orders.join(keys, on="order_id", how="semi"), ["order_id"], "_row")
    by_payout = _first_of(
        ctx.payouts.select("payout_id", *_PLACE).join(keys, on="payout_id", how="semi"),
        ["payout_id"],
        "_row",
    )
    roster = ctx.workers.filter(pl.col("_row").is_not_null()).select("worker_id", *_PLACE)
    found = (
        keys.join(by_order, on="order_id", how="left", suffix="_order")
        .join(by_payout, on="payout_id", how="left", suffix="_payout")
        .collect()
        .lazy()
    )
    # Days are looked up only for the findings no order or payout places: often none.
    unplaced = found.filter(pl.col("_row").is_null() & pl.col("_row_payout").is_null())
    by_day = _first_of(
        orders.join(unplaced, on=["worker_id", "date"], how="semi"),
        ["worker_id", "date"],
        "accepted_at",
    )
    found = found.join(by_day, on=["worker_id", "date"], how="left", suffix="_day").join(
        roster, on="worker_id", how="left", suffix="_roster"
    )
    # The joins name the first place's columns plainly and suffix the later ones.
    tries = ["", "_payout", "_day", "_roster"]
    return (
        found.sort("_i")
        .select(
            path=pl.coalesce([f"_path{s}" for s in tries]),
            row=pl.coalesce([f"_row{s}" for s in tries]),
        )
        .collect()
    )
