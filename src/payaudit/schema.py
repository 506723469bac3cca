"""Validation of canonical frames: Pandera models derived from the contracts (types, required
values, ranges, unique ids), plain Polars for what spans columns or tables (end before start,
districts, references to the roster), and the D0xx catalogue every data issue comes from.

A row with an error issue is rejected (kept out of the audit); a warning keeps the row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from payaudit.contracts import Column, contract
from payaudit.dataset import ISSUE_SCHEMA
from payaudit.pandera_import import pandera, unused_hidden
from payaudit.rulepack import canonical_district_expr, is_city_expr

if TYPE_CHECKING:
    import pandera.polars as pa

DTYPES: dict[str, pl.DataType] = {
    "text": pl.String, "enum": pl.String, "district": pl.String, "time": pl.Datetime("us"),
    "date": pl.Date, "money": pl.Int64, "bool": pl.Boolean, "number": pl.Float64,
}  # fmt: skip
PARSED = frozenset({"time", "date", "money", "bool", "number", "enum"})
BAD = "_bad_"  # prefix of the loader's columns holding the text of a cell that did not parse
EXTRA = "_extra_fields"  # the loader's column holding a CSV row's first field beyond the header
BROKEN = "_broken_record"  # the loader's column holding an NDJSON line that is not a record
TOTAL, NOTE = "_total_row", "_note_row"  # the loader's columns holding a 合计 or 注： cell
# A row marked in one of these columns is not data: it gets this issue alone.
MARKS = {TOTAL: "D012", NOTE: "D013", BROKEN: "D014"}
FFFD = "\ufffd"  # what a byte in no supported encoding reads as
# Values outside these are implausible in any export (a year 0001 or 9999): data issues.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_ORDER = timedelta(hours=24)  # the longest order or shift that is plausible
_LONGEST = {"orders": ("accepted_at", "completed_at"), "shifts": ("start", "end")}
# Prefix of a column marking the rows that repeat an id seen earlier in the whole input, when
# a partition of it is validated alone (partition.py): such a column's uniqueness is decided.
REPEAT = "_repeat_"
# What a cell that did not parse should have been (D002 detail), per language.
_AS = {
    "en": {"time": "a time", "date": "a date", "money": "money", "bool": "yes or no",
           "number": "a number",
           "fields": "part of the row: it has more fields than the header (quote values "
                     "with commas)"},
    "zh": {"time": "应为时间", "date": "应为日期", "money": "应为金额", "bool": "应为是或否",
           "number": "应为数字", "fields": "该行字段多于表头，含逗号的值请加引号"},
}  # fmt: skip
_FIELDS = Column("fields", "text", "fields of a CSV row beyond its header")
_ROW = Column("row", "text", "a row that is not a record")


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    meaning: str
    message: dict[str, str]  # lang -> template with {column}, {value}, {detail}


ISSUES = {
    i.code: i
    for i in (
        Issue("D001", "error", "missing required value",
              {"en": "Required {column} is empty.", "zh": "必填列 {column} 为空。"}),
        Issue("D002", "error", "unparseable value (time, date, money, bool or number)",
              {"en": "{column} '{value}' cannot be read as {detail}.",
               "zh": "{column} 的值 '{value}' 无法解析（{detail}）。"}),
        Issue("D003", "error", "value out of range",
              {"en": "{column} {value} is out of range ({detail}).",
               "zh": "{column} 的值 {value} 超出范围（{detail}）。"}),
        Issue("D004", "error", "duplicate id: every occurrence after the first is rejected",
              {"en": "{column} '{value}' repeats an earlier row.",
               "zh": "{column} '{value}' 与前面的行重复。"}),
        Issue("D005", "error", "end before start",
              {"en": "{column} {value} is before {detail}.",
               "zh": "{column} {value} 早于 {detail}。"}),
        Issue("D006", "error", "unknown enum value (category, kind, hours_system)",
              {"en": "{column} '{value}' is not one of {detail}.",
               "zh": "{column} 的值 '{value}' 不在 {detail} 之中。"}),
        Issue("D007", "warning", "unknown district (row kept)",
              {"en": "{column} '{value}' is not a known district; its area class is unknown.",
               "zh": "{column} '{value}' 不是已知区县，无法确定地区类别。"}),
        Issue("D008", "error", "reference to a worker missing from the roster",
              {"en": "{column} '{value}' is not in the workers roster.",
               "zh": "{column} '{value}' 不在人员花名册中。"}),
        Issue("D009", "warning", "worker's area unknown, audited at class 1", {}),
        Issue("D010", "warning", "calendar bridging days unknown", {}),
        Issue("D011", "warning", "headers that match no column, ignored (one issue per file)",
              {"en": "Headers ignored, as they match no column: {value}.",
               "zh": "以下表头不对应任何列，已忽略：{value}。"}),
        Issue("D012", "error", "a total row (合计, 总计), not data",
              {"en": "The row is a total ('{value}'), not a record: rejected.",
               "zh": "该行是合计行（'{value}'），不是数据：已拒绝。"}),
        Issue("D013", "error", "a note row (注：), not data",
              {"en": "The row is a note ('{value}'), not a record: rejected.",
               "zh": "该行是注释行（'{value}'），不是数据：已拒绝。"}),
        Issue("D014", "error", "a line of NDJSON that is not a JSON object",
              {"en": "The line is not a JSON record: '{value}'.",
               "zh": "该行不是 JSON 记录：'{value}'。"}),
        Issue("D015", "error", "bytes in no supported encoding in a required value (rejected)",
              {"en": "{column} '{value}' holds bytes in no supported encoding (shown as \ufffd).",
               "zh": "{column} 的值 '{value}' 含无法识别编码的字节（显示为 \ufffd）。"}),
        Issue("D016", "warning", "bytes in no supported encoding in an optional value (kept)",
              {"en": "{column} '{value}' holds bytes in no supported encoding (shown as \ufffd).",
               "zh": "{column} 的值 '{value}' 含无法识别编码的字节（显示为 \ufffd）。"}),
        Issue("D017", "error", "an order or a shift longer than 24 hours",
              {"en": "{column} {value} is more than 24 hours after {detail}.",
               "zh": "{column} {value} 比 {detail} 晚 24 小时以上。"}),
        Issue("D018", "warning", "a worker whose roster row was rejected, audited as absent "
              "from the roster",
              {"en": "{column} '{value}': the roster row was rejected, so the worker is "
                     "audited as absent from the roster (the default category).",
               "zh": "{column} '{value}' 的花名册行已被拒绝，该劳动者按不在花名册中审计"
                     "（默认类别）。"}),
        Issue("D019", "warning", "a CSV file whose quoting the fast reader rejects (a quote "
              "inside a field), read record by record (one issue per file)",
              {"en": "The file's quoting is irregular (a quote inside a field): it was read "
                     "record by record, such a quote as text.",
               "zh": "该文件的引号不规范（字段中含引号）：已逐条记录读取，此类引号按文本处理。"}),
    )
}  # fmt: skip


_SEVERITY = {code: i.severity for code, i in ISSUES.items()}
# A hit: row `_i` of the validated frame has issue `code` in `column`; value and detail as shown.
_NO_HITS = pl.DataFrame(schema={"_i": pl.Int64, **dict.fromkeys(
    ("code", "column", "value", "detail"), pl.String)})  # fmt: skip


def model(table: str, proven_unique: frozenset[str] = frozenset()) -> pa.DataFrameSchema:
    """The Pandera schema of a canonical frame, derived from its contract; the uniqueness of
    the columns in `proven_unique` is not checked again."""
    pa = pandera()
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                DTYPES[c.type],
                _checks(c),
                nullable=not c.required,
                unique=c.unique and c.name not in proven_unique,
            )
            for c in contract(table).columns
        },  # fmt: skip
        name=table,
        strict=False,  # bookkeeping columns ride along
    )


def _checks(c: Column) -> list[pa.Check]:
    pa = pandera()
    if c.type == "money":
        return [] if c.signed else [pa.Check.ge(0)]
    if c.type == "date":
        return [pa.Check.ge(FIRST_DAY), pa.Check.le(LAST_DAY)]
    if c.type == "time":
        return [pa.Check.ge(datetime(2000, 1, 1)), pa.Check.lt(datetime(2101, 1, 1))]
    bounds = [pa.Check.ge(c.min)] if c.min is not None else []
    return bounds + ([pa.Check.le(c.max)] if c.max is not None else [])


def _range(c: Column) -> str:
    """The allowed range in symbols, the same in every language."""
    if c.type == "money":
        return "any amount" if c.signed else "≥ 0"
    if c.type in ("time", "date"):
        return f"{FIRST_DAY} – {LAST_DAY}"
    bounds = (("≥", c.min), ("≤", c.max))
    return ", ".join(f"{sign} {bound:g}" for sign, bound in bounds if bound is not None)


def shown(c: Column, e: pl.Expr) -> pl.Expr:
    """A value as people read it: money in CNY with two decimals, times to the second."""
    if c.type == "money":
        cents = e.abs() % 100
        sign = pl.when(e < 0).then(pl.lit("-")).otherwise(pl.lit(""))
        return pl.format("{}{}.{}", sign, e.abs() // 100, cents.cast(pl.String).str.zfill(2))
    if c.type == "time":
        return e.dt.strftime("%Y-%m-%d %H:%M:%S")
    return e.cast(pl.String)


def _hits(frame: pl.DataFrame, code: str, c: Column, rows: pl.Expr, detail: pl.Expr | str = ""):
    """The hits of `code` in column `c` on the `rows` of `frame` (see _NO_HITS), lazy: every
    check of a frame runs in one collect_all, in parallel, not one single-threaded pass each."""
    value = shown(c, pl.col(c.name))
    if BAD + c.name in frame.columns:
        value = pl.coalesce(BAD + c.name, value)
    detail = pl.lit(detail) if isinstance(detail, str) else detail
    return (
        frame.lazy()
        .filter(rows)
        .select("_i", code=pl.lit(code), column=pl.lit(c.name), value=value, detail=detail)
    )


def _distinct_hashes(
    frame: pl.DataFrame, table: str, decided: set[str] = frozenset()
) -> frozenset[str]:
    """The unique columns whose values all hash differently, so are certainly all different.
    Pandera's exact check compares the values themselves, ~7× slower on 10M order ids; it
    still runs on any column where two hashes agree (a duplicate, or a rare collision).
    `decided`: columns whose repeats were found across the whole input (a part's), skipped."""
    unique = [
        c.name
        for c in contract(table).columns
        if c.unique and c.name in frame.columns and c.name not in decided
    ]
    if not unique:
        return frozenset()
    hashes = (frame.get_column(n).drop_nulls().hash() for n in unique)
    return frozenset(h.name for h in hashes if repeated_hashes(h).is_empty())


def repeated_hashes(hashes: pl.Series) -> pl.Series:
    """The values that occur more than once in `hashes` (UInt64, no nulls), once each: equal
    values lie side by side once sorted. NumPy's sort (SIMD kernels for 64-bit integers)
    takes a third of the CPU of Polars' on 10M hashes."""
    values = np.sort(hashes.to_numpy())
    return pl.Series(hashes.name, np.unique(values[1:][values[1:] == values[:-1]]), pl.UInt64)


def _pandera_hits(table: str, frame: pl.DataFrame) -> list[pl.LazyFrame]:
    """Required, range and uniqueness failures found by the contract's Pandera model."""
    try:
        decided = {c.name for c in contract(table).columns if REPEAT + c.name in frame.columns}
        schema = model(table, _distinct_hashes(frame, table, decided) | decided)
        with unused_hidden():
            schema.validate(frame, lazy=True)
        return []
    except pandera().errors.SchemaErrors as exc:
        failures = exc.failure_cases.select("column", "check", _i=pl.col("index").cast(pl.Int64))
    hits = []
    for c in contract(table).columns:
        mine = failures.filter(pl.col("column") == c.name)
        checks = mine.get_column("check")
        if mine.is_empty():
            continue
        if not checks.str.contains("^(not_nullable|field_uniqueness|greater|less)").all():
            raise AssertionError(f"{table}.{c.name}: canonical frame breaks its model: {checks[0]}")
        failed = frame.join(mine, on="_i")
        parsed = BAD + c.name in frame.columns  # a cell that did not parse is D002, not D001
        empty = pl.col(BAD + c.name).is_null() if parsed else pl.lit(True)
        hits.append(_hits(failed, "D001", c, (pl.col("check") == "not_nullable") & empty))
        hits.append(_hits(failed, "D003", c, pl.col("check").str.contains("^(greater|less)"),
                          _range(c)))  # fmt: skip
        dup = pl.col("check") == "field_uniqueness"
        dup &= pl.col(c.name).is_not_null() & ~pl.col(c.name).is_first_distinct()
        hits.append(_hits(failed.sort("_i"), "D004", c, dup))
    return hits


def _polars_hits(table: str, frame: pl.DataFrame, roster: pl.Series | None, lang: str) -> list:
    """Cells that did not parse, end before start, unknown districts, surplus CSV fields and
    workers missing from the roster: checks across cells, rows or tables, in plain Polars."""
    hits = []
    names = contract(table).names
    # U+FFFD sought in each text column's cells joined first (10M cells: ~40 % less CPU than
    # cell by cell), then cell by cell only in a column that holds one
    texts = [c.name for c in contract(table).columns if c.type in ("text", "district")]
    joined = pl.col(texts).str.join("").str.contains(FFFD, literal=True)
    spoiled = frame.select(joined).row(0, named=True) if texts else {}
    for c in contract(table).columns:
        if BAD + c.name in frame.columns:
            code, detail = (
                ("D006", ", ".join(c.values)) if c.type == "enum" else ("D002", _AS[lang][c.type])
            )
            hits.append(_hits(frame, code, c, pl.col(BAD + c.name).is_not_null(), detail))
        if c.not_before:
            earlier = c.not_before
            detail = pl.format("{} {}", pl.lit(earlier), shown(contract(table).column(earlier),
                                                                pl.col(earlier)))  # fmt: skip
            hits.append(_hits(frame, "D005", c, pl.col(c.name) < pl.col(earlier), detail))
        if c.type == "district":
            unknown = pl.col(c.name).is_in(_unknown(frame[c.name]))
            if table == "weather":  # a forecast may be the whole city's
                unknown &= ~is_city_expr(c.name)
            hits.append(_hits(frame, "D007", c, unknown))
        if spoiled.get(c.name):
            code = "D015" if c.required else "D016"
            # its UTF-8 bytes: a byte search is twice as fast as a string one
            replaced = pl.col(c.name).cast(pl.Binary).bin.contains(FFFD.encode())
            hits.append(_hits(frame, code, c, replaced))
        if REPEAT + c.name in frame.columns:
            hits.append(_hits(frame, "D004", c, pl.col(REPEAT + c.name)))
    if table in _LONGEST:  # a worker who forgot to log off is no 49-hour shift
        start, end = _LONGEST[table]
        late = pl.col(end) - pl.col(start) > MAX_ORDER
        detail = pl.format(f"{start} {{}}", shown(contract(table).column(start), pl.col(start)))
        hits.append(_hits(frame, "D017", contract(table).column(end), late, detail))
    for mark, code in MARKS.items():
        if mark in frame.columns:
            marked = frame.with_columns(pl.col(mark).alias(_ROW.name))
            hits.append(_hits(marked, code, _ROW, pl.col(mark).is_not_null()))
    if EXTRA in frame.columns:
        surplus = frame.with_columns(pl.col(EXTRA).alias(_FIELDS.name))
        detail = _AS[lang]["fields"]
        hits.append(_hits(surplus, "D002", _FIELDS, pl.col(EXTRA).is_not_null(), detail))
    if roster is not None and table != "workers" and "worker_id" in names:
        outside = pl.col("worker_id").is_not_null() & ~pl.col("worker_id").is_in(roster.implode())
        hits.append(_hits(frame, "D008", contract(table).column("worker_id"), outside))
    return hits


def _unknown(districts: pl.Series) -> pl.Series:
    """The district names not in the rule pack, looked up once per distinct name."""
    names = districts.drop_nulls().unique().to_frame("name")
    return names.filter(canonical_district_expr("name").is_null()).get_column("name").implode()


def validate(
    table: str, frame: pl.DataFrame, roster: pl.Series | None = None, lang: str | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(clean rows, data issues) of a canonical frame whose `_bad_<column>` columns hold the
    text of cells that did not parse. `roster`: the worker ids of the workers table, if given."""
    frame = frame.with_row_index("_i").with_columns(pl.col("_i").cast(pl.Int64))
    lang = lang if lang in ("en", "zh") else "en"
    found = pl.collect_all(
        [*_pandera_hits(table, frame), *_polars_hits(table, frame, roster, lang)]
    )
    hits = _alone(frame, pl.concat([_NO_HITS, *found]))
    rejected = hits.filter(pl.col("code").replace_strict(_SEVERITY) == "error").get_column("_i")
    clean = frame.filter(~pl.col("_i").is_in(rejected.implode()))
    if table == "workers":
        hits = pl.concat([hits, _unlisted(frame, clean, rejected)])
    issues = _issues(table, frame, hits, lang)
    return clean.select(~pl.selectors.starts_with("_i", BAD, EXTRA, REPEAT, *MARKS)), issues


def _alone(frame: pl.DataFrame, hits: pl.DataFrame) -> pl.DataFrame:
    """The hits, but on a row that is not a record (a total, a note) only the issue saying so."""
    marks = [m for m in MARKS if m in frame.columns]
    if not marks:
        return hits
    marked = frame.filter(pl.any_horizontal(pl.col(marks).is_not_null())).get_column("_i")
    kept = ~pl.col("_i").is_in(marked.implode()) | pl.col("code").is_in(list(MARKS.values()))
    return hits.filter(kept)


def _unlisted(frame: pl.DataFrame, clean: pl.DataFrame, rejected: pl.Series) -> pl.DataFrame:
    """D018 on each rejected roster row whose worker has no row left in the roster."""
    c = contract("workers").column("worker_id")
    listed = clean.get_column("worker_id").drop_nulls().implode()
    dropped = frame.filter(pl.col("_i").is_in(rejected.implode()))
    gone = pl.col("worker_id").is_not_null() & ~pl.col("worker_id").is_in(listed)
    return _hits(dropped, "D018", c, gone & pl.col("worker_id").is_first_distinct()).collect()


def _issues(table: str, frame: pl.DataFrame, hits: pl.DataFrame, lang: str) -> pl.DataFrame:
    message = pl.col("code").replace_strict({k: i.message.get(lang, "") for k, i in ISSUES.items()})
    for field in ("column", "value", "detail"):
        message = message.str.replace_all(f"{{{field}}}", pl.col(field).fill_null(""), literal=True)
    return (
        hits.join(frame.select("_i", "_path", "_row"), on="_i")
        .sort("_i", "code", maintain_order=True)
        .select(
            "code",
            severity=pl.col("code").replace_strict(_SEVERITY),
            table=pl.lit(table),
            path="_path",
            row="_row",
            column="column",
            value="value",
            message=message,
        )
        .cast(ISSUE_SCHEMA)
    )
