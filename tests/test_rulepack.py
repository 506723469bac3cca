"""The Chongqing rule pack: districts, area classes, dated look-ups for one day and whole frames."""

from datetime import date, datetime

import polars as pl
import pytest

from payaudit.errors import ConfigError
from payaudit.rulepack import canonical_district, canonical_district_expr, load_pack
from payaudit.rulepack.pack import TABLE_SCHEMA
from payaudit.rules import all_rules

PACK = load_pack()


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("渝中区", "渝中区"),
        (" 渝中 ", "渝中区"),
        ("重庆市渝中区", "渝中区"),
        ("Yuzhong District", "渝中区"),
        ("石柱土家族自治县", "石柱县"),
        ("石柱", "石柱县"),
        ("秀山土家族苗族自治县", "秀山县"),
        ("酉阳土家族苗族自治县", "酉阳县"),
        ("彭水苗族土家族自治县", "彭水县"),
        ("忠县", "忠县"),
        ("开县", "开州区"),
        ("开州", "开州区"),
        ("梁平县", "梁平区"),
        ("两江新区", "两江新区"),
        ("重庆两江新区", "两江新区"),
        ("重庆高新区", "重庆高新区"),
        ("西部科学城重庆高新区", "重庆高新区"),
        ("万盛经开区", "万盛经开区"),
        ("万盛经济技术开发区", "万盛经开区"),
        ("朝阳区", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_district(name, canonical):
    assert canonical_district(name) == canonical


def test_canonical_district_expr_matches_the_scalar_look_up():
    names = ["渝中", "石柱土家族自治县", "nowhere", None]
    frame = pl.DataFrame({"d": names}).select(canonical_district_expr("d"))
    assert frame["d"].to_list() == [canonical_district(n) for n in names]


@pytest.mark.parametrize(
    ("district", "on", "area_class"),
    [
        ("渝中区", date(2025, 1, 1), 1),
        ("城口县", date(2025, 1, 1), 2),
        ("石柱土家族自治县", date(2025, 1, 1), 2),
        ("两江新区", date(2022, 4, 1), 1),
        ("开县", date(2018, 12, 31), 2),
        ("开州区", date(2019, 1, 1), 1),
        ("武隆", date(2018, 6, 1), 2),
        ("梁平区", date(2019, 1, 1), 1),
        ("朝阳区", date(2025, 1, 1), None),
        ("渝中区", date(2015, 12, 31), None),
    ],
)
def test_area_class(district, on, area_class):
    assert PACK.area_class(district, on) == area_class


def test_every_district_has_a_class_in_every_epoch():
    for epoch in PACK.areas.epochs:
        assert set(epoch.classes) == set(PACK.areas.aliases.values())
        assert set(epoch.classes.values()) == {1, 2}


@pytest.mark.parametrize(
    ("on", "area_class", "hourly", "monthly"),
    [
        (date(2016, 1, 1), 1, 15, 1500),
        (date(2018, 12, 31), 2, 14, 1400),
        (date(2019, 1, 1), 1, 18, 1800),
        (date(2022, 3, 31), 2, 17, 1700),
        (date(2022, 4, 1), 1, 21, 2100),
        (date(2024, 12, 31), 2, 20, 2000),
        (date(2025, 1, 1), 1, 23, 2330),
        (date(2026, 11, 28), 2, 22, 2200),
    ],
)
def test_minimum_wage(on, area_class, hourly, monthly):
    assert PACK.value("min_wage_hourly", on, area_class) == hourly
    assert PACK.value("min_wage_monthly", on, area_class) == monthly


def test_value_without_class_gives_every_class_and_none_before_the_first():
    assert PACK.value("min_wage_monthly", date(2025, 1, 1)) == {1: 2330, 2: 2200}
    assert PACK.value("min_wage_monthly", date(2015, 12, 31), 1) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_continuous_hours", 4),
        ("min_break_minutes", 20),
        ("max_daily_hours", 8),
        ("holiday_min_ratio", 1.0),
        ("standard_daily_hours", 8),
        ("standard_weekly_hours", 40),
        ("max_overtime_daily_hours", 3),
        ("max_overtime_monthly_hours", 36),
        ("overtime_ratio_extended", 1.5),
        ("overtime_ratio_rest_day", 2.0),
        ("overtime_ratio_holiday", 3.0),
        ("monthly_paid_days", 21.75),
        ("monthly_paid_hours", 174),
        ("max_deduction_ratio", 0.2),
        ("max_pay_cycle_months", 1),
        ("part_time_max_pay_cycle_days", 15),
        ("part_time_max_daily_hours", 4),
        ("part_time_max_weekly_hours", 24),
        ("heat_stop_temp_c", 40),
        ("heat_limit_temp_c", 37),
        ("heat_max_hours", 6),
        ("heat_midday_start", "12:00"),
        ("heat_midday_end", "15:00"),
        ("heat_no_overtime_temp_c", 35),
    ],
)
def test_figures_of_facts(name, value):
    assert PACK.value(name, date(2025, 6, 1)) == value


def test_unconfirmed_figures_are_not_verified():
    for name in ("max_continuous_hours", "min_break_minutes", "max_daily_hours", "pay_due_days"):
        assert PACK.parameter(name).values[-1].verified is False


def test_verified_means_the_citation_was_checked():
    """The 2025 minimum wage figures are confirmed but their notice number is not: the value's
    citation is not verified. No reference that says 未核实 is marked verified anywhere."""
    assert PACK.parameter("min_wage_hourly").at(date(2025, 1, 1)).verified is False
    assert PACK.parameter("min_wage_hourly").at(date(2024, 12, 31)).verified is True
    cited = [v for p in PACK.parameters.values() for v in p.values]
    cited += [e for by_category in PACK.rules.values() for e in by_category.values()]
    assert all(not (c.verified and "未核实" in c.reference) for c in cited)


def test_every_rule_is_dated_for_each_category_it_applies_to():
    for code, rule in all_rules().items():
        dated = PACK.rules[code]
        assert set(dated) == set(rule.categories) - {"independent"}, code
        assert all(e.reference for e in dated.values())
    assert PACK.rule_since("MW001", ("platform_managed",)) == {
        "platform_managed": date(2021, 10, 29)
    }
    assert PACK.rule_since("PY001", ("employee", "platform_managed")) == {
        "employee": date(1995, 1, 1),
        "platform_managed": date(2021, 10, 29),
    }


def test_table():
    table = PACK.table("min_wage_hourly")
    assert table.schema == pl.Schema(TABLE_SCHEMA)
    assert {name: str(dtype) for name, dtype in TABLE_SCHEMA.items()} == {
        "effective_from": "Date",
        "area_class": "Int8",
        "value": "Float64",
        "unit": "String",
        "reference": "String",
        "verified": "Boolean",
    }
    assert table.height == 8
    assert PACK.table("heat_midday_end")["value"].to_list() == [15.0]
    assert PACK.table("max_daily_hours")["area_class"].to_list() == [None]


def test_asof_keeps_row_order_and_uses_each_days_value():
    frame = pl.LazyFrame(
        {
            "date": [date(2025, 1, 1), date(2018, 5, 1), None, date(2022, 3, 31), date(2022, 4, 1)],
            "district": ["渝中", "开县", "城口县", "石柱土家族自治县", "武隆"],
        }
    )
    frame = PACK.with_area_class(frame, "district", "date")
    frame = PACK.asof(frame, "min_wage_hourly", class_col="area_class", out="mw")
    frame = PACK.asof(frame, "max_daily_hours").collect()
    assert frame["district"].to_list() == ["渝中", "开县", "城口县", "石柱土家族自治县", "武隆"]
    assert frame["area_class"].to_list() == [1, 2, None, 2, 1]
    assert frame["mw"].to_list() == [23.0, 14.0, None, 17.0, 21.0]
    assert frame["max_daily_hours"].to_list() == [8.0, None, None, 8.0, 8.0]


def test_asof_takes_datetimes():
    frame = pl.LazyFrame(
        {"at": [datetime(2024, 12, 31, 23, 59), datetime(2025, 1, 1)], "c": [1, 1]}
    )
    out = PACK.asof(frame, "min_wage_monthly", "at", "c", "mw").collect()
    assert out["mw"].to_list() == [2100.0, 2330.0]


def test_frame_look_ups_take_datetimes_and_replace_the_output_column():
    frame = pl.LazyFrame(
        {
            "at": [datetime(2018, 12, 31, 23), datetime(2019, 1, 1, 8), None],
            "district": ["开县", "开县", "开县"],
            "area_class": ["stale", "stale", "stale"],
        }
    )
    out = PACK.with_area_class(frame, "district", "at").collect()
    assert out.columns == ["at", "district", "area_class"]
    assert out["area_class"].to_list() == [2, 1, None]


def test_asof_of_an_area_parameter_needs_the_class():
    with pytest.raises(ConfigError):
        PACK.asof(pl.LazyFrame({"date": [date(2025, 1, 1)]}), "min_wage_hourly")


@pytest.mark.parametrize(
    ("platform", "on", "covered"),
    [
        ("美团", date(2022, 6, 30), False),
        ("Meituan", date(2022, 7, 1), True),
        (" Ele.me ", date(2023, 1, 1), True),
        ("饿了么", date(2023, 1, 1), True),
        ("DiDi", date(2025, 6, 30), False),
        ("滴滴出行", date(2025, 7, 1), True),
        ("顺丰同城", date(2025, 7, 1), True),
        # The 2026 extension covers platforms by industry: T3 (出行), UU跑腿 (即时配送).
        ("T3出行", date(2025, 12, 31), False),
        ("T3", date(2026, 1, 1), True),
        ("UU跑腿", date(2026, 1, 1), True),
        # Of no known industry: never in the pilot.
        ("某平台", date(2026, 1, 1), False),
    ],
)
def test_pilot_platform(platform, on, covered):
    assert PACK.pilot_platform(platform, on) is covered
    frame = pl.LazyFrame({"p": [platform], "d": [on]})
    assert PACK.with_pilot_platform(frame, "p", "d").collect()["pilot_platform"].item() is covered


@pytest.mark.parametrize(
    ("platform", "on", "verified"),
    [
        ("美团", date(2026, 3, 1), True),  # named in the 2022 wave, verified
        ("满帮省省", date(2025, 7, 1), True),  # named in the 2025 wave, verified
        ("花小猪", date(2026, 3, 1), False),  # only by the 2026 extension, its day unverified
    ],
)
def test_pilot_platform_rests_on_a_wave_verified_or_not(platform, on, verified):
    frame = pl.LazyFrame({"p": [platform], "d": [on]})
    row = PACK.with_pilot_platform(frame, "p", "d").collect().row(0, named=True)
    assert row["pilot_platform"] is True and row["pilot_platform_verified"] is verified


def test_every_platform_has_an_industry():
    assert set(PACK.industries) == set(PACK.platforms.values())
    assert PACK.industries["货拉拉"] == "同城货运" and PACK.industries["曹操出行"] == "出行"


def test_in_force():
    rows = {r["name"]: r for r in PACK.in_force(date(2025, 1, 1), 2)}
    assert rows["min_wage_hourly"]["value"] == 22
    assert rows["min_wage_monthly"]["effective_from"] == date(2025, 1, 1)
    assert set(rows["max_daily_hours"]) >= {
        "name",
        "value",
        "unit",
        "effective_from",
        "reference",
        "verified",
    }
    assert "min_wage_hourly" not in {r["name"] for r in PACK.in_force(date(2010, 1, 1))}
