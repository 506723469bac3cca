"""Every format opens in its users' tool with the same findings; text stays text; --lang zh has
no English rule names; --redact leaves no id, name, phone or id number behind."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import openpyxl
import polars as pl
import pytest
from rich.console import Console

from payaudit.i18n import CATEGORIES, COLUMNS, SEVERITIES, TEXT
from payaudit.report import ReportOptions, emit
from payaudit.report.model import prepare
from payaudit.rules import all_rules
from test_report_helpers import EVIL, ID_NUMBER, NAME, PHONE, make_result, stub_rule  # noqa: F401

ALL = ["json", "csv", "parquet", "xlsx", "html"]


def write_all(tmp_path, lang="en", **options):
    tmp_path.mkdir(exist_ok=True)
    result = make_result(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    emit(result, ALL, out, ReportOptions(lang=lang, **options), Console(stderr=True, quiet=True))
    return result, {fmt: out / f"payaudit-report.{fmt}" for fmt in ALL}


def xlsx_findings(path, lang="en"):
    wb = openpyxl.load_workbook(path)
    ws = wb[{"en": "Findings", "zh": "违规事项"}[lang]]
    rows = list(ws.iter_rows(values_only=True))
    return ws, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_each_format_carries_the_same_findings(tmp_path):
    result, files = write_all(tmp_path)
    expected = result.findings.sort("worker_id", "period_start", "rule")
    keys = list(
        zip(
            expected["worker_id"],
            expected["period_start"].cast(pl.String),
            expected["shortfall_fen"],
            strict=True,
        )
    )

    doc = json.loads(files["json"].read_text("utf-8"))
    assert [
        (f["worker_id"], f["period_start"], round(f["shortfall_cny"] * 100))
        for f in doc["findings"]
    ] == keys

    pq = pl.read_parquet(files["parquet"])
    assert pq.schema["period_start"] == pl.Date
    assert pq.schema["shortfall_cny"] == pl.Decimal(12, 2)
    fen = expected["shortfall_fen"].to_list()
    assert pq["shortfall_cny"].to_list() == [Decimal(f) / 100 for f in fen]
    assert pq["shortfall_fen"].to_list() == expected["shortfall_fen"].to_list()

    raw = files["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    csv = pl.read_csv(files["csv"])
    assert csv.columns[:2] == ["id", "rule"] and csv.height == expected.height  # JSON keys
    assert csv["shortfall_cny"].to_list() == [fen / 100 for fen in expected["shortfall_fen"]]
    written = pl.read_csv(files["csv"], infer_schema=False)["shortfall_cny"].to_list()
    assert written == [f"{fen // 100}.{fen % 100:02d}" for fen in expected["shortfall_fen"]]
    assert all(isinstance(json.loads(e), dict) for e in csv["evidence"])

    ws, rows = xlsx_findings(files["xlsx"])
    assert [r["Shortfall (CNY)"] for r in rows] == [fen / 100 for fen in expected["shortfall_fen"]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:T{len(rows) + 1}"  # 20 columns
    money = ws.cell(row=2, column=list(rows[0]).index("Shortfall (CNY)") + 1)
    assert money.number_format == "#,##0.00"
    assert ws.conditional_formatting  # severity highlighted

    html = files["html"].read_text("utf-8")
    assert html.count("<tr>") >= expected.height


def test_formula_worker_id_stays_text(tmp_path):
    _, files = write_all(tmp_path)
    ws, rows = xlsx_findings(files["xlsx"])
    evil = [r["Worker ID"] for r in rows if "HYPERLINK" in r["Worker ID"]]
    assert evil and all(v == "'" + EVIL for v in evil)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate  # never a formula
    workers = openpyxl.load_workbook(files["xlsx"])["Workers"]
    assert "'" + EVIL in [c.value for c in workers["A"]]

    text = files["csv"].read_text("utf-8-sig")
    assert "'=HYPERLINK" in text
    for line in text.splitlines()[1:]:
        for cell in re.split(r',(?=(?:[^"]*"[^"]*")*[^"]*$)', line):
            assert not cell.strip('"').startswith(("=", "+", "-", "@", "\t", "\r")), cell

    assert "=HYPERLINK(&quot;http://x&quot;)" in files["html"].read_text("utf-8")


def test_zh_reports_have_no_english_rule_names(tmp_path):
    _, files = write_all(tmp_path, lang="zh")
    english = [rule.name["en"] for rule in all_rules().values()]
    assert "Stub hourly minimum wage" in english
    texts = {
        "json": files["json"].read_text("utf-8"),
        "csv": files["csv"].read_text("utf-8-sig"),
        "html": files["html"].read_text("utf-8"),
        "parquet": str(pl.read_parquet(files["parquet"]).to_dicts()),
        "xlsx": str(
            [
                [c.value for c in row]
                for ws in openpyxl.load_workbook(files["xlsx"])
                for row in ws.iter_rows()
            ]
        ),
    }
    for fmt, text in texts.items():
        for name in english:
            assert name not in text, (fmt, name)
        assert "测试小时最低工资" in text or fmt == "json", fmt
    ui = [
        w["en"]
        for w in (*TEXT.values(), *COLUMNS.values(), *SEVERITIES.values(), *CATEGORIES.values())
        if w["en"] != w["zh"] and len(w["en"]) > 3
    ]
    for fmt in ("html", "xlsx"):  # headings and titles in Chinese too (identifiers aside)
        text = re.sub(r"<[^>]*>", " ", texts[fmt])
        assert not [w for w in ui if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)], fmt
    assert openpyxl.load_workbook(files["xlsx"]).sheetnames == [
        "概要",
        "违规事项",
        "劳动者",
        "数据问题",
        "参数",
    ]
    assert pl.read_csv(files["csv"]).columns[1] == "rule"  # machine columns in every language


@pytest.mark.parametrize("redact", [False, True])
def test_personal_data_never_appears(tmp_path, redact):
    result, files = write_all(tmp_path, redact=redact)
    texts = [files[f].read_text("utf-8") for f in ("json", "csv", "html")]
    texts.append(str(pl.read_parquet(files["parquet"]).to_dicts()))
    texts.append(
        str(
            [
                [c.value for c in row]
                for ws in openpyxl.load_workbook(files["xlsx"])
                for row in ws.iter_rows()
            ]
        )
    )
    for text in texts:
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret not in text
        if redact:
            for wid in ("W12", "W9", EVIL, '"W1"', "W2"):
                assert wid not in text


def test_a_message_kept_as_the_engine_wrote_it_is_scrubbed(tmp_path):
    """A rule with no template in the report's language keeps the engine's message: its
    personal values are masked; a rendered message holds only the finding's own fields."""
    result = make_result(tmp_path)
    said = f"{NAME} ({PHONE}) was paid late"
    result.findings = result.findings.with_columns(
        rule=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ZZ999")).otherwise("rule"),
        message=pl.lit(said),
    )
    report = prepare(result, "en", redact=False, max_findings=None)
    messages = report.findings.get_column("message").to_list()
    assert messages[0] == "*** (***) was paid late"
    assert said not in messages and all(m.startswith("Worker ") for m in messages[1:])


def test_pseudonyms_are_stable_within_a_run_and_differ_between_runs(tmp_path):
    _, files = write_all(tmp_path / "a", redact=True)
    doc = json.loads(files["json"].read_text("utf-8"))
    ids = {f["worker_id"] for f in doc["findings"]}
    assert len(ids) == 4 and all(i.startswith("P-") for i in ids)
    assert set(pl.read_parquet(files["parquet"])["worker_id"]) == ids
    assert {r["Worker ID"] for r in xlsx_findings(files["xlsx"])[1]} == ids
    for f in doc["findings"]:  # the evidence and the message name the same pseudonym
        assert f["evidence"]["worker"] == f["worker_id"] and f["worker_id"] in f["message"]
    _, again = write_all(tmp_path / "b", redact=True)
    assert not ids & {f["worker_id"] for f in json.loads(again["json"].read_text())["findings"]}


def test_truncation_is_the_same_everywhere(tmp_path):
    _, files = write_all(tmp_path, max_findings=3)
    assert len(json.loads(files["json"].read_text("utf-8"))["findings"]) == 3
    assert pl.read_parquet(files["parquet"]).height == 3
    assert pl.read_csv(files["csv"]).height == 3
    assert len(xlsx_findings(files["xlsx"])[1]) == 3
    assert "first 3 of 12" in files["html"].read_text("utf-8")


def test_excel_row_limit_is_said_not_silent(tmp_path, monkeypatch):
    from payaudit.report import xlsx

    monkeypatch.setattr(xlsx, "EXCEL_ROWS", 5)
    _, files = write_all(tmp_path)
    assert len(xlsx_findings(files["xlsx"])[1]) == 5
    summary = [
        c.value for row in openpyxl.load_workbook(files["xlsx"])["Summary"].iter_rows() for c in row
    ]
    assert any("at most 5 rows" in str(v) for v in summary)
    assert len(json.loads(files["json"].read_text("utf-8"))["findings"]) == 12


def test_zh_terminal_summary_is_chinese(tmp_path):
    out = io.StringIO()
    emit(
        make_result(tmp_path),
        ["table"],
        None,
        ReportOptions(lang="zh", verbose=True),
        Console(file=out, width=200),
    )
    text = out.getvalue()
    assert "测试小时最低工资" in text and "按规则统计" in text
    assert "Stub hourly minimum wage" not in text and "Findings" not in text
