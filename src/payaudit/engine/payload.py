"""A part's tables and its audit as Arrow IPC blobs: what an engine that runs the parts as
tasks elsewhere (Spark) ships between a task and the driver. No engine is imported here."""

from __future__ import annotations

import json

import polars as pl
import pyarrow as pa

from payaudit.config import Settings
from payaudit.dataset import INPUT_SCHEMA, Dataset, InputFile
from payaudit.engine.result import DAILY_SCHEMA, AuditResult
from payaudit.rules.base import Rule


def to_blob(frame: pl.DataFrame) -> bytes:
    """A frame as an Arrow IPC stream (the oldest compatible layout, which Spark reads)."""
    sink = pa.BufferOutputStream()
    table = frame.to_arrow(compat_level=pl.CompatLevel.oldest())
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def from_blob(blob: bytes) -> pl.DataFrame:
    return pl.from_arrow(pa.ipc.open_stream(blob).read_all())


def result_frames(result: AuditResult) -> list[tuple[str, pl.DataFrame]]:
    """What a part's audit hands back, as frames."""
    inputs = pl.DataFrame([f.as_dict() for f in result.dataset.inputs], schema=INPUT_SCHEMA)
    meta = pl.DataFrame(
        {
            "rule_pack": [result.rule_pack],
            "warnings": [result.warnings],
            "manifest": [json.dumps(result.manifest)],  # the audited range among it
        }
    )
    found = [
        ("findings", result.findings),
        ("workers", result.workers),
        ("daily", result.daily),
        ("parameters", result.parameters),
        ("issues", result.dataset.issues),
        ("inputs", inputs),
    ]
    roster = result.dataset.frames.get("workers")
    return found + ([("roster", roster)] if roster is not None else []) + [("meta", meta)]


def result_from_frames(
    outputs: dict[str, pl.DataFrame], settings: Settings, rules: list[type[Rule]]
) -> AuditResult:
    """A part's audit again, from result_frames' frames; without "daily" when the per-day
    figures travel apart (Spark writes them as Parquet)."""
    meta = outputs["meta"]
    roster = outputs.get("roster")
    dataset = Dataset(
        frames={"workers": roster} if roster is not None else {},
        inputs=[InputFile.from_dict(row) for row in outputs["inputs"].iter_rows(named=True)],
        issues=outputs["issues"],
    )
    return AuditResult(
        findings=outputs["findings"],
        workers=outputs["workers"],
        daily=outputs.get("daily", pl.DataFrame(schema=DAILY_SCHEMA)),
        parameters=outputs["parameters"],
        dataset=dataset,
        settings=settings,
        rule_pack=meta["rule_pack"][0],
        rules=[r.code for r in rules],
        warnings=meta["warnings"][0].to_list(),
        manifest=json.loads(meta["manifest"][0]),
    )
