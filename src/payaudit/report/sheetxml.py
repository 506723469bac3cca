"""Fast rows for the Excel report: a sheet's cells written as SpreadsheetML by Polars string
expressions, spliced into the workbook xlsxwriter wrote (header, widths, filters, print set-up).

xlsxwriter writes a cell in a few microseconds of Python: 500k findings × 15 columns took well
over a minute. Here each column becomes one vectorised expression and a block of rows one string,
so the time goes into compressing the file. Strings are inline (no shared-string table to keep
in memory); a cell's style is the index of an xlsxwriter Format, so number, date and wrap formats
are the workbook's own.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

import polars as pl
from xlsxwriter.utility import xl_col_to_name

BLOCK_ROWS = 20_000  # rows turned into one string at a time: bounded memory
MAX_TEXT = 32_767  # Excel's longest cell text
_EXCEL_EPOCH = pl.date(1899, 12, 30)
_ILLEGAL_XML = r"[\x00-\x08\x0B\x0C\x0E-\x1F]"  # characters XML 1.0 cannot hold
_NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"


@dataclass
class Rows:
    """The rows of one sheet below its header: the frame as shown (localised), one style index
    per column, and the columns whose numeric-looking text is stored as a number."""

    frame: pl.DataFrame
    styles: list[int]
    numeric_text: set[str] = field(default_factory=set)


def _escaped(text: pl.Expr) -> pl.Expr:
    return (
        text.str.slice(0, MAX_TEXT)
        .str.replace_all(_ILLEGAL_XML, "")
        .str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _cell(name: str, dtype: pl.DataType, ref: pl.Expr, style: int, numeric_text: bool) -> pl.Expr:
    """One cell's XML; "" (no cell) when the value is null or not a finite number."""
    value = pl.col(name)
    head = pl.concat_str(pl.lit('<c r="'), ref, pl.lit(f'" s="{style}"'))

    def typed(kind: str, text: pl.Expr) -> pl.Expr:
        return pl.concat_str(head, pl.lit(f"{kind}><v>"), text, pl.lit("</v></c>"))

    if dtype == pl.Boolean:
        cell = typed(' t="b"', value.cast(pl.Int8).cast(pl.String))
    elif dtype == pl.Date:  # a date is its serial day number, shown by the date format
        cell = typed("", (value - _EXCEL_EPOCH).dt.total_days().cast(pl.String))
    elif dtype.is_integer():
        cell = typed("", value.cast(pl.String))
    elif dtype.is_float():
        cell = pl.when(value.is_finite()).then(typed("", value.cast(pl.String)))
    else:
        text = value.cast(pl.String)
        cell = pl.concat_str(
            head,
            pl.lit(' t="inlineStr"><is><t xml:space="preserve">'),
            _escaped(text),
            pl.lit("</t></is></c>"),
        )
        if numeric_text:
            cell = pl.when(text.str.contains(_NUMBER)).then(typed("", text)).otherwise(cell)
    return cell.fill_null("")


def _xml(block: pl.DataFrame, first_row: int, rows: Rows, out: BinaryIO) -> None:
    """Write `block`'s rows as <row> elements, the first numbered `first_row` (1-based)."""
    row = (pl.int_range(pl.len()) + first_row).cast(pl.String)
    cells = [
        _cell(
            name, dtype, pl.lit(xl_col_to_name(j)) + row, rows.styles[j], name in rows.numeric_text
        )
        for j, (name, dtype) in enumerate(block.schema.items())
    ]
    xml = block.select(
        pl.concat_str(pl.lit('<row r="'), row, pl.lit('">'), *cells, pl.lit("</row>"))
    )
    # One text column written bare (no quotes, no separators): straight from Polars to bytes.
    xml.write_csv(out, include_header=False, quote_style="never", line_terminator="")


def splice(workbook: bytes, sheets: dict[int, Rows], out: BinaryIO) -> None:
    """Copy the xlsx `workbook` to `out`, the rows of sheet n (1-based, as xlsxwriter names the
    parts) added after its header row."""
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            data = source.read(item)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", item.filename)
            rows = sheets.get(int(match.group(1))) if match else None
            if rows is None:
                target.writestr(item, data, compresslevel=6)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            last = xl_col_to_name(max(0, rows.frame.width - 1)) + str(rows.frame.height + 1)
            head = re.sub(
                rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>'.encode(), head
            )
            with target.open(item.filename, "w", force_zip64=True) as part:
                part.write(head)
                for start in range(0, rows.frame.height, BLOCK_ROWS):
                    _xml(rows.frame.slice(start, BLOCK_ROWS), start + 2, rows, part)
                part.write(b"</sheetData>" + tail)
