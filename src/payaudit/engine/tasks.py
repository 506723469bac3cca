"""What a Spark task runs (engine/spark.py plans it): Arrow batches in, Arrow batches out,
with payaudit's own readers and part audit. Nothing here imports pyspark: Spark's Python
workers import this module by name, and it can be read and tested without Spark."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

import polars as pl
import pyarrow as pa

from payaudit.contracts import contract
from payaudit.engine.context import first_and_last, plausible_days
from payaudit.engine.parts import audit_part
from payaudit.engine.payload import from_blob, result_frames, to_blob
from payaudit.errors import InputError
from payaudit.io import read_table, records_canonical
from payaudit.schema import BAD, DTYPES, EXTRA, PARSED

_SPAN_SCHEMA = {"first": pl.Date, "last": pl.Date, "held": pl.Boolean}
_BLOB_ARROW = pa.schema([("_part", pa.int32()), ("_table", pa.string()), ("_blob", pa.binary())])


def canonical_columns(table: str) -> pl.Schema:
    """A table's canonical columns as every source gives them to Spark."""
    columns: dict[str, pl.DataType] = {}
    for c in contract(table).columns:
        columns[c.name] = DTYPES[c.type]
        if c.type in PARSED:  # null where the cell parsed or the input lacks the column
            columns[BAD + c.name] = pl.String
    return pl.Schema(columns | {EXTRA: pl.String, "_path": pl.String, "_row": pl.Int64})


def arrow_of(frame: pl.DataFrame, table: str) -> list[pa.RecordBatch]:
    """The frame in the table's canonical columns (null where it has none), as Spark expects."""
    columns = [
        pl.col(n).cast(t) if n in frame.columns else pl.lit(None, t).alias(n)
        for n, t in canonical_columns(table).items()
    ]
    return frame.select(columns).to_arrow(compat_level=pl.CompatLevel.oldest()).to_batches()


def file_name(uri: str, labels: dict[str, str]) -> str:
    """How reports name a file Spark gives as a URI, in whichever form: a local file by the
    path given for it (`labels`: resolved path → path given), else by its resolved path; a
    remote one as scheme://host/path."""
    parsed = urlparse(uri)
    path = unquote(parsed.path)
    if parsed.scheme in ("", "file"):
        local = str(Path(path).resolve())
        return labels.get(local, local)
    return f"{parsed.scheme}://{parsed.netloc}{path}"


def read_files(table, settings, sheet, labels, batches: Iterator[pa.RecordBatch]):
    """Each file of the batches read by payaudit's reader, in canonical rows."""
    with tempfile.TemporaryDirectory(prefix="payaudit-") as workdir:
        for batch in batches:
            for uri, content in zip(
                batch.column("path").to_pylist(), batch.column("content").to_pylist(), strict=True
            ):
                label = file_name(uri, labels)
                copy = Path(workdir) / Path(urlparse(uri).path).name
                copy.write_bytes(content)
                try:
                    frame, _ = read_table(table, copy, settings, sheet, Path(workdir))
                except InputError as exc:
                    raise InputError(str(exc).replace(str(copy), label)) from None
                finally:
                    copy.unlink()
                yield from arrow_of(frame.with_columns(_path=pl.lit(label)), table)


def canonical_batches(table, settings, labels, batches: Iterator[pa.RecordBatch]):
    for batch in batches:
        raw = pl.from_arrow(batch)
        uris = raw.get_column("_path").unique()
        names = {u: file_name(u, labels) for u in uris}  # the batch's few files
        paths = raw.get_column("_path").replace_strict(names, return_dtype=pl.String)
        frame, _ = records_canonical(
            table, raw.drop("_path").lazy(), settings, Path(paths[0] if len(paths) else "")
        )
        frame = frame.collect()
        yield from arrow_of(frame.with_columns(_path=paths), table)


def blobs(table: str, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each batch as one Arrow blob per part it holds."""
    for batch in batches:
        rows = pl.from_arrow(batch)
        for (part,), frame in rows.partition_by("_part", as_dict=True).items():
            blob = to_blob(frame.drop("_part"))
            yield pa.RecordBatch.from_pydict(
                {"_part": [part], "_table": [table], "_blob": [blob]}, schema=_BLOB_ARROW
            )


def light_span(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Each blob's part and the first and last day of its dated rows (data_days' columns) that
    name a worker and fall in the years validation accepts: the audit range before any part is
    validated, which each part's exact span then confirms (audit_spark)."""
    for batch in batches:
        tables, blobs = batch.column("_table").to_pylist(), batch.column("_blob").to_pylist()
        spans = [
            first_and_last([plausible_days(from_blob(blob).lazy(), table)])
            for table, blob in zip(tables, blobs, strict=True)
        ]
        firsts, lasts = zip(*spans, strict=True) if spans else ((), ())
        yield pa.RecordBatch.from_arrays(
            [batch.column("_part"), pa.array(firsts, pa.date32()), pa.array(lasts, pa.date32())],
            names=["_part", "first", "last"],
        )


def part_frames(rows: pa.Table, job: dict) -> dict[str, pl.DataFrame]:
    """A part's canonical frames from its blobs, each table's rows in input order."""
    frames = dict(job["whole"])
    tables, blobs = rows.column("_table").to_pylist(), rows.column("_blob").to_pylist()
    for table, columns in job["empty"].items():
        found = [from_blob(b) for t, b in zip(tables, blobs, strict=True) if t == table]
        frame = pl.concat([columns, *found], how="diagonal_relaxed")
        frames[table] = frame.sort("_source", "_path", "_row").drop("_source")
    return frames


def audit_frames(job: dict, frames: dict[str, pl.DataFrame]):
    args = (job["files"], job["settings"], job["rules"], job["from"], job["to"], job["digests"])
    return audit_part(frames, *args, job["asked"])


def audit(job: dict, rows: pa.Table) -> pa.Table:
    """The part's audit, each of its outputs as an Arrow blob, with its span (audit_part)."""
    result, (first, last), held = audit_frames(job, part_frames(rows, job))
    span = pl.DataFrame({"first": [first], "last": [last], "held": [held]})
    outputs = [("span", span), *(result_frames(result) if result else [])]
    return pa.table(
        {
            "_part": pa.array([rows.column("_part")[0].as_py()] * len(outputs), pa.int32()),
            "_kind": [k for k, _ in outputs],
            "_blob": [to_blob(f) for _, f in outputs],
        }
    )


def daily_rows(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The per-day blobs as rows, for Spark to write."""
    for batch in batches:
        for blob in batch.column("_blob").to_pylist():
            yield from from_blob(blob).to_arrow(compat_level=pl.CompatLevel.oldest()).to_batches()


def daily_of(workers: list[str] | None, batches: Iterator[pa.RecordBatch]):
    """The per-day blobs, of `workers` only unless None."""
    for batch in batches:
        for blob in batch.column("_blob").to_pylist():
            daily = from_blob(blob)
            if workers is not None:
                daily = daily.filter(pl.col("worker_id").is_in(workers))
            yield pa.RecordBatch.from_pydict({"_blob": [to_blob(daily)]})


def blob_of(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        yield pa.RecordBatch.from_pydict({"_blob": [to_blob(pl.from_arrow(batch))]})


def span(found: dict[int, dict[str, pl.DataFrame]]) -> tuple[date | None, date | None, bool]:
    """The first and last day of the clean data of every part, and whether any part holds
    data in the range asked."""
    spans = pl.concat([pl.DataFrame(schema=_SPAN_SCHEMA), *(o["span"] for o in found.values())])
    return spans.select(pl.col("first").min(), pl.col("last").max(), pl.col("held").any()).row(0)
