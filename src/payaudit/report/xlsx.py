"""Excel: sheets Summary, Findings, Workers, Data issues, Parameters, named and titled in --lang;
frozen header, filters, widths, long text wrapped, CNY and hour formats, severity highlighted,
and ready to print: landscape A4, fitted to the page's width, the header row on every page.

Every text cell is written as a string, never a formula, and formula-looking text gets an
apostrophe in front as well. The rows of each table sheet are written by `sheetxml` (fast);
the rest (headers, formats, the Summary) by xlsxwriter.
"""

from __future__ import annotations

import io
from typing import Any, BinaryIO

import polars as pl
import xlsxwriter

from payaudit import __version__
from payaudit.dataset import INPUT_SCHEMA
from payaudit.i18n import (
    CATEGORIES,
    PARAM_NAMES,
    SEVERITIES,
    UNITS,
    column,
    labels,
    pack_version,
    t,
)

from .base import Format, register
from .model import FINDING_COLUMNS, Report
from .safety import neutral, neutralise_strings
from .sheetxml import Rows, splice

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
}
MAX_WIDTH = 60  # wider text wraps within the column
A4 = 9  # Excel's paper code
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
    if lang == "zh" and "name" in frame.columns:  # rule-pack parameter names
        frame = frame.with_columns(pl.col("name").replace(PARAM_NAMES))
    return frame.rename({c: column(c, lang) for c in columns})


class _Book:
    """A workbook whose table sheets' rows are spliced in when it is written out."""

    def __init__(self, lang: str) -> None:
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, WORKBOOK_OPTIONS)
        self.lang = lang
        self.rows: dict[int, Rows] = {}
        self.bold = self.wb.add_format({"bold": True, "valign": "top"})
        self.header = self.wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = self.wb.add_format({"valign": "top"})
        self.wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.formats = {
            f: self.wb.add_format({"num_format": f, "valign": "top"})
            for f in {*NUMBER_FORMATS.values(), "yyyy-mm-dd"}
        }
        self.fills = {s: self.wb.add_format(f) for s, f in SEVERITY_FILL.items()}

    def _style(self, name: str, dtype: pl.DataType, width: int) -> Any:
        if dtype == pl.Date:
            return self.formats["yyyy-mm-dd"]
        if name in NUMBER_FORMATS:
            return self.formats[NUMBER_FORMATS[name]]
        return self.wrap if width >= MAX_WIDTH else self.text

    @staticmethod
    def print_setup(ws: Any, landscape: bool = True) -> None:
        """A4, fitted to the page's width (as many pages down as needed), header row repeated."""
        if landscape:
            ws.set_landscape()
        ws.set_paper(A4)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.set_footer("&C&P / &N")

    def sheet(
        self, name: str, frame: pl.DataFrame, columns: list[str], numeric_text: tuple = ()
    ) -> None:
        frame = frame.select(columns).head(EXCEL_ROWS)
        data = _localised(frame, columns, self.lang)
        ws = self.wb.add_worksheet(name)
        widths = list(_widths(data).values())
        styles = [
            self._style(c, dtype, w)
            for (c, dtype), w in zip(frame.schema.items(), widths, strict=True)
        ]
        for j, (width, style) in enumerate(zip(widths, styles, strict=True)):
            ws.set_column(j, j, width, style)
        ws.write_row(0, 0, data.columns, self.header)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(1, frame.height), len(columns) - 1)
        ws.repeat_rows(0)
        self.print_setup(ws)
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
        self.rows[len(self.wb.worksheets())] = Rows(
            data,
            [s._get_xf_index() for s in styles],  # xlsxwriter's index of each Format
            {column(c, self.lang) for c in numeric_text},
        )

    def close(self, out: BinaryIO) -> None:
        self.wb.close()
        splice(self.buffer.getvalue(), self.rows, out)


def _summary(book: _Book, report: Report) -> None:
    """Key figures, findings by rule and the inputs, in cells wide enough (or wrapped) that
    nothing is cut off."""
    lang, s, m = book.lang, report.summary, report.manifest
    ws = book.wb.add_worksheet(t("summary", lang))
    widths: dict[int, int] = {}

    def put(i: int, j: int, value: Any, style: Any = None) -> None:
        if isinstance(value, str):
            ws.write_string(i, j, neutral(value), style or book.wrap)
            widths[j] = max(widths.get(j, 8), min(MAX_WIDTH, _width(value) + 2))
        elif value is not None:
            money = book.formats["#,##0.00"] if isinstance(value, float) else book.text
            ws.write_number(i, j, value, style or money)
            widths[j] = max(widths.get(j, 8), 14)

    ws.write_string(0, 0, t("title", lang), book.wb.add_format({"bold": True, "font_size": 14}))
    period = report.period and f"{report.period[0]} – {report.period[1]}"
    rows: list[tuple[str, Any]] = [
        (t("audited_range", lang), period or t("no_data", lang)),
        (t("rule_pack", lang), f"{m['jurisdiction']}, {pack_version(m['rule_pack'], lang)}"),
        (t("generated_at", lang), m["generated_at"]),
        (t("version", lang), __version__),
        (t("command_line", lang), " ".join(map(str, m["command_line"]))),
        (t("workers_total", lang), s["workers"]),
        (t("out_of_scope", lang), s["workers_by_category"].get("independent", 0)),
        (t("total_findings", lang), report.total_findings),
        *((SEVERITIES[k][lang], n) for k, n in s["findings_by_severity"].items()),
        (t("total_shortfall", lang), s["shortfall_cny"]),
    ]
    if report.truncated:
        shown, total = report.findings.height, report.total_findings
        rows.append((t("findings", lang), t("truncated", lang, shown=shown, total=total)))
    if report.findings.height > EXCEL_ROWS:
        rows.append((t("findings", lang), t("xlsx_rows_capped", lang, shown=EXCEL_ROWS)))
    for i, (key, value) in enumerate(rows, start=2):
        put(i, 0, key, book.bold)
        put(i, 1, value)

    def block(top: int, title: str, frame: pl.DataFrame) -> int:
        put(top, 0, title, book.bold)
        data = _localised(frame, frame.columns, lang)
        for j, name in enumerate(data.columns):
            put(top + 1, j, name, book.header)
        for i, row in enumerate(data.iter_rows(), start=top + 2):
            for j, value in enumerate(row):
                put(i, j, value)
        return top + data.height + 3

    top = block(
        len(rows) + 3,
        t("by_rule", lang),
        report.rule_totals.select("rule", "rule_name", "severity", "findings", "shortfall_cny"),
    )
    block(
        top,
        t("inputs", lang),
        pl.DataFrame(
            [f.as_dict() for f in report.inputs],
            schema=INPUT_SCHEMA,
        ),
    )
    for j, width in widths.items():
        ws.set_column(j, j, width)
    book.print_setup(ws, landscape=False)


@register
class XlsxFormat(Format):
    name = "xlsx"
    suffix = ".xlsx"
    binary = True

    def write(self, report: Report, out: BinaryIO) -> None:
        book, lang = _Book(report.lang), report.lang
        _summary(book, report)
        book.sheet(t("findings", lang), report.findings, FINDING_COLUMNS)
        book.sheet(t("workers", lang), report.workers, WORKERS)
        book.sheet(t("data_issues", lang), report.issues, ISSUES)
        book.sheet(t("parameters", lang), report.parameters, PARAMETERS, numeric_text=("value",))
        book.close(out)
