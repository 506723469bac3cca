"""The finding model every rule family produces: one row per violation, as a Polars frame."""

from __future__ import annotations

import polars as pl

FINDING_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String,
    "severity": pl.String,  # error | warning
    "worker_id": pl.String,
    "category": pl.String,
    "platform": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,  # == period_start for a day finding
    "observed": pl.Float64,
    "threshold": pl.Float64,
    "unit": pl.String,
    "shortfall_fen": pl.Int64,  # exact money owed to the worker, integer fen; 0 if none
    "evidence": pl.String,  # a JSON object: dates, order ids, source rows
    "basis": pl.String,
    "message": pl.String,
}

SEVERITIES = ("error", "warning")
# The evidence last: two findings of a rule for one worker and day (two long stretches) come
# in the order of their times, the same in every run, whatever order the rule produced them in.
SORT_KEYS = ["worker_id", "period_start", "period_end", "rule", "evidence"]


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def conform(frame: pl.LazyFrame) -> pl.LazyFrame:
    """Select the finding columns in order, with their types."""
    return frame.select([pl.col(name).cast(dtype) for name, dtype in FINDING_SCHEMA.items()])
