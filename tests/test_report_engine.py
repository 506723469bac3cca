"""Reports of a real audit (run_audit on hand-built canonical frames) and through `payaudit
check`: the registered rules' names, the stdout/stderr split, exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from rich.console import Console
from typer.testing import CliRunner

from helpers import audit, dataset
from payaudit.cli import app
from payaudit.engine.run import run_audit
from payaudit.report import ReportOptions, emit
from payaudit.rules import all_rules

ORDERS = [
    ("o1", "W1", "2024-12-30 08:00", "2024-12-30 17:30", 100),  # long day, low pay
    ("o2", "W1", "2025-01-28 10:00", "2025-01-28 11:00", 10),  # 除夕
    ("o9", '=HYPERLINK("http://x")', "2025-01-06 08:00", "2025-01-06 13:00", 200),
]
ROSTER = [
    ("W1", "platform_managed", "渝中区", {"name": "王小明", "phone": "13900001111"}),
    ('=HYPERLINK("http://x")', "platform_managed", "城口县"),
    ("W3", "independent", "渝中区"),
]


@pytest.fixture(scope="module")
def ds():
    return dataset(orders=ORDERS, workers=ROSTER)


@pytest.fixture(scope="module")
def result(ds):
    return audit(ds)


def test_zh_reports_of_a_real_audit_have_no_english_rule_names(tmp_path, result):
    assert result.findings.height > 0
    emit(
        result,
        ["json", "csv", "xlsx", "html"],
        tmp_path,
        ReportOptions(lang="zh"),
        Console(stderr=True, quiet=True),
    )
    english = [r.name["en"] for r in all_rules().values()]
    texts = [
        (tmp_path / f"payaudit-report.{f}").read_text("utf-8-sig") for f in ("json", "csv", "html")
    ]
    book = openpyxl.load_workbook(tmp_path / "payaudit-report.xlsx")
    texts.append(str([[c.value for c in row] for ws in book for row in ws.iter_rows()]))
    for text in texts:
        assert not [name for name in english if name in text]
        assert "王小明" not in text and "13900001111" not in text
    doc = json.loads(texts[0])
    assert len(doc["findings"]) == result.findings.height
    assert doc["summary"]["workers_by_category"] == {"independent": 1, "platform_managed": 2}
    findings = book["违规事项"]
    assert all(c.data_type != "f" for row in findings.iter_rows() for c in row)


def fake_loader(monkeypatch, ds):
    """`payaudit check` auditing this dataset in place of the files it is given."""

    def audit(paths, explicit, settings, rules, *args, **kwargs):
        return run_audit(ds, settings, rules)

    monkeypatch.setattr("payaudit.engine.parts.audit_files", audit)


def test_check_json_on_stdout_summary_on_stderr(monkeypatch, ds, tmp_path):
    fake_loader(monkeypatch, ds)
    run = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "json", "--lang", "en"])
    assert run.exit_code == 1, run.output  # the audit has errors
    doc = json.loads(run.stdout)
    assert doc["summary"]["findings_by_rule"]
    assert "Findings by rule" in run.stderr and "Findings by rule" not in run.stdout


def test_check_writes_every_format_and_redacts(monkeypatch, ds, tmp_path):
    fake_loader(monkeypatch, ds)
    out = tmp_path / "reports"
    out.mkdir()
    args = [
        "check",
        str(tmp_path),
        "--output",
        str(out),
        "--redact",
        "--quiet",
        "--fail-on",
        "never",
    ] + [a for f in ("json", "csv", "xlsx", "parquet", "html") for a in ("--format", f)]
    run = CliRunner().invoke(app, args)
    assert run.exit_code == 0, run.output
    assert run.stdout == "" and run.stderr == ""
    ids = set(pl.read_parquet(out / "payaudit-report.parquet")["worker_id"])
    assert ids and all(i.startswith("P-") for i in ids)
    assert ids == {
        f["worker_id"] for f in json.loads((out / "payaudit-report.json").read_text())["findings"]
    }


def test_check_binary_format_without_output_is_exit_2(monkeypatch, ds, tmp_path):
    fake_loader(monkeypatch, ds)
    run = CliRunner().invoke(app, ["check", str(tmp_path), "--format", "xlsx"])
    assert run.exit_code == 2 and "give --output" in run.stderr and run.stdout == ""


ORDERS_CSV = """订单号,骑手ID,接单时间,完成时间,骑手收入,区县
o1,W1,2025-01-06 08:00,2025-01-06 17:30,100,渝中区
o2,W1,2025-01-07 08:00,2025-01-07 09:00,30.5,渝中区
o3,"=HYPERLINK(""http://x"")",2025-01-06 08:00,2025-01-06 13:00,200,城口县
"""
ROSTER_CSV = """worker_id,category,district,name,phone
W1,platform_managed,渝中区,王小明,13900001111
"=HYPERLINK(""http://x"")",platform_managed,城口县,李四,13900002222
"""


@pytest.fixture
def exports(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "订单.csv").write_text(ORDERS_CSV, "utf-8")
    (folder / "workers.csv").write_text(ROSTER_CSV, "utf-8")
    return folder


def test_check_end_to_end_on_files(exports, tmp_path):
    """Real loader, engine and reports: the manifest names the inputs by hash and row count."""
    out = tmp_path / "out"
    formats = [a for f in ("json", "csv", "xlsx", "parquet", "html") for a in ("-f", f)]
    run = CliRunner().invoke(
        app,
        [
            "check",
            str(exports),
            "-o",
            str(out / "audit"),
            "--lang",
            "zh",
            "--fail-on",
            "never",
            *formats,
        ],
    )
    assert run.exit_code == 0, run.stderr
    assert "按规则统计" in run.stdout and "按规则统计" not in run.stderr  # stdout was free
    doc = json.loads((out / "audit.json").read_text("utf-8"))
    orders = next(i for i in doc["manifest"]["inputs"] if i["table"] == "orders")
    digest = hashlib.sha256((exports / "订单.csv").read_bytes()).hexdigest()
    assert orders["sha256"] == digest and orders["rows_read"] == 3
    assert pl.read_parquet(out / "audit.parquet").height == len(doc["findings"]) > 0
    assert pl.read_csv(out / "audit.csv").height == len(doc["findings"])
    for suffix in ("json", "csv", "html"):  # (xlsx and parquet: test_report_formats)
        text = (out / f"audit.{suffix}").read_text("utf-8-sig")
        assert "王小明" not in text and "13900001111" not in text, suffix
    findings = openpyxl.load_workbook(out / "audit.xlsx")["违规事项"]
    assert all(c.data_type != "f" for row in findings.iter_rows() for c in row)


def test_check_refuses_to_write_over_an_input(exports):
    target = exports / "workers.csv"
    run = CliRunner().invoke(app, ["check", str(exports), "-f", "csv", "-o", str(target)])
    assert run.exit_code == 2 and "over an input" in run.stderr
    assert target.read_text("utf-8") == ROSTER_CSV


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


@pytest.mark.skipif(not (SAMPLE / "orders.csv").exists(), reason="sample_data/ not generated")
def test_check_on_sample_data_same_findings_everywhere(tmp_path):
    formats = [a for f in ("json", "csv", "xlsx", "parquet", "html") for a in ("-f", f)]
    run = CliRunner().invoke(
        app,
        [
            "check",
            str(SAMPLE),
            "-o",
            str(tmp_path),
            "--lang",
            "zh",
            "--redact",
            "--fail-on",
            "never",
            *formats,
        ],
    )
    assert run.exit_code == 0, run.stderr
    doc = json.loads((tmp_path / "payaudit-report.json").read_text("utf-8"))
    n = len(doc["findings"])
    assert n == sum(doc["summary"]["findings_by_rule"].values()) > 0
    pq = pl.read_parquet(tmp_path / "payaudit-report.parquet")
    assert pq.height == pl.read_csv(tmp_path / "payaudit-report.csv").height == n
    assert pq["worker_id"].to_list() == [f["worker_id"] for f in doc["findings"]]
    assert all(w.startswith("P-") for w in pq["worker_id"])
    rows = openpyxl.load_workbook(tmp_path / "payaudit-report.xlsx")["违规事项"].max_row
    assert rows == n + 1
    english = [r.name["en"] for r in all_rules().values()]
    html = (tmp_path / "payaudit-report.html").read_text("utf-8")
    assert not [name for name in english if name in html]
