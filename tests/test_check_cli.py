"""`payaudit rule CODE` and `payaudit check` through the CLI: output, exit codes, options."""

from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from payaudit.cli import app

runner = CliRunner()


def test_rule_explains_a_rule():
    result = runner.invoke(app, ["rule", "mw001", "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "MW001" in out and "小时最低工资" in out
    assert "渝人社发〔2021〕38号" in out and "min_wage_hourly" in out
    assert "Platform-managed" in out and "Example" in out


def test_rule_with_an_unknown_code_exits_2():
    result = runner.invoke(app, ["rule", "XX999"])
    assert result.exit_code == 2
    assert "XX999" in result.output


ORDERS_CSV = """order_id,worker_id,accepted_at,completed_at,pay,district
o1,W1,2025-01-06 09:00:00,2025-01-06 13:00:00,80.00,渝中区
o2,W2,2025-01-06 09:00:00,2025-01-06 13:01:00,100.00,渝中区
o3,W3,2025-01-06 09:00:00,2025-01-06 13:00:00,10.00,渝中区
bad,W1,not a time,2025-01-06 13:00:00,1000.00,渝中区
"""
WORKERS_CSV = """worker_id,category,district
W1,platform_managed,渝中区
W2,platform_managed,渝中区
W3,independent,渝中区
"""


@pytest.fixture
def exports(tmp_path):
    pytest.importorskip("payaudit.io")  # the loader lands separately
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    (tmp_path / "workers.csv").write_text(WORKERS_CSV, encoding="utf-8")
    return tmp_path


def _check(*args: str):
    return runner.invoke(app, ["check", *args, "--quiet"])


def _findings(result) -> list[tuple]:
    report = json.loads(result.stdout)
    return [
        (f["rule"], f["worker_id"], f["period_start"], f["period_end"], f["shortfall_cny"])
        for f in report["findings"]
    ]


def test_check_json_findings_and_exit_1(exports):
    result = _check(str(exports), "--format", "json", "--lang", "en")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    found = [(f["rule"], f["worker_id"], f["shortfall_cny"]) for f in report["findings"]]
    # W1: 4 h × 23 = 92.00 − 80.00 = 12.00 (MW001). W2: 4 h 1 min stretch (FT001); pay
    # 100.00 ≥ 4.0167 × 23 = 92.38. W3 is independent: out of scope.
    assert found == [("MW001", "W1", 12.0), ("FT001", "W2", 0.0)]
    # Without --from/--to the month is reported whole, as in docs/report.md.
    mw = report["findings"][0]
    assert (mw["period_start"], mw["period_end"]) == ("2025-01-01", "2025-01-31")
    assert (mw["observed"], mw["threshold"], mw["unit"]) == (20.0, 23.0, "CNY/h")
    assert report["summary"]["workers_by_category"] == {"independent": 1, "platform_managed": 2}
    assert report["summary"]["shortfall_cny"] == 12.0
    # The unparseable row is rejected with a data issue and changes no finding.
    assert [(i["code"], i["row"]) for i in report["data_issues"]] == [("D002", 5)]


def test_gb18030_chinese_headers_and_an_excel_roster_give_the_same_findings(
    exports, tmp_path_factory
):
    chinese = tmp_path_factory.mktemp("zh")
    header = "订单号,骑手编号,接单时间,送达时间,骑手收入,区县\n"
    body = ORDERS_CSV.split("\n", 1)[1].replace("2025-01-06 ", "2025/1/6 ")
    (chinese / "订单.csv").write_bytes((header + body).encode("gb18030"))
    pl.DataFrame(
        {
            "骑手编号": ["W1", "W2", "W3"],
            "用工类型": ["不完全符合确立劳动关系", "平台管理", "个人自主经营"],
            "区县": ["渝中", "渝中区", "重庆市渝中区"],
        }
    ).write_excel(chinese / "花名册.xlsx")
    plain = _check(str(exports), "-f", "json")
    assert _findings(_check(str(chinese), "-f", "json")) == _findings(plain)


def test_fail_on_and_select(exports):
    assert _check(str(exports), "--fail-on", "never", "-f", "json").exit_code == 0
    # The rejected row (`bad`) is an error data issue: exit 1 whatever rules run.
    assert _check(str(exports), "--select", "FT", "-f", "json").exit_code == 1
    (exports / "orders.csv").write_text(ORDERS_CSV.split("bad,")[0], encoding="utf-8")
    # Only the FT001 warning: exit 0 at --fail-on error, 1 at --fail-on warning.
    assert _check(str(exports), "--select", "FT", "-f", "json").exit_code == 0
    assert (
        _check(str(exports), "--select", "FT", "--fail-on", "warning", "-f", "json").exit_code == 1
    )
    assert _check(str(exports), "--ignore", "MW,FT", "-f", "json").exit_code == 0


def test_period_day_and_range(exports):
    result = _check(str(exports), "-f", "json", "--period", "day", "--select", "MW001")
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["period_start"] == finding["period_end"] == "2025-01-06"
    result = _check(str(exports), "-f", "json", "--from", "2025-01-06", "--to", "2025-01-31")
    assert result.exit_code == 1 and len(json.loads(result.stdout)["findings"]) == 2
    # A range that holds no data cannot be audited: exit 2 naming it and the data's span.
    result = _check(str(exports), "-f", "json", "--from", "2025-01-07", "--to", "2025-01-31")
    said = " ".join(result.stderr.split())
    assert result.exit_code == 2 and "2025-01-07 to 2025-01-31 (--from/--to)" in said
    assert "the data spans 2025-01-06 to 2025-01-06" in said


def test_check_exit_2(exports):
    assert _check(str(exports), "--select", "ZZ").exit_code == 2
    assert _check(str(exports / "missing.csv")).exit_code == 2
    assert _check(str(exports), "--period", "year").exit_code == 2
