"""Parquet: one row per finding with real types, for scripts. Column names are the canonical
ones (as in JSON, `id` first); dates are Date; money is both `shortfall_cny` Decimal(12, 2),
exact, and `shortfall_fen` Int64; `rule_name` and `message` are in --lang; evidence is JSON
text."""

from __future__ import annotations

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
        frame.select(columns).write_parquet(out)
