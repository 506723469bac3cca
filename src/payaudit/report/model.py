"""The report every format renders: an AuditResult prepared once per run, so that all formats
carry the same findings, the same pseudonyms and the same truncation.

Money: `shortfall_cny` (and pay_cny…) is fen / 100 as a Float64; fen are integers, so the value is
exactly the 2-decimal amount a person reads (no rounding is needed anywhere in the reports).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from payaudit.config import Settings
from payaudit.dataset import InputFile
from payaudit.engine.findings import SEVERITIES
from payaudit.engine.result import AuditResult
from payaudit.engine.run import message
from payaudit.i18n import rule_names
from payaudit.rules import all_rules

from .redact import Redactor, known_worker_ids

# The findings as the tabular reports (CSV, Excel) show them, in this order.
FINDING_COLUMNS = [
    "id",
    "rule",
    "rule_name",
    "severity",
    "worker_id",
    "category",
    "platform",
    "period_start",
    "period_end",
    "observed",
    "threshold",
    "unit",
    "shortfall_cny",
    "evidence",
    "basis",
    "message",
    "baseline",
    "waiver",
    "path",
    "row",
]


@dataclass
class Report:
    lang: str
    findings: pl.DataFrame  # RESULT_SCHEMA + rule_name, shortfall_cny; at most --max-findings
    total_findings: int
    rule_totals: pl.DataFrame  # rule, rule_name, severity, findings, shortfall_cny: all findings
    workers: pl.DataFrame  # WORKER_SCHEMA + pay_cny, eligible_pay_cny, shortfall_cny
    daily: pl.DataFrame
    parameters: pl.DataFrame
    issues: pl.DataFrame
    inputs: list[InputFile]
    summary: dict[str, Any]
    manifest: dict[str, Any]
    warnings: list[str]
    resolved: pl.DataFrame  # the baseline's findings this run no longer has (BASELINE_SCHEMA)
    labels: bool = False  # tabular reports: column titles in --lang instead of the JSON keys
    rules: list[str] = field(default_factory=list)  # the codes of the rules that ran
    period: tuple[date, date] | None = None  # the audited range, first and last day
    # The orders findings cite (order_id, accepted_at, completed_at, pay in fen): the evidence
    # an inspector reads. Empty when the input was audited in parts.
    orders: pl.DataFrame = field(default_factory=pl.DataFrame)

    @property
    def truncated(self) -> bool:
        return self.findings.height < self.total_findings


def cny_text(column: str) -> pl.Expr:
    """Integer fen as exact CNY text with two decimals ("3.01")."""
    fen = pl.col(column).abs()
    sign = pl.when(pl.col(column) < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(
        sign, (fen // 100).cast(pl.String), pl.lit("."), (fen % 100).cast(pl.String).str.zfill(2)
    )


def cny(column: str) -> pl.Expr:
    """fen → CNY Float64 through the decimal text: parsing rounds correctly, whereas Polars'
    `fen / 100` may multiply by 0.01 and give 3.0100000000000002."""
    return cny_text(column).cast(pl.Float64).alias(column.removesuffix("_fen") + "_cny")


def prepare(
    result: AuditResult, lang: str, redact: bool, max_findings: int | None, labels: bool = False
) -> Report:
    issues = result.dataset.issues
    ids = []
    if redact:  # gathering every id costs a scan of every input
        frames = [result.findings, result.workers, result.daily, *result.dataset.frames.values()]
        ids = known_worker_ids(frames)
        ids += (
            issues.filter(pl.col("column") == "worker_id")
            .get_column("value")
            .drop_nulls()
            .to_list()
        )
    r = Redactor(result.dataset, ids, redact, result.pseudonym_key)
    findings = result.findings.with_columns(r.worker_id(), r.json("evidence"))  # not the basis
    written = None if redact else result.settings.lang or "en"  # as run_audit renders them
    findings = _with_messages(findings, lang, r.text, written).with_columns(
        pl.col("rule").replace_strict(rule_names(lang), default=pl.col("rule")).alias("rule_name"),
        cny("shortfall_fen"),
    )
    if redact:  # an id would link a finding to the same worker's in another run
        findings = findings.with_columns(pl.Series("id", [r.pseudonym(i) for i in findings["id"]]))
    summary = _summary(result)
    shown = findings if max_findings is None else findings.head(max_findings)
    summary["truncated"] = shown.height < findings.height
    return Report(
        lang=lang,
        findings=shown,
        total_findings=findings.height,
        rule_totals=findings.group_by("rule", "rule_name", "severity")
        .agg(pl.len().alias("findings"), pl.col("shortfall_fen").sum())  # exact: integer fen
        .with_columns(cny("shortfall_fen"))
        .sort("rule", "severity"),
        workers=result.workers.with_columns(
            r.worker_id(), cny("pay_fen"), cny("eligible_pay_fen"), cny("shortfall_fen")
        ),
        daily=result.daily.with_columns(r.worker_id()),
        parameters=result.parameters,
        issues=r.issues(issues),
        inputs=list(result.dataset.inputs),
        summary=summary,
        manifest=_manifest(result),
        warnings=list(result.warnings),
        resolved=result.resolved.with_columns(r.worker_id()),
        labels=labels,
        rules=list(result.rules),
        period=audited_range(result),
        orders=_orders(result),
    )


def audited_range(result: AuditResult) -> tuple[date, date] | None:
    """The first and last day audited: the manifest's, else the span of the days worked."""
    given = result.manifest
    if given.get("period_from") and given.get("period_to"):
        return tuple(  # type: ignore[return-value]
            d if isinstance(d, date) else date.fromisoformat(str(d))
            for d in (given["period_from"], given["period_to"])
        )
    days = result.daily.get_column("date")
    return (days.min(), days.max()) if days.len() else None  # type: ignore[return-value]


def _orders(result: AuditResult) -> pl.DataFrame:
    """The orders' columns evidence shows (no copy: the frame's own columns)."""
    orders = result.dataset.frames.get("orders")
    wanted = ("order_id", "accepted_at", "completed_at", "pay")
    if orders is None or not set(wanted) <= set(orders.columns):
        return pl.DataFrame()
    return orders.select(wanted)


def _counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    counts = frame.group_by(column).len().drop_nulls(column).sort(column)
    return dict(zip(counts[column].to_list(), counts["len"].to_list(), strict=True))


def _summary(result: AuditResult) -> dict[str, Any]:
    by_severity = _counts(result.findings, "severity")
    return {
        "workers": result.workers.height,
        "workers_by_category": _counts(result.workers, "category"),
        "findings_by_rule": _counts(result.findings, "rule"),
        "findings_by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
        "shortfall_cny": (result.findings["shortfall_fen"].sum() or 0) / 100,
        "truncated": False,
        # The CI gate: new/known against the baseline, resolved ones gone since, waived ones.
        "new": result.findings.filter(pl.col("baseline") == "new").height,
        "known": result.findings.filter(pl.col("baseline") == "known").height,
        "resolved": result.resolved.height,
        "waived": result.findings.filter(pl.col("waiver").is_not_null()).height,
    }


def _manifest(result: AuditResult) -> dict[str, Any]:
    given = result.manifest
    manifest = {
        "generated_at": given.get("generated_at")
        or datetime.now().astimezone().isoformat(timespec="seconds"),
        "jurisdiction": given.get("jurisdiction") or result.settings.jurisdiction,
        "rule_pack": result.rule_pack,
        "parameters": parameter_values(result.parameters),
        "inputs": [f.as_dict() for f in result.dataset.inputs],
        "period_from": given.get("period_from"),  # the audited range
        "period_to": given.get("period_to"),
        "command_line": given.get("command_line") or list(sys.argv),
        "settings": _settings(result.settings),
    }
    return manifest | {k: v for k, v in given.items() if k not in manifest}


def _settings(settings: Settings) -> dict[str, Any]:
    """What else decided the findings (from the options and the config file alike): who is
    audited how, and what counts as working time (basis, allowance_ratio: 7 h of orders
    report as 8.4 h at 0.2)."""
    return {
        "period": settings.period,
        "default_category": settings.default_category,
        "district": settings.district,
        "platform": settings.platform,
        "working_time": {
            "basis": settings.basis,
            "allowance_ratio": float(settings.allowance_ratio),
        },
        "config": settings.source,
    }


_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


def _value(text: str | None) -> Any:
    if text is not None and (_NUMBER.fullmatch(text) or text in ("true", "false")):
        return json.loads(text)
    return text


def parameter_values(parameters: pl.DataFrame) -> dict[str, Any]:
    """name -> value; a name with several values (by area class or date) -> a list of them."""
    out: dict[str, Any] = {}
    for name, rows in parameters.group_by("name", maintain_order=True):
        if rows.height == 1:
            out[name[0]] = _value(rows["value"][0])
            continue
        out[name[0]] = [
            {
                "value": _value(row["value"]),
                "area_class": row["area_class"],
                "effective_from": row["effective_from"] and row["effective_from"].isoformat(),
            }
            for row in rows.iter_rows(named=True)
        ]
    return out


def _with_messages(
    findings: pl.DataFrame, lang: str, scrub: Callable[[str], pl.Expr], written: str | None
) -> pl.DataFrame:
    """Each finding's message in `lang` (the engine wrote it in `written`, the config's
    language or English; None: render every message again, as when worker ids are
    pseudonymised) from its rule's template, with the engine's own templating; else kept as
    is, `scrub`bed. A rendered message holds only the finding's own fields, as the report
    shows them: scrubbing it would build a matcher of every roster value (~0.25 s) for
    nothing. Rendered rule by rule on the rule's own rows: a when/then chain would render
    every template for every finding."""
    rules = all_rules()

    def template(code: str) -> str | None:
        return getattr(rules.get(code), "message", {}).get(lang)

    codes = findings.get_column("rule").unique().to_list()
    if lang == written and all(template(code) for code in codes):
        return findings  # as the engine rendered them (148k findings: 0.1 s)
    numbered = findings.with_row_index("_order")
    parts = []
    for (code,), rows in numbered.partition_by("rule", as_dict=True).items():
        text = template(code)
        rendered = message(text, lang) if text else scrub("message")
        parts.append(rows.with_columns(rendered))
    return pl.concat(parts).sort("_order").drop("_order") if parts else findings
