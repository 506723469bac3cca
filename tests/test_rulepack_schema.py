"""The rule-pack files hold to their schema: every parameter described in a known unit, every
value dated, referenced and flagged verified, dates ascending; the schema check itself bites."""

import tomllib
from datetime import date
from importlib.resources import files

import pytest

from payaudit.rulepack import UNITS, jurisdictions, load_pack
from payaudit.rulepack.areas import read_toml
from payaudit.rulepack.schema import parse_in_force, parse_pack, parse_parameter

UNIT_SET = {
    "CNY/month", "CNY/h", "h", "min", "ratio", "days", "months", "°C", "time", "list", "bool"
}  # fmt: skip


def test_units_are_the_closed_set():
    assert set(UNITS) == UNIT_SET


@pytest.mark.parametrize("jurisdiction", jurisdictions())
def test_pack_file_holds_to_the_schema(jurisdiction):
    raw = read_toml(jurisdiction, "params")
    meta, parameters = parse_pack(raw)
    assert meta["jurisdiction"] == jurisdiction
    for parameter in parameters.values():
        assert parameter.unit in UNIT_SET
        assert parameter.description
        dates = [v.effective_from for v in parameter.values]
        assert dates == sorted(set(dates))
        for value in parameter.values:
            assert value.reference.strip()
            assert isinstance(value.verified, bool)


def test_pack_has_every_parameter_of_the_contract():
    assert set(load_pack().parameters) == {
        "min_wage_monthly", "min_wage_hourly", "max_continuous_hours", "min_break_minutes",
        "max_daily_hours", "holiday_min_ratio", "pay_due_days", "standard_daily_hours",
        "standard_weekly_hours", "max_overtime_daily_hours", "max_overtime_monthly_hours",
        "overtime_ratio_extended", "overtime_ratio_rest_day", "overtime_ratio_holiday",
        "monthly_paid_days", "monthly_paid_hours", "max_deduction_ratio", "max_pay_cycle_months",
        "part_time_max_pay_cycle_days", "part_time_max_daily_hours", "part_time_max_weekly_hours",
        "heat_stop_temp_c", "heat_limit_temp_c", "heat_max_hours", "heat_midday_start",
        "heat_midday_end", "heat_no_overtime_temp_c", "occupational_injury_pilot_platforms",
        "occupational_injury_pilot_industries",
    }  # fmt: skip


def _value(**changes):
    return {
        "effective_from": date(2020, 1, 1),
        "value": 4,
        "reference": "劳动法 第四十一条",
        "verified": True,
    } | changes


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"description": "x", "unit": "hours", "values": [_value()]}, "unit"),
        ({"unit": "h", "values": [_value()]}, "description"),
        ({"description": "x", "unit": "h", "values": []}, "no values"),
        ({"description": "x", "unit": "h", "values": [_value(reference=" ")]}, "reference"),
        ({"description": "x", "unit": "h", "values": [_value(verified="yes")]}, "verified"),
        ({"description": "x", "unit": "h", "values": [_value(value="4")]}, "number"),
        ({"description": "x", "unit": "time", "values": [_value(value="noon")]}, "time"),
        (
            {"description": "x", "unit": "h", "values": [_value(effective_from="2020-01-01")]},
            "date",
        ),
        (
            {
                "description": "x",
                "unit": "h",
                "values": [_value(), _value(effective_from=date(2019, 1, 1))],
            },
            "ascend",
        ),
        (
            {"description": "x", "unit": "h", "by_area_class": True, "values": [_value()]},
            "area classes",
        ),
    ],
)
def test_schema_rejects(body, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_parameter("p", body)


def test_schema_rejects_a_value_without_verified():
    value = _value()
    del value["verified"]
    with pytest.raises(ValueError, match="verified"):
        parse_parameter("p", {"description": "x", "unit": "h", "values": [value]})


def test_schema_rejects_an_unchecked_citation_marked_verified():
    value = _value(reference="某通知（文号未核实）", verified=True)
    with pytest.raises(ValueError, match="未核实"):
        parse_parameter("p", {"description": "x", "unit": "h", "values": [value]})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"MW001": {"contractor": {}}}, "contractor"),
        ({"MW001": {"platform_managed": {"in_force_from": "2021-10-29"}}}, "in_force_from"),
        (
            {
                "MW001": {
                    "platform_managed": {
                        "in_force_from": date(2021, 10, 29),
                        "reference": "x（未核实）",
                        "verified": True,
                    }
                }
            },
            "未核实",
        ),
    ],
)
def test_schema_of_rules_in_force(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_in_force(raw, ("employee", "platform_managed"))


def test_area_file_names_only_known_districts():
    raw = read_toml("cn-chongqing", "areas")
    canonical = set(raw["districts"])
    dates = [epoch["effective_from"] for epoch in raw["classes"]]
    assert dates == sorted(set(dates))
    for epoch in raw["classes"]:
        assert epoch["reference"] and isinstance(epoch["verified"], bool)
        assert set(epoch["class1"]) | set(epoch["class2"]) == canonical
        assert not set(epoch["class1"]) & set(epoch["class2"])


def test_calendar_file():
    raw = tomllib.loads(
        files("payaudit.rulepack").joinpath("calendar", "cn.toml").read_text("utf-8")
    )
    years = [table["year"] for table in raw["years"]]
    assert years == sorted(set(years))
    for table in raw["years"]:
        assert table["notice"] and isinstance(table["number_verified"], bool)
        for brk in table["breaks"]:
            assert brk["holiday"] in raw["names"]
            assert brk["first"] <= brk["last"]
            assert brk["last"].year == table["year"]
            assert all(day.year == table["year"] for day in brk.get("workdays", []))
    rules = [rule["effective_from"] for rule in raw["rules"]]
    assert rules == sorted(rules)
    assert all(rule["reference"] for rule in raw["rules"])
