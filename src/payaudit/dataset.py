"""What loading and validation hand to the audit: clean canonical frames, per-file row counts
and the data issues of the rejected or doubtful rows.

Canonical frames have every column of their contract (null when the input lacks it), typed:
text/enum/district → String, time → Datetime("us") naive local time (Asia/Shanghai),
date → Date, money → Int64 fen, bool → Boolean, number → Float64; plus `_path` (the source
file) and `_row` (the row a spreadsheet shows, header = 1; else the 1-based record number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

ISSUE_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String,
    "severity": pl.String,
    "table": pl.String,
    "path": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "message": pl.String,
}


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


@dataclass
class InputFile:
    table: str
    path: str
    sha256: str
    rows_read: int
    rows_audited: int = 0
    rows_rejected: int = 0


@dataclass
class Dataset:
    frames: dict[str, pl.DataFrame]  # only the tables that were given
    inputs: list[InputFile] = field(default_factory=list)
    issues: pl.DataFrame = field(default_factory=empty_issues)

    def frame(self, table: str) -> pl.DataFrame | None:
        return self.frames.get(table)
