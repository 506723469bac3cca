"""Raw tables from files: every format payaudit reads, as found (original headers), with `_row`:
the row a spreadsheet shows (header = 1 in a CSV; the sheet's own number in Excel) for CSV and
Excel, the 1-based record number otherwise.

CSV and Excel cells are read by position and the headers kept apart, so that a header named
twice is seen (not renamed) and the columns nobody asked for are never parsed."""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from payaudit.errors import InputError, PayauditError
from payaudit.io.text import GZIP_MAGIC, utf8_file
from payaudit.schema import BROKEN, EXTRA

TEXT_KINDS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson",
}  # fmt: skip
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE)
PARQUET_MAGIC = b"PAR1"
_BINARY_KINDS = {".xlsx": "Excel", ".xlsm": "Excel", ".xls": "Excel", ".parquet": "Parquet",
                 ".pq": "Parquet"}  # fmt: skip
SUFFIXES = (*TEXT_KINDS, *_BINARY_KINDS, ".gz")
TITLE_ROWS = 50  # rows of a sheet searched for its header, below title rows and notes
CELL = 1 << 30  # the longest cell read while looking for the header (csv's default: 128 KiB)


@dataclass
class Raw:
    """A file's cells: `frame` has `_row` and one column per header (named `columns[i]` for
    `headers[i]`), plus EXTRA (CSV) or BROKEN (NDJSON) when the format can have them."""

    frame: pl.LazyFrame
    headers: list[str]
    columns: list[str]
    header_row: int | None  # the row number of the headers, where a row shows them


def delimited(path: Path) -> bool:
    """Whether `path` is read as CSV or TSV (by its name)."""
    return _text_kind(path) in ("csv", "tsv")


def _text_kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return TEXT_KINDS.get(suffixes[-1]) if suffixes else None


def positional(headers: list[str]) -> list[str]:
    return [f"_c{n}" for n in range(len(headers))]


def _csv(
    path: Path,
    kind: str,
    is_header: Callable[[list[str]], bool],
    requote: Path | None = None,
    source: Path | None = None,
) -> Raw:
    """All text; a row with more fields than the header keeps the first surplus one in EXTRA
    (its row is then rejected, not silently shifted: think of an unquoted 1,234.50). Title
    lines above the header are skipped, as in a sheet. `requote`: a folder to write the file
    rewritten record by record (_requoted) when its quoting stopped Polars' reader; `source`:
    the file as the user named it (`path` may be its UTF-8 copy)."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        # the separator: the most frequent of , ; | and tab (many 'CSV' exports use tabs) on
        # the first line that has any (a title line may have none)
        line = next((x for x in itertools.islice(f, TITLE_ROWS) if any(map(x.count, ",\t;|"))), "")
        separator = "\t" if kind == "tsv" else max(",\t;|", key=line.count)
        f.seek(0)
        limit = csv.field_size_limit(CELL)  # a long note is a cell too, as Polars reads it
        try:
            records = list(itertools.islice(csv.reader(f, delimiter=separator), TITLE_ROWS))
        finally:
            csv.field_size_limit(limit)
    filled = [n for n, record in enumerate(records) if any(cell.strip() for cell in record)]
    if not filled:
        raise InputError(f"{path} is empty: it has no header row.")
    found = next((n for n in filled if is_header(records[n])), filled[0])
    headers = records[found]
    columns = positional(headers)
    if requote is not None:
        path = _requoted(path, separator, requote, source or path)
    frame = pl.scan_csv(
        path,
        separator=separator,
        has_header=False,
        skip_rows=found + 1,
        schema=dict.fromkeys([*columns, EXTRA], pl.String),
        missing_columns="insert",
        truncate_ragged_lines=True,
    )
    return Raw(frame.with_row_index("_row", offset=found + 2), headers, columns, found + 1)


def _requoted(path: Path, separator: str, folder: Path, source: Path) -> Path:
    """The file as Python's csv module reads it, written again with regular quoting: a quote
    inside a field (W"1, 5" screen) is text there, where Polars' reader gives up on the whole
    file. A quote that opens a field and never closes is no record: the run stops at its row."""
    target = folder / f"{len(list(folder.iterdir()))}.csv"
    limit = csv.field_size_limit(CELL)
    try:
        with (
            path.open(encoding="utf-8-sig", errors="replace", newline="") as f,
            target.open("w", encoding="utf-8", newline="") as out,
        ):
            reader, writer = csv.reader(f, delimiter=separator, strict=True), csv.writer(out)
            begun = 1  # the line the record being read begins on
            try:
                for record in reader:
                    writer.writerow(record)
                    begun = reader.line_num + 1
            except csv.Error:
                raise InputError(
                    f"{source} row {begun}: a quote opens a field that never closes; close it "
                    "or remove it."
                ) from None
    finally:
        csv.field_size_limit(limit)
    return target


def _frame(records: list) -> pl.DataFrame:
    """Records as a frame: a value of mixed types reads as text, a nested one as its JSON."""
    flat = [
        {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
         for k, v in r.items()}
        for r in records
    ]  # fmt: skip
    return pl.from_dicts(flat, infer_schema_length=None, strict=False) if flat else pl.DataFrame()


def _document(path: Path, array: bool) -> pl.DataFrame | None:
    """The records of a JSON document: an array, or the first array an object wraps
    ({"data": [...]}); None when the file is not one document (NDJSON, say) and `array`,
    whether it starts as an array, is false."""
    try:
        with path.open(encoding="utf-8-sig") as f:
            data = json.load(f)
    except json.JSONDecodeError as exc:
        if not array:
            return None
        raise InputError(f"{path} is not valid JSON: {exc}.") from None
    if isinstance(data, dict):
        data = next((v for v in data.values() if isinstance(v, list)), [data])
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise InputError(f"{path} is not a JSON array of records (objects).")
    return _frame(data)


def _lines(path: Path) -> pl.DataFrame:
    """NDJSON read line by line: a line that is not a JSON object is kept as a row with its
    text in BROKEN (then rejected), so that every record is accounted for."""
    records = []
    with path.open(encoding="utf-8-sig") as f:
        for line in filter(str.strip, f):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            records.append(record if isinstance(record, dict) else {BROKEN: line.strip()[:80]})
    return _frame(records)


def _flat(frame: pl.DataFrame) -> bool:
    return not any(dtype.is_nested() for dtype in frame.dtypes)


def _json(path: Path, kind: str) -> Raw:
    with path.open(encoding="utf-8") as f:
        head = f.read(4096).lstrip("\ufeff \t\r\n")
    frame = None
    with contextlib.suppress(Exception):  # the fast reader, for the usual flat records
        frame = pl.read_json(path) if head[:1] == "[" else pl.read_ndjson(path)
    if frame is None or not _flat(frame):
        array = head[:1] == "["
        frame = _document(path, array) if kind == "json" or array else None
        frame = _lines(path) if frame is None else frame
    return _records(frame.lazy())


def _excel(path: Path, sheet: str | None, is_header: Callable[[list[str]], bool]) -> Raw:
    """Every cell as text (fastexcel writes dates as ISO, 3.0 as 3), by the sheet's own row
    numbers: blank rows above or between rows never shift them. The header is the first row
    holding the required columns, so title rows above it are skipped."""
    book = fastexcel.read_excel(path)
    if sheet is not None and sheet not in book.sheet_names:
        names = ", ".join(book.sheet_names)
        raise InputError(f"{path} has no sheet '{sheet}' (--sheet); its sheets: {names}.")
    loaded = book.load_sheet(sheet or 0, header_row=None, skip_rows=0, dtypes="string")
    cells = loaded.to_polars().with_row_index("_row", offset=1)
    if cells.width == 1:
        raise InputError(f"{path} is empty: it has no header row.")
    columns = cells.columns[1:]
    filled = cells.filter(pl.any_horizontal(pl.col(columns).str.strip_chars() != "")).head(
        TITLE_ROWS
    )
    rows = [[cell or "" for cell in row[1:]] for row in filled.iter_rows()]
    if not rows:
        raise InputError(f"{path} is empty: it has no header row.")
    found = next((n for n, row in enumerate(rows) if is_header(row)), 0)
    header_row = filled.item(found, "_row")
    data = cells.filter(pl.col("_row") > header_row)
    return Raw(data.lazy(), rows[found], columns, header_row)


def _parquet_folder(path: Path) -> pl.LazyFrame:
    """A partitioned Parquet table (Spark's, Hive's): its data files, not the hidden ones
    beside them (.crc checksums, _SUCCESS), each with its partition values (day=1/) as text
    columns, as one table even when the files disagree (a column only some have, an integer
    column another stores as floats)."""
    files = [
        f for f in sorted(path.rglob("*.parquet"))
        if not any(part.startswith((".", "_")) for part in f.relative_to(path).parts)
    ]  # fmt: skip
    if not files:
        raise InputError(
            f"{path} is a folder without .parquet files: a folder named for one table is "
            "read as partitioned Parquet; give it as a PATH to find its tables by name."
        )
    parts = []
    for f in files:
        keys = dict(p.split("=", 1) for p in f.relative_to(path).parts[:-1] if "=" in p)
        parts.append(pl.scan_parquet(f).with_columns(pl.lit(v).alias(k) for k, v in keys.items()))
    return pl.concat(parts, how="diagonal_relaxed")


def _magic(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(4)


def _raw(
    path: Path, sheet: str | None, workdir: Path, transcode: bool, is_header, requote: bool
) -> Raw:
    if path.is_dir():
        frame = _parquet_folder(path)
    elif (magic := _magic(path)).startswith(EXCEL_MAGIC):
        return _excel(path, sheet, is_header)
    elif magic == PARQUET_MAGIC:
        frame = pl.scan_parquet(path)
    else:
        kind = _text_kind(path)
        named = _BINARY_KINDS.get(path.suffix.lower())
        if kind is None and named:  # named as a workbook or Parquet, but its bytes are not one
            raise InputError(f"{path} is not a valid {named} file, though its name says it is.")
        if kind is None:
            what = "gzip-compressed data" if magic.startswith(GZIP_MAGIC) else "a known format"
            raise InputError(
                f"{path} is not {what} payaudit reads by its name: use .csv, .tsv, .json, "
                ".ndjson, .xlsx or .parquet (optionally .gz for text)."
            )
        text = utf8_file(path, workdir, transcode)
        if kind in ("json", "ndjson"):
            return _json(text, kind)
        return _csv(text, kind, is_header, workdir if requote else None, path)
    return _records(frame)


def _records(frame: pl.LazyFrame) -> Raw:
    """A typed table, its columns named by position: a header such as `_row` is data too."""
    headers = [c for c in frame.collect_schema().names() if c != BROKEN]
    columns = positional(headers)
    frame = frame.rename(dict(zip(headers, columns, strict=True)))
    return Raw(frame.with_row_index("_row", offset=1), headers, columns, None)


def read_raw(
    path: Path,
    sheet: str | None,
    workdir: Path,
    transcode: bool = False,
    is_header: Callable[[list[str]], bool] = lambda _: True,
    requote: bool = False,
) -> Raw:
    """The cells of `path` with its own headers (see Raw); `_row` is Int64. `transcode`: the
    text is decoded line by line even though its head read as UTF-8. `is_header`: whether a
    row of a sheet is its header. `requote`: a CSV is read record by record (_requoted)."""
    try:
        raw = _raw(path, sheet, workdir, transcode, is_header, requote)
        raw.frame.collect_schema()
    except PayauditError:  # a sentence already (a config error found on the header row)
        raise
    except pl.exceptions.NoDataError:
        raise InputError(f"{path} is empty: it has no header row.") from None
    except Exception as exc:  # Polars, fastexcel, OS: any unreadable file is one sentence
        raise InputError(f"{path} cannot be read: {reason(exc)}") from None
    if not raw.headers:
        raise InputError(f"{path} has no columns.")
    raw.frame = raw.frame.with_columns(pl.col("_row").cast(pl.Int64))
    return raw


def reason(exc: Exception) -> str:
    """The first line of an error from a library, as the end of a sentence."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".") + "."
