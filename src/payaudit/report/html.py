"""HTML: one self-contained page an inspector can show: what was audited (range, rule pack,
inputs), summary, charts (inline SVG), and a findings table to filter by rule, severity and worker
and to sort, each finding opening onto its evidence and legal basis (a few lines of inline JS).
No CDN, no network; a CSP forbids both.

The table lists at most HTML_ROWS findings (a page of 500k rows would not open); the page says
so, and the JSON, CSV and Excel reports list them all."""

from __future__ import annotations

import math
from html import escape
from importlib.resources import files
from string import Template
from typing import Any, BinaryIO

import polars as pl

from payaudit import __version__
from payaudit.dataset import INPUT_SCHEMA
from payaudit.i18n import (
    CATEGORIES,
    DAY_TYPES,
    SEVERITIES,
    UNITS,
    column,
    label,
    pack_version,
    param_name,
    t,
)

from . import charts, evidence
from .base import Format, register
from .model import Report

HTML_ROWS = 2000
HOURLY_WORKERS = 40
SHORTFALL_WORKERS = 20
BIN_HOURS = 0.5


def _cell(value: Any, cls: str = "") -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        return f'<td class="n" data-v="{value}">{text}</td>'
    klass = f' class="{cls}"' if cls else ""
    return f"<td{klass}>{escape('' if value is None else str(value))}</td>"


def _table(headers: list[str], rows: list[list[str]], lang: str, sortable: bool = False) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(f"<tr>{''.join(r)}</tr>" for r in rows) or (
        f'<tr><td class="note" colspan="{len(headers)}">{escape(t("no_data", lang))}</td></tr>'
    )
    cls = ' class="sortable"' if sortable else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _severity(value: str, lang: str) -> str:
    return _cell(label(SEVERITIES, value, lang), f"sev-{value}")


def _limit(report: Report, name: str) -> float | None:
    values = report.parameters.filter(pl.col("name") == name)["value"].to_list()
    try:
        return float(values[0]) if values else None
    except ValueError:
        return None


def _bins(values: pl.Series, limit: float | None) -> list[int]:
    """Histogram counts computed by Polars: the daily table may have millions of rows."""
    values = values.drop_nulls()
    if values.is_empty():
        return []
    # Right-closed bins (i·w, (i+1)·w]: a day of exactly the limit lands below the limit line.
    top = int(math.ceil(max(float(values.max()), limit or 0) / BIN_HOURS)) + 1
    index = ((values / BIN_HOURS).ceil() - 1).cast(pl.Int64).clip(0, top - 1)
    counts = dict(index.value_counts().iter_rows())
    return [counts.get(i, 0) for i in range(top)]


def _histogram(report: Report, daily_column: str, parameter: str, title: str) -> str:
    """Worker-days of in-scope workers only: an independent's long day breaches no rule."""
    lang, limit = report.lang, _limit(report, parameter)
    in_scope = report.workers.filter(pl.col("in_scope")).get_column("worker_id")
    days = report.daily.filter(pl.col("worker_id").is_in(in_scope.implode()))
    return charts.histogram(
        _bins(days[daily_column], limit),
        BIN_HOURS,
        limit,
        t(title, lang),
        t("hours_unit", lang),
        t("worker_days", lang),
        t("limit", lang),
    )


def _charts(report: Report) -> str:
    lang = report.lang
    min_wage = report.daily.group_by("worker_id").agg(
        ((pl.col("hours") * pl.col("min_wage_hourly")).sum() / pl.col("hours").sum()).alias(
            "min_wage"
        )
    )
    hourly = (
        report.workers.filter(pl.col("in_scope") & (pl.col("hours") > 0))
        .join(min_wage, on="worker_id", how="left")
        .sort("effective_hourly_cny")
    )
    owed = report.workers.filter(pl.col("shortfall_fen") > 0).sort("shortfall_fen", descending=True)
    notes = {
        "chart_hourly": _top_note(hourly.height, HOURLY_WORKERS, lang, scope=True),
        "chart_daily": t("in_scope_only", lang),
        "chart_stretch": t("in_scope_only", lang),
        "chart_shortfall": _top_note(owed.height, SHORTFALL_WORKERS, lang),
    }
    hourly, owed = hourly.head(HOURLY_WORKERS), owed.head(SHORTFALL_WORKERS)
    parts = [
        (
            "chart_hourly",
            charts.bars(
                [
                    (r["worker_id"], r["effective_hourly_cny"] or 0.0, r["min_wage"])
                    for r in hourly.iter_rows(named=True)
                ],
                t("chart_hourly", lang),
                t("cny_per_hour", lang),
                t("min_wage", lang),
                True,
            ),
        ),
        ("chart_daily", _histogram(report, "hours", "max_daily_hours", "chart_daily")),
        (
            "chart_stretch",
            _histogram(report, "longest_stretch_hours", "max_continuous_hours", "chart_stretch"),
        ),
        (
            "chart_shortfall",
            charts.bars(
                [(r["worker_id"], r["shortfall_cny"], None) for r in owed.iter_rows(named=True)],
                t("chart_shortfall", lang),
                column("shortfall_cny", lang),
            ),
        ),
    ]
    return "".join(
        f'<h2>{escape(t(key, lang))}</h2><figure id="{key}">'
        f"{svg or '<p class=note>' + escape(t('no_data', lang)) + '</p>'}"
        f"<figcaption class=note>{escape(notes[key])}</figcaption></figure>"
        for key, svg in parts
    )


def _top_note(total: int, shown: int, lang: str, scope: bool = False) -> str:
    notes = [t("in_scope_only", lang)] if scope else []
    if total > shown:
        notes.append(t("top_n", lang, shown=shown, total=total))
    return "; ".join(notes)


def _summary(report: Report) -> str:
    lang, s = report.lang, report.summary
    cards = [
        (t("workers_total", lang), f"{s['workers']:,}", False),
        (t("out_of_scope", lang), f"{s['workers_by_category'].get('independent', 0):,}", False),
        (t("total_findings", lang), f"{report.total_findings:,}", report.total_findings > 0),
        *(
            (label(SEVERITIES, k, lang), f"{n:,}", k == "error" and n > 0)
            for k, n in s["findings_by_severity"].items()
        ),
        (t("total_shortfall", lang), f"{s['shortfall_cny']:,.2f}", s["shortfall_cny"] > 0),
    ]
    html = (
        '<section class="cards" id="summary">'
        + "".join(
            f'<div class="card{" bad" if bad else ""}"><b>{escape(v)}</b>'
            f"<span>{escape(k)}</span></div>"
            for k, v, bad in cards
        )
        + "</section>"
    )
    by_rule = [
        [
            _cell(r["rule"]),
            _cell(r["rule_name"]),
            _severity(r["severity"], lang),
            _cell(r["findings"]),
            _cell(r["shortfall_cny"]),
        ]
        for r in report.rule_totals.iter_rows(named=True)
    ]
    cats = [
        [_cell(label(CATEGORIES, c, lang)), _cell(n)] for c, n in s["workers_by_category"].items()
    ]
    return html + (
        f"<h2>{escape(t('by_rule', lang))}</h2>"
        + _table(
            [
                column(c, lang)
                for c in ("rule", "rule_name", "severity", "findings", "shortfall_cny")
            ],
            by_rule,
            lang,
        )
        + f"<h2>{escape(t('by_category', lang))}</h2>"
        + _table([column("category", lang), t("count", lang)], cats, lang)
    )


# The table's columns: what an inspector scans; the evidence panel shows the rest.
FINDING_CELLS = [
    "rule", "rule_name", "severity", "worker_id", "period_start", "period_end",
    "observed", "threshold", "unit", "shortfall_cny", "message",
]  # fmt: skip


def _finding_row(r: dict, ev: evidence.Evidence, lang: str) -> str:
    """One finding; its message opens onto the evidence and the legal basis."""
    cells = [_cell(r[c]) for c in FINDING_CELLS[:-3]]
    cells[2] = _severity(r["severity"], lang)
    details = (
        f"<td><details><summary>{escape(r['message'] or '')}</summary>"
        f'<div class="evidence">{evidence.html(ev, r["basis"], lang)}</div></details></td>'
    )
    cells += [_cell(label(UNITS, r["unit"], lang)), _cell(r["shortfall_cny"]), details]
    data = " ".join(
        f'data-{k}="{escape(r[c] or "", quote=True)}"'
        for k, c in (("rule", "rule"), ("sev", "severity"), ("worker", "worker_id"))
    )
    return f'<tr class="finding" {data}>{"".join(cells)}</tr>'


def _filters(report: Report, shown: pl.DataFrame) -> str:
    """Rule, severity and worker pickers over the listed findings (the page's script)."""
    lang = report.lang
    all_ = escape(t("all", lang))

    def select(title: str, key: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(
            f'<option value="{escape(v, quote=True)}">{escape(text)}</option>'
            for v, text in options
        )
        return (
            f'<label>{escape(column(title, lang))} <select data-filter="{key}">'
            f'<option value="">{all_}</option>{opts}</select></label>'
        )

    rules = report.rule_totals.select("rule", "rule_name").unique().sort("rule").rows()
    workers = shown.get_column("worker_id").unique().sort().to_list()
    listed = "".join(f'<option value="{escape(w, quote=True)}">' for w in workers)
    return (
        '<div class="filters">'
        + select("rule", "rule", [(c, f"{c} {n}") for c, n in rules])
        + select("severity", "sev", [(k, label(SEVERITIES, k, lang)) for k in SEVERITIES])
        + f'<label>{escape(column("worker_id", lang))} <input data-filter="worker" '
        f'list="workers" placeholder="{all_}"></label><datalist id="workers">{listed}</datalist>'
        + f' <span id="shown" data-text="{escape(t("shown_of", lang), quote=True)}"></span>'
        + "</div>"
    )


def _findings(report: Report) -> str:
    lang, shown = report.lang, report.findings.head(HTML_ROWS)
    gathered = evidence.gather(report, shown)
    rows = [
        _finding_row(r, ev, lang)
        for r, ev in zip(shown.iter_rows(named=True), gathered, strict=True)
    ]
    notes = []
    if shown.height < report.total_findings:
        notes.append(
            t("truncated", lang, shown=shown.height, total=report.total_findings)
            if report.truncated
            else t("html_rows_capped", lang, shown=shown.height)
        )
    notes.append(t("sort_hint", lang))
    head = "".join(f"<th>{escape(column(c, lang))}</th>" for c in FINDING_CELLS)
    body = "".join(rows) or (
        f'<tr><td class="note" colspan="{len(FINDING_CELLS)}">'
        f"{escape(t('no_data', lang))}</td></tr>"
    )
    return (
        f"<h2>{escape(t('findings', lang))}</h2>"
        + "".join(f'<p class="note">{escape(n)}</p>' for n in notes)
        + (_filters(report, shown) if rows else "")
        + f'<table class="sortable" id="findings"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _details(report: Report) -> str:
    lang = report.lang
    issues = report.issues.group_by("code", "severity").len().sort("code")
    inputs = [
        [
            _cell(f.table),
            _cell(f.path),
            _cell(f.sha256[:16] + "…"),
            _cell(f.rows_read),
            _cell(f.rows_audited),
            _cell(f.rows_rejected),
        ]
        for f in report.inputs
    ]
    params = [
        [
            _cell(param_name(r["name"], lang)),
            _cell(r["value"]),
            _cell(label(UNITS, r["unit"], lang)),
            _cell(r["area_class"]),
            _cell(r["effective_from"]),
            _cell(r["reference"]),
        ]
        for r in report.parameters.iter_rows(named=True)
    ]
    days = report.daily.group_by("day_type").agg(pl.len(), pl.col("hours").sum()).sort("day_type")
    day_rows = [
        [_cell(label(DAY_TYPES, d, lang)), _cell(n), _cell(hours)]
        for d, n, hours in days.iter_rows()
    ]
    warnings = "".join(f'<li class="warn">{escape(w)}</li>' for w in report.warnings)
    return (
        f"<h2>{escape(t('issues_by_code', lang))}</h2>"
        + _table(
            [column("code", lang), column("severity", lang), t("count", lang)],
            [[_cell(c), _severity(s, lang), _cell(n)] for c, s, n in issues.iter_rows()],
            lang,
        )
        + f"<h2>{escape(t('by_day_type', lang))}</h2>"
        + _table(
            [t("day_type", lang), t("worker_days", lang), column("hours", lang)], day_rows, lang
        )
        + (f"<h2>{escape(t('warnings', lang))}</h2><ul>{warnings}</ul>" if warnings else "")
        + f"<h2>{escape(t('inputs', lang))}</h2>"
        + _table(
            [column(c, lang) for c in INPUT_SCHEMA],
            inputs,
            lang,
        )
        + f"<h2>{escape(t('parameters', lang))}</h2>"
        + _table(
            [
                column(c, lang)
                for c in ("name", "value", "unit", "area_class", "effective_from", "reference")
            ],
            params,
            lang,
        )
        + f'<p class="note">{escape(t("command_line", lang))}: <code>'
        + escape(" ".join(map(str, report.manifest["command_line"])))
        + "</code></p>"
    )


@register
class HtmlFormat(Format):
    name = "html"
    suffix = ".html"

    def write(self, report: Report, out: BinaryIO) -> None:
        lang = report.lang
        body = (
            header(report)
            + _summary(report)
            + _charts(report)
            + _findings(report)
            + _details(report)
        )
        template = Template(files(__package__).joinpath("templates/report.html").read_text("utf-8"))
        out.write(
            template.substitute(lang=lang, title=escape(t("title", lang)), body=body).encode(
                "utf-8"
            )
        )


def header(report: Report, title: str = "title") -> str:
    """Title, audited range, rule pack, when and by what, and the inputs: what a reader must
    know before any figure (the worker statements open with it too)."""
    lang, m = report.lang, report.manifest
    period = report.period and f"{report.period[0]} – {report.period[1]}"
    meta = [
        f"{t('audited_range', lang)}: {period or t('no_data', lang)}",
        f"{pack_version(m['rule_pack'], lang)} ({m['jurisdiction']})",
        f"{t('generated_at', lang)} {m['generated_at']}",
        f"payaudit {__version__}",
    ]
    inputs = " · ".join(f"{f.table}: {f.path} ({f.rows_read:,})" for f in report.inputs)
    return (
        f"<header><h1>{escape(t(title, lang))}</h1>"
        f'<p class="meta" id="audited">{escape(" · ".join(meta))}</p>'
        + (f'<p class="meta">{escape(t("inputs", lang))}: {escape(inputs)}</p>' if inputs else "")
        + "</header>"
    )
