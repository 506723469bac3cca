"""The finding model every rule family produces: one row per violation, as a Polars frame."""

from __future__ import annotations

import hashlib

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


# What a run adds to each finding: its stable id (first), where its first evidence row is in the
# input, and how a CI gate treats it: `baseline` "new" or "known" (in the baseline given),
# `waiver` the reason of the [[waive]] entry that accepts it, else null.
STATUS_SCHEMA: dict[str, pl.DataType] = {
    "path": pl.String,
    "row": pl.Int64,
    "baseline": pl.String,
    "waiver": pl.String,
}
RESULT_SCHEMA: dict[str, pl.DataType] = {"id": pl.String} | FINDING_SCHEMA | STATUS_SCHEMA
# A baseline: the findings of an earlier run by id, with what a reader needs to recognise them.
BASELINE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "worker_id": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
}
ID_LENGTH = 16  # hex digits: 64 bits, so 500k findings collide with odds of about 1 in 10^8


# What --redact's pseudonyms (report/redact.py) start with; an id is 16 hex digits, never this.
PSEUDONYM = "P-"


def finding_ids(findings: pl.DataFrame) -> pl.Series:
    """SHA-256 of rule, worker_id, period_start and period_end: the same finding has the same id
    in every run, drop and version (Polars' own hash() may change between versions). One
    hashlib call per finding: 500k findings take about a second."""
    keys = findings.select(
        pl.concat_str(
            "rule",
            "worker_id",
            pl.col("period_start", "period_end").cast(pl.String),
            separator="\x1f",
            ignore_nulls=True,
        )
    ).to_series()
    ids = [hashlib.sha256(key.encode()).hexdigest()[:ID_LENGTH] for key in keys]
    return pl.Series("id", ids, dtype=pl.String)


def with_status(
    findings: pl.DataFrame, locations: pl.DataFrame | None = None, ids: pl.Series | None = None
) -> pl.DataFrame:
    """Findings with their id (`ids`, when hashed already), their location (`locations`: path,
    row, one per finding in the same order; none known when not given) and the gate's
    default: new, not waived."""
    if locations is None:
        locations = pl.DataFrame(schema={"path": pl.String, "row": pl.Int64}).clear(findings.height)
    return (
        pl.concat([findings, locations.select("path", "row")], how="horizontal")
        .with_columns(
            finding_ids(findings) if ids is None else ids,
            baseline=pl.lit("new"),
            waiver=pl.lit(None, pl.String),
        )
        .select([pl.col(n).cast(t) for n, t in RESULT_SCHEMA.items()])
    )


def counted() -> pl.Expr:
    """The findings that count toward --fail-on: neither known to the baseline nor waived."""
    return (pl.col("baseline") == "new") & pl.col("waiver").is_null()
