"""The CI gate as a platform's CI job runs it on each data drop (issue 14's acceptance): run 1
on a drop fails; a baseline from it lets run 2 on the same drop pass; a later drop adding one
violation fails with exactly one new finding; a waiver for it passes; SARIF and JUnit reports
parse and carry every finding."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from payaudit.cli import app

runner = CliRunner()

WORKERS = """worker_id,category,district
W1,platform_managed,渝中区
W2,platform_managed,渝中区
W3,platform_managed,渝中区
"""
# W1: 4 h paid 80.00 → MW001 (渝中区 class 1, 23.00/h): owed 4 × 23 − 80 = 12.00 (an error).
# W2: 09:00-13:01 without a break → FT001, a 4.02 h stretch over 4 h (a warning).
DROP_1 = """order_id,worker_id,accepted_at,completed_at,pay,district
o1,W1,2025-01-06 09:00:00,2025-01-06 13:00:00,80.00,渝中区
o2,W2,2025-01-06 09:00:00,2025-01-06 13:01:00,100.00,渝中区
"""
# The next drop adds W3: 4 h paid 40.00 → MW001 owed 4 × 23 − 40 = 52.00.
DROP_2 = DROP_1 + "o3,W3,2025-01-07 09:00:00,2025-01-07 13:00:00,40.00,渝中区\n"


def drop(folder, orders: str):
    folder.mkdir()
    (folder / "orders.csv").write_text(orders, "utf-8")
    (folder / "workers.csv").write_text(WORKERS, "utf-8")
    return str(folder)


def check(*args: str):
    return runner.invoke(app, ["check", *args, "--quiet", "--lang", "en"])


def findings(path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["findings"]


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the CI job's checkout: config and reports live here
    return tmp_path


def test_baseline_then_new_violation_then_waiver(here):
    first, second = drop(here / "drop1", DROP_1), drop(here / "drop2", DROP_2)

    run1 = check(first, "-o", "run1.json")  # the format follows -o's suffix
    assert run1.exit_code == 1, run1.output
    ids = {f["id"] for f in findings(here / "run1.json")}
    assert len(ids) == 2

    made = runner.invoke(app, ["baseline", "run1.json", "-o", "baseline.json"])
    assert made.exit_code == 0, made.output

    run2 = check(first, "--baseline", "baseline.json", "-o", "run2.json")
    assert run2.exit_code == 0, run2.output
    doc = json.loads((here / "run2.json").read_text("utf-8"))
    assert {f["id"]: f["baseline"] for f in doc["findings"]} == dict.fromkeys(ids, "known")
    assert [doc["summary"][k] for k in ("new", "known", "resolved")] == [0, 2, 0]

    run3 = check(second, "--baseline", "baseline.json", "-o", "run3.json")
    assert run3.exit_code == 1, run3.output
    new = [f for f in findings(here / "run3.json") if f["baseline"] == "new"]
    assert [(f["rule"], f["worker_id"], f["shortfall_cny"]) for f in new] == [("MW001", "W3", 52.0)]
    assert new[0]["id"] not in ids and new[0]["path"].endswith("orders.csv")
    assert new[0]["row"] == 4  # o3: the third order, under the header

    (here / "payaudit.toml").write_text(
        '[[waive]]\nrule = "MW001"\nworker = "W3"\n'
        'reason = "Back pay agreed with the union on 2025-02-03"\nexpires = 2099-12-31\n',
        "utf-8",
    )
    run4 = check(second, "--baseline", "baseline.json", "-o", "run4.json")
    assert run4.exit_code == 0, run4.output
    [waived] = [f for f in findings(here / "run4.json") if f["waiver"]]
    assert (waived["id"], waived["baseline"]) == (new[0]["id"], "new")
    assert waived["waiver"].startswith("Back pay agreed")

    # SARIF and JUnit of the same run parse and carry every finding.
    ci = check(second, "--baseline", "baseline.json", "-o", "ci/", "-f", "sarif", "-f", "junit")
    assert ci.exit_code == 0, ci.output
    every = {f["id"] for f in findings(here / "run4.json")}
    sarif = json.loads((here / "ci" / "payaudit-report.sarif").read_text("utf-8"))
    results = sarif["runs"][0]["results"]
    assert {r["partialFingerprints"]["payauditFindingId/v1"] for r in results} == every
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["partialFingerprints"]["payauditFindingId/v1"] for r in suppressed] == [waived["id"]]
    junit = ET.parse(here / "ci" / "payaudit-report.xml").getroot()
    text = "".join(junit.itertext())
    assert all(i in text for i in every)
    assert junit.findall(".//failure") == []  # nothing counts: known or waived


def test_a_waiver_without_a_reason_is_a_config_error(here):
    folder = drop(here / "drop", DROP_1)
    (here / "payaudit.toml").write_text('[[waive]]\nrule = "MW001"\nworker = "W1"\n', "utf-8")
    result = check(folder)
    assert result.exit_code == 2
    assert "'reason' is required" in result.output


def test_the_summary_goes_to_stdout_when_no_report_does(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\n"
        "o1,W1,2025-01-06 09:00:00,2025-01-06 13:00:00,80.00\n",
        "utf-8",
    )
    to_file = runner.invoke(app, ["check", str(tmp_path), "-o", str(tmp_path / "r.json")])
    assert "Findings: 1 new, 0 known" in to_file.stdout and to_file.stderr == ""
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["summary"]["new"] == 1
    to_stdout = runner.invoke(app, ["check", str(tmp_path), "-f", "json"])
    assert json.loads(to_stdout.stdout)["summary"]["new"] == 1  # stdout holds the JSON only
    assert "Findings: 1 new" in to_stdout.stderr
