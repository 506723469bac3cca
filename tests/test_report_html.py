"""The HTML report renders offline in headless Chromium: page, charts and a sortable table."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from rich.console import Console

from payaudit.report import ReportOptions, emit
from test_report_helpers import make_result, stub_rule  # noqa: F401

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (Debian: apt-get install chromium)"
)
# After the page's own script: sort by shortfall (column 10) twice, then record the order.
SORT_PROBE = """<script>
var th = document.querySelectorAll("#findings > thead > tr > th")[9];
th.click(); th.click();
var cells = Array.from(document.querySelectorAll("#findings > tbody > tr"))
  .map(function (r) { return r.cells[9].getAttribute("data-v"); });
document.body.setAttribute("data-order", cells.join(" "));
</script></body>"""


def chromium(tmp_path, page, *args):
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "report.html"
    emit(
        make_result(tmp_path, n=40),
        ["html"],
        path,
        ReportOptions(lang="en"),
        Console(stderr=True, quiet=True),
    )
    return path


def test_page_is_self_contained(page):
    html = page.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count('<svg class="chart"') == 4


@needs_chromium
def test_chromium_renders_page_and_charts(tmp_path, page):
    dom = chromium(tmp_path, page, "--dump-dom")
    assert "Platform worker pay and working-time audit" in dom
    for chart in ("chart_hourly", "chart_daily", "chart_stretch", "chart_shortfall"):
        figure = re.search(rf'<figure id="{chart}">(.*?)</figure>', dom, re.S)
        assert figure and "<svg" in figure.group(1) and 'class="bar"' in figure.group(1), chart
    assert dom.count('class="ref"') > 0  # minimum-wage ticks and limit lines
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1200,2000")
    assert shot.stat().st_size > 20_000  # a blank page is a few kB


@needs_chromium
def test_findings_table_sorts(tmp_path, page):
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text("utf-8").replace("</body>", SORT_PROBE), "utf-8")
    dom = chromium(tmp_path, probe, "--dump-dom")
    order = [float(v) for v in re.search(r'data-order="([^"]*)"', dom).group(1).split()]
    assert len(order) == 40 and order == sorted(order, reverse=True)
