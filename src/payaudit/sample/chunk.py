"""One chunk of workers: their days, orders, shifts, payouts and truth rows as canonical frames.

Everything is vectorised over the chunk with numpy; the caller loops over chunks only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from payaudit.sample.blocks import (
    EMPLOYEE_SHIFTS,
    Orders,
    block_orders,
    day_blocks,
    last_ends,
    merged_minutes,
    worked_days,
)
from payaudit.sample.pay import (
    Chunk,
    base_pay,
    holiday_pay,
    minimum_wage_cut,
    truth,
    truth_rows,
)
from payaudit.sample.roster import DISTRICT_NAMES, DISTRICT_P, DISTRICTS, PLATFORMS, Roster

_US_PER_MIN, _US_PER_DAY = 60_000_000, 86_400_000_000
_DEPOSIT_FEN = 30_000  # a 300 CNY deposit (押金), PY004


@dataclass
class Calendar:
    start: date
    kind: np.ndarray  # per day: 0 working (incl. 补班), 1 rest, 2 statutory holiday
    month: np.ndarray  # per day: month index from 0
    month_first: np.ndarray  # per month: first day index in range
    month_last: np.ndarray
    month_days: np.ndarray  # per month: days in the calendar month
    min_fen: np.ndarray  # (2, days)
    area: np.ndarray  # per DISTRICTS entry: 0 for area class 1, 1 for class 2
    epoch_day: int = field(init=False)

    def __post_init__(self) -> None:
        self.epoch_day = (self.start - date(1970, 1, 1)).days

    @property
    def days(self) -> int:
        return len(self.kind)

    def times(self, day: np.ndarray, minute: np.ndarray) -> pl.Series:
        """Naive local times from day indexes (may run past the range) and minutes of the day."""
        us = (self.epoch_day + day) * _US_PER_DAY + minute * _US_PER_MIN
        return pl.Series(us).cast(pl.Datetime("us"))

    def dates(self, day: np.ndarray) -> pl.Series:
        return pl.Series(self.epoch_day + day, dtype=pl.Int32).cast(pl.Date)


@dataclass
class ChunkFrames:
    orders: pl.DataFrame
    shifts: pl.DataFrame
    payouts: pl.DataFrame
    truth: pl.DataFrame  # sample_pay.TRUTH_SCHEMA with global worker numbers


def _take(orders: Orders, keep: np.ndarray) -> Orders:
    return Orders(orders.cell[keep], orders.start[keep], orders.end[keep], orders.block[keep])


def generate(roster: Roster, lo: int, hi: int, cal: Calendar, rng, first_order: int):
    """The chunk of workers lo … hi − 1."""
    part = roster.part_time[lo:hi]
    chunk = Chunk(
        category=roster.category[lo:hi],
        violation=roster.violation[lo:hi],
        rate=roster.rate[lo:hi],
        area=cal.area[roster.district[lo:hi]],
        kind=cal.kind,
        month=cal.month,
        months=len(cal.month_first),
        min_fen=cal.min_fen,
    )
    cells = (hi - lo) * cal.days
    works, mode = worked_days(cal.kind, chunk.category, part, chunk.violation, rng)
    blocks = day_blocks(works, mode, chunk.category, part, rng)
    orders = block_orders(blocks, rng)
    pay, cost, tip = base_pay(chunk, orders, rng)
    pay, kept = holiday_pay(chunk, orders, pay, merged_minutes(orders, cells), rng)
    orders, pay, cost, tip = _take(orders, kept), pay[kept], cost[kept], tip[kept]
    cost = np.minimum(cost, pay // 10)  # cuts above may not leave a cost above a tenth of pay
    merged = merged_minutes(orders, cells)
    pay = minimum_wage_cut(chunk, orders, pay, cost, merged, rng)
    found = truth(chunk, orders, blocks, last_ends(orders, len(blocks.cell)), pay, cost, merged)
    shifts = _shifts(roster, lo, cal, blocks, works, chunk.category, rng)
    payouts, pay_truth = _payouts(roster, lo, hi, cal, chunk, works, orders, pay, tip, rng)
    return ChunkFrames(
        orders=_orders(roster, lo, cal, orders, pay, cost, tip, first_order, rng),
        shifts=shifts,
        payouts=payouts,
        truth=pl.concat([found.with_columns(pl.col("worker") + lo), pay_truth]),
    )


def _orders(roster, lo, cal, orders, pay, cost, tip, first_order, rng) -> pl.DataFrame:
    n = len(orders.cell)
    worker = lo + orders.cell // cal.days
    # Most orders are in the worker's own district; some cross into another.
    elsewhere = rng.choice(len(DISTRICTS), size=n, p=DISTRICT_P)
    district = np.where(rng.random(n) < 0.92, roster.district[worker], elsewhere)
    ids = pl.Series(np.arange(first_order, first_order + n)).cast(pl.String).str.zfill(10)
    return pl.DataFrame(
        {
            "order_id": "O" + ids,
            "worker_id": roster.ids.gather(worker),
            "accepted_at": cal.times(orders.cell % cal.days, orders.start),
            "completed_at": cal.times(orders.cell % cal.days, orders.end),
            "pay": pay,
            "platform": pl.Series(PLATFORMS).gather(roster.platform[worker]),
            "district": pl.Series(DISTRICT_NAMES).gather(district),
            "tip": tip,
            "cost": cost,
        }
    )


def _shifts(roster, lo, cal, blocks, works, category, rng) -> pl.DataFrame:
    """Online sessions around each block of platform workers; required 排班 of employees."""
    online = category[blocks.cell // cal.days] != 1
    cell = blocks.cell[online]
    start = blocks.start[online] - rng.integers(0, 11, len(cell))
    end = blocks.cap[online] + rng.integers(0, 11, len(cell))
    on_duty = np.flatnonzero((works & (category == 1)[:, None]).ravel())
    req_cell = np.repeat(on_duty, len(EMPLOYEE_SHIFTS))
    req_start, req_end = (np.tile([s[i] for s in EMPLOYEE_SHIFTS], len(on_duty)) for i in (0, 1))
    cell = np.concatenate((cell, req_cell))
    kind = np.repeat(["online", "required"], (len(cell) - len(req_cell), len(req_cell)))
    order = np.lexsort((np.concatenate((start, req_start)), cell))
    worker = lo + cell // cal.days
    frame = pl.DataFrame(
        {
            "worker_id": roster.ids.gather(worker),
            "start": cal.times(cell % cal.days, np.concatenate((start, req_start))),
            "end": cal.times(cell % cal.days, np.concatenate((end, req_end))),
            "kind": kind,
            "platform": pl.Series(PLATFORMS).gather(roster.platform[worker]),
        }
    )
    return frame[order]


def _payouts(roster, lo, hi, cal, chunk, works, orders, pay, tip, rng):
    """One payout per worker and month worked: order pay and tips (plus wage for employees);
    and the truth rows of the deposits (PY004) and late payouts (PY001) injected."""
    months = len(cal.month_first)
    size = (hi - lo) * months
    wm = chunk.cell_month(orders.cell)
    paid, tips = chunk.sums(wm, pay, size), chunk.sums(wm, tip, size)
    cells = np.arange(works.size)
    days_worked = chunk.sums(chunk.cell_month(cells), works.ravel(), size)
    worker = lo + np.arange(size) // months
    month = np.arange(size) % months
    employee = roster.category[worker] == 1
    has = (chunk.sums(wm, np.ones_like(pay), size) > 0) | (employee & (days_worked > 0))
    # Employees: the agreed wage pro rata to the month's days in range, plus order commission.
    in_range = cal.month_last - cal.month_first + 1
    month_days = cal.month_days[month]
    wage = (roster.monthly_wage[worker] * in_range[month] + month_days // 2) // month_days
    gross = wage + paid + tips
    social = (wage * 105 + 500) // 1000
    allowance = 500_000 * in_range[month] // month_days
    tax = np.where(employee, np.maximum(0, (gross - social - allowance) * 3 // 100), 0)
    # The first payout of a deposit worker withholds a deposit; of a late worker, comes late.
    first = np.zeros(size, dtype=bool)
    owners = has.reshape(-1, months)
    first_month = np.argmax(owners, axis=1)
    first[(np.arange(hi - lo) * months + first_month)[owners.any(axis=1)]] = True
    deposit = np.where(first & roster.deposit[worker], _DEPOSIT_FEN, 0)
    late = first & roster.late[worker]
    end = cal.month_last[month]
    paid_minute = 600 + rng.integers(0, 481, size)
    sel = np.flatnonzero(has)
    paid_at = cal.times(end[sel] + np.where(late[sel], 25, 5), paid_minute[sel])
    worker_ids = roster.ids.gather(worker[sel])
    yyyymm = cal.dates(cal.month_first[month[sel]]).dt.strftime("%Y%m")
    dep, lat = np.flatnonzero(has & (deposit > 0)), np.flatnonzero(has & late)
    found = pl.concat(
        [
            truth_rows("PY004", worker[dep], cal.month_first[month[dep]], end[dep],
                       deposit[dep] / 100, "CNY", deposit[dep]),
            truth_rows("PY001", worker[lat], cal.month_first[month[lat]], end[lat],
                       np.full(len(lat), 15.0), "days", 0),
        ]
    )  # fmt: skip
    frame = pl.DataFrame(
        {
            "payout_id": "P-" + worker_ids + "-" + yyyymm,
            "worker_id": worker_ids,
            "period_start": cal.dates(cal.month_first[month[sel]]),
            "period_end": cal.dates(end[sel]),
            "gross": gross[sel],
            "net": (gross - social - tax - deposit)[sel],
            "paid_at": paid_at,
            "due_date": cal.dates(end[sel] + 10),
            "overtime_pay": np.zeros(len(sel), dtype=np.int64),
            "allowances": np.zeros(len(sel), dtype=np.int64),
            "deposit": deposit[sel],
            "social_insurance": social[sel],
            "tax": tax[sel],
        }
    )
    return frame, found


PAYOUT_MONEY = ("gross", "net", "overtime_pay", "allowances", "deposit", "social_insurance", "tax")
ORDER_MONEY = ("pay", "tip", "cost")
