"""Raw tables from files: every format of SPEC §1, read as found (original headers), with `_row`:
the row a spreadsheet shows (header = 1) for CSV and Excel, the 1-based record number otherwise.
Blank lines keep their number but are not rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from payaudit.errors import InputError
from payaudit.io.text import GZIP_MAGIC, utf8_file
from payaudit.schema import EXTRA

TEXT_KINDS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson",
}  # fmt: skip
EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE)
PARQUET_MAGIC = b"PAR1"
SUFFIXES = (*TEXT_KINDS, ".xlsx", ".xlsm", ".xls", ".parquet", ".pq", ".gz")


def _text_kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return TEXT_KINDS.get(suffixes[-1]) if suffixes else None


def _separator(path: Path, kind: str) -> str:
    """The header line's most frequent of , ; | and tab (many 'CSV' exports use tabs)."""
    if kind == "tsv":
        return "\t"
    with path.open(encoding="utf-8", errors="replace") as f:
        header = f.readline()
    return max(",\t;|", key=header.count)


def _csv(path: Path, kind: str) -> pl.LazyFrame:
    """All text; a row with more fields than the header keeps the first surplus one in EXTRA
    (its row is then rejected, not silently shifted: think of an unquoted 1,234.50)."""
    separator = _separator(path, kind)
    names = pl.scan_csv(path, separator=separator, infer_schema=False, n_rows=0)
    schema = dict.fromkeys([*names.collect_schema().names(), EXTRA], pl.String)
    frame = pl.scan_csv(
        path,
        separator=separator,
        has_header=False,
        skip_rows=1,
        schema=schema,
        missing_columns="insert",
        truncate_ragged_lines=True,
    )
    return frame.with_row_index("_row", offset=2)


def _json(path: Path, kind: str) -> pl.LazyFrame:
    with path.open(encoding="utf-8") as f:
        first = f.read(4096).lstrip("\ufeff \t\r\n")[:1]
    frame = pl.read_json(path) if first == "[" else pl.scan_ndjson(path)
    return frame.lazy().with_row_index("_row", offset=1)


def _excel(path: Path, sheet: str | None) -> pl.LazyFrame:
    # Every cell as text (fastexcel writes dates as ISO, 3.0 as 3): parsing is one path for all.
    where = {"sheet_name": sheet} if sheet else {"sheet_id": 1}
    frame = pl.read_excel(
        path, infer_schema_length=0, drop_empty_rows=False, raise_if_empty=False, **where
    )
    return frame.lazy().with_row_index("_row", offset=2)


def _magic(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(4)


def _raw(path: Path, sheet: str | None, workdir: Path, gb18030: bool) -> pl.LazyFrame:
    if path.is_dir():
        return pl.scan_parquet(path, hive_partitioning=True).with_row_index("_row", offset=1)
    magic = _magic(path)
    if magic.startswith(EXCEL_MAGIC):
        return _excel(path, sheet)
    if magic == PARQUET_MAGIC:
        return pl.scan_parquet(path).with_row_index("_row", offset=1)
    kind = _text_kind(path)
    if kind is None:
        what = "gzip-compressed data" if magic.startswith(GZIP_MAGIC) else "a known format"
        raise InputError(
            f"{path} is not {what} payaudit reads by its name: use .csv, .tsv, .json, .ndjson, "
            ".xlsx or .parquet (optionally .gz for text)."
        )
    text = utf8_file(path, workdir, gb18030)
    return _json(text, kind) if kind in ("json", "ndjson") else _csv(text, kind)


def read_raw(path: Path, sheet: str | None, workdir: Path, gb18030: bool = False) -> pl.LazyFrame:
    """The table in `path` with its own headers and `_row` (Int64); blank rows left out.
    `gb18030`: the text is GB18030 even though its head read as UTF-8."""
    try:
        frame = _raw(path, sheet, workdir, gb18030)
        schema = frame.collect_schema()
    except InputError:
        raise
    except pl.exceptions.NoDataError:
        raise InputError(f"{path} is empty: it has no header row.") from None
    except Exception as exc:  # Polars, fastexcel, OS: any unreadable file is one sentence
        raise InputError(f"{path} cannot be read: {reason(exc)}") from None
    if not set(schema) - {"_row", EXTRA}:
        raise InputError(f"{path} has no columns.")
    frame = frame.with_columns(pl.col("_row").cast(pl.Int64))
    if any(dtype != pl.String for name, dtype in schema.items() if name != "_row"):
        return frame  # typed formats (Parquet, JSON) have no blank lines
    text = pl.all().exclude("_row").str.strip_chars().fill_null("")
    return frame.filter(~pl.all_horizontal(text == ""))


def reason(exc: Exception) -> str:
    """The first line of an error from a library, as the end of a sentence."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).rstrip(".") + "."
