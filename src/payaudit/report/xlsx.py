"""Excel: sheets Summary, Findings, Workers, Data issues, Parameters, named and titled in --lang;
frozen header, filters, widths, CNY and hour formats, severity highlighted.

Every text cell is written as a string, never a formula (the workbook is opened with
strings_to_formulas off) and formula-looking text gets an apostrophe in front as well.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import polars as pl
import xlsxwriter

from payaudit import __version__
from payaudit.i18n import CATEGORIES, SEVERITIES, UNITS, column, labels, t

from .base import Format, register
from .model import Report
from .safety import neutral, neutralise_strings

FINDINGS = ["rule", "rule_name", "severity", "worker_id", "category", "platform", "period_start",
            "period_end", "observed", "threshold", "unit", "shortfall_cny", "evidence", "basis",
            "message"]
WORKERS = ["worker_id", "category", "platform", "district", "area_class", "in_scope",
           "days_worked", "hours", "pay_cny", "eligible_pay_cny", "effective_hourly_cny",
           "findings", "shortfall_cny"]
ISSUES = ["code", "severity", "table", "path", "row", "column", "value", "message"]
PARAMETERS = ["name", "value", "unit", "area_class", "effective_from", "reference", "verified"]
NUMBER_FORMATS = {
    "shortfall_cny": "#,##0.00", "pay_cny": "#,##0.00", "eligible_pay_cny": "#,##0.00",
    "effective_hourly_cny": "#,##0.00", "hours": "0.00", "observed": "0.00",
    "threshold": "0.00",
}
SEVERITY_FILL = {"error": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
                 "warning": {"bg_color": "#FFEB9C", "font_color": "#9C5700"}}
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                    "strings_to_numbers": False}
MAX_WIDTH = 60


def _width(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)  # CJK shows double width


def _widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths from the title and the first rows (the full column may be 500k rows)."""
    sample = frame.head(200)
    return {
        name: min(MAX_WIDTH, 2 + max(
            [_width(name)] + [_width(str(v)) for v in sample[name].to_list() if v is not None]
        ))
        for name in frame.columns
    }


def _localised(frame: pl.DataFrame, columns: list[str], lang: str) -> pl.DataFrame:
    frame = neutralise_strings(frame.select(columns))
    for name, words in (("severity", SEVERITIES), ("category", CATEGORIES), ("unit", UNITS)):
        if name in frame.columns:
            frame = frame.with_columns(pl.col(name).replace(labels(words, lang)))
    return frame.rename({c: column(c, lang) for c in columns})


def _sheet(wb: Any, name: str, frame: pl.DataFrame, columns: list[str], lang: str) -> None:
    data = _localised(frame, columns, lang)
    formats = {column(c, lang): f for c, f in NUMBER_FORMATS.items() if c in columns}
    conditional = {}
    if "severity" in columns:
        conditional[column("severity", lang)] = [
            {"type": "cell", "criteria": "==", "value": f'"{SEVERITIES[s][lang]}"',
             "format": wb.add_format(fill)}
            for s, fill in SEVERITY_FILL.items()
        ]
    data.write_excel(
        wb, name, table_style="Table Style Light 9", column_formats=formats or None,
        dtype_formats={pl.Date: "yyyy-mm-dd"}, conditional_formats=conditional or None,
        column_widths=_widths(data), freeze_panes="A2", autofilter=True, float_precision=2,
    )


def _summary(wb: Any, report: Report) -> None:
    lang, s = report.lang, report.summary
    ws = wb.add_worksheet(t("summary", lang))
    bold, money = wb.add_format({"bold": True}), wb.add_format({"num_format": "#,##0.00"})
    ws.set_column(0, 0, 36)
    ws.set_column(1, 5, 22)
    ws.write_string(0, 0, t("title", lang), wb.add_format({"bold": True, "font_size": 14}))
    rows: list[tuple[str, Any]] = [
        (t("version", lang), __version__),
        (t("generated_at", lang), report.manifest["generated_at"]),
        (t("jurisdiction", lang), report.manifest["jurisdiction"]),
        (t("rule_pack", lang), report.manifest["rule_pack"]),
        (t("command_line", lang), " ".join(map(str, report.manifest["command_line"]))),
        (t("workers_total", lang), s["workers"]),
        (t("out_of_scope", lang), s["workers_by_category"].get("independent", 0)),
        (t("total_findings", lang), report.total_findings),
        *((SEVERITIES[k][lang], n) for k, n in s["findings_by_severity"].items()),
        (t("total_shortfall", lang), s["shortfall_cny"]),
    ]
    if report.truncated:
        rows.append((t("findings", lang), t("truncated", lang, shown=report.findings.height,
                                             total=report.total_findings)))
    for i, (key, value) in enumerate(rows, start=2):
        ws.write_string(i, 0, key, bold)
        if isinstance(value, str):
            ws.write_string(i, 1, neutral(value))
        else:
            ws.write_number(i, 1, value, money if isinstance(value, float) else None)
    by_rule = report.rule_totals.select("rule", "rule_name", "severity", "findings",
                                         "shortfall_cny")
    top = len(rows) + 3
    ws.write_string(top, 0, t("by_rule", lang), bold)
    _localised(by_rule, by_rule.columns, lang).write_excel(
        wb, ws, position=(top + 1, 0), table_style="Table Style Light 9",
        column_formats={column("shortfall_cny", lang): "#,##0.00"}, autofilter=False,
    )
    inputs = pl.DataFrame([vars(f) for f in report.inputs], schema={
        c: pl.String if c in ("table", "path", "sha256") else pl.Int64
        for c in ("table", "path", "sha256", "rows_read", "rows_audited", "rows_rejected")})
    top += by_rule.height + 3
    ws.write_string(top, 0, t("inputs", lang), bold)
    _localised(inputs, inputs.columns, lang).write_excel(
        wb, ws, position=(top + 1, 0), table_style="Table Style Light 9", autofilter=False)


@register
class XlsxFormat(Format):
    name = "xlsx"
    suffix = ".xlsx"
    binary = True

    def write(self, report: Report, out: BinaryIO) -> None:
        lang = report.lang
        wb = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS | {"use_zip64": True})
        _summary(wb, report)
        _sheet(wb, t("findings", lang), report.findings, FINDINGS, lang)
        _sheet(wb, t("workers", lang), report.workers, WORKERS, lang)
        _sheet(wb, t("data_issues", lang), report.issues, ISSUES, lang)
        _sheet(wb, t("parameters", lang), report.parameters, PARAMETERS, lang)
        wb.close()
