"""The reports an inspector acts on, on an audited sample: the HTML opens each finding onto its
evidence and filters (in headless Chromium), the histograms count in-scope workers only, Excel
prints (read back with openpyxl), worker statements render in Chinese, the terminal fits 80
columns, Parquet carries the manifest and the data issues."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.config import Settings
from payaudit.engine.parts import audit_files
from payaudit.report import ReportOptions, emit, terminal
from payaudit.report.html import _histogram
from payaudit.report.model import prepare
from payaudit.rules import select_rules
from payaudit.sample import write_sample
from test_report_html import chromium, needs_chromium

ENV = {"COLUMNS": "80", "LC_ALL": "", "LANG": "C.UTF-8"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder, 40, 31, seed=1)
    return folder


@pytest.fixture(scope="module")
def result(sample):
    return audit_files([sample], {}, Settings(lang="en"), select_rules())


def write(result, tmp_path, fmt, lang="en"):
    path = tmp_path / f"report.{fmt}"
    emit(result, [fmt], path, ReportOptions(lang=lang), Console(stderr=True, quiet=True))
    return path


# After the page's own script: open the first HP001 finding, then filter by rule, then by worker.
PROBE = """<script>
var rows = function () {
  return Array.from(document.querySelectorAll("#findings > tbody > tr"))
    .filter(function (r) { return !r.classList.contains("hidden"); });
};
var hp = document.querySelector('#findings > tbody > tr[data-rule="HP001"] details');
hp.open = true;
var orders = hp.querySelectorAll("table.orders > tbody > tr");
var baseline = hp.querySelectorAll("table.baseline > tbody > tr");
var ordersShown = orders[0].offsetHeight > 0;
var rule = document.querySelector('select[data-filter="rule"]');
rule.value = "HP001"; rule.dispatchEvent(new Event("change"));
var byRule = rows().length;
rule.value = ""; rule.dispatchEvent(new Event("change"));
var worker = document.querySelector('input[data-filter="worker"]');
worker.value = "W00016"; worker.dispatchEvent(new Event("input"));
document.body.setAttribute("data-probe", JSON.stringify({
  orders: orders.length, ordersShown: ordersShown, baseline: baseline.length,
  byRule: byRule, byWorker: rows().length, shown: document.getElementById("shown").textContent
}));
</script></body>"""


@needs_chromium
def test_html_finding_opens_onto_evidence_and_filters(tmp_path, result):
    page = write(result, tmp_path, "html")
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", PROBE), "utf-8")
    dom = chromium(tmp_path, probe, "--dump-dom")
    got = json.loads(re.search(r"data-probe=\"([^\"]*)\"", dom).group(1).replace("&quot;", '"'))
    findings = result.findings
    first_hp = findings.filter(pl.col("rule") == "HP001").row(0, named=True)
    assert got["orders"] == len(json.loads(first_hp["evidence"])["order_ids"]) > 0
    assert got["ordersShown"]
    assert got["baseline"] > 0
    assert got["byRule"] == findings.filter(pl.col("rule") == "HP001").height
    assert got["byWorker"] == findings.filter(pl.col("worker_id") == "W00016").height
    assert got["shown"] == f"{got['byWorker']} of {findings.height} shown"


def test_html_header_names_the_range_rule_pack_and_inputs(tmp_path, result):
    html = write(result, tmp_path, "html").read_text("utf-8")
    header = re.search(r"<header>(.*?)</header>", html, re.S).group(1)
    assert "Audited range: 2025-01-01 – 2025-01-31" in header
    assert "rule pack 2026-11 (cn-chongqing)" in header
    assert "orders.csv (9,359)" in header
    assert "渝人社发〔2021〕38号" in html  # the legal basis of the findings


def test_hp001_baseline_days_add_up_to_the_rules_baseline(tmp_path, result):
    """The working days shown for a holiday finding are exactly those its rate compares with:
    their pay and hours sum to the evidence's baseline_pay_cny and baseline_hours."""
    from payaudit.report import evidence

    report = prepare(result, "en", False, None)
    holiday = report.findings.filter(pl.col("rule") == "HP001")
    for row, ev in zip(
        holiday.iter_rows(named=True), evidence.gather(report, holiday), strict=True
    ):
        recorded = json.loads(row["evidence"])
        assert sum(d["pay_fen"] for d in ev.baseline) == round(
            Decimal(str(recorded["baseline_pay_cny"])) * 100
        )
        assert sum(d["hours"] for d in ev.baseline) == pytest.approx(
            recorded["baseline_hours"], abs=0.01
        )
        assert {o["order_id"] for o in ev.orders} == set(recorded["order_ids"])


def test_histograms_count_in_scope_workers_only(result):
    report = prepare(result, "en", False, None)
    svg = _histogram(report, "hours", "max_daily_hours", "chart_daily")
    counted = sum(int(n) for n in re.findall(r"<title>[\d.]+–[\d.]+: (\d+)</title>", svg))
    in_scope = report.workers.filter(pl.col("in_scope"))["worker_id"]
    days = report.daily.filter(pl.col("hours").is_not_null())
    assert counted == days.filter(pl.col("worker_id").is_in(in_scope.implode())).height
    assert counted < days.height  # the sample's independents work too
    over = re.findall(r'class="bar over"[^>]* height="([\d.]+)"', svg)
    assert over and min(float(h) for h in over) >= 8  # a breach is never a hairline


def test_excel_prints_landscape_a4_fitted_with_repeated_header(tmp_path, result):
    wb = openpyxl.load_workbook(write(result, tmp_path, "xlsx"))
    for name in ("Findings", "Workers", "Data issues", "Parameters"):
        ws = wb[name]
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0), name  # absent means 1
        assert ws.print_title_rows == "$1:$1", name
    findings = wb["Findings"]
    header = [c.value for c in findings[1]]
    first = findings[2]
    evidence = first[header.index("Evidence")]
    assert evidence.alignment.wrap_text and evidence.value.startswith("{")
    assert isinstance(first[header.index("Shortfall (CNY)")].value, float)
    assert findings.max_row == result.findings.height + 1
    params = wb["Parameters"]
    values = {r[0]: r[1] for r in params.iter_rows(min_row=2, values_only=True)}
    assert values["max_daily_hours"] == 8 and isinstance(values["max_daily_hours"], int | float)
    summary = wb["Summary"]
    for row in summary.iter_rows(min_row=2):  # the title spills over empty cells
        for cell in row:  # nothing cut off: text fits its column or wraps
            if isinstance(cell.value, str):
                width = summary.column_dimensions[cell.column_letter].width
                assert cell.alignment.wrap_text or cell_len(cell.value) <= width, cell.value
    texts = {c.value for row in summary.iter_rows() for c in row}
    assert "2025-01-01 – 2025-01-31" in texts
    assert "cn-chongqing, rule pack 2026-11" in texts


def test_parquet_carries_manifest_and_data_issues(tmp_path, result):
    meta = pq.ParquetFile(write(result, tmp_path, "parquet")).metadata.metadata
    manifest = json.loads(meta[b"payaudit.manifest"])
    assert (manifest["period_from"], manifest["period_to"]) == ("2025-01-01", "2025-01-31")
    assert manifest["rule_pack"] == "cn-chongqing 2026-11"
    issues = json.loads(meta[b"payaudit.data_issues"])
    assert len(issues) == result.dataset.issues.height


def test_terminal_shows_top_findings_within_80_columns(result):
    report = prepare(result, "en", False, None)
    text = io.StringIO()
    terminal.render(report, Console(file=text, width=80, no_color=True))
    out = text.getvalue()
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "Audited range: 2025-01-01 – 2025-01-31 · rule pack 2026-11" in out
    top = report.findings.sort("shortfall_fen", descending=True).row(0, named=True)
    section = out[out.index("Top findings by shortfall") :].splitlines()
    first = next(line.split() for line in section if re.match(r"\s+[A-Z]{2}\d{3}\s", line))
    assert first[:2] == [top["rule"], top["worker_id"]]
    more = report.total_findings - terminal.TOP_FINDINGS
    assert f"{more} more findings not shown: add -v" in out


def test_statements_one_page_per_worker_in_chinese(tmp_path, sample, result):
    folder = tmp_path / "statements"
    cli = CliRunner().invoke(
        app, ["check", str(sample), "--statements", str(folder), "-q"], env=ENV
    )
    assert cli.exit_code == 1, cli.output  # the sample has error findings
    owed = result.workers.filter(pl.col("findings") > 0)
    pages = sorted(folder.glob("*.html"))
    assert [p.stem for p in pages] == sorted(owed["worker_id"].to_list())
    for worker in owed.iter_rows(named=True):
        page = (folder / f"{worker['worker_id']}.html").read_text("utf-8")
        fen = worker["shortfall_fen"]
        assert "劳动者权益核查告知书" in page and "@page { size: A4" in page
        assert "审计期间: 2025-01-01 – 2025-01-31" in page
        assert f"应补发合计: {fen // 100:,}.{fen % 100:02d} 元" in page
        assert page.count('<section class="finding">') == worker["findings"]
    # the per-day figures the run keeps for statements: the holiday finding's baseline days
    holiday = (folder / "W00022.html").read_text("utf-8")
    assert "当月工作日（基准）" in holiday and 'class="day"' in holiday


def test_html_report_of_check_charts_the_days(tmp_path, sample):
    """A run keeps the per-day figures for the reports that show them only: HTML does."""
    args = ["check", str(sample), "-f", "json", "-f", "html", "-o", str(tmp_path), "-q"]
    CliRunner().invoke(app, args, env=ENV)
    page = (tmp_path / "payaudit-report.html").read_text("utf-8")
    figure = re.search(r'<figure id="chart_daily">(.*?)</figure>', page, re.S)
    assert figure and 'class="bar"' in figure.group(1)


def test_statements_in_english_on_request(tmp_path, sample):
    folder = tmp_path / "statements"
    cli = CliRunner().invoke(
        app, ["check", str(sample), "--statements", str(folder), "--lang", "en"], env=ENV
    )
    page = next(folder.glob("*.html")).read_text("utf-8")
    assert "Statement of findings for a worker" in page and "Total owed" in page
    assert "Wrote 5 worker statements" in cli.output


def test_redacted_statements_name_workers_as_the_report_does(tmp_path, sample):
    """--redact: one worker has one pseudonym in every output of a run, statements too."""
    folder, report = tmp_path / "statements", tmp_path / "report.json"
    args = ["check", str(sample), "--redact", "-f", "json", "-o", str(report), "-q"]
    CliRunner().invoke(app, [*args, "--statements", str(folder)], env=ENV)
    named = {f["worker_id"] for f in json.loads(report.read_text("utf-8"))["findings"]}
    pages = {page.stem for page in folder.glob("*.html")}
    assert len(pages) == 5 and pages <= named and all(p.startswith("P-") for p in pages)


@needs_chromium
@pytest.mark.skipif(
    not shutil.which("fc-list")
    or not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout,
    reason="no CJK font installed (Debian: apt-get install fonts-noto-cjk)",
)
def test_statement_renders_chinese_in_chromium(tmp_path, sample):
    folder = tmp_path / "statements"
    CliRunner().invoke(app, ["check", str(sample), "--statements", str(folder), "-q"], env=ENV)
    page = folder / "W00022.html"  # the holiday-pay worker
    dom = chromium(tmp_path, page, "--dump-dom")
    assert "法定节假日报酬" in dom and "当月工作日（基准）" in dom
    pdf = tmp_path / "statement.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert re.search(rb"/MediaBox \[0 0 59[45][.\d]* 84[12][.\d]*\]", data)  # A4: 595 × 842 pt
    assert re.search(rb"/FontName /[A-Z]{6}\+\w*CJK", data)  # Chinese glyphs embedded


def test_evidence_names_the_orders_when_they_are_not_at_hand(result):
    """A large input audited in parts keeps no orders: the finding still names its orders."""
    from payaudit.report import evidence

    report = prepare(result, "en", False, None)
    report.orders = pl.DataFrame()
    daily = report.findings.filter(pl.col("rule") == "FT002").head(1)
    fragment = evidence.html(evidence.gather(report, daily)[0], None, "en")
    ids = json.loads(daily["evidence"][0])["order_ids"]
    assert ids and all(i in fragment for i in ids)
    assert 'class="orders"' not in fragment


def test_zh_evidence_facts_are_labelled_in_chinese(result):
    from payaudit.report import evidence

    report = prepare(result, "zh", False, None)
    labels = {k for ev in evidence.gather(report, report.findings) for k, _ in ev.facts}
    assert labels and all(re.search(r"[\u4e00-\u9fff]", k) for k in labels), labels
