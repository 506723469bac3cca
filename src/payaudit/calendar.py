"""The statutory-holiday calendar: each date is a statutory holiday, a rest day (weekend or
bridging 调休 day), an adjusted working day (补班) or an ordinary working day.

Statutory days are computed for 2008–2099 from the lunar calendar and the holiday rules in force;
bridging and 补班 days come from the per-year tables in rulepack/calendar/cn.toml. A year without
a table still gets its statutory days and weekends (`bridging_known` is false).

`review` marks the weekday rest days of a break that gives more weekdays off than it has 补班
days: one of them replaces (补假) a statutory day that fell on a weekend, and whether that 补假 is
paid like the statutory day (300 %) is unsettled (unverified); the notices do not say which
weekday it is, so every candidate is marked and the rules decide what to do with them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files

import polars as pl
from lunardate import LunarDate

from payaudit.errors import ConfigError

DAY_TYPES = ("statutory_holiday", "rest_day", "adjusted_working_day", "working_day")
FIRST_YEAR, LAST_YEAR = 2008, 2099  # the holiday rules since 2008; lunardate ends in 2099
_SPECIAL = {
    "date": pl.Date,
    "special": pl.String,
    "holiday_zh": pl.String,
    "holiday_en": pl.String,
    "review": pl.Boolean,
}


@cache
def _data() -> dict:
    text = files("payaudit.rulepack").joinpath("calendar", "cn.toml").read_text("utf-8")
    return tomllib.loads(text)


def _names(key: str) -> tuple[str, str]:
    name = _data()["names"][key]
    return name["zh"], name["en"]


def qingming(year: int) -> date:
    """The 清明 solar term: the 21st-century formula [Y × 0.2422 + C] − [Y / 4], C = 4.81."""
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def require_covered(year: int) -> None:
    """A year the calendar does not cover is an error where its holidays are asked for."""
    if not covered(year):
        raise ConfigError(f"The holiday calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {year}.")


def _rules(year: int) -> dict:
    require_covered(year)
    return [r for r in _data()["rules"] if r["effective_from"].year <= year][-1]


def statutory_days(year: int) -> dict[date, tuple[str, str]]:
    """The statutory holidays of a year (date → (Chinese name, English name)), computed."""
    rules = _rules(year)
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days = {
        date(year, 1, 1): "new_year",
        **{new_year + timedelta(n): "spring_festival" for n in rules["spring_festival"]},
        qingming(year): "qingming",
        **{date(year, 5, d): "labour_day" for d in rules["labour_day"]},
        LunarDate(year, 5, 5).to_solar_date(): "dragon_boat",
        LunarDate(year, 8, 15).to_solar_date(): "mid_autumn",
        **{date(year, 10, d): "national_day" for d in rules["national_day"]},
    }
    return {day: _names(key) for day, key in sorted(days.items())}


def bridging_years() -> list[int]:
    """The years with a bridging table."""
    return [table["year"] for table in _data()["years"]]


def unknown_bridging_years(start: date, end: date) -> list[int]:
    """The years from start to end without a bridging table: their bridging days are unknown."""
    known = set(bridging_years())
    return [year for year in range(start.year, end.year + 1) if year not in known]


def _break_rows(brk: dict, statutory: set[date]) -> list[dict]:
    """One row per day off (not statutory) and per 补班 day of one break of a notice."""
    zh, en = _names(brk["holiday"])
    first, last = brk["first"], brk["last"]
    off = [first + timedelta(n) for n in range((last - first).days + 1)]
    off = [d for d in off if d not in statutory]
    weekday_off = [d for d in off if d.weekday() < 5]
    workdays = brk.get("workdays", [])
    replaces_weekend = len(weekday_off) > len(workdays)
    rows = [
        {"date": d, "special": "rest_day", "review": replaces_weekend and d in weekday_off}
        for d in off
    ]
    rows += [{"date": d, "special": "adjusted_working_day", "review": False} for d in workdays]
    return [row | {"holiday_zh": zh, "holiday_en": en} for row in rows]


@cache
def _special_days() -> pl.DataFrame:
    """Every bridging rest day and 补班 day of every table (a break may start the year before)."""
    rows = []
    for table in _data()["years"]:
        statutory = set(statutory_days(table["year"])) | set(statutory_days(table["year"] - 1))
        for brk in table["breaks"]:
            rows += _break_rows(brk, statutory)
    return pl.DataFrame(rows, schema=_SPECIAL)


def covered(year: int) -> bool:
    """Whether the calendar knows the statutory holidays of a year (2008–2099)."""
    return FIRST_YEAR <= year <= LAST_YEAR


@cache
def _year_frame(year: int) -> pl.DataFrame:
    """A year's days; a year the calendar does not cover has weekends only (the audit says
    so), for data of 2000–2007 or 2100 is plausible, only not dated by these rules."""
    statutory = statutory_days(year) if covered(year) else {}
    holidays = pl.DataFrame(
        {
            "date": list(statutory),
            "statutory_zh": [zh for zh, _ in statutory.values()],
            "statutory_en": [en for _, en in statutory.values()],
        },
        schema={"date": pl.Date, "statutory_zh": pl.String, "statutory_en": pl.String},
    )
    days = pl.DataFrame({"date": pl.date_range(date(year, 1, 1), date(year, 12, 31), eager=True)})
    is_statutory = pl.col("statutory_zh").is_not_null()
    weekend = pl.col("date").dt.weekday() >= 6
    return (
        days.join(holidays, on="date", how="left")
        .join(_special_days(), on="date", how="left")
        .select(
            "date",
            day_type=pl.when(is_statutory)
            .then(pl.lit("statutory_holiday"))
            .when(pl.col("special").is_not_null())
            .then(pl.col("special"))
            .when(weekend)
            .then(pl.lit("rest_day"))
            .otherwise(pl.lit("working_day")),
            holiday_zh=pl.coalesce("statutory_zh", "holiday_zh"),
            holiday_en=pl.coalesce("statutory_en", "holiday_en"),
            bridging_known=pl.lit(year in bridging_years()),
            review=pl.col("review").fill_null(False) & ~is_statutory,
        )
        .sort("date")
    )


def calendar_frame(start: date, end: date) -> pl.DataFrame:
    """One row per day from start to end: date, day_type (one of DAY_TYPES), holiday_zh,
    holiday_en (the holiday or the break the day belongs to), bridging_known, review."""
    frames = [_year_frame(year) for year in range(start.year, end.year + 1)]
    if not frames:
        return _year_frame(FIRST_YEAR).clear()
    return pl.concat(frames).filter(pl.col("date").is_between(start, end))


SCHEDULED = ("working_day", "adjusted_working_day")


def scheduled_days(start: date, end: date) -> pl.DataFrame:
    """The scheduled working days from start to end (ordinary working days and 补班 days, never
    a statutory holiday or a rest day): date, month (its first day) and month_days, the number
    of scheduled working days of that whole calendar month. Days outside the years the
    calendar covers are left out."""
    first = max(start, date(FIRST_YEAR, 1, 1)).replace(day=1)
    last = min(end, date(LAST_YEAR, 12, 31))
    if first > last:
        return pl.DataFrame(schema={"date": pl.Date, "month": pl.Date, "month_days": pl.Int64})
    last_month = pl.select(pl.lit(last).dt.month_end()).item()
    return (
        calendar_frame(first, last_month)
        .filter(pl.col("day_type").is_in(SCHEDULED))
        .select("date", month=pl.col("date").dt.truncate("1mo"))
        .with_columns(month_days=pl.len().over("month").cast(pl.Int64))
        .filter(pl.col("date").is_between(start, end))
    )


@dataclass(frozen=True)
class DayInfo:
    date: date
    day_type: str
    holiday_zh: str | None
    holiday_en: str | None
    bridging_known: bool
    review: bool


def day_info(d: date) -> DayInfo:
    return DayInfo(**calendar_frame(d, d).row(0, named=True))
