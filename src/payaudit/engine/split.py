"""The input of an audit in parts, on disk: every table that names workers split by a hash of
worker_id into parts written to a temporary folder (engine/parts.py audits them one by one).

What spans parts is settled here over the whole input: ids repeated anywhere in it (D004),
found by hash buckets so that no pass holds more than a few parts' share of the hashes, and
the span of the rows validation could keep, from which the audit range is drawn."""

from __future__ import annotations

import contextlib
import math
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import Dataset, Digest
from payaudit.engine.context import DAY_SPANS, first_and_last, plausible_days
from payaudit.io import assemble, canonical, read_table
from payaudit.io.text import hashing
from payaudit.schema import REPEAT, repeated_hashes
from payaudit.timings import phase

_HASH = "_hash_"  # prefix of a unique column's hash, written with the parts
_PLACE = "_place"
# The hashes of this many parts' ids are compared at once (~25M: ~0.6 GB): each bucket is a
# scan of every part, so one bucket per part (100M: 20 scans) took half of the split.
PARTS_PER_BUCKET = 5


@contextlib.contextmanager
def split_input(
    files, settings: Settings, sheet: str | None, parts: int, status
) -> Iterator[Split]:
    """The input written in parts to a temporary folder, removed when done with."""
    with tempfile.TemporaryDirectory(prefix="payaudit-parts-") as workdir:
        status(f"Splitting the input into {parts} parts by worker…")
        split = Split(files, settings, sheet, Path(workdir), parts)
        with phase("split"):
            split.write()
        yield split


class Split:
    """The input split into parts on disk: TABLE/FILE_INDEX/_part=N/*.parquet."""

    def __init__(self, files, settings: Settings, sheet: str | None, workdir: Path, parts: int):
        self.files, self.settings, self.sheet = files, settings, sheet
        self.workdir, self.parts = workdir, parts
        self.digests: dict[str, Digest] = {}
        self.whole: dict[str, pl.DataFrame] = {}  # tables without workers (weather), unsplit
        self.empty: dict[str, pl.DataFrame] = {}  # each split table's columns, no rows
        self.repeats: dict[str, dict[str, pl.Series]] = {}  # table: column: _place of repeats
        self.notes: list[pl.DataFrame] = []  # the loader's issues about whole files (D011)

    def write(self) -> None:
        self.digests = hashing([p for table_files in self.files.values() for p in table_files])
        for table, table_files in self.files.items():
            if "worker_id" not in contract(table).names:
                read = [
                    read_table(table, p, self.settings, self.sheet, self.workdir)
                    for p in table_files
                ]
                self.whole[table] = pl.concat([f for f, _ in read], how="diagonal_relaxed")
                self.notes += [note for _, note in read]
                continue
            hashed = [c.name for c in contract(table).columns if c.unique and c.name != "worker_id"]
            for index, path in enumerate(table_files):
                self._split_file(table, index, path, hashed)
            self.repeats[table] = self._repeats(table, hashed)

    def _split_file(self, table: str, index: int, path: Path, hashed: list[str]) -> None:
        folder = self.workdir / table / str(index)
        target = pl.PartitionBy(folder, key="_part", include_key=False)

        def sink(frame: pl.LazyFrame) -> None:
            schema = {**frame.collect_schema(), "_file": pl.Int32}
            self.empty.setdefault(table, pl.DataFrame(schema=schema))
            # the file's path is its folder's: not written in every row (100M: 2 s)
            frame = frame.drop("_path").with_columns(
                _part=pl.col("worker_id").hash() % self.parts,
                _file=pl.lit(index, pl.Int32),
                **{_HASH + c: pl.col(c).hash() for c in hashed},
            )
            shutil.rmtree(folder, ignore_errors=True)  # anything a failed first reading wrote
            # temporary files: lz4 writes faster than zstd (10M: 6.2 -> 4.6 s)
            frame.sink_parquet(target, mkdir=True, compression="lz4", statistics=False)

        _, note = canonical(table, path, self.settings, self.sheet, self.workdir, sink)
        self.notes.append(note)

    def _files(self, table: str, part: str) -> list[str]:
        """The files of a part ("*": all) in input order: by source file, then as written
        (the sink keeps the order of rows)."""
        files = (self.workdir / table).glob(f"*/_part={part}/*.parquet")
        return [str(f) for f in sorted(files, key=lambda f: (_file_index(f), f.name))]

    def _scan(self, table: str) -> pl.LazyFrame:
        """Every part of a table, in the columns that all its files have."""
        files = self._files(table, "*")
        return pl.scan_parquet(
            files, hive_partitioning=False, missing_columns="insert", extra_columns="ignore"
        )

    def _repeats(self, table: str, hashed: list[str]) -> dict[str, pl.Series]:
        """Per unique column, the _place of every cell that repeats a value seen earlier in
        the input (files in order, then rows), over all parts: hashes are compared one bucket
        at a time, the values only where two hashes agree."""
        none = pl.Series(_PLACE, [], pl.Int64)
        if not self._files(table, "*"):  # files with a header and no rows
            return dict.fromkeys(hashed, none)
        buckets = math.ceil(self.parts / PARTS_PER_BUCKET)
        found = {}
        for column in hashed:
            h = pl.col(_HASH + column)
            suspects = [
                repeated_hashes(
                    self._scan(table).select(h).filter(h % buckets == bucket).collect().to_series()
                )
                for bucket in range(buckets)
            ]
            same = pl.concat(suspects)
            found[column] = none
            if not same.is_empty():
                found[column] = (
                    self._scan(table)
                    .filter(h.is_in(same.implode()))
                    .select(column, "_file", "_row")
                    .sort("_file", "_row")
                    .filter(pl.col(column).is_not_null() & ~pl.col(column).is_first_distinct())
                    .select(_place())
                    .collect()
                    .to_series()
                )
        return found

    def dataset(self, part: int) -> Dataset:
        """The part's validated Dataset; part 0 carries the loader's notes on whole files."""
        notes = pl.concat(self.notes) if part == 0 and self.notes else None  # once
        return assemble(self.frames(part), self.files, self.settings, self.digests, notes)

    def frames(self, part: int) -> dict[str, pl.DataFrame]:
        """The part's canonical frames (every table, empty when the part has none of it)."""
        frames = dict(self.whole)
        with phase("load"):
            for table, empty in self.empty.items():
                read = [
                    pl.scan_parquet(f)
                    .drop(pl.selectors.starts_with(_HASH))
                    .with_columns(_path=pl.lit(str(self.files[table][_file_index(Path(f))])))
                    for f in self._files(table, str(part))
                ]
                frame = pl.concat([empty.lazy(), *read], how="diagonal_relaxed")
                # every unique column's repeats are settled: validation need not look again
                flags = {
                    REPEAT + column: _place().is_in(marked.implode()) if marked.len() else False
                    for column, marked in self.repeats[table].items()
                }
                frames[table] = frame.with_columns(**flags).drop("_file").collect()
        return frames

    def plausible_span(self) -> tuple[date | None, date | None]:
        """First and last day of the rows of every part that validation could keep."""
        tables = [t for t in DAY_SPANS if t in self.empty and self._files(t, "*")]
        return first_and_last([plausible_days(self._scan(t), t) for t in tables])


def _file_index(written: Path) -> int:
    """The index among its table's input files of the file a part's file was split from: its
    folder's name (TABLE/FILE_INDEX/_part=N/*.parquet)."""
    return int(written.parts[-3])


def _place() -> pl.Expr:
    """A row's file (_file) and row in it as one integer: 2**40 rows to a file is plenty."""
    return (pl.col("_file").cast(pl.Int64) * 2**40 + pl.col("_row")).alias(_PLACE)
