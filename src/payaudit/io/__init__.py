"""Loading: files found by stem, read in any format of SPEC §1, headers mapped to the contract,
cells parsed into canonical frames, then validated (schema.py) into a Dataset."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import Column, contract
from payaudit.dataset import Dataset, InputFile, empty_issues
from payaudit.errors import InputError
from payaudit.io.columns import map_headers
from payaudit.io.discovery import discover
from payaudit.io.parse import FAST_PASSES, fast, native, prepared, text, value
from payaudit.io.readers import read_raw, reason
from payaudit.io.text import sha256
from payaudit.schema import BAD, DTYPES, EXTRA, PARSED, validate
from payaudit.timings import phase

__all__ = ["assemble", "canonical", "find_files", "load_dataset", "load_files", "read_table"]


def _stages(c: Column, cell: pl.Expr, dtype: pl.DataType) -> list[list[pl.Expr]]:
    """The expressions that parse one column, in stages, so that none is computed twice: the
    cell's text; fast passes for the usual forms, each on what the one before left; the text
    left to the full parsers, prepared once; the value. They leave `_value_<name>`."""
    name = c.name
    if native(c, dtype):  # typed cells: their value at once, no text (~1 s per 10M cells)
        parsed = value(c, cell, dtype, cell.is_null()).cast(DTYPES[c.type])
        return [[]] * (FAST_PASSES + 2) + [[parsed.alias(f"_value_{name}")]]
    text_col, fast_col = pl.col(f"_text_{name}"), pl.col(f"_fast_{name}")
    stages: list[list[pl.Expr]] = [[text(cell, dtype).alias(f"_text_{name}")]]
    if c.type in ("text", "district") and c.default is None:  # the trimmed text is the value
        return stages + [[]] * (FAST_PASSES + 1) + [[text_col.alias(f"_value_{name}")]]
    passes = fast(c, dtype)
    for n, parse in enumerate(passes):
        left = text_col if n == 0 else pl.when(fast_col.is_null()).then(text_col)
        value_n = parse(left) if n == 0 else pl.coalesce(fast_col, parse(left))
        stages.append([value_n.alias(f"_fast_{name}")])
    stages += [[]] * (FAST_PASSES - len(passes))  # every column has as many stages
    if passes:
        cell = pl.when(fast_col.is_null()).then(text_col)
    stages.append([prepared(c, cell, dtype).alias(f"_ready_{name}")])
    parsed = value(c, pl.col(f"_ready_{name}"), dtype, text_col.is_null()).cast(DTYPES[c.type])
    stages.append([(pl.coalesce(fast_col, parsed) if passes else parsed).alias(f"_value_{name}")])
    return stages


def _canonical(table: str, raw: pl.LazyFrame, settings: Settings, path: Path) -> pl.LazyFrame:
    schema = raw.collect_schema()
    found = [n for n in schema.names() if n not in ("_row", EXTRA)]
    headers = map_headers(table, found, settings, str(path))
    staged, columns = raw, []
    mapped = [c for c in contract(table).columns if c.name in headers]
    per_column = [_stages(c, pl.col(headers[c.name]), schema[headers[c.name]]) for c in mapped]
    for stage in zip(*per_column, strict=True):
        staged = staged.with_columns(e for exprs in stage for e in exprs)
    for c in contract(table).columns:
        if c.name not in headers:
            columns.append(pl.lit(c.default, DTYPES[c.type]).alias(c.name))
            continue
        columns.append(pl.col(f"_value_{c.name}").alias(c.name))
        if c.type in PARSED and not native(c, schema[headers[c.name]]):
            # the text of a cell that did not parse, for D002/D006
            text_col = pl.col(f"_text_{c.name}")
            failed = pl.col(f"_value_{c.name}").is_null() & text_col.is_not_null()
            columns.append(pl.when(failed).then(text_col).alias(BAD + c.name))
    if EXTRA in schema:
        columns.append(EXTRA)
    return staged.select(*columns, pl.lit(str(path)).alias("_path"), "_row")


def canonical(table: str, path: Path, settings: Settings, sheet: str | None, workdir: Path, finish):
    """finish(the file's canonical frame, lazy, with `_bad_<column>` holding cells that did
    not parse): collected, or written out; a file whose head read as UTF-8 but whose later
    bytes do not is read again as GB18030."""
    for gb18030 in (False, True):
        frame = _canonical(table, read_raw(path, sheet, workdir, gb18030), settings, path)
        try:
            return finish(frame)
        except Exception as exc:  # a CSV broken half-way is found only when read in full
            error = exc
        if gb18030 or "invalid utf-8" not in str(error):
            break
    raise InputError(f"{path} cannot be read: {reason(error)}") from None


def read_table(table: str, path: Path, settings: Settings, sheet: str | None, workdir: Path):
    """One file's canonical frame, with `_bad_<column>` holding cells that did not parse."""
    return canonical(table, path, settings, sheet, workdir, pl.LazyFrame.collect)


def load_dataset(
    paths: list[Path], explicit: dict[str, Path], settings: Settings, sheet: str | None = None
) -> Dataset:
    """Every table given, loaded, parsed and validated; rejected rows are in `issues` only."""
    return load_files(find_files(paths, explicit), settings, sheet)


def find_files(paths: list[Path], explicit: dict[str, Path]) -> dict[str, list[Path]]:
    """Table → its files, from folders, files and --orders-style options."""
    return discover([Path(p) for p in paths], {t: Path(p) for t, p in explicit.items()})


def load_files(
    files: dict[str, list[Path]], settings: Settings, sheet: str | None = None
) -> Dataset:
    """The tables of `files` loaded, parsed and validated (see load_dataset)."""
    frames: dict[str, pl.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="payaudit-") as workdir, phase("load"):
        for table, table_files in files.items():
            parts = [read_table(table, p, settings, sheet, Path(workdir)) for p in table_files]
            frames[table] = pl.concat(parts, how="diagonal_relaxed")
        digests = {str(p): sha256(p) for table_files in files.values() for p in table_files}
    return assemble(frames, files, settings, digests)


def assemble(
    frames: dict[str, pl.DataFrame],
    files: dict[str, list[Path]],
    settings: Settings,
    digests: dict[str, str],
) -> Dataset:
    """The Dataset of canonical frames: each validated against the roster among them, with
    rows read, audited and rejected per input file (of `files`, hashed in `digests`)."""
    with phase("validate"):
        roster = frames.get("workers")
        ids = roster.get_column("worker_id").drop_nulls().unique() if roster is not None else None
        dataset = Dataset(frames={}, issues=empty_issues())
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
