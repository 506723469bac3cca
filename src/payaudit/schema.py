"""Validation of canonical frames: Pandera models derived from the contracts (types, required
values, ranges, unique ids), plain Polars for what spans columns or tables (end before start,
districts, references to the roster), and the D0xx catalogue every data issue comes from.

A row with an error issue is rejected (kept out of the audit); a warning keeps the row."""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from payaudit.contracts import Column, contract
from payaudit.dataset import ISSUE_SCHEMA
from payaudit.rulepack import canonical_district_expr

DTYPES: dict[str, pl.DataType] = {
    "text": pl.String, "enum": pl.String, "district": pl.String, "time": pl.Datetime("us"),
    "date": pl.Date, "money": pl.Int64, "bool": pl.Boolean, "number": pl.Float64,
}  # fmt: skip
PARSED = frozenset({"time", "date", "money", "bool", "number", "enum"})
BAD = "_bad_"  # prefix of the loader's columns holding the text of a cell that did not parse
EXTRA = "_extra_fields"  # the loader's column holding a CSV row's first field beyond the header
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
    )
}  # fmt: skip


_SEVERITY = {code: i.severity for code, i in ISSUES.items()}
# A hit: row `_i` of the validated frame has issue `code` in `column`; value and detail as shown.
_NO_HITS = pl.DataFrame(schema={"_i": pl.Int64, **dict.fromkeys(
    ("code", "column", "value", "detail"), pl.String)})  # fmt: skip


def model(table: str, proven_unique: frozenset[str] = frozenset()) -> pa.DataFrameSchema:
    """The Pandera schema of a canonical frame, derived from its contract; the uniqueness of
    the columns in `proven_unique` is not checked again."""
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
    if c.type == "money":
        return [pa.Check.ge(0)]
    bounds = [pa.Check.ge(c.min)] if c.min is not None else []
    return bounds + ([pa.Check.le(c.max)] if c.max is not None else [])


def _range(c: Column) -> str:
    """The allowed range in symbols, the same in every language."""
    if c.type == "money":
        return "≥ 0"
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
    """The hits of `code` in column `c` on the `rows` of `frame` (see _NO_HITS)."""
    value = shown(c, pl.col(c.name))
    if BAD + c.name in frame.columns:
        value = pl.coalesce(BAD + c.name, value)
    detail = pl.lit(detail) if isinstance(detail, str) else detail
    return frame.filter(rows).select(
        "_i", code=pl.lit(code), column=pl.lit(c.name), value=value, detail=detail
    )


def _distinct_hashes(frame: pl.DataFrame, table: str) -> frozenset[str]:
    """The unique columns whose values all hash differently, so are certainly all different.
    Pandera's exact check compares the values themselves, ~7× slower on 10M order ids; it
    still runs on any column where two hashes agree (a duplicate, or a rare collision)."""
    unique = [c.name for c in contract(table).columns if c.unique and c.name in frame.columns]
    if not unique:
        return frozenset()
    distinct = frame.select(
        (pl.col(n).drop_nulls().hash().n_unique() == pl.col(n).count()).alias(n) for n in unique
    )
    return frozenset(n for n in unique if distinct.get_column(n).item())


def _pandera_hits(table: str, frame: pl.DataFrame) -> list[pl.DataFrame]:
    """Required, range and uniqueness failures found by the contract's Pandera model."""
    try:
        decided = {c.name for c in contract(table).columns if REPEAT + c.name in frame.columns}
        model(table, _distinct_hashes(frame, table) | decided).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
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
            hits.append(_hits(frame, "D007", c, pl.col(c.name).is_in(_unknown(frame[c.name]))))
        if REPEAT + c.name in frame.columns:
            hits.append(_hits(frame, "D004", c, pl.col(REPEAT + c.name)))
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
    found = [*_pandera_hits(table, frame), *_polars_hits(table, frame, roster, lang)]
    hits = pl.concat([_NO_HITS, *found])
    issues = _issues(table, frame, hits, lang)
    rejected = hits.filter(pl.col("code").replace_strict(_SEVERITY) == "error").get_column("_i")
    clean = frame.filter(~pl.col("_i").is_in(rejected.implode()))
    return clean.select(~pl.selectors.starts_with("_i", BAD, EXTRA, REPEAT)), issues


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
