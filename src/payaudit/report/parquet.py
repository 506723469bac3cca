"""Parquet: one row per finding with real types, for scripts. Column names are the canonical
ones (as in JSON, `id` first); dates are Date; money is both `shortfall_cny` Decimal(12, 2),
exact, and `shortfall_fen` Int64; `rule_name` and `message` are in --lang; evidence is JSON
text.

The file's key-value metadata carries what the JSON report states beside the findings, each as a
JSON text: `payaudit.manifest` (audited range, rule pack, inputs, parameters, command line) and
`payaudit.data_issues` (every data issue), so that a Parquet report stands on its own."""

from __future__ import annotations

import json
from typing import BinaryIO

import polars as pl

from payaudit.engine.findings import RESULT_SCHEMA

from .base import Format, register
from .model import Report, cny_text


@register
class ParquetFormat(Format):
    name = "parquet"
    suffix = ".parquet"
    binary = True

    def write(self, report: Report, out: BinaryIO) -> None:
        columns = list(RESULT_SCHEMA)
        columns.insert(columns.index("shortfall_fen"), "shortfall_cny")
        columns.insert(columns.index("rule") + 1, "rule_name")
        frame = report.findings.with_columns(
            cny_text("shortfall_fen").cast(pl.Decimal(12, 2)).alias("shortfall_cny")
        )
        manifest = dict(report.manifest)
        if report.period and "period_from" not in manifest:
            manifest |= {"period_from": report.period[0], "period_to": report.period[1]}
        metadata = {
            "payaudit.manifest": json.dumps(manifest, ensure_ascii=False, default=str),
            "payaudit.data_issues": json.dumps(
                report.issues.to_dicts(), ensure_ascii=False, default=str
            ),
        }
        frame.select(columns).write_parquet(out, metadata=metadata)
