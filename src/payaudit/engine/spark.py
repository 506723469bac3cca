"""The audit on Apache Spark: the same parts as on one machine, run as Spark tasks.

Every table is read into canonical rows in Spark: Parquet files and catalog (Hive) tables by
Spark itself, each row named by its file and row from Spark's `_metadata`; text and Excel
exports (CSV, JSON, XLSX…) by payaudit's own reader inside a task, one file per task, from
Spark's `binaryFile` source (any storage Spark reads), so that encodings, blank lines and
surplus fields are treated exactly as on one machine. What spans parts is settled in Spark over
the whole input: the part of each row, pmod(xxhash64(worker_id), N) (stable across versions,
unlike Polars' hash), and the ids repeated anywhere (D004). The tables of a part are brought
together as Arrow blobs (one per part and batch), grouped by part, and audited by the one
engine-neutral `audit_part`; its outputs come back as Arrow blobs and are combined on the
driver. What the tasks run is in engine/tasks.py; this module plans it, and is the only one
that imports pyspark."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyspark
from pyspark import SparkConf, SparkContext, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import to_arrow_schema

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import empty_issues
from payaudit.engine import tasks
from payaudit.engine.context import audit_range, overall_span
from payaudit.engine.parts import (
    TEXT_BYTES_PER_ORDER,
    combine,
    empty_range,
)
from payaudit.engine.payload import from_blob, result_from_frames
from payaudit.engine.result import DAILY_SCHEMA, AuditResult
from payaudit.errors import InputError
from payaudit.io import canonical, find_files, records_canonical
from payaudit.io.readers import PARQUET_MAGIC
from payaudit.io.text import sha256
from payaudit.rules.base import Rule
from payaudit.schema import REPEAT

PARTS_CONF = "spark.payaudit.ordersPerPart"  # orders per part, when the default does not suit
# A part is a task, its rows held in one Python worker: 1M orders peak at about 1.5 GiB there
# (bench/results.md), so that every core of a common executor can audit one.
ORDERS_PER_TASK = 1_000_000
# Grouped applyInArrow came with Spark 4; before it, applyInPandas does (tests force it).
ARROW_GROUPS = int(pyspark.__version__.split(".")[0]) >= 4
_BATCH = "spark.sql.execution.arrow.maxRecordsPerBatch"
# As many shuffle partitions as parts: Spark's 200 made as many Python tasks of a few rows.
_SHUFFLE = "spark.sql.shuffle.partitions"
# The cached blobs as they are: Spark's column compression only costs time on binary blobs.
_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed"
_ROWS_PER_BATCH = 100_000  # rows into Python at a time: Spark's 10,000 took 3x as long
_BLOBS_PER_BATCH = 8  # blobs into a part's task at a time: a blob holds up to 100,000 rows
_BROADCAST_KEYS = 1_000_000  # hashes of repeated ids sent to every task, at most (_firsts)
_BLOB = "_part int, _table string, _blob binary"
_OUT = "_part int, _kind string, _blob binary"


def session() -> SparkSession:
    """The running Spark session (spark-submit's), else a local one on every core."""
    builder = SparkSession.builder.appName("payaudit")
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # under spark-submit: its --conf values readable
        SparkContext._ensure_initialized()
    else:  # local mode
        builder = builder.master("local[*]").config("spark.ui.showConsoleProgress", "false")
        # The driver is the executor too: Spark's 1 GB default is short of a part's blobs in
        # flight; the cached rows are on disk, and the parts' Python workers outside the heap.
        builder = builder.config("spark.driver.memory", "2g")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the tasks' Python is ours
    # As many Polars threads in a task as it has cores, unless told otherwise: Spark already
    # runs a task per core.
    conf, threads = SparkConf(), "spark.executorEnv.POLARS_MAX_THREADS"
    if not conf.contains(threads):
        builder = builder.config(threads, conf.get("spark.task.cpus", "1"))
    os.environ.setdefault("POLARS_MAX_THREADS", conf.get("spark.task.cpus", "1"))  # local mode
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # no Java, or a JVM that cannot start
        raise InputError(f"Spark could not start (it needs Java 17 or later): {exc}") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class _Sources:
    """Every input as a Spark DataFrame of canonical rows, and the files behind them."""

    def __init__(self, spark: SparkSession, settings: Settings, sheet: str | None):
        self.spark, self.settings, self.sheet = spark, settings, sheet
        self.labels: dict[str, str] = {}  # resolved local path → the path as given
        self.files: dict[str, list[str]] = {}  # table → its files in input order, as labelled
        self.digests: dict[str, str] = {}
        self.frames: dict[str, list[DataFrame]] = {}
        self.orders = 0  # the orders, exact for Parquet, else estimated from the size
        self.notes: list[pl.DataFrame] = [empty_issues()]  # the loader's issues on whole files

    def add(self, table: str, location: str, kind: str) -> None:
        """kind: "parquet" (a file or folder), "table" (a catalog table) or "file" (anything
        payaudit reads: CSV, JSON, Excel, gzipped text)."""
        if kind == "file":
            raw = self.spark.read.format("binaryFile").load(location)
            frame = raw.select("path", "length", "content").mapInArrow(
                functools.partial(tasks.read_files, table, self.settings, self.sheet, self.labels),
                _spark_schema(table),
            )
            if table == "orders":
                size = raw.agg(F.sum("length")).first()[0] or 0
                self.orders += size // TEXT_BYTES_PER_ORDER
        else:
            raw = (
                self.spark.table(location) if kind == "table" else self.spark.read.parquet(location)
            )
            frame = self._canonical(table, raw, location)
            if table == "orders":
                self.orders += raw.count()  # Parquet keeps its row counts: no data is read
        index = len(self.frames.get(table, []))
        named = sorted(tasks.file_name(f, self.labels) for f in raw.inputFiles())
        self.files.setdefault(table, []).extend(n for n in named if n not in self.files[table])
        self.frames.setdefault(table, []).append(frame.withColumn("_source", F.lit(index)))

    def add_all(self, paths: list[Path], explicit: dict[str, Path], tables: dict[str, str]):
        """Local files found as on one machine; then, per table, a catalog table (db.name) or
        a URI: Parquet when its name ends in .parquet or .pq or is a folder's, else a file
        payaudit reads."""
        found = find_files(paths, explicit) if paths or explicit else {}
        for table, table_files in found.items():
            for path in table_files:
                self.labels[str(path.resolve())] = str(path)
                self.digests[str(path)] = sha256(path) if path.is_file() else ""
                parquet = path.is_dir() or path.open("rb").read(4) == PARQUET_MAGIC
                if not parquet:  # a header problem is told before any task starts
                    with tempfile.TemporaryDirectory() as workdir:
                        _, note = canonical(
                            table, path, self.settings, self.sheet, Path(workdir),
                            pl.LazyFrame.collect_schema,
                        )  # fmt: skip
                    self.notes.append(note)
                self.add(table, str(path.resolve()), "parquet" if parquet else "file")
        for table, name in tables.items():
            last = name.rstrip("/").rsplit("/", 1)[-1]
            parquet = last.endswith((".parquet", ".pq")) or "." not in last
            kind = "table" if "://" not in name else "parquet" if parquet else "file"
            self.add(table, name, kind)
        for table_files in self.files.values():
            for f in table_files:
                self.digests.setdefault(f, "")  # files on remote storage are not hashed

    def _canonical(self, table: str, raw: DataFrame, location: str) -> DataFrame:
        """Spark's rows in canonical columns, with file and row from `_metadata`."""
        empty = pl.from_arrow(to_arrow_schema(raw.schema).empty_table())
        frame, note = records_canonical(
            table,
            empty.with_columns(_row=pl.lit(0, pl.Int64)).lazy(),
            self.settings,
            Path(location),
        )
        frame.collect_schema()  # a header problem is found here, before any task
        self.notes.append(note.with_columns(path=pl.lit(self.labels.get(location, location))))
        rows = raw.select(
            *[F.col(f"`{name}`") for name in raw.columns],
            F.col("_metadata.file_path").alias("_path"),
            (F.col("_metadata.row_index") + 1).alias("_row"),
        )
        batches = functools.partial(tasks.canonical_batches, table, self.settings, self.labels)
        return rows.mapInArrow(batches, _spark_schema(table))


_SPARK_TYPES = {pl.String: "string", pl.Int64: "bigint", pl.Float64: "double"}
_SPARK_TYPES |= {pl.Boolean: "boolean", pl.Date: "date", pl.Datetime("us"): "timestamp_ntz"}


def _spark_schema(table: str) -> str:
    return _ddl(tasks.canonical_columns(table))


def _ddl(schema: pl.Schema | dict[str, pl.DataType]) -> str:
    """Spark's DDL of the columns."""
    return ", ".join(f"`{n}` {_SPARK_TYPES[t]}" for n, t in schema.items())


def _parted(table: str, frame: DataFrame, parts: int) -> DataFrame:
    """The table's rows with their part and, for each unique column, whether the value was
    seen earlier in the input (sources in order, then files, then rows)."""
    frame = frame.withColumn("_part", F.expr(f"pmod(xxhash64(worker_id), {parts})").cast("int"))
    order = F.struct("_source", "_path", "_row")
    for c in contract(table).columns:
        if not c.unique or c.name == "worker_id":
            continue
        key = F.col(f"`{c.name}`")
        firsts = _firsts(frame.where(key.isNotNull()).select(key.alias("_key"), order.alias("_o")))
        frame = frame.join(firsts, key == F.col("_key"), "left")
        repeat = F.col("_first").isNotNull() & (order != F.col("_first"))
        frame = frame.withColumn(REPEAT + c.name, repeat).drop("_key", "_first")
    return frame


def _firsts(keys: DataFrame) -> DataFrame:
    """The first place (_o) of each value (_key) seen more than once. The values are first
    counted by their 64-bit hash, a cheap aggregation even over billions, and only those whose
    hash repeats are compared: few in most exports, so sent to every task (a broadcast join),
    and the rows are never shuffled by value."""
    hashed = keys.withColumn("_h", F.xxhash64("_key"))
    twice = hashed.groupBy("_h").count().where(F.col("count") > 1).select("_h")
    small = twice.count() <= _BROADCAST_KEYS
    suspects = hashed.join(F.broadcast(twice) if small else twice, "_h")
    firsts = (
        suspects.groupBy("_key")
        .agg(F.min("_o").alias("_first"), F.count(F.lit(1)).alias("_n"))
        .where(F.col("_n") > 1)
        .drop("_n")
    )
    return F.broadcast(firsts) if small else firsts


def _grouped(rows: DataFrame, func: Callable[[pa.Table], pa.Table], schema: str) -> DataFrame:
    """func(a part's rows) on every part, grouped by part in Spark: `applyInArrow` on Spark 4,
    `applyInPandas` before it (ARROW_GROUPS), the blobs as bytes in pandas."""
    grouped = rows.groupBy("_part")
    if ARROW_GROUPS:

        def run(table: pa.Table) -> pa.Table:  # Spark tells the function's kind by its hints
            return func(table)

        return grouped.applyInArrow(run, schema)
    return grouped.applyInPandas(
        lambda frame: func(pa.Table.from_pandas(frame, preserve_index=False)).to_pandas(), schema
    )


def _audited(union: DataFrame, job: dict) -> tuple[DataFrame, dict[int, dict[str, pl.DataFrame]]]:
    """Every part audited: Spark's outputs, kept for the per-day figures, and every output but
    those collected, per part."""
    out = _grouped(union, functools.partial(tasks.audit, job), _OUT)
    out = out.persist(StorageLevel.MEMORY_AND_DISK)
    found: dict[int, dict[str, pl.DataFrame]] = {}
    for part, kind, blob in out.where(F.col("_kind") != "daily").collect():
        found.setdefault(part, {})[kind] = from_blob(blob)
    return out, found


def _daily(out: DataFrame, to: str | None, keep: str, findings: pl.DataFrame) -> pl.DataFrame:
    """The per-day figures written by Spark as Parquet to `to` (unless None), and those the
    driver keeps: "all", those of the workers with `findings`, or "none"."""
    daily = out.where(F.col("_kind") == "daily").select("_blob")
    if to is not None:
        daily.mapInArrow(tasks.daily_rows, _ddl(DAILY_SCHEMA)).write.mode("overwrite").parquet(to)
    kept = [pl.DataFrame(schema=DAILY_SCHEMA)]
    if keep != "none":
        workers = None if keep == "all" else findings.get_column("worker_id").unique().to_list()
        blobs = daily.mapInArrow(
            functools.partial(tasks.daily_of, workers), "_blob binary"
        ).collect()
        kept += [from_blob(row[0]) for row in blobs]
    return pl.concat(kept).sort("worker_id", "date")


def _collected(frame: DataFrame, table: str) -> pl.DataFrame:
    """A small table's canonical rows on the driver, as Arrow."""
    batches = frame.drop("_source").mapInArrow(tasks.blob_of, "_blob binary")
    found = [from_blob(row[0]) for row in batches.collect()]
    return pl.concat(
        [pl.DataFrame(schema=tasks.canonical_columns(table)), *found], how="diagonal_relaxed"
    )


@contextlib.contextmanager
def _planned(spark: SparkSession, settings: dict[str, object]) -> Iterator[None]:
    """Spark's SQL `settings` in the plans made meanwhile (a plan reads them when it is made),
    the session's own again after."""
    before = {key: spark.conf.get(key) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, str(value))
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)


def part_count(orders: int, parallelism: int, orders_per_part: int) -> int:
    """How many parts: about `orders_per_part` orders each, and at least one per core."""
    return max(parallelism, math.ceil(orders / orders_per_part))


def audit_spark(
    paths: list[Path],
    explicit: dict[str, Path],
    tables: dict[str, str],
    settings: Settings,
    rules: list[type[Rule]],
    sheet: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    orders_per_part: int | None = None,
    status: Callable[[str], object] = lambda _: None,
    spark: SparkSession | None = None,
    daily_to: str | None = None,
    keep_daily: str = "all",
) -> AuditResult:
    """The audit of local files (`paths`, `explicit` as on one machine) and of `tables`
    (table → a catalog table db.name, or a URI Spark reads: hdfs://…, s3a://…) in parts run
    as Spark tasks: the findings, data issues and row counts of the audit on one machine. The
    per-day figures are written as Parquet to `daily_to` (any location Spark writes, unless
    None); the result holds `keep_daily` of them: "all", those of the workers with findings
    ("findings", what worker statements show) or "none"."""
    status("Starting Spark…")
    spark = spark or session()
    sources = _Sources(spark, settings, sheet)
    sources.add_all(paths, explicit, tables)
    if "orders" not in sources.frames:  # found files have it; tables alone might not
        raise InputError("No orders table: give --table orders=… or orders files.")
    per_part = orders_per_part or int(spark.conf.get(PARTS_CONF, str(ORDERS_PER_TASK)))
    parts = part_count(sources.orders, spark.sparkContext.defaultParallelism, per_part)
    status(f"Auditing in {parts} parts on Spark…")
    job = {"empty": {}, "whole": {}, "files": sources.files, "settings": settings}
    job |= {"digests": sources.digests, "rules": rules, "asked": (date_from, date_to)}
    blobs = []
    with _planned(spark, {_BATCH: _ROWS_PER_BATCH, _SHUFFLE: parts, _COMPRESSED: "false"}):
        for table, frames in sources.frames.items():
            frame = functools.reduce(DataFrame.unionByName, frames)
            if "worker_id" not in contract(table).names:  # a small table every part gets whole
                job["whole"][table] = _collected(frame, table)
                continue
            parted = _parted(table, frame, parts)
            job["empty"][table] = pl.from_arrow(
                to_arrow_schema(parted.drop("_part").schema).empty_table()
            )
            blobs.append(parted.mapInArrow(functools.partial(tasks.blobs, table), _BLOB))
        union = functools.reduce(DataFrame.union, blobs).persist(StorageLevel.DISK_ONLY)
        light = union.mapInArrow(tasks.light_span, "_part int, first date, last date").collect()
    try:
        asked = date_from, date_to
        light_span = overall_span([(r["first"], r["last"]) for r in light])
        job["from"], job["to"] = audit_range(light_span, asked, settings.period)
        with _planned(spark, {_BATCH: _BLOBS_PER_BATCH, _SHUFFLE: parts}):
            out, found = _audited(union, job)
            first, last, held = tasks.span(found)
            if (date_from or date_to) and not held:
                out.unpersist()
                raise empty_range(date_from, date_to, (first, last))
            exact = audit_range((first, last), asked, settings.period)
            if exact != (job["from"], job["to"]):
                # A row the light span counted was rejected: the parts again, in the exact range.
                status("Auditing again in the range of the valid data…")
                out.unpersist()
                job["from"], job["to"] = exact
                out, found = _audited(union, job)
    finally:
        union.unpersist()
    if set(found) != {r[0] for r in light} or not all("meta" in o for o in found.values()):
        raise InputError("Spark returned part of the audit only: give the driver more memory.")
    if not found:  # no rows anywhere: the audit of empty tables
        out.unpersist()
        return tasks.audit_frames(
            job, tasks.part_frames(pa.table({"_table": [], "_blob": []}), job)
        )[0]
    results = [result_from_frames(found[p], settings, rules) for p in sorted(found)]
    result = combine(results, sources.files)
    try:
        daily = _daily(out, daily_to, keep_daily, result.findings)
    finally:
        out.unpersist()
    issues = pl.concat([*sources.notes, result.dataset.issues])  # first, as on one machine
    dataset = dataclasses.replace(result.dataset, issues=issues)
    return dataclasses.replace(result, daily=daily, dataset=dataset)
