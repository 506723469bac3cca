"""What an audit hands to the reports: findings, per-worker figures, issues, parameters used."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

import polars as pl

from payaudit.config import FAILING, Settings
from payaudit.dataset import Dataset
from payaudit.engine.findings import BASELINE_SCHEMA, counted

# One row per worker seen in the data (independents included, in_scope false).
WORKER_SCHEMA: dict[str, pl.DataType] = {
    "worker_id": pl.String,
    "category": pl.String,
    "platform": pl.String,
    "district": pl.String,
    "area_class": pl.Int8,
    "in_scope": pl.Boolean,
    "days_worked": pl.Int64,
    "hours": pl.Float64,  # working time in the audited range
    "pay_fen": pl.Int64,  # Σ order pay
    "eligible_pay_fen": pl.Int64,  # Σ pay − Σ allowance − Σ cost
    "effective_hourly_cny": pl.Float64,  # eligible pay / hours
    "findings": pl.Int64,
    "shortfall_fen": pl.Int64,
}

# One row per worker and day worked: the figures the HTML charts draw.
DAILY_SCHEMA: dict[str, pl.DataType] = {
    "worker_id": pl.String,
    "date": pl.Date,
    "day_type": pl.String,
    "hours": pl.Float64,
    "longest_stretch_hours": pl.Float64,
    "pay_fen": pl.Int64,
    "min_wage_hourly": pl.Float64,
}

# The rule-pack values the audit used, each with its citation.
PARAMETER_SCHEMA: dict[str, pl.DataType] = {
    "name": pl.String,
    "value": pl.String,
    "unit": pl.String,
    "area_class": pl.Int8,
    "effective_from": pl.Date,
    "reference": pl.String,
    "verified": pl.Boolean,
}


@dataclass
class AuditResult:
    findings: pl.DataFrame  # findings.RESULT_SCHEMA, sorted by worker, period, rule
    workers: pl.DataFrame  # WORKER_SCHEMA
    daily: pl.DataFrame  # DAILY_SCHEMA
    parameters: pl.DataFrame  # PARAMETER_SCHEMA
    dataset: Dataset  # inputs with row counts, and data issues (loader's and the audit's)
    settings: Settings
    rule_pack: str  # name and version of the rule pack
    rules: list[str]  # codes of the rules that ran
    warnings: list[str] = field(default_factory=list)  # run-level, e.g. unknown bridging days
    manifest: dict = field(default_factory=dict)  # generated_at, jurisdiction, command line…
    # The baseline's findings this run no longer has (BASELINE_SCHEMA); empty without a baseline.
    resolved: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=BASELINE_SCHEMA))
    # The key of this run's --redact pseudonyms: every report of the run (statements too)
    # names a worker alike, and no other run can link them.
    pseudonym_key: bytes = field(
        default_factory=lambda: secrets.token_bytes(32), repr=False, compare=False
    )

    def exit_code(self, fail_on: str) -> int:
        """0 when no finding that counts (neither known to the baseline nor waived) and no data
        issue is at or above `fail_on` (error | warning | never), else 1: a rejected row is an
        error, so bad rows never pass silently."""
        failing = pl.col("severity").is_in(FAILING[fail_on])
        return int(
            self.findings.filter(counted(), failing).height
            + self.dataset.issues.filter(failing).height
            > 0
        )
