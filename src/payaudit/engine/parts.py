"""Audits of inputs too large to hold at once: every table that names workers is split by a
hash of worker_id into parts of about ORDERS_PER_PART orders, written to a temporary folder;
each part is validated and audited alone, since every rule reads one worker's rows only; the
results are combined. Memory then follows the largest part, not the input.

What spans parts is settled over the whole input first: the audit range (from the span of
the clean data of every part) and ids repeated anywhere in the input (D004), found by hash
buckets so that no pass holds more than a few parts' share of the hashes."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import Dataset
from payaudit.engine.context import (
    DAY_COLUMNS,
    audit_range,
    data_days,
    first_and_last,
    plausible_days,
)
from payaudit.engine.findings import SORT_KEYS
from payaudit.engine.inputs import table_frame
from payaudit.engine.result import AuditResult
from payaudit.engine.run import run_audit
from payaudit.errors import ConfigError
from payaudit.io import assemble, canonical, find_files, load_files, read_table
from payaudit.io.text import sha256
from payaudit.rules.base import Rule
from payaudit.schema import REPEAT
from payaudit.timings import phase

# Up to ORDERS_AT_ONCE orders are audited at once (10M peak at ~3 GiB, the fastest way);
# beyond, in parts of about ORDERS_PER_PART (100M in 20 parts peak at ~3.4 GiB, most of it the
# split and the combined worker-day frame). bench/results.md has the figures.
ORDERS_AT_ONCE = 12_000_000
ORDERS_PER_PART = 5_000_000
TEXT_BYTES_PER_ORDER = 90  # an order row of a CSV export, to size parts before reading it
GZIP_RATIO = 8  # a CSV export gzipped: about 5-10x smaller; counting high only makes more parts
_HASH = "_hash_"  # prefix of a unique column's hash, written with the parts
_PLACE = "_place"
# The hashes of this many parts' ids are compared at once (~25M: ~0.6 GB): each bucket is a
# scan of every part, so one bucket per part (100M: 20 scans) took half of the split.
PARTS_PER_BUCKET = 5


def estimated_orders(files: list[Path]) -> int:
    """Orders in the files: exact for Parquet (its metadata), else estimated from the size."""
    rows = 0
    for path in files:
        try:
            rows += pl.scan_parquet(path).select(pl.len()).collect().item()
        except Exception:  # not Parquet: CSV, JSON, Excel
            size = path.stat().st_size * (GZIP_RATIO if path.suffix.lower() == ".gz" else 1)
            rows += size // TEXT_BYTES_PER_ORDER
    return rows


def _parts(files: dict[str, list[Path]], orders_at_once: int, orders_per_part: int) -> int:
    """How many parts to audit the files in (1: at once)."""
    orders = estimated_orders(files.get("orders", []))
    return 1 if orders <= orders_at_once else math.ceil(orders / orders_per_part)


def audit_files(
    paths: list[Path],
    explicit: dict[str, Path],
    settings: Settings,
    rules: list[type[Rule]],
    sheet: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    orders_at_once: int = ORDERS_AT_ONCE,
    orders_per_part: int = ORDERS_PER_PART,
    status: Callable[[str], object] = lambda _: None,
) -> AuditResult:
    """Load, validate and audit the inputs: at once, or part by part when they are large."""
    files = find_files(paths, explicit)
    parts = _parts(files, orders_at_once, orders_per_part)
    if parts == 1:
        status("Loading and validating…")
        dataset = load_files(files, settings, sheet)
        if not holds_data(dataset, date_from, date_to):
            raise empty_range(date_from, date_to, data_days(dataset))
        status("Auditing…")
        return run_audit(dataset, settings, rules, date_from, date_to)
    with _split(files, settings, sheet, parts, status) as split:
        results = _audit_split(split, settings, rules, (date_from, date_to), status)
    return combine(results, files)


def _audit_split(split: _Split, settings: Settings, rules, asked: tuple, status) -> list:
    """The audits of the split's parts over the range asked (--from/--to), whose missing ends
    are drawn from the span of the rows validation could keep, read before any part is
    validated; when the clean rows' span, known once every part is, makes another range (a
    rejected row set it), every part is audited again."""
    span = split.plausible_span() if None in asked else asked
    audited = audit_range(span, asked, settings.period)
    results, span = _audit_parts(split, settings, rules, audited, asked, status)
    exact = audit_range(span, asked, settings.period)
    if exact != audited:
        status("Auditing again in the range of the valid data…")
        results, _ = _audit_parts(split, settings, rules, exact, asked, status)
    return results


def _audit_parts(split: _Split, settings: Settings, rules, audited, asked, status) -> tuple:
    """(The audit of every part over the range `audited`, the first and last day of the
    parts' clean data); a range asked that holds no clean row stops the run."""
    results, firsts, lasts, held = [], [], [], False
    for part in range(split.parts):
        status(f"Auditing part {part + 1} of {split.parts}…")
        dataset = split.dataset(part)
        held = held or holds_data(dataset, *asked)
        first, last = data_days(dataset)
        firsts += [first] if first else []
        lasts += [last] if last else []
        results.append(audit_dataset(dataset, settings, rules, *audited))
    span = min(firsts, default=None), max(lasts, default=None)
    if not held:
        raise empty_range(*asked, span)
    return results, span


def audit_part(
    frames: dict[str, pl.DataFrame],
    files: dict[str, list],
    settings: Settings,
    rules: list[type[Rule]],
    date_from: date,
    date_to: date,
    digests: dict[str, str],
    asked: tuple[date | None, date | None] = (None, None),
) -> tuple[AuditResult | None, tuple[date | None, date | None], bool]:
    """One part audited, whatever engine runs it (a Spark task; this machine's split assembles
    its parts itself to add the loader's notes once): its canonical frames in (every table, ids
    repeated across parts flagged in `_repeat_<column>`), its findings, per-worker and per-day
    figures, data issues, row counts per input file (`files`, hashed in `digests`) and roster
    out (None when the range is empty: --from after the data); with the first and last day of
    its clean data and whether a clean row falls in the range `asked` (--from/--to), which
    the engine needs over every part."""
    dataset = assemble(frames, files, settings, digests)
    span, held = data_days(dataset), holds_data(dataset, *asked)
    if date_from > date_to:
        return None, span, held
    return audit_dataset(dataset, settings, rules, date_from, date_to), span, held


def audit_dataset(
    dataset: Dataset, settings: Settings, rules: list[type[Rule]], date_from: date, date_to: date
) -> AuditResult:
    """A part's validated dataset audited, its result slimmed to what combining needs."""
    result = run_audit(dataset, settings, rules, date_from, date_to)
    return dataclasses.replace(result, dataset=_slim(result.dataset))


def combine(results: list[AuditResult], files: dict[str, list]) -> AuditResult:
    """The audit of the whole input from its parts' audits (audit_part's)."""
    return dataclasses.replace(
        results[0],
        findings=pl.concat([r.findings for r in results]).sort(SORT_KEYS, maintain_order=True),
        workers=pl.concat([r.workers for r in results]).sort("worker_id"),
        daily=pl.concat([r.daily for r in results]).sort("worker_id", "date"),
        dataset=_combine([r.dataset for r in results], files),
    )


def holds_data(dataset: Dataset, start: date | None, end: date | None) -> bool:
    """Whether a clean order, shift or payout falls in the audit range --from/--to (True
    when neither is given: the range is then the data's own)."""
    if start is None and end is None:
        return True
    orders = table_frame(dataset, "orders").select(pl.col("accepted_at").dt.date())
    spans = pl.concat(
        [
            orders.select(first="accepted_at", last="accepted_at"),
            table_frame(dataset, "shifts").select(
                first=pl.col("start").dt.date(), last=pl.col("end").dt.date()
            ),
            table_frame(dataset, "payouts").select(first="period_start", last="period_end"),
        ]
    )
    inside = pl.lit(True)
    if start is not None:
        inside &= pl.col("last") >= start
    if end is not None:
        inside &= pl.col("first") <= end
    return spans.filter(inside).head(1).collect().height > 0


def empty_range(start: date | None, end: date | None, span: tuple) -> ConfigError:
    """The error of an audit range without data, naming the range and the data's span."""
    asked = f"{start or 'the start'} to {end or 'the end'}"
    first, last = span
    held = f"the data spans {first} to {last}" if first else "no row of the data is valid"
    return ConfigError(f"The audit range {asked} (--from/--to) holds no data: {held}.")


def validate_files(
    paths: list[Path],
    explicit: dict[str, Path],
    settings: Settings,
    sheet: str | None = None,
    orders_at_once: int = ORDERS_AT_ONCE,
    orders_per_part: int = ORDERS_PER_PART,
    status: Callable[[str], object] = lambda _: None,
) -> Dataset:
    """Load and validate the inputs (`payaudit validate`): at once, or part by part when they
    are large, keeping only the roster, the per-file counts and the data issues."""
    files = find_files(paths, explicit)
    parts = _parts(files, orders_at_once, orders_per_part)
    if parts == 1:
        return load_files(files, settings, sheet)
    with _split(files, settings, sheet, parts, status) as split:
        datasets = []
        for part in range(parts):
            status(f"Validating part {part + 1} of {parts}…")
            datasets.append(_slim(split.dataset(part)))
    return _combine(datasets, files)


@contextlib.contextmanager
def _split(files, settings: Settings, sheet: str | None, parts: int, status) -> Iterator[_Split]:
    """The input written in parts to a temporary folder, removed when done with."""
    with tempfile.TemporaryDirectory(prefix="payaudit-parts-") as workdir:
        status(f"Splitting the input into {parts} parts by worker…")
        split = _Split(files, settings, sheet, Path(workdir), parts)
        with phase("split"):
            split.write()
        yield split


def _slim(dataset: Dataset) -> Dataset:
    """A part's Dataset without its frames but the roster, whose names reports mask."""
    kept = {t: f for t, f in dataset.frames.items() if t == "workers"}
    return Dataset(kept, dataset.inputs, dataset.issues)


class _Split:
    """The input split into parts on disk: TABLE/FILE_INDEX/_part=N/*.parquet."""

    def __init__(self, files, settings: Settings, sheet: str | None, workdir: Path, parts: int):
        self.files, self.settings, self.sheet = files, settings, sheet
        self.workdir, self.parts = workdir, parts
        self.digests: dict[str, str] = {}
        self.whole: dict[str, pl.DataFrame] = {}  # tables without workers (weather), unsplit
        self.empty: dict[str, pl.DataFrame] = {}  # each split table's columns, no rows
        self.repeats: dict[str, dict[str, pl.Series]] = {}  # table: column: _place of repeats
        self.notes: list[pl.DataFrame] = []  # the loader's issues about whole files (D011)

    def write(self) -> None:
        paths = [p for table_files in self.files.values() for p in table_files]
        with ThreadPoolExecutor(1) as hasher:  # hashlib lets go of the GIL: hashed while split
            hashed = hasher.map(sha256, paths)
            self._write()
            self.digests = dict(zip(map(str, paths), hashed, strict=True))

    def _write(self) -> None:
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
            frame = frame.with_columns(
                _part=pl.col("worker_id").hash() % self.parts,
                _file=pl.lit(index),
                **{_HASH + c: pl.col(c).hash() for c in hashed},
            )
            schema = frame.drop("_part").collect_schema()
            self.empty.setdefault(table, pl.DataFrame(schema=schema))
            shutil.rmtree(folder, ignore_errors=True)  # anything a failed first reading wrote
            # temporary files: lz4 writes faster than zstd (10M: 6.2 -> 4.6 s)
            frame.sink_parquet(target, mkdir=True, compression="lz4", statistics=False)

        _, note = canonical(table, path, self.settings, self.sheet, self.workdir, sink)
        self.notes.append(note)

    def _files(self, table: str, part: str) -> list[str]:
        """The files of a part ("*": all) in input order: by source file, then as written
        (the sink keeps the order of rows)."""
        files = (self.workdir / table).glob(f"*/_part={part}/*.parquet")
        return [str(f) for f in sorted(files, key=lambda f: (int(f.parts[-3]), f.name))]

    def _scan(self, table: str) -> pl.LazyFrame:
        """Every part of a table, in the columns that all its files have."""
        files = self._files(table, "*")
        return pl.scan_parquet(
            files, hive_partitioning=False, missing_columns="insert", extra_columns="ignore"
        )

    def _repeats(self, table: str, hashed: list[str]) -> dict[str, pl.DataFrame]:
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
            # equal hashes side by side once sorted: ~6x faster than is_duplicated's hash table
            suspects = [
                self._scan(table)
                .select(h)
                .filter(h % buckets == bucket)
                .select(h.sort())
                .collect()
                .filter(h == h.shift(1))
                for bucket in range(buckets)
            ]
            same = pl.concat(suspects).get_column(_HASH + column).unique()
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
                files = self._files(table, str(part))
                frame = pl.concat([empty, *map(pl.read_parquet, files)], how="diagonal_relaxed")
                # every unique column's repeats are settled: validation need not look again
                flags = {
                    REPEAT + column: _place().is_in(marked.implode()) if marked.len() else False
                    for column, marked in self.repeats[table].items()
                }
                frame = frame.with_columns(**flags)
                drop = pl.selectors.starts_with(_HASH) | pl.selectors.by_name("_file")
                frames[table] = frame.drop(drop)
        return frames

    def plausible_span(self) -> tuple[date | None, date | None]:
        """First and last day of the rows of every part that validation could keep."""
        tables = [t for t in DAY_COLUMNS if t in self.empty and self._files(t, "*")]
        return first_and_last([plausible_days(self._scan(t), t) for t in tables])


def _place() -> pl.Expr:
    """A row's file (_file) and row in it as one integer: 2**40 rows to a file is plenty."""
    return (pl.col("_file").cast(pl.Int64) * 2**40 + pl.col("_row")).alias(_PLACE)


def _combine(parts: list[Dataset], files: dict[str, list[Path]]) -> Dataset:
    """One Dataset of the parts': each input's counts summed, the issues in input order."""
    first = parts[0]
    counts = {(f.table, f.path): f for f in first.inputs}
    for part in parts[1:]:  # a table given whole to every part (weather) counts once
        for f in part.inputs:
            if "worker_id" in contract(f.table).names:
                seen = counts[f.table, f.path]
                seen.rows_read += f.rows_read
                seen.rows_audited += f.rows_audited
                seen.rows_rejected += f.rows_rejected
    # The calendar's warnings (D010) and the issues of a table given whole to every part are
    # the same in every part: kept once.
    split = [t for t in {f.table for f in first.inputs} if "worker_id" in contract(t).names]
    again = (pl.col("code") != "D010") & pl.col("table").is_in(split)
    issues = [first.issues] + [p.issues.filter(again) for p in parts[1:]]
    order = {str(p): n for n, p in enumerate(p for fs in files.values() for p in fs)}
    rosters = [p.frames["workers"] for p in parts if "workers" in p.frames]
    return Dataset(
        frames={"workers": pl.concat(rosters)} if rosters else {},
        inputs=[counts[t, str(p)] for t, table_files in files.items() for p in table_files],
        issues=pl.concat(issues)
        .with_columns(_order=pl.col("path").replace_strict(order, default=None))
        .sort("_order", "row", "code", nulls_last=True, maintain_order=True)
        .drop("_order"),
    )
