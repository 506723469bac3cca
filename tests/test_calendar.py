"""The holiday calendar against every 2021–2026 day of the State Council's notices, and against the
`holidays` and `chinesecalendar` packages (a cross-check: neither is the source)."""

from datetime import date, timedelta

import chinese_calendar
import holidays
import polars as pl
import pytest

from payaudit.calendar import (
    DAY_TYPES,
    FIRST_YEAR,
    LAST_YEAR,
    bridging_years,
    calendar_frame,
    day_info,
    qingming,
    scheduled_days,
    statutory_days,
    unknown_bridging_years,
)
from payaudit.errors import ConfigError


def d(year: int, month_day: str) -> date:
    month, day = month_day.split("/")
    return date(year, int(month), int(day))


def span(year: int, text: str) -> list[date]:
    """ "2/11-17", "1/31-2/6" or "10/1" → the days."""
    first, _, last = text.partition("-")
    start = d(year, first)
    end = start if not last else d(year, last if "/" in last else f"{start.month}/{last}")
    return [start + timedelta(n) for n in range((end - start).days + 1)]


# The State Council's notices, transcribed: year → (breaks, statutory days, 补班 days).
NOTICES = {
    2021: (
        "1/1-3 2/11-17 4/3-5 5/1-5 6/12-14 9/19-21 10/1-7",
        "1/1 2/12-14 4/4 5/1 6/14 9/21 10/1-3",
        "2/7 2/20 4/25 5/8 9/18 9/26 10/9",
    ),
    2022: (
        "1/1-3 1/31-2/6 4/3-5 4/30-5/4 6/3-5 9/10-12 10/1-7",
        "1/1 2/1-3 4/5 5/1 6/3 9/10 10/1-3",
        "1/29 1/30 4/2 4/24 5/7 10/8 10/9",
    ),
    2023: (
        "1/1-2 1/21-27 4/5 4/29-5/3 6/22-24 9/29-10/6",
        "1/1 1/22-24 4/5 5/1 6/22 9/29 10/1-3",
        "1/28 1/29 4/23 5/6 6/25 10/7 10/8",
    ),
    2024: (
        "1/1 2/10-17 4/4-6 5/1-5 6/10 9/15-17 10/1-7",
        "1/1 2/10-12 4/4 5/1 6/10 9/17 10/1-3",
        "2/4 2/18 4/7 4/28 5/11 9/14 9/29 10/12",
    ),
    2025: (
        "1/1 1/28-2/4 4/4-6 5/1-5 5/31-6/2 10/1-8",
        "1/1 1/28-31 4/4 5/1-2 5/31 10/1-3 10/6",
        "1/26 2/8 4/27 9/28 10/11",
    ),
    2026: (
        "1/1-3 2/15-23 4/4-6 5/1-5 6/19-21 9/25-27 10/1-7",
        "1/1 2/16-19 4/5 5/1-2 6/19 9/25 10/1-3",
        "1/4 2/14 2/28 5/9 9/20 10/10",
    ),
}


def days(year: int, text: str) -> set[date]:
    return {day for part in text.split() for day in span(year, part)}


def types(start: date, end: date) -> dict[date, str]:
    frame = calendar_frame(start, end)
    return dict(zip(frame["date"], frame["day_type"], strict=True))


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_facts_rows(year):
    breaks, statutory, workdays = (days(year, text) for text in NOTICES[year])
    assert set(statutory_days(year)) == statutory
    kinds = types(date(year, 1, 1), date(year, 12, 31))
    for day in breaks:
        assert kinds[day] == ("statutory_holiday" if day in statutory else "rest_day"), day
    for day in workdays:
        assert kinds[day] == "adjusted_working_day", day
    assert {day for day, kind in kinds.items() if kind == "adjusted_working_day"} == workdays


def test_2023_new_year_break_starts_in_2022():
    assert day_info(date(2022, 12, 31)).holiday_zh == "元旦"
    assert day_info(date(2022, 12, 31)).day_type == "rest_day"


def test_acceptance_2025():
    kinds = types(date(2025, 1, 1), date(2025, 12, 31))
    statutory = span(2025, "1/28-31") + span(2025, "5/1-2") + span(2025, "10/1-3")
    for day in [*statutory, date(2025, 10, 6)]:
        assert kinds[day] == "statutory_holiday"
    assert kinds[date(2025, 2, 3)] == "rest_day"
    assert kinds[date(2025, 1, 26)] == "adjusted_working_day"


def test_2024_new_years_eve_is_an_ordinary_working_day():
    info = day_info(date(2024, 2, 9))
    assert info.day_type == "working_day"
    assert info.holiday_zh is None


def test_statutory_days_by_the_rules_in_force():
    assert len(statutory_days(2024)) == 11
    assert len(statutory_days(2025)) == 13
    assert statutory_days(2025)[date(2025, 1, 28)] == ("春节", "Spring Festival")
    assert statutory_days(2013)[date(2013, 2, 9)][0] == "春节"  # 除夕 under the 2007 rules
    assert len(statutory_days(2099)) == 13


def test_qingming_is_the_solar_term():
    terms = chinese_calendar.get_solar_terms(date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
    qingming_days = [day for day, name in terms if name == "清明"]
    assert len(qingming_days) == LAST_YEAR - FIRST_YEAR + 1
    assert [qingming(day.year) for day in qingming_days] == qingming_days


def _off(kind: str) -> bool:
    return kind in ("statutory_holiday", "rest_day")


def test_days_off_agree_with_chinesecalendar_and_holidays():
    kinds = types(date(2021, 1, 1), date(2026, 12, 31))
    cn = holidays.China(years=range(2021, 2027))
    for day, kind in kinds.items():
        assert _off(kind) == chinese_calendar.is_holiday(day), (day, kind)
        assert _off(kind) != cn.is_working_day(day), (day, kind)


def test_statutory_days_agree_with_holidays():
    """`holidays` names statutory days plainly, bridging days "Day off (substituted …)" and the
    weekday replacing a weekend statutory day "(observed)"."""
    cn = holidays.China(years=range(2021, 2027))
    frame = calendar_frame(date(2021, 1, 1), date(2026, 12, 31))
    statutory = set(frame.filter(pl.col("day_type") == "statutory_holiday")["date"])
    review = set(frame.filter("review")["date"])
    plain = {day for day, name in cn.items() if "Day off" not in name and "observed" not in name}
    observed = {day for day, name in cn.items() if "observed" in name}
    assert statutory == plain
    assert observed <= review


def test_frame_shape():
    frame = calendar_frame(date(2024, 12, 30), date(2025, 1, 2))
    assert frame.columns == [
        "date",
        "day_type",
        "holiday_zh",
        "holiday_en",
        "bridging_known",
        "review",
    ]
    assert frame["date"].to_list() == span(2024, "12/30") + span(2024, "12/31") + span(
        2025, "1/1-2"
    )
    assert set(frame["day_type"]) <= set(DAY_TYPES)
    assert calendar_frame(date(2025, 1, 2), date(2025, 1, 1)).height == 0


def test_year_without_a_table_gets_statutory_days_and_weekends():
    assert 2027 not in bridging_years()
    assert unknown_bridging_years(date(2025, 6, 1), date(2028, 1, 1)) == [2027, 2028]
    kinds = types(date(2027, 1, 1), date(2027, 12, 31))
    assert {day for day, k in kinds.items() if k == "statutory_holiday"} == set(
        statutory_days(2027)
    )
    assert kinds[date(2027, 1, 2)] == "rest_day"  # a Saturday
    assert "adjusted_working_day" not in kinds.values()
    assert not day_info(date(2027, 5, 3)).bridging_known


def test_review_marks_the_possible_substitutes_of_weekend_statutory_days():
    assert day_info(date(2025, 6, 2)).review  # 端午 5/31 was a Saturday
    assert day_info(date(2022, 1, 3)).review  # 元旦 1/1 was a Saturday
    assert not day_info(date(2025, 2, 3)).review  # balanced by the 补班 on 1/26 and 2/8
    assert not day_info(date(2025, 5, 31)).review  # statutory itself


def test_years_outside_the_rules_are_refused():
    with pytest.raises(ConfigError, match="2007"):
        statutory_days(2007)


def test_scheduled_working_days_are_working_and_adjusted_days():
    # January 2025: 23 weekdays − 1/1 − 1/28..1/31 (春节) + Sunday 1/26 (补班) = 19; February:
    # 20 weekdays − 2/3, 2/4 (rest days of the break) + Saturday 2/8 (补班) = 19.
    frame = scheduled_days(date(2025, 1, 16), date(2025, 2, 15))
    days = set(frame["date"])
    assert date(2025, 1, 26) in days and date(2025, 2, 8) in days
    assert not days & {date(2025, 1, 28), date(2025, 2, 3), date(2025, 2, 1)}
    assert frame.group_by("month").agg(pl.len(), pl.col("month_days").first()).sort(
        "month"
    ).rows() == [(date(2025, 1, 1), 9, 19), (date(2025, 2, 1), 9, 19)]
    # Days outside the years the calendar covers are left out, never an error.
    assert scheduled_days(date(2007, 12, 20), date(2008, 1, 2))["date"].to_list() == [
        date(2008, 1, 2)
    ]
