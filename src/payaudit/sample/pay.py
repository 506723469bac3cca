"""Order pay for a chunk of workers, the injected pay violations, and the exact truth rows.

Clean pay: ⌈order minutes × rate / 60⌉ + a bonus, rate ≥ 32 CNY per order-hour, cost at most a
tenth of the pay, so eligible pay per working hour is ≥ 28.8 CNY (merged time ≤ order time), above
every hourly minimum. Holiday orders of clean platform-managed workers are raised to at least
1.3 × their month's working-day rate (HP001 baseline); holiday work without a working day in the
month (no baseline) is dropped, so the audit has nothing to warn about. Violators (one rule each):
HP001 holiday orders cut to 75–92 % of the baseline rate; MW001 all orders of the month scaled so
that eligible pay is 72–92 % of the required minimum.

Money is integer fen; the truth applies the rules' exact rounding (half-up to the fen once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from payaudit.sample.blocks import CHAIN, FT001_DAY, FT002_DAY, Orders
from payaudit.sample.roster import CATEGORIES, VIOLATIONS

MW, HP = VIOLATIONS.index("MW001"), VIOLATIONS.index("HP001")
TRUTH_SCHEMA = {
    "rule": pl.String,
    "worker": pl.Int64,  # local worker number, replaced by worker_id when written
    "period_start": pl.Int64,  # day index (MW001: widened to the calendar month when written)
    "period_end": pl.Int64,
    "observed": pl.Float64,
    "unit": pl.String,
    "shortfall_fen": pl.Int64,
}


@dataclass
class Chunk:
    """A chunk of workers over the days: per-worker arrays (local numbering) and the calendar."""

    category: np.ndarray
    violation: np.ndarray
    rate: np.ndarray
    area: np.ndarray  # 0 for area class 1, 1 for class 2
    kind: np.ndarray  # per day: 0 working (incl. 补班), 1 rest, 2 statutory holiday
    month: np.ndarray  # per day: month index
    months: int
    min_fen: np.ndarray  # (2, days): hourly minimum wage in fen by area class and day

    @property
    def days(self) -> int:
        return len(self.kind)

    def cell_worker(self, cell: np.ndarray) -> np.ndarray:
        return cell // self.days

    def cell_month(self, cell: np.ndarray) -> np.ndarray:
        return cell // self.days * self.months + self.month[cell % self.days]

    def sums(self, keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
        return np.bincount(keys, values, minlength=size).astype(np.int64)


def base_pay(chunk: Chunk, orders: Orders, rng) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pay, cost, tip) in fen per order."""
    n = len(orders.cell)
    rate = chunk.rate[chunk.cell_worker(orders.cell)]
    pay = ((orders.end - orders.start) * rate + 59) // 60 + rng.integers(0, 151, n)
    cost = np.minimum(rng.integers(30, 101, n), pay // 10)
    tip = np.where(rng.random(n) < 0.06, rng.integers(100, 801, n), 0)
    return pay, cost, tip


def _baseline(chunk: Chunk, pay_by_cell: np.ndarray, merged: np.ndarray):
    """Working-day pay and minutes per worker-month (the HP001 baseline)."""
    cells = np.arange(len(merged))
    working = chunk.kind[cells % chunk.days] == 0
    size = len(merged) // chunk.days * chunk.months
    wm = chunk.cell_month(cells)
    return (
        chunk.sums(wm[working], pay_by_cell[working], size),
        chunk.sums(wm[working], merged[working], size),
    )


def holiday_pay(chunk: Chunk, orders: Orders, pay: np.ndarray, merged: np.ndarray, rng):
    """Holiday orders paid a premium (cut for HP001 violators); returns (pay, kept orders)."""
    cells = np.arange(len(merged))
    worker = chunk.cell_worker(cells)
    paid = chunk.sums(orders.cell, pay, len(merged))
    bpay, bmin = _baseline(chunk, paid, merged)
    wm = chunk.cell_month(cells)
    holiday = (chunk.category[worker] == 0) & (chunk.kind[cells % chunk.days] == 2) & (merged > 0)
    orphan = holiday & (bmin[wm] == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        to_baseline = bpay[wm] / bmin[wm] * merged / paid  # factor that brings the day to par
    violator = chunk.violation[worker] == HP
    factor = np.where(violator, rng.uniform(0.75, 0.92, len(cells)) * to_baseline,
                      np.maximum(1.0, 1.3 * to_baseline))  # fmt: skip
    factor = np.where(holiday & ~orphan, factor, 1.0)  # elsewhere to_baseline may be NaN
    scaled = pay * factor[orders.cell]
    rounded = np.where(violator[orders.cell], np.floor(scaled), np.ceil(scaled))
    return rounded.astype(np.int64), ~orphan[orders.cell]


def _required(chunk: Chunk, merged: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per worker-month: Σ minutes × minimum fen/h, and the required pay rounded half-up."""
    cells = np.arange(len(merged))
    fen = chunk.min_fen[chunk.area[chunk.cell_worker(cells)], cells % chunk.days]
    size = len(merged) // chunk.days * chunk.months
    num = chunk.sums(chunk.cell_month(cells), merged * fen, size)
    return num, (2 * num + 60) // 120


def minimum_wage_cut(chunk, orders, pay, cost, merged, rng) -> np.ndarray:
    """MW001 violators: each month's pay scaled so eligible pay is 72–92 % of required."""
    _, required = _required(chunk, merged)
    wm = chunk.cell_month(orders.cell)
    size = len(required)
    paid, costs = chunk.sums(wm, pay, size), chunk.sums(wm, cost, size)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = (rng.uniform(0.72, 0.92, size) * required + costs) / paid
    cut = chunk.violation[chunk.cell_worker(orders.cell)] == MW
    return np.where(cut, np.floor(pay * scale[wm]), pay).astype(np.int64)


def truth_rows(rule: str, worker, start, end, observed, unit: str, shortfall) -> pl.DataFrame:
    return pl.DataFrame(
        {"rule": rule, "worker": worker, "period_start": start, "period_end": end,
         "observed": np.round(observed, 2), "unit": unit, "shortfall_fen": shortfall},
        schema=TRUTH_SCHEMA,
    )  # fmt: skip


def truth(chunk, orders, blocks, last_end, pay, cost, merged) -> pl.DataFrame:
    """One row per violation present in the final data, with the rules' exact arithmetic."""
    cells = np.arange(len(merged))
    worker, day = chunk.cell_worker(cells), cells % chunk.days
    paid = chunk.sums(orders.cell, pay, len(merged))
    managed = chunk.category[worker] == 0
    # MW001 per worker-month.
    num, required = _required(chunk, merged)
    wm = chunk.cell_month(orders.cell)
    eligible = chunk.sums(wm, pay - cost, len(required))
    minutes = chunk.sums(chunk.cell_month(cells), merged, len(required))
    month_worker = np.arange(len(required)) // chunk.months
    mw = (chunk.violation[month_worker] == MW) & (minutes > 0)
    month = np.arange(len(required)) % chunk.months
    first = np.searchsorted(chunk.month, month[mw])
    last = np.searchsorted(chunk.month, month[mw], side="right") - 1
    parts = [
        truth_rows("MW001", month_worker[mw], first, last,
              eligible[mw] / 100 / (minutes[mw] / 60), "CNY/h", required[mw] - eligible[mw])
    ]  # fmt: skip
    # HP001 per statutory holiday worked.
    bpay, bmin = _baseline(chunk, paid, merged)
    cm = chunk.cell_month(cells)
    hp = (chunk.violation[worker] == HP) & (chunk.kind[day] == 2) & (merged > 0) & managed
    owed = bpay[cm[hp]] * merged[hp] - paid[hp] * bmin[cm[hp]]
    parts.append(
        truth_rows("HP001", worker[hp], day[hp], day[hp], paid[hp] / 100 / (merged[hp] / 60),
              "CNY/h", (2 * owed + bmin[cm[hp]]) // (2 * bmin[cm[hp]]))
    )  # fmt: skip
    # FT001: the first chain of an FT001 day (its stretch); FT002: the day's working time.
    first = (blocks.kind == CHAIN) & (blocks.mode == FT001_DAY) & (last_end > 0)
    in_scope = chunk.category[chunk.cell_worker(blocks.cell)] < 2
    ft1 = first & in_scope
    bw, bd = chunk.cell_worker(blocks.cell[ft1]), blocks.cell[ft1] % chunk.days
    parts.append(truth_rows("FT001", bw, bd, bd, (last_end[ft1] - blocks.start[ft1]) / 60, "h", 0))
    ft2_cells = np.unique(blocks.cell[(blocks.mode == FT002_DAY) & (last_end > 0)])
    ft2 = ft2_cells[managed[ft2_cells]]
    parts.append(truth_rows("FT002", worker[ft2], day[ft2], day[ft2], merged[ft2] / 60, "h", 0))
    return pl.concat(parts)


def category_names(codes: np.ndarray) -> np.ndarray:
    return np.array(CATEGORIES)[codes]
