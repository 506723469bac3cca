"""Realistic synthetic platform exports with known, labelled violations (`payaudit sample`).

`write_sample` writes orders, shifts, payouts, workers (the roster) and weather with canonical
headers, as CSV or Parquet, plus truth.csv: one row per injected violation. It streams: the
roster is built whole (one row per worker), then the days of a chunk of workers at a time are
generated with numpy and appended to the files, so memory depends on the chunk, not the total.

Design (see sample_blocks and sample_pay): clean workers are compliant with margin by
construction, so an auditor that is right finds exactly the labelled set of MW001, HP001, FT001
and FT002 findings. Deterministic for a seed (and the same package versions).
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from payaudit.calendar import calendar_frame
from payaudit.errors import ConfigError
from payaudit.rulepack import load_pack
from payaudit.sample.chunk import ORDER_MONEY, PAYOUT_MONEY, Calendar, generate
from payaudit.sample.roster import (
    CATEGORIES,
    DISTRICT_NAMES,
    DISTRICTS,
    RATES,
    build_roster,
    roster_frame,
)
from payaudit.sample.write import ChineseOrdersWriter, TableWriter, money_text

FORMATS = ("csv", "parquet")
TABLES = ("orders", "shifts", "payouts", "workers", "weather")
CELLS_PER_CHUNK = 30_000  # worker-days per chunk: about half a million orders
_DAY_KIND = {"working_day": 0, "adjusted_working_day": 0, "rest_day": 1, "statutory_holiday": 2}
# Chongqing's normal daily maximum by month (°C), kept below 35 °C: no heat rule is injected.
_NORMAL_MAX_C = (10, 13, 18, 23, 27, 30, 33, 33.5, 28, 22, 16, 11)


def _calendar(start: date, days: int) -> Calendar:
    end = start + timedelta(days=days - 1)
    frame = calendar_frame(start, end).with_columns(ym=pl.col("date").dt.year() * 12 +
                                                    pl.col("date").dt.month())  # fmt: skip
    ym = frame["ym"].to_numpy()
    month = ym - ym[0]
    months = month[-1] + 1
    pack = load_pack()
    day_list = frame["date"].to_list()
    # A loop over days and area classes, not over orders: the rule pack answers per day.
    minimum = [[pack.value("min_wage_hourly", d, c) for d in day_list] for c in (1, 2)]
    # The labels assume every labelled rule applies from the first day (the latest day one of
    # them comes into force for a category it applies to).
    since = [d for code in RATES for d in pack.rule_since(code, CATEGORIES).values()]
    if any(v is None for row in minimum for v in row) or start < max(since):
        raise ConfigError(
            f"The labelled rules do not all apply from {start}; start on {max(since)} or later."
        )
    area = [pack.area_class(name, start) or 1 for name in DISTRICT_NAMES]
    firsts = np.searchsorted(month, np.arange(months))
    month_days = (frame["date"].dt.month_end() - frame["date"].dt.month_start()).dt.total_days()
    return Calendar(
        start=start,
        kind=frame["day_type"].replace_strict(_DAY_KIND, return_dtype=pl.Int8).to_numpy(),
        month=month,
        month_first=firsts,
        month_last=np.searchsorted(month, np.arange(months), side="right") - 1,
        month_days=month_days.to_numpy()[firsts] + 1,
        min_fen=np.rint(np.array(minimum, dtype=float) * 100).astype(np.int64),
        area=np.array(area) - 1,
    )


def _weather(cal: Calendar, rng: np.random.Generator) -> pl.DataFrame:
    """Daily maximum per district: the month's normal, noise, cooler in the eastern counties."""
    day = np.tile(np.arange(cal.days), len(DISTRICTS))
    district = np.repeat(np.arange(len(DISTRICTS)), cal.days)
    dates = cal.dates(day)
    normal = np.array(_NORMAL_MAX_C)[dates.dt.month().to_numpy() - 1]
    temp = normal - 1.5 * cal.area[district] + rng.normal(0, 2.0, len(day))
    return pl.DataFrame(
        {
            "date": dates,
            "district": pl.Series(DISTRICT_NAMES).gather(district),
            "max_temp_c": np.round(np.minimum(temp, 34.5), 1),
        }
    )


def write_sample(
    out_dir: Path,
    workers: int,
    days: int,
    seed: int,
    start: date = date(2025, 1, 1),
    fmt: str = "csv",
    chinese: bool = False,
) -> dict:
    """Write a synthetic month (or any span) of exports and truth.csv into out_dir.

    chinese: also write chinese/订单.csv, the orders as a Chinese platform exports them.
    Returns a summary: files, rows per table, violations per rule, seconds taken.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"--format must be csv or parquet, not '{fmt}'.")
    if workers < 1 or days < 1:
        raise ConfigError("--workers and --days must be at least 1.")
    began = time.perf_counter()
    cal = _calendar(start, days)
    out_dir.mkdir(parents=True, exist_ok=True)
    roster = build_roster(workers, np.random.default_rng([seed, 0]))
    paths = {t: out_dir / f"{t}.{fmt}" for t in TABLES}
    for table, frame, money in (
        ("workers", roster_frame(roster, np.random.default_rng([seed, 1])), ("monthly_wage",)),
        ("weather", _weather(cal, np.random.default_rng([seed, 2])), ()),
    ):
        writer = TableWriter(paths[table], money)
        writer.write(frame)
        writer.close()
    writers = {
        "orders": TableWriter(paths["orders"], ORDER_MONEY),
        "shifts": TableWriter(paths["shifts"]),
        "payouts": TableWriter(paths["payouts"], PAYOUT_MONEY),
    }
    extra = ChineseOrdersWriter(out_dir / "chinese" / "订单.csv") if chinese else None
    truths = []
    per_chunk = max(1, CELLS_PER_CHUNK // days)
    try:
        for number, lo in enumerate(range(0, workers, per_chunk)):
            rng = np.random.default_rng([seed, 3, number])
            hi = min(workers, lo + per_chunk)
            part = generate(roster, lo, hi, cal, rng, writers["orders"].rows + 1)
            for table, writer in writers.items():
                writer.write(getattr(part, table))
            if extra:
                extra.write(part.orders)
            truths.append(part.truth)
    finally:
        for writer in [*writers.values(), *([extra] if extra else [])]:
            writer.close()
    truth = _truth(pl.concat(truths), roster, cal)
    truth.write_csv(out_dir / "truth.csv")
    return {
        "out_dir": str(out_dir),
        "format": fmt,
        "seed": seed,
        "start": str(start),
        "days": days,
        "files": {t: str(p) for t, p in paths.items()} | {"truth": str(out_dir / "truth.csv")},
        "rows": {t: w.rows for t, w in writers.items()} | {"workers": workers},
        "violations": dict(truth.group_by("rule").len().sort("rule").iter_rows()),
        "seconds": round(time.perf_counter() - began, 3),
    }


def whole_months(frame: pl.DataFrame) -> pl.DataFrame:
    """MW001 periods widened to their whole calendar month (how truth.csv labels them)."""
    monthly = pl.col("rule") == "MW001"
    return frame.with_columns(
        period_start=pl.when(monthly)
        .then(pl.col("period_start").dt.month_start())
        .otherwise("period_start"),
        period_end=pl.when(monthly)
        .then(pl.col("period_end").dt.month_end())
        .otherwise("period_end"),
    )


def _truth(rows: pl.DataFrame, roster, cal: Calendar) -> pl.DataFrame:
    """Truth rows as written: worker ids, categories and dates. MW001 is per calendar month,
    the whole month even where the data covers part of it, as the audit reports it."""
    worker = rows["worker"].to_numpy()
    return (
        rows.with_columns(
            worker_id=roster.ids.gather(worker),
            category=pl.Series(np.array(CATEGORIES)[roster.category[worker]]),
            period_start=cal.dates(rows["period_start"].to_numpy()),
            period_end=cal.dates(rows["period_end"].to_numpy()),
            shortfall_cny=money_text(pl.col("shortfall_fen")),
        )
        .pipe(whole_months)
        .select(
            "rule",
            "worker_id",
            "category",
            "period_start",
            "period_end",
            "observed",
            "unit",
            "shortfall_cny",
        )
        .sort("worker_id", "period_start", "rule")
    )
