"""Working days of a chunk of workers as blocks of orders, vectorised with numpy.

A day is made of blocks: breakfast, the lunch peak, the dinner peak, a late block. Within a block
orders follow each other: the next one is accepted while the last is still under way (stacked
orders) or after a short wait. Times are whole minutes, as Chinese exports show them.

The clean shape holds by construction: every block spans at most 2 h 45 min, blocks are at least
30 min apart (a break, ≥ 20 min), and a day's blocks span at most 7 h 30 min in all, so no clean
day can reach FT001's 4 h stretch or FT002's 8 h day. Injected days use chains instead: orders
accepted every 11–13 minutes and lasting 18–40, so each overlaps the next and the chain's working
time is its whole span (FT001: one chain of 22 orders, 4 h 09 min–5 h 13 min; FT002: three chains
of 15, each 2 h 52 min–3 h 42 min, at least 25 min apart: ≥ 8 h 36 min a day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from payaudit.sample.roster import VIOLATIONS

K = 28  # most orders in one block; a block whose draws run out just ends early
NORMAL, FT001_DAY, FT002_DAY = 0, 1, 2
PEAK, OFF_PEAK, CHAIN = 0, 1, 2
_STACK_P = (0.55, 0.2)  # chance that the next order is accepted before the last one ends
_CHAIN_STEP, _CHAIN_DUR = (11, 14), (18, 41)  # minutes, half-open ranges
FT001_ORDERS, FT002_ORDERS = 22, 15
_CHAIN_SPAN = {n: (n - 1) * (_CHAIN_STEP[1] - 1) + _CHAIN_DUR[1] - 1 for n in (22, 15)}
# Normal blocks: (first start, last start, shortest span, longest span) in minutes of the day.
_WINDOWS = {
    "morning": (420, 465, 45, 60),  # 07:00–08:45
    "lunch": (615, 675, 105, 165),  # 10:15–14:00
    "dinner": (1005, 1065, 105, 165),  # 16:45–20:30
    "late": (1260, 1290, 30, 60),  # 21:00–22:30
}
# Chance of each normal block on a worked day, per kind of worker.
_BLOCK_P = {
    "full": {"morning": 0.25, "lunch": 0.95, "dinner": 0.95, "late": 0.3},
    "part": {"morning": 0.0, "lunch": 0.3, "dinner": 0.85, "late": 0.2},
    "employee": {"morning": 0.0, "lunch": 1.0, "dinner": 1.0, "late": 0.0},
}
# Chance of working a day: rows full-time managed, part-time, employee, independent; columns
# working day, rest day, statutory holiday. Employees keep to their standard week.
_WORK_P = np.array([[0.88, 0.75, 0.6], [0.5, 0.5, 0.3], [0.97, 0.0, 0.0], [0.6, 0.6, 0.5]])
EMPLOYEE_SHIFTS = ((600, 840), (990, 1230))  # required 排班: 10:00–14:00 and 16:30–20:30


@dataclass
class Blocks:
    cell: np.ndarray  # worker (local) × days + day
    start: np.ndarray  # minute of the day
    cap: np.ndarray  # no order of the block ends after this minute
    kind: np.ndarray  # PEAK, OFF_PEAK or CHAIN
    size: np.ndarray  # most orders in the block
    mode: np.ndarray  # the day's mode (NORMAL, FT001_DAY, FT002_DAY)


@dataclass
class Orders:
    cell: np.ndarray
    start: np.ndarray  # minute of the day
    end: np.ndarray
    block: np.ndarray  # index into Blocks


def worked_days(
    kind: np.ndarray, category: np.ndarray, part: np.ndarray, violation: np.ndarray, rng
) -> tuple[np.ndarray, np.ndarray]:
    """(works, mode) as (workers, days) arrays; kind: 0 working, 1 rest, 2 statutory day."""
    row = np.where(category == 0, np.where(part, 1, 0), np.where(category == 1, 2, 3))
    p = _WORK_P[row][:, kind]
    # HP001 violators work every statutory holiday, so that the violation has a day to happen.
    p[(violation == VIOLATIONS.index("HP001"))[:, None] & (kind == 2)[None, :]] = 1.0
    works = rng.random(p.shape) < p
    mode = np.zeros(p.shape, dtype=np.int8)
    for code, day_mode in (("FT001", FT001_DAY), ("FT002", FT002_DAY)):
        chosen = _some_days(works, violation == VIOLATIONS.index(code), rng)
        mode[chosen] = day_mode
    # Independents (out of scope) sometimes work like violators; no finding may follow.
    messy = works & (category == 2)[:, None] & (rng.random(p.shape) < 0.1)
    mode[messy] = np.where(rng.random(p.shape) < 0.5, FT001_DAY, FT002_DAY)[messy]
    return works, mode


def _some_days(works: np.ndarray, rows: np.ndarray, rng) -> np.ndarray:
    """One to three worked days of each chosen worker, at random."""
    score = np.where(works, rng.random(works.shape), 2.0)
    rank = np.argsort(np.argsort(score, axis=1), axis=1)
    wanted = rng.integers(1, 4, size=(len(works), 1))
    return works & rows[:, None] & (rank < wanted)


def _normal(cells: np.ndarray, window: str, rng) -> tuple:
    first, last, short, long = _WINDOWS[window]
    start = rng.integers(first, last + 1, len(cells))
    span = rng.integers(short, long + 1, len(cells))
    kind = PEAK if window in ("lunch", "dinner") else OFF_PEAK
    return cells, start, start + span, np.full(len(cells), kind), np.full(len(cells), K)


def _chain(cells: np.ndarray, start: np.ndarray, size: int) -> tuple:
    n = len(cells)
    return cells, start, start + _CHAIN_SPAN[size], np.full(n, CHAIN), np.full(n, size)


def day_blocks(works, mode, category, part, rng) -> Blocks:
    """Every block of every worked day, sorted by cell and start."""
    days = works.shape[1]
    worker = np.repeat(np.where(category == 1, 2, np.where(part, 1, 0)), days)
    works, mode = works.ravel(), mode.ravel()
    parts = []
    for w, kind in enumerate(("full", "part", "employee")):
        for window, p in _BLOCK_P[kind].items():
            chosen = works & (mode == NORMAL) & (worker == w) & (rng.random(len(works)) < p)
            parts.append(_normal(np.flatnonzero(chosen), window, rng))
    ft1 = np.flatnonzero(works & (mode == FT001_DAY))
    parts.append(_chain(ft1, rng.integers(570, 631, len(ft1)), FT001_ORDERS))  # 09:30–10:30
    parts.append(_normal(ft1, "dinner", rng))
    ft2 = np.flatnonzero(works & (mode == FT002_DAY))
    start = rng.integers(420, 451, len(ft2))  # 07:00–07:30
    for _ in range(3):
        parts.append(_chain(ft2, start, FT002_ORDERS))
        start = start + _CHAIN_SPAN[FT002_ORDERS] + rng.integers(25, 41, len(ft2))
    cell, start, cap, kind, size = (np.concatenate(c) for c in zip(*parts, strict=True))
    order = np.lexsort((start, cell))
    return Blocks(cell[order], start[order], cap[order], kind[order], size[order],
                  mode[cell[order]])  # fmt: skip


def block_orders(blocks: Blocks, rng) -> Orders:
    """The orders of every block, in order of cell and start."""
    n = len(blocks.cell)
    chain = (blocks.kind == CHAIN)[:, None]
    duration = np.where(chain, rng.integers(*_CHAIN_DUR, (n, K)), rng.integers(15, 41, (n, K)))
    stack_p = np.array(_STACK_P + (1.0,))[blocks.kind][:, None]
    stacked = rng.random((n, K)) < stack_p
    waited = duration + rng.integers(0, 11, (n, K))  # idle minutes before the next order
    step = np.where(stacked, rng.integers(2, duration), waited)
    step = np.where(chain, rng.integers(*_CHAIN_STEP, (n, K)), step)
    start = blocks.start[:, None] + np.cumsum(step, axis=1) - step
    end = start + duration
    keep = (np.arange(K) < blocks.size[:, None]) & (end <= blocks.cap[:, None])
    row, _ = np.nonzero(keep)
    return Orders(blocks.cell[row], start[keep], end[keep], row)


def last_ends(orders: Orders, blocks: int) -> np.ndarray:
    """Each block's last order end (0 for a block without orders)."""
    last = np.zeros(blocks, dtype=np.int64)
    np.maximum.at(last, orders.block, orders.end)
    return last


def merged_minutes(orders: Orders, cells: int) -> np.ndarray:
    """Working minutes per cell: the orders' union, so stacked time counts once
    (docs/semantics.md)."""
    # Cells are ordered worker-major, so cell × 1440 + minute increases across workers and days.
    start = orders.cell * 1440 + orders.start
    end = orders.cell * 1440 + orders.end
    reach = np.concatenate(([-1], np.maximum.accumulate(end)[:-1]))
    counted = np.clip(end - np.maximum(start, reach), 0, None)
    return np.bincount(orders.cell, counted, minlength=cells).astype(np.int64)
