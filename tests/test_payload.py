"""A part's audit survives the trip as Arrow blobs (what Spark tasks send the driver), so an
engine elsewhere hands back exactly what the part found; tested here without any engine."""

from pathlib import Path

import polars as pl

from payaudit.config import Settings
from payaudit.engine.parts import audit_files
from payaudit.engine.payload import from_blob, result_frames, result_from_frames, to_blob
from payaudit.rules import select_rules

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def test_a_part_audit_round_trips_through_blobs():
    rules = select_rules([], [])
    result = audit_files([SAMPLE], {}, Settings(), rules)
    frames = {kind: from_blob(to_blob(frame)) for kind, frame in result_frames(result)}
    back = result_from_frames(frames, Settings(), rules)
    assert result.findings.height > 0
    assert back.findings.equals(result.findings)
    assert back.daily.equals(result.daily) and back.workers.equals(result.workers)
    assert back.dataset.issues.equals(result.dataset.issues)
    assert back.dataset.inputs == result.dataset.inputs
    assert back.dataset.frames["workers"].equals(result.dataset.frames["workers"])
    assert (back.rule_pack, back.warnings) == (result.rule_pack, result.warnings)
    assert back.manifest == result.manifest  # the audited range among it
    assert back.manifest["period_from"] == "2025-01-01"


def test_an_empty_frame_keeps_its_columns_and_types():
    empty = pl.DataFrame(schema={"day": pl.Date, "fen": pl.Int64, "id": pl.String})
    assert from_blob(to_blob(empty)).schema == empty.schema
