"""SARIF 2.1.0, the format code-scanning systems read (GitHub code scanning, GitLab, Azure
DevOps): every rule and data-issue code with its help text and legal basis, one result per
finding and per data issue, located at the input file and the row its first evidence row is on
(a spreadsheet's row number, which is the line of a CSV file), so that the data file is annotated
where the problem arose. A finding's id is its fingerprint; its baseline status is SARIF's
`baselineState` (known → unchanged); a waived finding carries an external suppression with the
waiver's reason. Results are encoded column-wise, like the JSON report's findings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from payaudit import __version__
from payaudit.rules import all_rules
from payaudit.schema import ISSUES

from .base import Format, register
from .model import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT = "payauditFindingId/v1"
CHUNK = 50_000


def shown_path(path: str) -> str:
    """A path relative to here (the repository a CI job runs in), with forward slashes; a path
    outside stays absolute."""
    absolute = Path(path).resolve()
    relative = os.path.relpath(absolute)
    return (absolute if relative.startswith("..") else Path(relative)).as_posix()


def artifact_uri(path: str) -> str:
    """A path as SARIF wants it: relative, else an absolute file URI."""
    shown = shown_path(path)
    return Path(shown).resolve().as_uri() if Path(shown).is_absolute() else shown


def _rules(lang: str) -> list[dict[str, Any]]:
    """Each rule's metadata, then each data-issue code's."""
    rules = []
    for code, rule in sorted(all_rules().items()):
        doc = rule.doc()
        rules.append(
            {
                "id": code,
                "name": rule.name["en"],
                "shortDescription": {"text": rule.name.get(lang, rule.name["en"])},
                "fullDescription": {"text": " ".join(doc.split("\n\n")[0].split()) or code},
                "help": {"text": f"{doc}\n\nLegal basis: {rule.basis}\nExample: {rule.example}"},
                "defaultConfiguration": {"level": rule.severity},
                "properties": {
                    "basis": rule.basis,
                    "categories": list(rule.categories),
                    "tags": ["payaudit", "compliance"],
                },
            }
        )
    for code, issue in sorted(ISSUES.items()):
        rules.append(
            {
                "id": code,
                "name": issue.meaning,
                "shortDescription": {"text": issue.meaning},
                "fullDescription": {"text": f"Data issue: {issue.meaning}."},
                "help": {"text": issue.message.get(lang) or issue.meaning},
                "defaultConfiguration": {"level": issue.severity},
                "properties": {"basis": "input data contract", "tags": ["payaudit", "data"]},
            }
        )
    return rules


def _location(uris: dict[str, str], fallback: str) -> pl.Expr:
    """Where a result is: its file and row, else (a run-level issue) the first input's line 1."""
    uri = pl.col("path").replace_strict(uris, default=pl.lit(fallback), return_dtype=pl.String)
    line = pl.when(pl.col("path").is_null()).then(1).otherwise(pl.col("row").fill_null(1))
    region = pl.struct(startLine=pl.max_horizontal(line, 1))
    place = pl.struct(artifactLocation=pl.struct(uri=uri), region=region)
    return pl.concat_list(pl.struct(physicalLocation=place))


def _result(code: str, index: dict[str, int], where: pl.Expr, **more: pl.Expr) -> pl.Expr:
    rule = pl.col(code)
    return pl.struct(
        ruleId=rule,
        ruleIndex=rule.replace_strict(index, default=-1, return_dtype=pl.Int64),  # -1: none
        level=pl.col("severity"),
        message=pl.struct(text=pl.col("message").fill_null(code)),
        locations=where,
        **more,
    ).struct.json_encode()


def finding_results(findings: pl.DataFrame, index: dict[str, int], where: pl.Expr) -> pl.Series:
    dates = pl.col("period_start", "period_end").cast(pl.String)
    text = _result(
        "rule",
        index,
        where,
        partialFingerprints=pl.struct(pl.col("id").alias(FINGERPRINT)),
        baselineState=pl.when(pl.col("baseline") == "known")
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("new")),
        properties=pl.struct("id", "worker_id", "category", dates, "shortfall_cny", "waiver"),
    )
    suppression = pl.struct(kind=pl.lit("external"), justification="waiver").struct.json_encode()
    waived = pl.concat_str(
        text.str.strip_suffix("}"), pl.lit(',"suppressions":['), suppression, pl.lit("]}")
    )
    chosen = pl.when(pl.col("waiver").is_null()).then(text).otherwise(waived)
    return findings.select(chosen).to_series()


def issue_results(issues: pl.DataFrame, index: dict[str, int], where: pl.Expr) -> pl.Series:
    properties = pl.struct("table", "column", "value")
    return issues.select(_result("code", index, where, properties=properties)).to_series()


@register
class SarifFormat(Format):
    name = "sarif"
    suffix = ".sarif"

    def write(self, report: Report, out: BinaryIO) -> None:
        rules = _rules(report.lang)
        index = {rule["id"]: n for n, rule in enumerate(rules)}
        paths = {f.path for f in report.inputs} | set(report.findings["path"].drop_nulls())
        paths |= set(report.issues["path"].drop_nulls())
        uris = {p: artifact_uri(p) for p in paths}
        fallback = artifact_uri(report.inputs[0].path) if report.inputs else "."
        where = _location(uris, fallback)
        notes = [{"level": "warning", "message": {"text": w}} for w in report.warnings]
        run = {
            "tool": {
                "driver": {
                    "name": "payaudit",
                    "version": __version__,
                    "rules": rules,
                }
            },
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
            "results": "@@results@@",
            "properties": {
                "summary": {k: report.summary[k] for k in ("new", "known", "resolved", "waived")},
                "resolved": report.resolved["id"].to_list(),
            },
        }
        doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        before, after = json.dumps(doc, indent=2, ensure_ascii=False).split('"@@results@@"')
        out.write(before.encode())
        out.write(b"[")
        first = True
        for frame, encode in ((report.findings, finding_results), (report.issues, issue_results)):
            for start in range(0, frame.height, CHUNK):
                lines = encode(frame.slice(start, CHUNK), index, where)
                out.write(
                    (
                        ("" if first else ",") + "\n      " + lines.str.join(",\n      ").item()
                    ).encode()
                )
                first = False
        out.write(b"\n    ]" if not first else b"]")
        out.write(after.encode())
