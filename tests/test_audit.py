"""run_audit: the AuditResult the reports read (findings, workers, daily, parameters, issues)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from helpers import audit, context, dataset
from payaudit.config import Settings
from payaudit.dataset import ISSUE_SCHEMA
from payaudit.engine.findings import RESULT_SCHEMA
from payaudit.engine.result import DAILY_SCHEMA, PARAMETER_SCHEMA, WORKER_SCHEMA
from payaudit.engine.run import run_audit
from payaudit.errors import ConfigError
from payaudit.rules import select_rules

ORDERS = [
    # W2 first in the file: findings are still sorted by worker, period, rule.
    ("o9", "W2", "2025-01-06 08:00", "2025-01-06 13:00", 200),  # 5 h stretch, paid 40/h
    ("o1", "W1", "2024-12-30 08:00", "2024-12-30 17:30", 100),  # 9.5 h: FT001, FT002, MW001
    ("o2", "W1", "2025-01-28 10:00", "2025-01-28 11:00", 10),  # 除夕 2025, statutory
]
MINE = ["MW001", "HP", "FT"]  # the platform-worker rules; other families have their own tests
ROSTER = [
    ("W1", "platform_managed", "渝中区"),
    ("W2", "platform_managed", "城口县", {"platform": "美团"}),
    ("W3", "independent", "渝中区"),
]


@pytest.fixture(scope="module")
def result():
    return audit(dataset(orders=ORDERS, workers=ROSTER), select=MINE)


def test_frames_have_their_schemas(result):
    assert result.findings.schema == pl.Schema(RESULT_SCHEMA)
    assert result.workers.schema == pl.Schema(WORKER_SCHEMA)
    assert result.daily.schema == pl.Schema(DAILY_SCHEMA)
    assert result.parameters.schema == pl.Schema(PARAMETER_SCHEMA)
    assert result.dataset.issues.schema == pl.Schema(ISSUE_SCHEMA)
    assert result.rules == ["FT001", "FT002", "HP001", "MW001"]
    assert result.rule_pack.startswith("cn-chongqing")


def test_findings_sorted_by_worker_period_rule(result):
    keys = result.findings.select("worker_id", "period_start", "rule").rows()
    assert [(w, p.isoformat(), r) for w, p, r in keys] == [
        ("W1", "2024-12-01", "MW001"),  # December: 9.5 × 21 = 199.50 − 100 = 99.50
        ("W1", "2024-12-30", "FT001"),
        ("W1", "2024-12-30", "FT002"),
        ("W1", "2025-01-01", "MW001"),  # January: 1 × 23 − 10 = 13.00
        ("W1", "2025-01-28", "HP001"),  # no working day in January: warning
        ("W2", "2025-01-06", "FT001"),
    ]
    owed = result.findings.filter(rule="MW001")["shortfall_fen"].to_list()
    assert owed == [9950, 1300]


def test_findings_carry_category_platform_severity_message(result):
    w2 = result.findings.filter(worker_id="W2").row(0, named=True)
    assert w2["platform"] == "美团" and w2["category"] == "platform_managed"
    assert w2["severity"] == "warning"
    assert w2["message"] == (
        "On 2025-01-06 orders ran continuously for 5.00 h, over the 4.00 h limit without a break"
    )
    w1 = result.findings.filter(worker_id="W1")
    assert set(w1["platform"]) == {"unknown"}


def test_workers_list_independents_out_of_scope(result):
    rows = {r["worker_id"]: r for r in result.workers.iter_rows(named=True)}
    assert set(rows) == {"W1", "W2", "W3"}
    assert not rows["W3"]["in_scope"] and rows["W3"]["findings"] == 0
    # W1: 9.5 + 1 = 10.5 h, 110.00 paid, 99.50 + 13.00 owed.
    assert rows["W1"]["hours"] == 10.5 and rows["W1"]["pay_fen"] == 11000
    assert rows["W1"]["days_worked"] == 2 and rows["W1"]["shortfall_fen"] == 11250
    assert rows["W1"]["findings"] == 5
    assert rows["W2"]["area_class"] == 2 and rows["W2"]["effective_hourly_cny"] == 40.0


def test_daily_rows(result):
    day = result.daily.filter(worker_id="W2").row(0, named=True)
    assert day["hours"] == 5.0 and day["longest_stretch_hours"] == 5.0
    assert day["min_wage_hourly"] == 22.0 and day["day_type"] == "working_day"


def test_daily_kept_as_asked():
    ds = dataset(orders=ORDERS + [("o5", "W3", "2025-01-06 09:00", "2025-01-06 10:00", 50)],
                 workers=ROSTER)  # fmt: skip
    rules = select_rules(MINE)
    full = run_audit(ds, Settings(), rules).daily
    assert set(full["worker_id"]) == {"W1", "W2", "W3"}  # W3: independent, no findings
    # statements show the days of the workers with findings only; no other report shows any
    found = run_audit(ds, Settings(), rules, keep_daily="findings").daily
    assert found.equals(full.filter(pl.col("worker_id") != "W3"))
    none = run_audit(ds, Settings(), rules, keep_daily="none").daily
    assert none.is_empty() and none.schema == pl.Schema(DAILY_SCHEMA)


def test_parameters_in_force_over_the_range(result):
    # The range 2024-12-01 – 2025-01-31 spans the 2025-01-01 change: both values, both classes.
    wages = result.parameters.filter(name="min_wage_hourly").select("area_class", "value").rows()
    assert wages == [(1, "21"), (1, "23"), (2, "20"), (2, "22")]
    assert set(result.parameters["name"]) == {
        "holiday_min_ratio",
        "max_continuous_hours",
        "max_daily_hours",
        "min_break_minutes",
        "min_wage_hourly",
    }
    assert result.parameters["reference"].is_not_null().all()


def test_select_and_ignore_with_prefixes():
    ds = dataset(orders=ORDERS, workers=ROSTER)
    result = run_audit(ds, Settings(), select_rules(["FT"], ["FT002"]))
    assert set(result.findings["rule"]) == {"FT001"} and result.rules == ["FT001"]
    with pytest.raises(ConfigError, match="ZZ"):
        select_rules(["ZZ"])


def test_from_to_restrict_the_audit():
    result = audit(
        dataset(orders=ORDERS, workers=ROSTER),
        date_from=date(2025, 1, 1),
        date_to=date(2025, 1, 31),
    )
    assert result.findings.filter(pl.col("period_start") < date(2025, 1, 1)).height == 0
    assert result.findings.filter(rule="MW001")["shortfall_fen"].to_list() == [1300]


def test_chinese_messages():
    result = audit(dataset(orders=ORDERS, workers=ROSTER), Settings(lang="zh"), select=["MW001"])
    assert result.findings["message"][1] == (
        "2025-01-01至2025-01-31，每工作小时报酬10.00元，低于小时最低工资23.00元，应补发13.00元"
    )


def test_unknown_bridging_year_is_a_warning_and_a_data_issue():
    ds = dataset(orders=[("o1", "W1", "2027-03-01 10:00", "2027-03-01 11:00", 30)])
    result = audit(ds, Settings(district="渝中区"))
    assert len(result.warnings) == 1 and "2027" in result.warnings[0]
    assert result.dataset.issues["code"].to_list() == ["D010"]


def test_no_orders_no_findings():
    result = audit(dataset(workers=ROSTER))
    assert result.findings.height == 0 and result.workers.height == 3
    assert result.daily.height == 0


def test_workers_come_from_every_table_naming_them():
    # W9 is only in the payouts; weather names no worker.
    ds = dataset(
        orders=ORDERS,
        workers=ROSTER,
        payouts=[
            {
                "worker_id": "W9",
                "period_start": "2025-01-01",
                "period_end": "2025-01-31",
                "gross": 3000,
            }
        ],
        weather=[{"date": "2025-01-06", "max_temp_c": 10.0}],
    )
    result = audit(ds, Settings(district="渝中区"))
    assert result.workers["worker_id"].to_list() == ["W1", "W2", "W3", "W9"]
    assert result.workers.filter(worker_id="W9")["category"].to_list() == ["platform_managed"]


def test_default_range_is_the_whole_periods_of_the_data():
    # Orders on 2025-01-06 and a payout for February: January and February, whole.
    ds = dataset(
        orders=ORDERS[:1],
        payouts=[
            {
                "worker_id": "W2",
                "period_start": "2025-02-01",
                "period_end": "2025-02-15",
                "gross": 1000,
            }
        ],
    )
    ctx = context(ds)
    assert (ctx.date_from, ctx.date_to) == (date(2025, 1, 1), date(2025, 2, 28))
    ctx = context(ds, Settings(period="week"), date_to=date(2025, 1, 31))
    assert (ctx.date_from, ctx.date_to) == (date(2025, 1, 6), date(2025, 1, 31))


def test_default_range_reaches_the_day_an_order_ends():
    # Accepted 2025-01-31 23:30, done 02-01 00:30: its time on 1 February is in the data.
    # One ending at 00:00 has no time on the next day.
    late = [("o1", "W1", "2025-01-31 23:30", "2025-02-01 00:30", 10)]
    assert context(dataset(orders=late)).date_to == date(2025, 2, 28)
    at_midnight = [("o1", "W1", "2025-01-31 23:30", "2025-02-01 00:00", 10)]
    assert context(dataset(orders=at_midnight)).date_to == date(2025, 1, 31)


def test_days_before_the_rule_pack_has_a_minimum_wage_are_said():
    """An employee's payout of June 2015: MW002 is in force (1995) but the rule pack's monthly
    minimum starts on 2016-01-01, so MW002 checks nothing there, and the run says so."""
    ds = dataset(
        workers=[("E1", "employee", "渝中区")],
        payouts=[
            {"worker_id": "E1", "period_start": "2015-06-01", "period_end": "2015-06-30",
             "gross": "1.00"},
        ],
    )  # fmt: skip
    result = audit(ds, select=["MW002"])
    assert result.findings.height == 0
    said = "The rule pack has no min_wage_monthly before 2016-01-01: on the days before, "
    assert said + "nothing is checked by MW002" in result.warnings  # after 2015's bridging
    assert not any("rule pack" in w for w in audit(ds, select=["FT001"]).warnings)


def test_a_year_the_holiday_calendar_does_not_cover_is_audited_by_weekends():
    """An order of 2007 (plausible: 2000–2100) beside one of 2025: the calendar covers
    2008–2099, so 2007 knows weekends only, and the run says so instead of stopping."""
    ds = dataset(
        orders=[
            ("o1", "W1", "2007-03-03 09:00", "2007-03-03 10:00", 30),
            ("o2", "W1", "2025-03-03 09:00", "2025-03-03 10:00", 30),
        ]
    )
    result = audit(ds, Settings(district="渝中区"), date_to=date(2007, 3, 31))
    assert result.warnings[0] == (
        "The holiday calendar does not cover 2007 (it covers 2008–2099): only weekends are known"
    )
    days = context(ds, date_to=date(2007, 3, 31)).calendar.collect()
    kinds = dict(days.select("date", "day_type").iter_rows())
    assert (kinds[date(2007, 3, 3)], kinds[date(2007, 3, 5)]) == ("rest_day", "working_day")


def test_a_params_override_is_said_beside_the_rule_packs_value():
    """[params] min_wage_hourly = 10 lowers a legal floor (23 and 22 CNY/h from 2025-01-01):
    the run says so, not only the manifest's parameters."""
    ds = dataset(orders=ORDERS[:1])
    settings = Settings(district="渝中区", params={"min_wage_hourly": 10})
    said = [w for w in audit(ds, settings).warnings if "[params]" in w]
    assert said == [
        "The config's [params] min_wage_hourly = 10 replaces the rule pack's value (23 (area "
        "class 1), 22 (area class 2) on 2025-01-31): the findings follow the config"
    ]
