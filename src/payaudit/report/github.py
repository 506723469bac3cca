"""GitHub Actions workflow commands, as ruff's `--output-format github` writes them: one line
per finding and per data issue, which the Actions UI shows as an annotation on the data file's
row. A finding that counts is an ::error or ::warning as its severity; a known or waived one a
::notice saying so, so that the run shows what is accepted without failing on it."""

from __future__ import annotations

from typing import BinaryIO

import polars as pl

from payaudit.engine.findings import counted

from .base import Format, register
from .model import Report
from .sarif import shown_path


def _escape(text: pl.Expr, prop: bool = False) -> pl.Expr:
    """The workflow-command escaping: % CR LF always, and : , in a property's value."""
    text = text.str.replace_all("%", "%25", literal=True)
    text = text.str.replace_all("\r", "%0D", literal=True).str.replace_all(
        "\n", "%0A", literal=True
    )
    if prop:
        text = text.str.replace_all(":", "%3A", literal=True).str.replace_all(
            ",", "%2C", literal=True
        )
    return text


def _commands(
    frame: pl.DataFrame, kind: pl.Expr, title: pl.Expr, uris: dict[str, str]
) -> pl.Series:
    where = pl.concat_str(
        pl.lit("file="),
        _escape(pl.col("path").replace_strict(uris, default=None, return_dtype=pl.String), True),
        pl.lit(",line="),
        pl.col("row").cast(pl.String),
        pl.lit(","),
    ).fill_null("")  # a run-level issue: no file
    return frame.select(
        pl.concat_str(
            pl.lit("::"),
            kind,
            pl.lit(" "),
            where,
            pl.lit("title="),
            _escape(title, True),
            pl.lit("::"),
            _escape(pl.col("message").fill_null("")),
        )
    ).to_series()


@register
class GithubFormat(Format):
    name = "github"
    suffix = ".github.txt"

    def write(self, report: Report, out: BinaryIO) -> None:
        paths = set(report.findings["path"].drop_nulls()) | set(report.issues["path"].drop_nulls())
        uris = {p: shown_path(p) for p in paths}
        status = pl.when(pl.col("waiver").is_not_null()).then(
            pl.lit(" waived: ") + pl.col("waiver")
        )
        status = status.when(pl.col("baseline") == "known").then(pl.lit(" known"))
        findings = _commands(
            report.findings,
            pl.when(counted()).then(pl.col("severity")).otherwise(pl.lit("notice")),
            pl.concat_str(pl.col("rule"), pl.lit(" "), pl.col("id"), status.otherwise(pl.lit(""))),
            uris,
        )
        issues = _commands(report.issues, pl.col("severity"), pl.col("code"), uris)
        for lines in (findings, issues):
            if len(lines):
                out.write((lines.str.join("\n").item() + "\n").encode())
