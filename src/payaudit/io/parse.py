"""Raw cells → contract types, as Polars expressions (vectorised; no Python per row).

Each parser takes the raw column and its dtype (CSV and Excel give text; Parquet and JSON give
their own types) and returns the typed value, null when the cell is empty or unreadable; a cell
is unreadable (D002/D006) when its text is not empty but its value is null.

Money becomes exact Int64 fen from the decimal digits, never through a float; a third decimal
and beyond is rounded half-up to the fen (12.345 → 1235 fen). Times are naive Asia/Shanghai:
an offset is converted, epoch seconds/milliseconds are UTC, Excel serial numbers are local;
a bare date in a time column means midnight. Compact 20250106 and 20250106093000 are read
before any number is taken for an Excel serial or an epoch.
"""

from __future__ import annotations

import polars as pl

from payaudit.contracts import Column

TZ = "Asia/Shanghai"
TIME = pl.Datetime("us")
_NAIVE = ("%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M")
_OFFSET = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z")
# 2025/1/6, 2025.01.06, 2025年1月6日 (with T or space before a time) → 2025-1-6 + space.
_DATE_PART = r"^([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?\s*[T ]?\s*"
# [0-9], not \d: Polars' \d matches any Unicode digit (full-width １２), which no cast reads
_MONEY = r"^([+-])?([0-9]{1,15})?(?:\.([0-9]+))?$"
_MONEY_NOISE = r"[\s¥￥元]|RMB|CNY|人民币"
# Commas are read only as thousands separators in groups of three: 1.234,50 or 12,5 (a
# decimal comma) would otherwise read as 1.2345 or 125, so they stay and are unreadable.
_GROUPED = r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$"
# 1.0/0.0: a column of 1/0 with blanks, as pandas writes it; √/×: ticks in a Chinese sheet
_TRUE = ("true", "yes", "y", "t", "1", "1.0", "是", "有", "真", "√", "✓")
_FALSE = ("false", "no", "n", "f", "0", "0.0", "否", "无", "假", "×", "✗")
_BOOLS = dict.fromkeys(_TRUE, True) | dict.fromkeys(_FALSE, False)
_EXCEL_EPOCH = pl.datetime(1899, 12, 30, time_unit="us")


def text(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The cell as trimmed text, null when empty; 1001.0 from a spreadsheet reads 1001."""
    if dtype.is_float():
        whole = raw.cast(pl.Int64, strict=False)
        value = pl.when(raw == whole).then(whole.cast(pl.String)).otherwise(raw.cast(pl.String))
    else:
        value = raw.cast(pl.String, strict=False).str.strip_chars()
    return pl.when(value != "").then(value)


def _local(moment: pl.Expr) -> pl.Expr:
    """A UTC or offset time as naive Asia/Shanghai time."""
    return moment.dt.convert_time_zone(TZ).dt.replace_time_zone(None).dt.cast_time_unit("us")


def _epoch_ms(ms: pl.Expr) -> pl.Expr:
    utc = pl.from_epoch(ms.round().cast(pl.Int64), time_unit="ms").dt.replace_time_zone("UTC")
    return _local(utc)


def _from_number(x: pl.Expr) -> pl.Expr:
    """Excel serial days (local), else epoch seconds or milliseconds (UTC), told by magnitude."""
    serial = _EXCEL_EPOCH + pl.duration(seconds=(x * 86400).round().cast(pl.Int64))
    return (
        pl.when((x >= 1) & (x < 1e6))
        .then(serial)
        .when((x >= 1e8) & (x < 1e11))
        .then(_epoch_ms(x * 1000))
        .when((x >= 1e11) & (x < 1e14))
        .then(_epoch_ms(x))
    )


def normalised(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Time or date text in one shape, 2025-1-6 9:00, computed once before the parsers try it."""
    if dtype != pl.String:
        return raw
    s = text(raw, dtype).str.replace(_DATE_PART, "${1}-${2}-${3} ").str.strip_chars()
    return s.str.replace(r"(?i)z$", "+00:00")


def time(s: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """`s`: the column of `normalised` (or the raw column of a typed format)."""
    if isinstance(dtype, pl.Datetime):
        return (_local(s) if dtype.time_zone else s).cast(TIME)
    if dtype == pl.Date:
        return s.cast(TIME)
    if dtype.is_numeric():
        return _from_number(s.cast(pl.Float64))
    return pl.coalesce(
        *(s.str.to_datetime(f, time_unit="us", strict=False, cache=False) for f in _NAIVE),
        *(_local(s.str.to_datetime(f, time_unit="us", strict=False, cache=False)) for f in _OFFSET),
        s.str.to_date("%Y-%m-%d", strict=False, cache=False).cast(TIME),
        # Compact forms only at their exact length: a 13-digit epoch in milliseconds would
        # otherwise read as a date-time of the year 1741.
        pl.when(s.str.contains(r"^[0-9]{14}$")).then(
            s.str.to_datetime("%Y%m%d%H%M%S", time_unit="us", strict=False, cache=False)
        ),
        pl.when(s.str.contains(r"^[0-9]{8}$")).then(
            s.str.to_date("%Y%m%d", strict=False, cache=False).cast(TIME)
        ),
        _from_number(s.cast(pl.Float64, strict=False)),
    )


def date(s: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return s if dtype == pl.Date else time(s, dtype).dt.date()


def _exact_decimal(dtype: pl.DataType) -> bool:
    """A typed decimal of at most two places (Parquet's usual money) is already exact fen."""
    return isinstance(dtype, pl.Decimal) and dtype.scale <= 2


def money_text(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Money text without thousands separators, currency signs or spaces, computed once."""
    if dtype.is_integer() or _exact_decimal(dtype):
        return raw
    s = text(raw, dtype).str.replace_all(_MONEY_NOISE, "")
    ungrouped = s.str.replace_all(",", "", literal=True)
    return pl.when(s.str.contains(_GROUPED)).then(ungrouped).otherwise(s)


def money(s: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Exact fen: digits before the point × 100, two decimals, the third rounds half-up."""
    if dtype.is_integer():
        return s.cast(pl.Int64) * 100
    if _exact_decimal(dtype):  # the decimal's own integer of fen (or dimes, yuan): no arithmetic
        units = s.to_physical()
        return (units if dtype.scale == 2 else units * 10 ** (2 - dtype.scale)).cast(pl.Int64)
    sign, whole, decimals = pl.field("1"), pl.field("2"), pl.field("3")
    thousandths = decimals.str.pad_end(3, "0").str.slice(0, 3).cast(pl.Int64).fill_null(0)
    fen = whole.cast(pl.Int64).fill_null(0) * 100 + thousandths // 10
    fen += (thousandths % 10 >= 5).cast(pl.Int64)
    fen = pl.when(sign == "-").then(-fen).otherwise(fen)
    fen = pl.when(whole.is_not_null() | decimals.is_not_null()).then(fen)
    return s.str.extract_groups(_MONEY).struct.with_fields(fen=fen).struct.field("fen")


def boolean(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return raw
    low = text(raw, dtype).str.to_lowercase()
    return low.replace_strict(_BOOLS, default=None, return_dtype=pl.Boolean)


def number(raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_numeric():
        return raw.cast(pl.Float64)
    s = text(raw, dtype).str.replace(r"\s*(℃|°C|°|C)$", "")
    return s.cast(pl.Float64, strict=False)


def enum(column: Column, raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """The canonical value of any of its spellings (case-insensitive), else null."""
    spellings = {s.lower(): value for value, names in column.values.items() for s in names}
    low = text(raw, dtype).str.to_lowercase()
    return low.replace_strict(spellings, default=None, return_dtype=pl.String)


PARSERS = {"time": time, "date": date, "money": money, "bool": boolean, "number": number}
PREPARE = {"time": normalised, "date": normalised, "money": money_text}
# The usual forms of a time or date, each tried in one fixed-format pass on what the forms
# before it left unread; only what none reads goes through `prepared` and every form of `value`.
_FAST = {
    "time": ("to_datetime", ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")),
    "date": ("to_date", ("%Y-%m-%d", "%Y/%m/%d")),
}
FAST_PASSES = 2


# At most 13 digits before the point: fen then stay below 10^15 < 2^53, where a double parsed
# from the text and scaled by 100 lies within a quarter of the integer, so rounding is exact.
_PLAIN_MONEY = r"^[+-]?[0-9]{1,13}(?:\.[0-9]{1,2})?$"


def _plain_money(s: pl.Expr) -> pl.Expr:
    """12.3 or 1234.56: at most two decimals and 13 digits, read as a double and rounded to
    whole fen, which is exact for these (see _PLAIN_MONEY; ~20 % less CPU than a decimal cast,
    ~5× less than the full parser, which every other form, ¥1,234.567 say, still goes
    through)."""
    fen = (s.cast(pl.Float64, strict=False) * 100).round().cast(pl.Int64)
    return pl.when(s.str.contains(_PLAIN_MONEY)).then(fen)


def fast(column: Column, dtype: pl.DataType) -> list:
    """Parsers of the usual forms of `column` (text in, typed value out), in order."""
    if dtype != pl.String:
        return []
    if column.type == "money":
        return [_plain_money]
    if column.type == "enum":  # a spelling as the contract writes it; any other case after
        spellings = {s: value for value, names in column.values.items() for s in names}
        return [lambda e: e.replace_strict(spellings, default=None, return_dtype=pl.String)]
    if column.type not in _FAST:
        return []
    method, formats = _FAST[column.type]
    dtype = TIME if column.type == "time" else pl.Date
    return [
        lambda e, f=f: getattr(e.str, method)(f, strict=False, cache=False).cast(dtype)
        for f in formats
    ]


def native(column: Column, dtype: pl.DataType) -> bool:
    """The file already holds the contract's type (typed Parquet, JSON or Excel cells), so the
    value cannot fail to parse and no text of the cell is needed."""
    kind = column.type
    return (
        (kind in ("time", "date") and isinstance(dtype, (pl.Datetime, pl.Date)))
        or (kind == "money" and (dtype.is_integer() or _exact_decimal(dtype)))
        or (kind == "bool" and dtype == pl.Boolean)
        or (kind == "number" and dtype.is_numeric())
    )


def prepared(column: Column, raw: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """What the parser of `column` reads, computed as its own column first: Polars would
    otherwise recompute it in every branch of a coalesce."""
    return PREPARE.get(column.type, lambda r, _: r)(raw, dtype)


def value(column: Column, s: pl.Expr, dtype: pl.DataType, empty: pl.Expr) -> pl.Expr:
    """The typed value for `column` of the contract from `s`, the column of `prepared`;
    `empty`: the cell is empty, so the contract's default applies."""
    if column.type == "enum":
        parsed = enum(column, s, dtype)
    elif column.type in PARSERS:
        parsed = PARSERS[column.type](s, dtype)
    else:  # text, district
        parsed = text(s, dtype)
    if column.default is not None:
        parsed = pl.when(empty).then(pl.lit(column.default)).otherwise(parsed)
    return parsed
