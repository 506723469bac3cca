"""The Rich summary an auditor reads on the terminal (stderr), and the `table` format (the same
summary as plain text in a file)."""

from __future__ import annotations

import io
import os
from typing import BinaryIO

import polars as pl
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from payaudit.i18n import CATEGORIES, SEVERITIES, column, label, pack_version, t

from .base import Format, register
from .model import Report

TOP_WORKERS = 10
TOP_FINDINGS = 10  # shown by default; -v shows VERBOSE_FINDINGS
VERBOSE_FINDINGS = 100
STYLE = {"error": "bold red", "warning": "yellow"}


def _table(title: str, *headers: str, right: int = 0) -> Table:
    """A table whose last `right` columns hold numbers (right-aligned)."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for i, header in enumerate(headers):
        numeric = i >= len(headers) - right
        table.add_column(header, justify="right" if numeric else "left", no_wrap=numeric)
    return table


def _short(path: str) -> str:
    """A path as the user would type it from here: relative below the current folder."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _severity(value: str, lang: str) -> str:
    return f"[{STYLE.get(value, '')}]{label(SEVERITIES, value, lang)}[/]"


def render(report: Report, console: Console, verbose: bool = False) -> None:
    lang, s, m = report.lang, report.summary, report.manifest
    console.print(f"[bold]{t('title', lang)}[/]", highlight=False)
    period = report.period and f"{report.period[0]} – {report.period[1]}"
    console.print(
        f"{t('audited_range', lang)}: [bold]{period or t('no_data', lang)}[/] · "
        f"{pack_version(m['rule_pack'], lang)} ({escape(m['jurisdiction'])})",
        highlight=False,
    )

    inputs = _table(
        t("inputs", lang),
        column("table", lang),
        column("path", lang),
        column("rows_read", lang),
        column("rows_audited", lang),
        column("rows_rejected", lang),
        right=3,
    )
    for f in report.inputs:
        inputs.add_row(
            f.table,
            escape(_short(f.path)),
            str(f.rows_read),
            str(f.rows_audited),
            str(f.rows_rejected),
        )
    inputs.columns[1].overflow = "fold"  # a path is read whole or not at all
    if report.inputs:
        console.print(inputs)

    cats = _table(t("by_category", lang), column("category", lang), t("count", lang), right=1)
    for cat, n in s["workers_by_category"].items():
        cats.add_row(label(CATEGORIES, cat, lang), str(n))
    cats.add_row(f"[bold]{t('workers_total', lang)}[/]", f"[bold]{s['workers']}[/]")
    console.print(cats)
    independent = s["workers_by_category"].get("independent", 0)
    console.print(f"{t('out_of_scope', lang)}: {independent}", highlight=False)

    if report.total_findings == 0:
        console.print(f"[bold green]{t('no_findings', lang)}[/]")
    else:
        _findings(report, console)
    _issues(report, console)
    if report.warnings:
        console.print(f"[bold]{t('warnings', lang)}[/]")
        for warning in report.warnings:
            console.print(f"  [yellow]•[/] {escape(warning)}", highlight=False)
    if report.total_findings:
        _top_findings(report, console, VERBOSE_FINDINGS if verbose else TOP_FINDINGS)


def _findings(report: Report, console: Console) -> None:
    lang, s = report.lang, report.summary
    rules = _table(
        t("by_rule", lang),
        column("rule", lang),
        column("rule_name", lang),
        column("severity", lang),
        column("findings", lang),
        column("shortfall_cny", lang),
        right=2,
    )
    for row in report.rule_totals.iter_rows(named=True):
        rules.add_row(
            row["rule"],
            escape(row["rule_name"]),
            _severity(row["severity"], lang),
            str(row["findings"]),
            _money(row["shortfall_cny"]),
        )
    console.print(rules)
    severities = "  ".join(
        f"{_severity(sev, lang)}: {n}" for sev, n in s["findings_by_severity"].items()
    )
    console.print(f"{t('by_severity', lang)}: {severities}")
    console.print(f"[bold]{t('total_shortfall', lang)}: {_money(s['shortfall_cny'])}[/]")

    owed = (
        report.workers.filter(pl.col("shortfall_fen") > 0)
        .sort("shortfall_fen", "worker_id", descending=[True, False])
        .head(TOP_WORKERS)
    )
    if owed.height:
        top = _table(
            t("owed_most", lang),
            column("worker_id", lang),
            column("category", lang),
            column("findings", lang),
            column("shortfall_cny", lang),
            right=2,
        )
        for row in owed.iter_rows(named=True):
            top.add_row(
                escape(row["worker_id"]),
                label(CATEGORIES, row["category"], lang),
                str(row["findings"]),
                _money(row["shortfall_cny"]),
            )
        console.print(top)


def _issues(report: Report, console: Console) -> None:
    if report.issues.height == 0:
        return
    lang = report.lang
    counts = report.issues.group_by("code", "severity").len().sort("code")
    table = _table(
        t("issues_by_code", lang),
        column("code", lang),
        column("severity", lang),
        t("count", lang),
        right=1,
    )
    for code, severity, n in counts.iter_rows():
        table.add_row(escape(code), _severity(severity, lang), str(n))
    console.print(table)


def _top_findings(report: Report, console: Console, n: int) -> None:
    """The findings owing most (errors before warnings at equal amounts), and how to see more."""
    lang = report.lang
    table = _table(
        t("top_findings", lang),
        column("rule", lang),
        column("worker_id", lang),
        t("period", lang),
        t("cny", lang),
        column("message", lang),
    )
    table.box = box.SIMPLE_HEAD  # no inner borders: the message keeps the width
    top = report.findings.sort(
        "shortfall_fen",
        "severity",
        "worker_id",
        "period_start",
        descending=[True, False, False, False],
    ).head(n)
    for row in top.iter_rows(named=True):
        period = str(row["period_start"])
        if row["period_start"] != row["period_end"]:
            period += f"\n–{row['period_end']}"
        table.add_row(
            row["rule"],
            escape(row["worker_id"]),
            period,
            _money(row["shortfall_cny"]),
            escape(row["message"] or ""),
        )
    for i in range(4):  # codes, ids, dates and amounts are read whole; the message wraps
        table.columns[i].no_wrap = True
    table.columns[3].justify = "right"
    table.columns[4].overflow = "fold"  # a Chinese sentence is one "word" to Rich: fold it
    console.print(table)
    more = report.total_findings - top.height
    if more > 0:
        console.print(t("more_findings", lang, more=f"{more:,}"), highlight=False, markup=False)


@register
class TableFormat(Format):
    name = "table"
    suffix = ".txt"

    def write(self, report: Report, out: BinaryIO) -> None:
        text = io.StringIO()
        render(report, Console(file=text, width=120, no_color=True, highlight=False), True)
        out.write(text.getvalue().encode())
