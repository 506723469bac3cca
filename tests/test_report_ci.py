"""The CI formats (SARIF 2.1.0, JUnit XML, GitHub workflow commands) and where reports go:
the format from -o's suffix, a new folder from -o dir/, CSV headers."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import openpyxl
import polars as pl
from rich.console import Console

from payaudit.report import ReportOptions, emit, plan
from test_report_helpers import make_result, stub_rule  # noqa: F401

QUIET = Console(stderr=True, quiet=True)


def gated(tmp_path):
    """The helpers' result with places, one known finding and one waived finding."""
    result = make_result(tmp_path)
    n = result.findings.height
    findings = result.findings.with_columns(
        path=pl.lit(str(tmp_path / "orders.csv")),
        row=pl.int_range(2, n + 2, dtype=pl.Int64),
        baseline=pl.when(pl.int_range(n) == 0).then(pl.lit("known")).otherwise(pl.lit("new")),
        waiver=pl.when(pl.int_range(n) == 1).then(pl.lit("agreed, 50%: paid")),
    )
    return dataclasses.replace(result, findings=findings)


def write(tmp_path, fmt: str):
    result = gated(tmp_path)
    out = tmp_path / f"report.{fmt}"
    emit(result, [fmt], out, ReportOptions(lang="en"), QUIET)
    return result, out


def test_sarif_has_rules_and_one_located_result_per_finding_and_issue(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # paths below here are written relative, as in a checkout
    result, out = write(tmp_path, "sarif")
    doc = json.loads(out.read_text("utf-8"))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    [run] = doc["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "payaudit"
    stub = next(r for r in rules if r["id"] == "ZZ901")
    for key in ("shortDescription", "fullDescription", "help"):
        assert stub[key]["text"]
    assert stub["properties"]["basis"] == "渝人社发〔2021〕38号"
    assert stub["defaultConfiguration"] == {"level": "error"}
    findings, issues = run["results"][: result.findings.height], run["results"][12:]
    assert len(findings) == 12 and len(issues) == result.dataset.issues.height
    ids = [r["partialFingerprints"]["payauditFindingId/v1"] for r in findings]
    assert ids == result.findings["id"].to_list()
    for r, finding in zip(findings, result.findings.iter_rows(named=True), strict=True):
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"] == "ZZ901"
        assert r["level"] == finding["severity"] and r["message"]["text"]
        [place] = r["locations"]
        assert place["physicalLocation"]["artifactLocation"]["uri"] == "orders.csv"
        assert place["physicalLocation"]["region"]["startLine"] == finding["row"]
    assert [r["baselineState"] for r in findings[:2]] == ["unchanged", "new"]
    assert findings[1]["suppressions"] == [
        {"kind": "external", "justification": "agreed, 50%: paid"}
    ]
    assert "suppressions" not in findings[0]
    assert {r["ruleId"] for r in issues} == set(result.dataset.issues["code"])
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in issues)
    assert run["properties"]["summary"] == {"new": 11, "known": 1, "resolved": 0, "waived": 1}


def test_junit_has_one_case_per_rule_failing_with_counted_findings(tmp_path):
    result, out = write(tmp_path, "junit")
    root = ET.parse(out).getroot()
    rules, data = root.findall("testsuite")
    [case] = rules.findall("testcase")
    assert case.get("name") == "ZZ901" and rules.get("failures") == "1"
    failure = case.find("failure")
    assert failure.get("message") == "10 findings"  # 12 less the known and the waived one
    known, waived = result.findings["id"][0], result.findings["id"][1]
    assert known not in failure.text and waived not in failure.text
    output = case.find("system-out").text
    assert f"known  {known}" in output and f"agreed, 50%: paid  {waived}" in output
    # Data issues: one case per code, failing on error issues only.
    outcome = {c.get("name"): c.find("failure") is not None for c in data.findall("testcase")}
    assert outcome == {"D004": True, "D010": False, "D012": True}
    assert data.find("testcase/failure").get("message") == "1 data issue"  # singular
    zh = tmp_path / "zh.xml"
    emit(result, ["junit"], zh, ReportOptions(lang="zh"), QUIET)
    failure = ET.parse(zh).getroot().find("testsuite/testcase/failure")
    assert failure.get("message") == "10 条违规事项" and failure.get("type") == "findings"


def test_github_annotations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result, out = write(tmp_path, "github")
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 12 + result.dataset.issues.height
    pattern = re.compile(r"^::(error|warning|notice) (file=[^,]+,line=\d+,)?title=[^:]+::.+$")
    assert all(pattern.match(line) for line in lines), lines
    first, second, third = lines[:3]
    known, waived = result.findings["id"][0], result.findings["id"][1]
    assert first.startswith(f"::notice file=orders.csv,line=2,title=ZZ901 {known} known::")
    # In a property, ',' and ':' are escaped; '%' is escaped everywhere.
    assert f"title=ZZ901 {waived} waived%3A agreed%2C 50%25%3A paid::" in second
    severity = result.findings["severity"][2]
    assert third.startswith(f"::{severity} file=orders.csv,line=4,title=ZZ901 ")


def test_csv_headers_are_json_keys_unless_labels(tmp_path):
    result = gated(tmp_path)
    for labels, first in ((False, "id"), (True, "规则")):
        out = tmp_path / f"labels-{labels}.csv"
        emit(result, ["csv"], out, ReportOptions(lang="zh", labels=labels), QUIET)
        assert pl.read_csv(out).columns[int(labels)] == first


def test_the_format_follows_the_output_suffix_and_a_slash_makes_a_folder(tmp_path):
    def names(formats, output):
        return [(f.name, p and p.name) for f, p in plan(formats, output)]

    assert names([], str(tmp_path / "r.xlsx")) == [("xlsx", "r.xlsx")]
    assert names([], str(tmp_path / "r.sarif")) == [("sarif", "r.sarif")]
    assert names([], str(tmp_path / "r.github.txt")) == [("github", "r.github.txt")]
    assert names([], str(tmp_path / "r.txt")) == [("table", "r.txt")]
    assert names([], None) == []
    assert names(["json", "sarif"], str(tmp_path / "a.sarif")) == [
        ("json", "a.json"),
        ("sarif", "a.sarif"),
    ]
    assert names(["json"], str(tmp_path / "new") + "/") == [("json", "payaudit-report.json")]
    emit(make_result(tmp_path), [], str(tmp_path / "new" / "deeper") + "/", ReportOptions(), QUIET)
    assert (tmp_path / "new" / "deeper" / "payaudit-report.txt").is_file()
    emit(make_result(tmp_path), [], str(tmp_path / "r.xlsx"), ReportOptions(), QUIET)
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[0] == "Summary"


def test_redact_pseudonymises_the_ids_too(tmp_path):
    result = gated(tmp_path)
    out = tmp_path / "redacted.json"
    emit(result, ["json"], out, ReportOptions(lang="en", redact=True), QUIET)
    shown = [f["id"] for f in json.loads(out.read_text("utf-8"))["findings"]]
    # An id hashes the worker's real id: shown as is, it would link the worker across runs.
    assert not set(shown) & set(result.findings["id"])
    assert all(i.startswith("P-") for i in shown) and len(set(shown)) == len(shown)
