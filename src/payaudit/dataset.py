"""What loading and validation hand to the audit: clean canonical frames, per-file row counts
and the data issues of the rejected or doubtful rows.

Canonical frames have every column of their contract (null when the input lacks it), typed:
text/enum/district → String, time → Datetime("us") naive local time (Asia/Shanghai),
date → Date, money → Int64 fen, bool → Boolean, number → Float64; plus `_path` (the source
file) and `_row` (the row a spreadsheet shows, header = 1; else the 1-based record number).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

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


# What a report shows of each input file (InputFile.as_dict), in this order.
INPUT_SCHEMA: dict[str, pl.DataType] = {
    "table": pl.String,
    "path": pl.String,
    "sha256": pl.String,
    "rows_read": pl.Int64,
    "rows_audited": pl.Int64,
    "rows_rejected": pl.Int64,
}


def empty_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=ISSUE_SCHEMA)


class Digest(Protocol):
    """A hash that may still be under way (io.text.hashing): reading it finishes it."""

    def hexdigest(self) -> str: ...


@dataclass(eq=False)  # equal when they report the same (a digest's hashing is no value)
class InputFile:
    table: str
    path: str
    digest: str | Digest  # the file's sha256 (hex), or its hashing, read when reported
    rows_read: int
    rows_audited: int = 0
    rows_rejected: int = 0

    @property
    def sha256(self) -> str:
        return self.digest if isinstance(self.digest, str) else self.digest.hexdigest()

    def as_dict(self) -> dict:
        """As reports and a part's payload show it (INPUT_SCHEMA): the digest as sha256."""
        return {k: getattr(self, k) for k in INPUT_SCHEMA}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InputFile) and self.as_dict() == other.as_dict()

    @classmethod
    def from_dict(cls, d: dict) -> InputFile:
        counts = (d["rows_read"], d["rows_audited"], d["rows_rejected"])
        return cls(d["table"], d["path"], d["sha256"], *counts)


@dataclass
class Dataset:
    frames: dict[str, pl.DataFrame]  # only the tables that were given
    inputs: list[InputFile] = field(default_factory=list)
    issues: pl.DataFrame = field(default_factory=empty_issues)

    def frame(self, table: str) -> pl.DataFrame | None:
        return self.frames.get(table)
