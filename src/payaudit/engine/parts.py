"""The whole run, at once or, for inputs too large to hold at once, in parts: every table that
names workers is split by a hash of worker_id into parts of about ORDERS_PER_PART orders
(engine/split.py); each part is validated and audited alone, since every rule reads one
worker's rows only; the results are combined. Memory then follows the largest part, not the
input. What spans parts (the audit range, ids repeated anywhere in the input) is settled over
the whole input."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import Dataset, Digest
from payaudit.engine.context import DAY_SPANS, audit_range, data_days, overall_span, spans_of
from payaudit.engine.findings import SORT_KEYS
from payaudit.engine.inputs import table_frame
from payaudit.engine.result import AuditResult
from payaudit.engine.run import run_audit
from payaudit.engine.split import Split, split_input
from payaudit.errors import ConfigError, InputError
from payaudit.io import assemble, find_files, load_files
from payaudit.rules.base import Rule

# Up to ORDERS_AT_ONCE orders are audited at once (10M peak at ~3 GiB, the fastest way);
# beyond, in parts of about ORDERS_PER_PART (100M in 20 parts peak at ~3.4 GiB, most of it the
# split and the combined worker-day frame). bench/results.md has the figures.
ORDERS_AT_ONCE = 12_000_000
ORDERS_PER_PART = 5_000_000
TEXT_BYTES_PER_ORDER = 90  # an order row of a CSV export, to size parts before reading it
GZIP_RATIO = 8  # a CSV export gzipped: about 5-10x smaller; counting high only makes more parts


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
    keep_daily: str = "all",
) -> AuditResult:
    """Load, validate and audit the inputs: at once, or part by part when they are large; the
    result holds `keep_daily` of the per-day figures (see run_audit)."""
    files = find_files(paths, explicit)
    parts = _parts(files, orders_at_once, orders_per_part)
    if parts == 1:
        status("Loading and validating…")
        dataset = load_files(files, settings, sheet)
        if not any(i.rows_read for i in dataset.inputs if i.table in DAY_SPANS):
            raise nothing_to_audit(dataset)
        if not holds_data(dataset, date_from, date_to):
            raise empty_range(date_from, date_to, data_days(dataset))
        status("Auditing…")
        return run_audit(dataset, settings, rules, date_from, date_to, keep_daily)
    with split_input(files, settings, sheet, parts, status) as split:
        results = _audit_split(split, settings, rules, (date_from, date_to), status, keep_daily)
    return combine(results, files)


def _audit_split(split: Split, settings: Settings, rules, asked: tuple, status, keep) -> list:
    """The audits of the split's parts over the range asked (--from/--to), whose missing ends
    are drawn from the span of the rows validation could keep, read before any part is
    validated; when the clean rows' span, known once every part is, makes another range (a
    rejected row set it), every part is audited again."""
    span = split.plausible_span() if None in asked else asked
    audited = audit_range(span, asked, settings.period)
    results, span = _audit_parts(split, settings, rules, audited, asked, status, keep)
    exact = audit_range(span, asked, settings.period)
    if exact != audited:
        status("Auditing again in the range of the valid data…")
        results, _ = _audit_parts(split, settings, rules, exact, asked, status, keep)
    return results


def _audit_parts(split: Split, settings: Settings, rules, audited, asked, status, keep) -> tuple:
    """(The audit of every part over the range `audited`, the first and last day of the
    parts' clean data); a range asked that holds no clean row stops the run."""
    results, spans, held = [], [], False
    for part in range(split.parts):
        status(f"Auditing part {part + 1} of {split.parts}…")
        dataset = split.dataset(part)
        held = held or holds_data(dataset, *asked)
        spans.append(data_days(dataset))
        results.append(audit_dataset(dataset, settings, rules, *audited, keep))
    span = overall_span(spans)
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
    digests: Mapping[str, str | Digest],
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
    dataset: Dataset,
    settings: Settings,
    rules: list[type[Rule]],
    date_from: date,
    date_to: date,
    keep_daily: str = "all",
) -> AuditResult:
    """A part's validated dataset audited, its result slimmed to what combining needs."""
    result = run_audit(dataset, settings, rules, date_from, date_to, keep_daily)
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
    spans = pl.concat([spans_of(table_frame(dataset, t), t) for t in DAY_SPANS])
    inside = pl.lit(True)
    if start is not None:
        inside &= pl.col("last") >= start
    if end is not None:
        inside &= pl.col("first") <= end
    return spans.filter(inside).head(1).collect().height > 0


def nothing_to_audit(dataset: Dataset) -> InputError:
    """The error of inputs without a row of orders, shifts or payouts (headers alone): an
    empty data drop is no clean one."""
    names = ", ".join(i.path for i in dataset.inputs if i.table in DAY_SPANS)
    return InputError(f"{names}: no row of orders, shifts or payouts to audit, only headers.")


def empty_range(start: date | None, end: date | None, span: tuple) -> ConfigError:
    """The error of an audit range without data, naming the range and the data's span."""
    asked = f"from {start} to {end}" if start and end else None
    asked = asked or (f"from {start}" if start else f"up to {end}")
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
    with split_input(files, settings, sheet, parts, status) as split:
        datasets = []
        for part in range(parts):
            status(f"Validating part {part + 1} of {parts}…")
            datasets.append(_slim(split.dataset(part)))
    return _combine(datasets, files)


def _slim(dataset: Dataset) -> Dataset:
    """A part's Dataset without its frames but the roster, whose names reports mask."""
    kept = {t: f for t, f in dataset.frames.items() if t == "workers"}
    return Dataset(kept, dataset.inputs, dataset.issues)


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
