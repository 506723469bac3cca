"""Loading: files found by stem, read in any format of SPEC §1, headers mapped to the contract,
cells parsed into canonical frames, then validated (schema.py) into a Dataset."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import Dataset, InputFile, empty_issues
from payaudit.errors import InputError
from payaudit.io.columns import map_headers
from payaudit.io.discovery import discover
from payaudit.io.parse import fast, prepared, text, value
from payaudit.io.readers import read_raw
from payaudit.io.text import sha256
from payaudit.schema import BAD, DTYPES, PARSED, validate

__all__ = ["load_dataset", "read_table"]


def _canonical(table: str, raw: pl.LazyFrame, settings: Settings, path: Path) -> pl.LazyFrame:
    schema = raw.collect_schema()
    headers = map_headers(table, [n for n in schema.names() if n != "_row"], settings, str(path))
    # In stages, so that no expression is computed twice: the text, fast parses of the usual
    # forms (each on what the one before left), the text left to the full parsers, the value,
    # the cells that failed.
    texts, ready, values, columns = [], [], [], []
    quick: list[list[pl.Expr]] = [[], []]
    for c in contract(table).columns:
        header = headers.get(c.name)
        if header is None:
            columns.append(pl.lit(c.default, DTYPES[c.type]).alias(c.name))
            continue
        cell, dtype = pl.col(header), schema[header]
        cell_text, fast_value = pl.col(f"_text_{c.name}"), pl.col(f"_fast_{c.name}")
        texts.append(text(cell, dtype).alias(f"_text_{c.name}"))
        usual = fast(c, dtype)
        if usual:
            quick[0].append(usual[0](cell_text).alias(f"_fast_{c.name}"))
            left = pl.when(fast_value.is_null()).then(cell_text)
            quick[1].append(pl.coalesce(fast_value, usual[1](left)).alias(f"_fast_{c.name}"))
            cell = pl.when(fast_value.is_null()).then(cell_text)
        ready.append(prepared(c, cell, dtype).alias(f"_ready_{c.name}"))
        parsed = value(c, pl.col(f"_ready_{c.name}"), dtype, cell_text).cast(DTYPES[c.type])
        parsed = pl.coalesce(fast_value, parsed) if usual else parsed
        values.append(parsed.alias(f"_value_{c.name}"))
        columns.append(pl.col(f"_value_{c.name}").alias(c.name))
        if c.type in PARSED:
            failed = pl.col(f"_value_{c.name}").is_null() & cell_text.is_not_null()
            columns.append(pl.when(failed).then(cell_text).alias(BAD + c.name))
    staged = raw.with_columns(texts)
    for stage in (*quick, ready, values):
        staged = staged.with_columns(stage)
    return staged.select(*columns, pl.lit(str(path)).alias("_path"), "_row")


def read_table(table: str, path: Path, settings: Settings, sheet: str | None, workdir: Path):
    """One file's canonical frame, with `_bad_<column>` holding cells that did not parse."""
    frame = _canonical(table, read_raw(path, sheet, workdir), settings, path)
    try:
        return frame.collect()
    except Exception as exc:  # a CSV broken half-way is found only when read in full
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path} cannot be read: {reason.rstrip('.')}.") from None


def load_dataset(
    paths: list[Path], explicit: dict[str, Path], settings: Settings, sheet: str | None = None
) -> Dataset:
    """Every table given, loaded, parsed and validated; rejected rows are in `issues` only."""
    files = discover([Path(p) for p in paths], {t: Path(p) for t, p in explicit.items()})
    frames: dict[str, pl.DataFrame] = {}
    with tempfile.TemporaryDirectory(prefix="payaudit-") as workdir:
        for table, table_files in files.items():
            parts = [read_table(table, p, settings, sheet, Path(workdir)) for p in table_files]
            frames[table] = pl.concat(parts, how="diagonal_relaxed")
    roster = frames.get("workers")
    ids = roster.get_column("worker_id").drop_nulls().unique() if roster is not None else None
    dataset = Dataset(frames={}, issues=empty_issues())
    issues = [dataset.issues]
    for table, frame in frames.items():
        clean, found = validate(table, frame, ids, settings.lang)
        dataset.frames[table] = clean
        issues.append(found)
        for path in files[table]:
            read = frame.filter(pl.col("_path") == str(path)).height
            kept = clean.filter(pl.col("_path") == str(path)).height
            dataset.inputs.append(
                InputFile(table, str(path), sha256(path), read, kept, read - kept)
            )
    dataset.issues = pl.concat(issues)
    return dataset
