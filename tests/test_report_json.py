"""The JSON report follows docs/report.md field for field; options route and truncate it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from rich.console import Console

from payaudit.errors import ConfigError
from payaudit.report import ReportOptions, emit, plan
from test_report_helpers import EVIL, make_result, stub_rule  # noqa: F401

FINDING_KEYS = [
    "id",
    "rule",
    "severity",
    "worker_id",
    "category",
    "platform",
    "period_start",
    "period_end",
    "observed",
    "threshold",
    "unit",
    "shortfall_cny",
    "evidence",
    "basis",
    "message",
    "baseline",
    "waiver",
    "path",
    "row",
]


def run(tmp_path, *formats, **options):
    result = make_result(tmp_path)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    emit(
        result, list(formats), out, ReportOptions(**{"lang": "en"} | options), Console(stderr=True)
    )
    return result, out


def test_json_has_spec_fields_in_order(tmp_path):
    result, out = run(tmp_path, "json")
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    assert list(doc) == [
        "payaudit_version",
        "manifest",
        "summary",
        "findings",
        "data_issues",
        "resolved",
        "warnings",
    ]
    assert list(doc["manifest"])[:5] == [
        "generated_at",
        "jurisdiction",
        "rule_pack",
        "parameters",
        "inputs",
    ]
    assert doc["manifest"]["command_line"] == ["payaudit"]
    assert doc["manifest"]["settings"] == {
        "period": "month",
        "default_category": "platform_managed",
        "district": None,
        "platform": None,
        "working_time": {"basis": "orders", "allowance_ratio": 0.0},
        "config": None,
    }
    assert doc["manifest"]["inputs"][0] == {
        "table": "orders",
        "path": str(tmp_path / "orders.csv"),
        "sha256": "ab" * 32,
        "rows_read": 10,
        "rows_audited": 9,
        "rows_rejected": 1,
    }
    assert doc["manifest"]["parameters"]["max_daily_hours"] == 8
    assert list(doc["summary"]) == [
        "workers",
        "workers_by_category",
        "findings_by_rule",
        "findings_by_severity",
        "shortfall_cny",
        "truncated",
        "new",
        "known",
        "resolved",
        "waived",
    ]
    assert len(doc["findings"]) == result.findings.height == 12
    first = doc["findings"][0]
    assert list(first) == FINDING_KEYS
    assert isinstance(first["evidence"], dict)
    assert first["period_start"] == result.findings["period_start"][0].isoformat()
    assert [f["shortfall_cny"] for f in doc["findings"]] == [
        float(Decimal(fen) / 100) for fen in result.findings["shortfall_fen"]
    ]
    assert doc["summary"]["shortfall_cny"] == float(
        Decimal(int(result.findings["shortfall_fen"].sum())) / 100
    )
    assert doc["summary"]["findings_by_severity"] == {"error": 8, "warning": 4}
    assert list(doc["data_issues"][0]) == [
        "code",
        "severity",
        "table",
        "path",
        "row",
        "column",
        "value",
        "message",
    ]
    assert doc["data_issues"][0]["row"] == 7


def test_messages_come_from_the_rule_in_the_chosen_language(tmp_path):
    _, out = run(tmp_path, "json", lang="zh")
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    w1 = next(f for f in doc["findings"] if f["worker_id"] == "W1")
    assert w1["message"].startswith("劳动者 W1 实际小时收入 20.00 元")
    assert "应补发 0.05 元" in w1["message"]


def test_messages_in_the_engine_language_stay_as_rendered_unless_pseudonymised(tmp_path):
    """The engine rendered them in its language (English here, "engine text" in the hand-made
    result): kept as they are; with --redact, rendered again over the pseudonyms."""
    _, out = run(tmp_path, "json")
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    assert {f["message"] for f in doc["findings"]} == {"engine text"}
    _, out = run(tmp_path, "json", redact=True)
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    first = doc["findings"][0]
    assert first["message"].startswith(f"Worker {first['worker_id']} earned ")
    assert first["worker_id"].startswith("P-")


def test_max_findings_truncates_but_counts_cover_all(tmp_path, capsys):
    _, out = run(tmp_path, "json", max_findings=5)
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    assert len(doc["findings"]) == 5
    assert doc["summary"]["truncated"] is True
    assert sum(doc["summary"]["findings_by_rule"].values()) == 12
    assert "first 5 of 12" in capsys.readouterr().err


@pytest.mark.parametrize("chunk", [1, 5, 12])
def test_findings_written_chunk_by_chunk_read_as_one_array(tmp_path, monkeypatch, chunk):
    """12 findings in chunks of 1, of 5 (the last one short) and of 12: the same document,
    a separator between every two findings and none after the last."""
    result = make_result(tmp_path)
    texts = []
    for size in (None, chunk):
        if size:
            monkeypatch.setattr("payaudit.report.json.CHUNK", size)
        path = tmp_path / f"report-{size}.json"
        emit(result, ["json"], path, ReportOptions(lang="en"), Console(stderr=True))
        texts.append(path.read_text("utf-8"))
    whole, chunked = texts
    findings = json.loads(chunked)["findings"]
    assert len(findings) == 12 and len({f["id"] for f in findings}) == 12
    assert chunked.count('},\n    {"id":') == 11  # one line per finding
    same = [line for line in whole.splitlines() if '"generated_at"' not in line]
    assert [line for line in chunked.splitlines() if '"generated_at"' not in line] == same


def test_json_to_stdout_keeps_stdout_clean(tmp_path, capsys):
    emit(make_result(tmp_path), ["json"], None, ReportOptions(lang="en"), Console(stderr=True))
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["workers"] == 4
    assert "Findings by rule" in captured.err  # the summary went to stderr


def test_quiet_prints_nothing(tmp_path, capsys):
    emit(
        make_result(tmp_path),
        ["json"],
        None,
        ReportOptions(lang="en", quiet=True),
        Console(stderr=True),
    )
    assert capsys.readouterr().err == ""


def test_output_paths(tmp_path):
    names = lambda targets: [(f.name, p and p.name) for f, p in targets]  # noqa: E731
    assert names(plan(["json"], None)) == names(plan(["json"], Path("-"))) == [("json", None)]
    assert names(plan(["table"], None)) == []
    assert names(plan(["json"], tmp_path / "a.txt")) == [("json", "a.txt")]
    assert names(plan(["json", "parquet", "table"], tmp_path / "audit.json")) == [
        ("json", "audit.json"),
        ("parquet", "audit.parquet"),
    ]
    assert names(plan(["csv", "csv"], tmp_path)) == [("csv", "payaudit-report.csv")]


@pytest.mark.parametrize(
    ("formats", "words"),
    [(["json", "csv"], "standard output"), (["parquet"], "binary"), (["pdf"], "Unknown")],
)
def test_impossible_routes_are_config_errors(formats, words):
    with pytest.raises(ConfigError, match=words):
        plan(formats, None)


def test_refuses_to_overwrite_an_input(tmp_path):
    result = make_result(tmp_path)
    with pytest.raises(ConfigError, match="over an input"):
        emit(result, ["json"], tmp_path / "orders.csv", ReportOptions(), Console(stderr=True))
    assert (tmp_path / "orders.csv").read_text("utf-8").startswith("order_id")


def test_json_writes_evil_worker_id_as_plain_string(tmp_path):
    _, out = run(tmp_path, "json")
    doc = json.loads((out / "payaudit-report.json").read_text("utf-8"))
    assert EVIL in {f["worker_id"] for f in doc["findings"]}


def test_evidence_that_is_not_a_json_object_cannot_break_the_document(tmp_path):
    result = make_result(tmp_path)
    given = [
        '{"a": 1',
        "[1, 2]",
        None,
        "{bad}",
        '{"a":\u3000 1}',  # a space JSON does not allow
        '{"a": "\x01"}',  # a raw control character in a string
        '{"n": {"b": [1, {"c": null}]}}',  # valid, nested: the full parser reads it
        '{ "s" : "q\\"\\u00e9", "l" : [ ], "x": -0.5e3, "t": true }',
    ]
    result.findings = result.findings.with_columns(
        pl.Series("evidence", given * 2, pl.String).head(result.findings.height)
    )
    assert result.findings.height >= len(given)
    emit(result, ["json"], tmp_path / "r.json", ReportOptions(), Console(stderr=True, quiet=True))
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert [f["evidence"] for f in doc["findings"][: len(given)]] == [
        {"text": '{"a": 1'},
        {"text": "[1, 2]"},
        {},
        {"text": "{bad}"},
        {"text": '{"a":\u3000 1}'},
        {"text": '{"a": "\x01"}'},
        {"n": {"b": [1, {"c": None}]}},
        {"s": 'q"é', "l": [], "x": -500.0, "t": True},
    ]
