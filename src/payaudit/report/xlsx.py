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
from .model import FINDING_COLUMNS, Report
from .safety import neutral, neutralise_strings

WORKERS = [
    "worker_id",
    "category",
    "platform",
    "district",
    "area_class",
    "in_scope",
    "days_worked",
    "hours",
    "pay_cny",
    "eligible_pay_cny",
    "effective_hourly_cny",
    "findings",
    "shortfall_cny",
]
ISSUES = ["code", "severity", "table", "path", "row", "column", "value", "message"]
PARAMETERS = ["name", "value", "unit", "area_class", "effective_from", "reference", "verified"]
NUMBER_FORMATS = {
    "shortfall_cny": "#,##0.00",
    "pay_cny": "#,##0.00",
    "eligible_pay_cny": "#,##0.00",
    "effective_hourly_cny": "#,##0.00",
    "hours": "0.00",
    "observed": "0.00",
    "threshold": "0.00",
}
SEVERITY_FILL = {
    "error": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "warning": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
}
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,
    "use_zip64": True,
}
MAX_WIDTH = 60
EXCEL_ROWS = 1_048_575  # below the header; xlsxwriter would silently drop any further row


def _width(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)  # CJK shows double width


def _widths(frame: pl.DataFrame) -> dict[str, int]:
    """Column widths from the title and the first rows (the full column may be 500k rows)."""
    sample = frame.head(200)
    return {
        name: min(
            MAX_WIDTH,
            2
            + max(
                [_width(name)] + [_width(str(v)) for v in sample[name].to_list() if v is not None]
            ),
        )
        for name in frame.columns
    }


def _localised(frame: pl.DataFrame, columns: list[str], lang: str) -> pl.DataFrame:
    frame = neutralise_strings(frame.select(columns))
    for name, words in (("severity", SEVERITIES), ("category", CATEGORIES), ("unit", UNITS)):
        if name in frame.columns:
            frame = frame.with_columns(pl.col(name).replace(labels(words, lang)))
    return frame.rename({c: column(c, lang) for c in columns})


class _Book:
    """A workbook written row by row (constant memory: 500k findings stay out of RAM)."""

    def __init__(self, out: BinaryIO, lang: str) -> None:
        self.wb = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
        self.lang = lang
        self.bold = self.wb.add_format({"bold": True})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        self.formats = {
            f: self.wb.add_format({"num_format": f})
            for f in {*NUMBER_FORMATS.values(), "yyyy-mm-dd"}
        }
        self.fills = {s: self.wb.add_format(f) for s, f in SEVERITY_FILL.items()}

    def block(self, ws: Any, top: int, frame: pl.DataFrame) -> None:
        """`frame` (canonical column names) as a titled table with its rows from row `top`."""
        data = _localised(frame, frame.columns, self.lang)
        formats = [
            self.formats["yyyy-mm-dd"]
            if dtype == pl.Date
            else self.formats.get(NUMBER_FORMATS.get(name, ""))
            for name, dtype in frame.schema.items()
        ]
        ws.write_row(top, 0, data.columns, self.header)
        for i, row in enumerate(data.iter_rows(), start=top + 1):
            for j, value in enumerate(row):
                if value is not None:
                    ws.write(i, j, value, formats[j])

    def sheet(self, name: str, frame: pl.DataFrame, columns: list[str]) -> None:
        frame = frame.select(columns).head(EXCEL_ROWS)
        ws = self.wb.add_worksheet(name)
        for j, width in enumerate(_widths(_localised(frame, columns, self.lang)).values()):
            ws.set_column(j, j, width)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, frame.height), len(columns) - 1)
        if "severity" in columns:
            j = columns.index("severity")
            for severity, fill in self.fills.items():
                ws.conditional_format(
                    1,
                    j,
                    max(1, frame.height),
                    j,
                    {
                        "type": "cell",
                        "criteria": "==",
                        "value": f'"{SEVERITIES[severity][self.lang]}"',
                        "format": fill,
                    },
                )
        self.block(ws, 0, frame)

    def summary(self, report: Report) -> None:
        lang, s = self.lang, report.summary
        ws = self.wb.add_worksheet(t("summary", lang))
        ws.set_column(0, 0, 36)
        ws.set_column(1, 5, 22)
        ws.write_string(0, 0, t("title", lang), self.wb.add_format({"bold": True, "font_size": 14}))
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
            rows.append(
                (
                    t("findings", lang),
                    t("truncated", lang, shown=report.findings.height, total=report.total_findings),
                )
            )
        if report.findings.height > EXCEL_ROWS:
            rows.append((t("findings", lang), t("xlsx_rows_capped", lang, shown=EXCEL_ROWS)))
        for i, (key, value) in enumerate(rows, start=2):
            ws.write_string(i, 0, key, self.bold)
            if isinstance(value, str):
                ws.write_string(i, 1, neutral(value))
            else:
                money = self.formats["#,##0.00"] if isinstance(value, float) else None
                ws.write_number(i, 1, value, money)
        top = len(rows) + 3
        ws.write_string(top, 0, t("by_rule", lang), self.bold)
        self.block(
            ws,
            top + 1,
            report.rule_totals.select("rule", "rule_name", "severity", "findings", "shortfall_cny"),
        )
        top += report.rule_totals.height + 3
        ws.write_string(top, 0, t("inputs", lang), self.bold)
        self.block(
            ws,
            top + 1,
            pl.DataFrame(
                [vars(f) for f in report.inputs],
                schema={
                    c: pl.String if c in ("table", "path", "sha256") else pl.Int64
                    for c in (
                        "table",
                        "path",
                        "sha256",
                        "rows_read",
                        "rows_audited",
                        "rows_rejected",
                    )
                },
            ),
        )


@register
class XlsxFormat(Format):
    name = "xlsx"
    suffix = ".xlsx"
    binary = True

    def write(self, report: Report, out: BinaryIO) -> None:
        book, lang = _Book(out, report.lang), report.lang
        book.summary(report)
        book.sheet(t("findings", lang), report.findings, FINDING_COLUMNS)
        book.sheet(t("workers", lang), report.workers, WORKERS)
        book.sheet(t("data_issues", lang), report.issues, ISSUES)
        book.sheet(t("parameters", lang), report.parameters, PARAMETERS)
        book.wb.close()
