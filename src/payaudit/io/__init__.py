"""Loading: files found by stem, read in any format docs/inputs.md lists, headers mapped to the
contract, cells parsed into canonical frames, then validated (schema.py) into a Dataset."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import Column, contract
from payaudit.dataset import ISSUE_SCHEMA, Dataset, Digest, InputFile, empty_issues
from payaudit.errors import InputError
from payaudit.io.columns import holds_required, map_headers, unmatched
from payaudit.io.discovery import discover
from payaudit.io.parse import FAST_PASSES, fast, native, prepared, text, value
from payaudit.io.readers import Raw, delimited, positional, read_raw, reason
from payaudit.io.text import hashing
from payaudit.pandera_import import warm
from payaudit.schema import (
    BAD,
    BROKEN,
    DTYPES,
    EXTRA,
    ISSUES,
    MARKS,
    NOTE,
    PARSED,
    TOTAL,
    validate,
)  # fmt: skip
from payaudit.timings import phase

__all__ = ["assemble", "canonical", "find_files", "load_dataset", "load_files", "read_table"]


def _stages(
    c: Column, cell: pl.Expr, dtype: pl.DataType, trimmed: bool, read: bool
) -> list[list[pl.Expr]]:
    """The expressions that parse one column, in stages, so that none is computed twice: the
    cell's text (`trimmed`: given already as `_text_<name>`); fast passes for the usual forms,
    each on what the one before left (`read`: the first pass has read the untrimmed cells into
    `_fast_<name>` already, and `_text_<name>` holds only what it left, so every pass reads
    that); the text left to the full parsers, prepared once; the value. They leave
    `_value_<name>`."""
    name = c.name
    if native(c, dtype):  # typed cells: their value at once, no text (~1 s per 10M cells)
        parsed = value(c, cell, dtype, cell.is_null()).cast(DTYPES[c.type])
        return [[]] * (FAST_PASSES + 2) + [[parsed.alias(f"_value_{name}")]]
    text_col, fast_col = pl.col(f"_text_{name}"), pl.col(f"_fast_{name}")
    stages: list[list[pl.Expr]] = [[] if trimmed else [text(cell, dtype).alias(f"_text_{name}")]]
    if c.type in ("text", "district") and c.default is None:  # the trimmed text is the value
        return stages + [[]] * (FAST_PASSES + 1) + [[text_col.alias(f"_value_{name}")]]
    passes = fast(c, dtype)
    for n, parse in enumerate(passes):
        if n == 0 and not read:
            value_n = parse(text_col)
        else:  # the cells left: few, so this pass costs little
            value_n = pl.coalesce(fast_col, parse(pl.when(fast_col.is_null()).then(text_col)))
        stages.append([value_n.alias(f"_fast_{name}")])
    stages += [[]] * (FAST_PASSES - len(passes))  # every column has as many stages
    if passes:
        cell = pl.when(fast_col.is_null()).then(text_col)
    stages.append([prepared(c, cell, dtype).alias(f"_ready_{name}")])
    parsed = value(c, pl.col(f"_ready_{name}"), dtype, text_col.is_null()).cast(DTYPES[c.type])
    stages.append([(pl.coalesce(fast_col, parsed) if passes else parsed).alias(f"_value_{name}")])
    return stages


_TOTAL = r"^(合\s*计|总\s*计|小\s*计|共\s*计|(?i:(grand\s+|sub)?totals?)(\s|[:：]|$))"
_NOTE = r"^(注|备\s*注|说\s*明|注\s*意)\s*\d*\s*[:：]|^(?i:notes?\s*:)"
# The first letters of every opening _TOTAL and _NOTE match (ſ: s under Unicode case folding)
_OPENERS = list("合总小共注备说gGsStTnNſ")


def _marks(frame: pl.LazyFrame, cells: list[str]) -> pl.LazyFrame:
    """`frame` with TOTAL and NOTE: the first of the text columns `cells` that opens a 合计 or
    a 注： row. One pattern finds the opening of either in each cell, and which one it is is
    asked of those few openings only (10M rows: ~0.5 s of CPU less than a pattern per mark)."""
    # the pattern only where the first letter could open a match: a cell costs far less
    could = {c: pl.when(pl.col(c).str.slice(0, 1).is_in(_OPENERS)).then(pl.col(c)) for c in cells}
    openings = {f"_opening_{c}": could[c].str.extract(f"({_TOTAL}|{_NOTE})", 1) for c in cells}
    marks = [
        pl.coalesce(
            pl.when(pl.col(o).str.contains(pattern)).then(pl.col(c))
            for c, o in zip(cells, openings, strict=True)
        ).alias(mark)
        for mark, pattern in ((TOTAL, _TOTAL), (NOTE, _NOTE))
    ]
    return frame.with_columns(**openings).with_columns(marks).drop(*openings)


def _file_issue(
    code: str, table: str, path: Path, settings: Settings, row=None, value=None
) -> pl.DataFrame:
    """An issue about a whole file (one per file), its message in settings.lang."""
    template = ISSUES[code].message["zh" if settings.lang == "zh" else "en"]
    issue = {"code": code, "severity": ISSUES[code].severity, "table": table,
             "path": str(path), "row": row, "column": None, "value": value,
             "message": template.replace("{value}", value or "")}  # fmt: skip
    return pl.DataFrame([issue], schema=ISSUE_SCHEMA)


def _header_issue(table: str, raw: Raw, settings: Settings, path: Path) -> pl.DataFrame:
    """D011: the headers of the file that match no column, named (one issue per file)."""
    names = unmatched(table, raw.headers, settings)
    if names is None:
        return empty_issues()
    return _file_issue("D011", table, path, settings, raw.header_row, names)


def _cell(c: Column, cell: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A typed cell the parsers do not read as it is (a Parquet bool in a time column, a
    float for money, a date for an id) as its text, so that it parses or is a data issue."""
    return cell if dtype == pl.String or native(c, dtype) else text(cell, dtype)


def _trimmed(frame: pl.LazyFrame, names: list[str], first: dict) -> pl.LazyFrame:
    """`frame` with `_text_<name>`, each text column trimmed (empty: null), once: parsing
    reads it. A column with a fast parser for its usual form (`first`: name → the parser;
    times, dates, money, enums) is read by it untrimmed into `_fast_<name>`, and only the
    cells it leaves are trimmed: trimming costs ~0.3 CPU-s per 10M cells, and a padded cell
    is rare.
    In steps: within one expression Polars would strip every cell twice, and
    `replace("", None)` would stop the streaming engine (the whole file in memory)."""
    parsed = {f"_fast_{n}": parse(pl.col(n)) for n, parse in first.items()}
    left = {
        n: pl.when(pl.col(f"_fast_{n}").is_null()).then(pl.col(n)) if n in first else pl.col(n)
        for n in names
    }
    trim = {f"_trim_{n}": cell.str.strip_chars() for n, cell in left.items()}
    text_of = {
        f"_text_{n}": pl.when(pl.col(t) != "").then(pl.col(t))
        for n, t in zip(names, trim, strict=True)
    }
    frame = frame.with_columns(**parsed).with_columns(**trim).with_columns(**text_of)
    return frame.drop(*trim)


def _filled(name: str, first: dict) -> pl.Expr:
    """Whether a cell of a column `_trimmed` holds anything but spaces."""
    filled = pl.col(f"_text_{name}").is_not_null()
    return pl.col(f"_fast_{name}").is_not_null() | filled if name in first else filled


def _selected(table: str, raw: Raw, settings: Settings, path: Path) -> pl.LazyFrame:
    """The cells of the mapped columns only, under their canonical names, with the text of
    each text cell (`_trimmed`): the columns nobody asked for are dropped before any parsing
    (a file of 10,000 columns reads like one of 5). In text formats, blank rows are left out
    and total and note rows marked."""
    headers = map_headers(table, raw.headers, settings, str(path))
    where = dict(zip(raw.headers, raw.columns, strict=True))
    schema = raw.frame.collect_schema()
    cells = {
        column: _cell(contract(table).column(column), pl.col(where[header]), schema[where[header]])
        for column, header in headers.items()
    }
    kept = [m for m in (EXTRA, BROKEN) if m in schema]
    selected = [*(cell.alias(n) for n, cell in cells.items()), *kept]
    strings = [n for n, header in headers.items() if schema[where[header]] == pl.String]
    column = contract(table).column
    passes = {n: fast(column(n), pl.String) for n in strings}
    first_pass = {n: parsers[0] for n, parsers in passes.items() if parsers}
    if raw.header_row is None or len(strings) < len(headers):  # typed: no blank rows or totals
        return _trimmed(raw.frame.select("_row", *selected), strings, first_pass)
    # the first column, where a total or a note usually sits: its text, once
    texts = [n for n in strings if n not in first_pass]
    first = next((n for n in texts if where[headers[n]] == raw.columns[0]), None)
    if first is None:
        first, strings = "_first", [*strings, "_first"]
        selected.append(pl.col(raw.columns[0]).alias(first))
    frame = raw.frame.select("_row", *selected)
    frame = _trimmed(frame, strings, first_pass)
    filled = [_filled(n, first_pass) for n in strings]
    filled += [(pl.col(n).str.strip_chars() != "").fill_null(False) for n in kept]
    # a total or a note opens the first column or an id, never a time or money cell
    ids = [n for n in headers if column(n).type == "text" and column(n).required]
    labels = [n for n in ids if where[headers[n]] != raw.columns[0]] + [first]
    marked = _marks(frame.filter(pl.any_horizontal(filled)), [f"_text_{n}" for n in labels])
    return marked.drop("_first", "_text__first", strict=False)


def _canonical(table: str, frame: pl.LazyFrame, path: Path) -> pl.LazyFrame:
    """The frame's cells parsed into the contract's columns, lazily (it streams)."""
    schema = frame.collect_schema()
    mapped = [c for c in contract(table).columns if c.name in schema]
    per_column = {}
    for c in mapped:  # `_text_` and `_fast_` columns _selected gave
        trimmed, read = f"_text_{c.name}" in schema, f"_fast_{c.name}" in schema
        per_column[c.name] = _stages(c, pl.col(c.name), schema[c.name], trimmed, read)
    staged = frame
    for k in range(FAST_PASSES + 3):
        staged = staged.with_columns(e for stages in per_column.values() for e in stages[k])
    columns = []
    for c in contract(table).columns:
        if c.name not in schema:
            columns.append(pl.lit(c.default, DTYPES[c.type]).alias(c.name))
            continue
        columns.append(pl.col(f"_value_{c.name}").alias(c.name))
        if c.type in PARSED and not native(c, schema[c.name]):
            # the text of a cell that did not parse, for D002/D006
            text_col = pl.col(f"_text_{c.name}")
            failed = pl.col(f"_value_{c.name}").is_null() & text_col.is_not_null()
            columns.append(pl.when(failed).then(text_col).alias(BAD + c.name))
    marks = [m for m in (EXTRA, *MARKS) if m in schema]
    return staged.select(*columns, *marks, pl.lit(str(path)).alias("_path"), "_row")


def canonical(table: str, path: Path, settings: Settings, sheet: str | None, workdir: Path, finish):
    """(finish(the file's canonical frame, lazy, with `_bad_<column>` holding cells that did
    not parse): collected, or written out; the file's D011 and D019 issues, if any). A file
    whose head read as UTF-8 but whose later bytes do not is decoded again line by line; a
    CSV whose quoting Polars' reader rejects is read again record by record (D019)."""
    is_header = functools.partial(holds_required, table, settings=settings)
    transcode = requote = False
    while True:
        raw = read_raw(path, sheet, workdir, transcode, is_header, requote)
        selected = _selected(table, raw, settings, path)
        try:
            frame = _canonical(table, selected, path)
            notes = _header_issue(table, raw, settings, path)
            return finish(frame), pl.concat(
                [notes, _file_issue("D019", table, path, settings)] if requote else [notes]
            )
        except Exception as exc:  # a CSV broken half-way is found only when read in full
            error = exc
        if not transcode and "utf-8" in str(error).lower():
            transcode = True
        elif not requote and delimited(path):
            requote = True
        else:
            break
    raise InputError(f"{path} cannot be read: {reason(error)}") from None


def records_canonical(
    table: str, frame: pl.LazyFrame, settings: Settings, path: Path
) -> tuple[pl.LazyFrame, pl.DataFrame]:
    """A typed table read by another engine (Spark), `_row` already numbered, as canonical():
    (its canonical frame, lazy; its D011 issue)."""
    headers = [c for c in frame.collect_schema().names() if c != "_row"]
    columns = positional(headers)
    raw = Raw(frame.rename(dict(zip(headers, columns, strict=True))), headers, columns, None)
    selected = _selected(table, raw, settings, path)
    return _canonical(table, selected, path), _header_issue(table, raw, settings, path)


def read_table(table: str, path: Path, settings: Settings, sheet: str | None, workdir: Path):
    """(One file's canonical frame, with `_bad_<column>` holding cells that did not parse;
    its D011 issue.)"""
    return canonical(table, path, settings, sheet, workdir, pl.LazyFrame.collect)


def load_dataset(
    paths: list[Path], explicit: dict[str, Path], settings: Settings, sheet: str | None = None
) -> Dataset:
    """Every table given, loaded, parsed and validated; rejected rows are in `issues` only."""
    return load_files(find_files(paths, explicit), settings, sheet)


def find_files(paths: list[Path], explicit: dict[str, Path]) -> dict[str, list[Path]]:
    """Table → its files, from folders, files and --orders-style options."""
    warm()  # validation's import, under way while the files are read
    return discover([Path(p) for p in paths], {t: Path(p) for t, p in explicit.items()})


def load_files(
    files: dict[str, list[Path]], settings: Settings, sheet: str | None = None
) -> Dataset:
    """The tables of `files` loaded, parsed and validated (see load_dataset)."""
    frames: dict[str, pl.DataFrame] = {}
    notes = [empty_issues()]
    digests = hashing([p for table_files in files.values() for p in table_files])
    with tempfile.TemporaryDirectory(prefix="payaudit-") as workdir, phase("load"):
        for table, table_files in files.items():
            read = [read_table(table, p, settings, sheet, Path(workdir)) for p in table_files]
            frames[table] = pl.concat([frame for frame, _ in read], how="diagonal_relaxed")
            notes += [note for _, note in read]
    return assemble(frames, files, settings, digests, pl.concat(notes))


def assemble(
    frames: dict[str, pl.DataFrame],
    files: dict[str, list[Path]],
    settings: Settings,
    digests: Mapping[str, str | Digest],
    notes: pl.DataFrame | None = None,
) -> Dataset:
    """The Dataset of canonical frames: each validated against the roster among them, with
    rows read, audited and rejected per input file (of `files`, hashed in `digests`, perhaps
    still under way); `notes`: the loader's issues about whole files (D011), first."""
    with phase("validate"):
        roster = frames.get("workers")
        ids = roster.get_column("worker_id").drop_nulls().unique() if roster is not None else None
        dataset = Dataset(frames={}, issues=empty_issues() if notes is None else notes)
        issues = [dataset.issues]
        for table, frame in frames.items():
            clean, found = validate(table, frame, ids, settings.lang)
            dataset.frames[table] = clean
            issues.append(found)
            read, kept = _rows_per_file(frame), _rows_per_file(clean)
            for path in map(str, files[table]):
                n_read, n_kept = read.get(path, 0), kept.get(path, 0)
                dataset.inputs.append(
                    InputFile(table, path, digests[path], n_read, n_kept, n_read - n_kept)
                )
        dataset.issues = pl.concat(issues)
    return dataset


def _rows_per_file(frame: pl.DataFrame) -> dict[str, int]:
    """Rows per `_path`; the rows of one file are consecutive, so runs are counted, which is
    far cheaper than grouping 10M paths."""
    runs = frame.select(pl.col("_path").rle()).unnest("_path")
    return dict(runs.group_by("value").agg(pl.col("len").sum()).iter_rows())
