"""docs/ci.md does what it says: its commands, run in order on the sample data as the CI jobs it
shows would run them, pass on the drop their baseline was made from, and write the reports the
CI systems read."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from payaudit.cli import app

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def steps(text: str) -> list[tuple[str, str]]:
    """("toml", text) for a config block, ("run", command) for each payaudit command of a shell
    or YAML block (after `run:` or a list's `-`), in the document's order."""
    found = []
    for lang, body in BLOCK.findall(text):
        if lang == "toml":
            found.append(("toml", body))
            continue
        for line in body.splitlines():
            command = re.sub(r"^\s*(-\s+)?(run:\s+)?", "", line)
            if command.startswith("payaudit "):
                found.append(("run", command))
    return found


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    here = tmp_path_factory.mktemp("ci")
    shutil.copytree(ROOT / "sample_data", here / "exports")
    outputs = []
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(here)
        for kind, step in steps((ROOT / "docs" / "ci.md").read_text("utf-8")):
            if kind == "toml":
                (here / "payaudit.toml").write_text(step, "utf-8")
                continue
            result = CliRunner().invoke(app, shlex.split(step, comments=True)[1:])
            outputs.append((step, result.exit_code, result.stdout))
    return here, outputs


def test_every_command_of_the_doc_passes(ran):
    _, outputs = ran
    commands = [step for step, _, _ in outputs]
    assert len(commands) == 5 and commands[1].startswith("payaudit baseline")
    assert [(step, code) for step, code, _ in outputs] == [(step, 0) for step in commands]


def test_the_jobs_reports_say_every_finding_is_known(ran):
    here, outputs = ran
    total = len(json.loads((here / "payaudit-report.json").read_text("utf-8"))["findings"])
    baseline = json.loads((here / "payaudit-baseline.json").read_text("utf-8"))
    assert total > 0 and len(baseline["findings"]) == total

    annotations = next(out for step, _, out in outputs if "-f github" in step).splitlines()
    assert len(annotations) == total and all(a.startswith("::notice ") for a in annotations)

    sarif = json.loads((here / "payaudit.sarif").read_text("utf-8"))
    states = {r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states == {"unchanged"}

    report = json.loads((here / "reports" / "payaudit-report.json").read_text("utf-8"))
    assert [report["summary"][k] for k in ("new", "known", "resolved")] == [0, total, 0]
    # The doc's waiver covers W00008's continuous-work stretches of January.
    waived = {(f["rule"], f["worker_id"]) for f in report["findings"] if f["waiver"]}
    assert waived == {("FT001", "W00008")}
    junit = ET.parse(here / "reports" / "payaudit-report.xml").getroot()
    assert junit.findall(".//failure") == []
