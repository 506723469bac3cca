"""The CI gate over a run's findings, as ruff's and semgrep's baselines work: a finding whose id
is in the baseline (an earlier JSON report, or the file `payaudit baseline` writes from one) is
`known`, reported but never counted toward the exit code; one that is not is `new`; a baseline
finding the run no longer has is `resolved`. A finding a [[waive]] entry accepts stays in the
report with the waiver's reason and never counts; an expired waiver waives nothing and says so.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from payaudit.config import Waiver
from payaudit.engine.findings import BASELINE_SCHEMA, PSEUDONYM
from payaudit.engine.result import AuditResult
from payaudit.errors import ConfigError
from payaudit.rules import select_rules

BASELINE_FORMAT = 1  # version of the file `payaudit baseline` writes

EXPIRED = {
    "en": "Waiver {n} ({rule}, worker {worker}) expired on {expires}: its findings count again.",
    "zh": "第 {n} 条豁免（{rule}，劳动者 {worker}）已于 {expires} 到期：其违规事项重新计入。",
}


def read_baseline(path: Path) -> pl.DataFrame:
    """The findings (BASELINE_SCHEMA) of a JSON report or baseline file."""
    try:
        doc = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Baseline {path} does not exist.") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"Baseline {path} cannot be read as JSON: {exc}.") from None
    found = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(found, list) or not all(isinstance(f, dict) for f in found):
        raise ConfigError(f"Baseline {path} is not a payaudit JSON report or baseline.")
    if not all(isinstance(f.get("id"), str) for f in found):
        raise ConfigError(f"Baseline {path} has findings without an id: write it anew.")
    if any(f["id"].startswith(PSEUDONYM) for f in found):
        raise ConfigError(
            f"Baseline {path} is a report written with --redact: its ids are pseudonyms of "
            "that run, which no later run can match; write it without --redact."
        )
    if doc.get("summary", {}).get("truncated"):
        raise ConfigError(
            f"Baseline {path} is a report cut short by --max-findings: a baseline must hold "
            "every finding."
        )
    rows = [{key: f.get(key) for key in BASELINE_SCHEMA} for f in found]
    text = pl.DataFrame(rows, schema=dict.fromkeys(BASELINE_SCHEMA, pl.String), orient="row")
    return text.with_columns(pl.col("period_start", "period_end").str.to_date(strict=False))


def baseline_document(baseline: pl.DataFrame, source: Path) -> str:
    """The baseline file: a JSON object with one finding per line, so that a change to it
    reads well in a diff."""
    from payaudit import __version__

    rows = baseline.sort("id").with_columns(pl.col("period_start", "period_end").cast(pl.String))
    lines = ",\n    ".join(
        json.dumps(row, ensure_ascii=False) for row in rows.iter_rows(named=True)
    )
    head = {"payaudit_baseline": BASELINE_FORMAT, "payaudit_version": __version__}
    head |= {"source": str(source), "findings": "@@"}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    return text.replace('"@@"', f"[\n    {lines}\n  ]" if lines else "[]") + "\n"


def glob_pattern(glob: str) -> str:
    """A worker glob (* any text, ? one character) as an anchored regular expression; every
    other character is matched as itself."""
    parts = [".*" if c == "*" else "." if c == "?" else _literal(c) for c in glob]
    return "^" + "".join(parts) + "$"


def _literal(char: str) -> str:
    return char if char.isalnum() else f"\\x{{{ord(char):X}}}"


def _covers(waiver: Waiver) -> pl.Expr:
    """The findings `waiver` accepts: rule code or prefix, worker id or glob, period within."""
    worker = pl.col("worker_id")
    glob = any(c in waiver.worker for c in "*?")
    covers = pl.col("rule").str.starts_with(waiver.rule) & (
        worker.str.contains(glob_pattern(waiver.worker)) if glob else worker == waiver.worker
    )
    if waiver.date_from:
        covers &= pl.col("period_start") >= waiver.date_from
    if waiver.date_to:
        covers &= pl.col("period_end") <= waiver.date_to
    return covers.fill_null(False)


def check_waivers(waivers: list[Waiver], where: str | None) -> None:
    """A waiver whose rule is no rule code or prefix (a typo, MW01) would waive nothing
    without a word: the run stops instead (exit 2), as --select does."""
    for n, waiver in enumerate(waivers, start=1):
        try:
            select_rules([waiver.rule])
        except ConfigError:
            raise ConfigError(
                f"{where or 'The config'}: waiver {n} names rule '{waiver.rule}', which is no "
                "rule code or prefix; see `payaudit rules`."
            ) from None


def apply_gate(
    result: AuditResult, baseline: pl.DataFrame | None, waivers: list[Waiver], today: date
) -> AuditResult:
    """`result` with each finding's `baseline` (new | known) and `waiver` (reason | null), the
    baseline's resolved findings, and a warning for each expired waiver."""
    findings, resolved = result.findings, result.resolved
    if baseline is not None:
        known = pl.col("id").is_in(baseline.get_column("id").implode())
        status = pl.when(known).then(pl.lit("known")).otherwise(pl.lit("new"))
        findings = findings.with_columns(status.alias("baseline"))
        resolved = baseline.join(findings.select("id"), on="id", how="anti").sort("id")
    lang = result.settings.lang or "en"
    warnings, active = list(result.warnings), []
    for n, waiver in enumerate(waivers, start=1):
        if waiver.expires is not None and waiver.expires < today:
            fields: dict[str, Any] = dataclasses.asdict(waiver) | {"n": n}
            warnings.append(EXPIRED[lang].format(**fields))
        else:
            active.append(waiver)
    if active:  # the first entry that covers a finding gives its reason
        reasons = [pl.when(_covers(w)).then(pl.lit(w.reason)) for w in active]
        findings = findings.with_columns(pl.coalesce(reasons).alias("waiver"))
    return dataclasses.replace(result, findings=findings, resolved=resolved, warnings=warnings)
