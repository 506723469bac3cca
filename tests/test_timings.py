"""`payaudit check --timings`: wall time and peak memory per phase, on stderr and in the
manifest; the findings are those of a run without it."""

from __future__ import annotations

import json
import time
from pathlib import Path

from typer.testing import CliRunner

from payaudit import timings
from payaudit.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
runner = CliRunner()


def test_a_phase_entered_again_adds_its_time_and_keeps_the_larger_peak():
    recorder = timings.start()
    try:
        for _ in range(2):
            with timings.phase("load"):
                time.sleep(0.02)
        with timings.phase("validate"):
            big = bytearray(64 * 2**20)  # 64 MiB resident while the phase runs
            big[::4096] = b"x" * len(big[::4096])
            with timings.phase("inner"):  # nested: counted in the outer phase only
                time.sleep(0.01)
    finally:
        timings.start(False)
    phases = {p["phase"]: p for p in recorder.as_list()}
    assert list(phases) == ["load", "validate"]
    assert phases["load"]["seconds"] >= 0.04
    assert phases["validate"]["peak_rss_mib"] >= phases["load"]["peak_rss_mib"] + 60
    assert recorder.lines()[-1].startswith("timing: total")
    del big


def test_without_timings_nothing_is_recorded():
    timings.start(False)
    with timings.phase("load"):
        pass
    assert not timings.recording()


def _check(*more: str):
    args = ["check", str(SAMPLE), "--format", "json", "--quiet", "--fail-on", "never", *more]
    return runner.invoke(app, args)


def test_check_with_timings_reports_every_phase_and_the_same_findings():
    plain, timed = _check(), _check("--timings")
    assert plain.exit_code == timed.exit_code == 0, timed.output
    doc = json.loads(timed.stdout)
    phases = [p["phase"] for p in doc["manifest"]["timings"]]
    assert phases[:4] == ["load", "validate", "workers", "working time"]
    assert {"rules: wage", "rules: fatigue", "totals"} <= set(phases)
    assert all(p["seconds"] >= 0 and p["peak_rss_mib"] > 0 for p in doc["manifest"]["timings"])
    lines = [line for line in timed.stderr.splitlines() if line.startswith("timing:")]
    assert [line.split()[1] for line in lines[:2]] == ["load", "validate"]
    assert any(line.split()[1] == "reports" for line in lines)  # on stderr, not the manifest
    assert json.loads(plain.stdout)["findings"] == doc["findings"]
    assert "timings" not in json.loads(plain.stdout)["manifest"]
