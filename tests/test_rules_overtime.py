"""OT001, OT002, RD001, PT001 and PT002 against hours and amounts worked out by hand.

Calendar: 2025-02-08 (Saturday) and 2025-01-26 (Sunday) are 补班 working days;
2025-05-05 (Monday) is a bridging rest day of 劳动节; 2025-05-10 an ordinary Saturday;
2025-05-31 (Saturday) is 端午, a statutory holiday. A monthly wage of 3,480.00 CNY gives an
hourly base of 3,480 / 174 = 20.00 CNY."""

from __future__ import annotations

import json
from datetime import date, timedelta

from helpers import dataset, findings, workers

STANDARD = {"hours_system": "standard", "monthly_wage": 3480}
ROSTER = workers(
    [
        ("E1", "employee", "渝中区", STANDARD),
        ("E2", "employee", "渝中区", {"hours_system": "standard"}),  # no monthly wage
        ("E3", "employee", "渝中区", {"hours_system": "comprehensive", "monthly_wage": 3480}),
        ("E4", "employee", "渝中区", {"hours_system": "flexible", "monthly_wage": 3480}),
        ("E5", "employee", "渝中区", {"part_time": True}),
        ("E6", "employee", "渝中区", {"monthly_wage": 3000}),  # hours system unknown: standard
        ("P1", "platform_managed", "渝中区"),
    ]
)


def _work(worker: str, *days: str, start="09:00", end="17:00") -> list[tuple]:
    return [(f"{worker}-{d}-{start}", worker, f"{d} {start}", f"{d} {end}", 0) for d in days]


def _run(days: int, first: str) -> list[str]:
    day = date.fromisoformat(first)
    return [str(day + timedelta(n)) for n in range(days)]


def _found(rule: str, orders: list, payouts=None, **range_) -> list[tuple]:
    tables = {"workers": ROSTER, "orders": orders} | ({"payouts": payouts} if payouts else {})
    return [
        (f["worker_id"], f["period_start"].isoformat(), f["period_end"].isoformat(), f["observed"])
        for f in findings(dataset(**tables), rule, **range_)
    ]


def _payout(worker: str, start: str, end: str, overtime_pay, gross=3480) -> dict:
    return {
        "worker_id": worker,
        "period_start": start,
        "period_end": end,
        "gross": gross,
        "overtime_pay": overtime_pay,
    }


def _shortfalls(orders: list, payouts: list) -> list[tuple]:
    ds = dataset(workers=ROSTER, orders=orders, payouts=payouts)
    return [(f["worker_id"], f["shortfall_fen"]) for f in findings(ds, "OT002")]


def test_a_day_over_8_plus_3_hours():
    # 12 h on Monday 2025-01-06 > 11 h; exactly 11 h on Tuesday is within the limit.
    orders = _work("E1", "2025-01-06", start="08:00", end="20:00")
    orders += _work("E1", "2025-01-07", start="08:00", end="19:00")
    assert _found("OT001", orders) == [("E1", "2025-01-06", "2025-01-06", 12.0)]


def test_a_month_over_36_hours_of_overtime_counts_rest_days_whole():
    # March 2025 Saturdays 1, 8, 15, 22, 29: 5 × 8 h of rest-day work = 40 h > 36. The
    # default range is the whole month.
    saturdays = ["2025-03-01", "2025-03-08", "2025-03-15", "2025-03-22", "2025-03-29"]
    assert _found("OT001", _work("E1", *saturdays)) == [("E1", "2025-03-01", "2025-03-31", 40.0)]
    # 4 Saturdays (32 h) + two 10-hour weekdays (2 × 2 h) = exactly 36 h: no finding.
    orders = _work("E1", *saturdays[:4]) + _work("E1", "2025-03-03", "2025-03-04", end="19:00")
    assert _found("OT001", orders) == []


def test_comprehensive_hours_are_checked_over_the_month_total():
    # March 2025 has 21 working days → 168 standard hours. 18 days × 12 h = 216 h → 48 h of
    # overtime > 36, and no day finding although each day is over 11 h.
    march = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}
    orders = _work("E3", *_run(18, "2025-03-03"), start="08:00", end="20:00")
    assert _found("OT001", orders, **march) == [("E3", "2025-03-01", "2025-03-31", 48.0)]
    # 17 days × 12 h = 204 h → 36 h: exactly at the limit.
    assert _found("OT001", orders[:17], **march) == []


def test_flexible_hours_and_part_time_are_exempt_from_overtime_rules():
    long_days = _work("E4", *_run(7, "2025-01-06"), start="06:00", end="20:00")
    long_days += _work("E5", "2025-01-06", start="06:00", end="20:00")
    payouts = [_payout("E4", "2025-01-01", "2025-01-31", 0)]
    for rule in ("OT001", "OT002", "RD001"):
        assert _found(rule, long_days, payouts) == []


def test_overtime_pay_at_150_200_and_300_percent():
    # May 2025, base 20.00/h: Tuesday 05-06 10 h → 2 extended h; Saturday 05-10 8 h → 8
    # rest-day h; Saturday 05-31 端午 8 h → 8 statutory h (300 % on a weekend too).
    # Due 20 × (1.5 × 2 + 2 × 8 + 3 × 8) = 20 × 43 = 860.00; paid 600.00 → 260.00.
    orders = _work("E1", "2025-05-06", end="19:00") + _work("E1", "2025-05-10", "2025-05-31")
    ds = dataset(
        workers=ROSTER, orders=orders, payouts=[_payout("E1", "2025-05-01", "2025-05-31", 600)]
    )
    [f] = findings(ds, "OT002")
    assert f["shortfall_fen"] == 26000
    assert (f["observed"], f["threshold"], f["unit"]) == (600.0, 860.0, "CNY")
    evidence = json.loads(f["evidence"])
    assert evidence["extended_hours"] == 2.0 and evidence["rest_day_hours"] == 8.0
    assert evidence["holiday_hours"] == 8.0 and evidence["hourly_base_cny"] == 20.0
    # Comp rest cannot be known from the data: the evidence and the message say so.
    assert evidence["comp_rest_unknown"] is True and evidence["rest_days"] == ["2025-05-10"]
    assert "compensatory rest" in f["message"]
    # Paid exactly 860.00: no finding.
    assert _shortfalls(orders, [_payout("E1", "2025-05-01", "2025-05-31", 860)]) == []


def test_a_bridging_monday_is_a_rest_day_and_a_buban_saturday_a_working_day():
    # 2025-05-05 (劳动节 bridging Monday) 8 h → 8 rest-day h: 20 × 2 × 8 = 320.00.
    orders = _work("E1", "2025-05-05")
    assert _shortfalls(orders, [_payout("E1", "2025-05-01", "2025-05-31", 0)]) == [("E1", 32000)]
    # 2025-02-08 (补班 Saturday) and 2025-01-26 (补班 Sunday), 10 h each → 2 extended h each,
    # not 10 rest-day h: 20 × 1.5 × 4 = 120.00.
    orders = _work("E1", "2025-01-26", "2025-02-08", end="19:00")
    assert _shortfalls(orders, [_payout("E1", "2025-01-26", "2025-02-08", 0)]) == [("E1", 12000)]


def test_a_weekday_that_may_replace_a_weekend_statutory_day_is_flagged_for_review():
    # 端午 2025-05-31 is a Saturday; Monday 2025-06-02 is off in its place (补假). Counted as a
    # rest day, 20 × 2 × 8 = 320.00, and listed for review (300 % is unsettled).
    ds = dataset(
        workers=ROSTER,
        orders=_work("E1", "2025-06-02"),
        payouts=[_payout("E1", "2025-06-01", "2025-06-30", 0)],
    )
    [f] = findings(ds, "OT002")
    assert f["shortfall_fen"] == 32000
    assert json.loads(f["evidence"])["review_dates"] == ["2025-06-02"]


def test_hourly_base_from_gross_and_rounding_half_up():
    # E2 has no monthly wage: base (gross 3,530 − overtime pay 50) / 174 = 20.00; 2 extended
    # h → 20 × 1.5 × 2 = 60.00 due; 50.00 paid → 10.00.
    orders = _work("E2", "2025-03-04", end="19:00")
    pays = [_payout("E2", "2025-03-01", "2025-03-31", 50, gross=3530)]
    assert _shortfalls(orders, pays) == [("E2", 1000)]
    # E6: 3,000 / 174 × 1.5 × 1 h = 25.862… → 25.86 (hours system unknown → standard).
    orders = _work("E6", "2025-03-04", end="18:00")
    assert _shortfalls(orders, [_payout("E6", "2025-03-01", "2025-03-31", 0)]) == [("E6", 2586)]


def test_comprehensive_overtime_pay_over_the_period_total():
    # 15 days × 12 h = 180 h in March 2025 against 168 standard h → 12 extended h:
    # 20 × 1.5 × 12 = 360.00 (no rest-day premium under comprehensive hours).
    orders = _work("E3", *_run(15, "2025-03-01"), start="08:00", end="20:00")
    ds = dataset(
        workers=ROSTER, orders=orders, payouts=[_payout("E3", "2025-03-01", "2025-03-31", 0)]
    )
    march = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}
    assert [f["shortfall_fen"] for f in findings(ds, "OT002", **march)] == [36000]


def test_a_week_without_a_rest_day():
    # Monday 2025-01-06 to Sunday 2025-01-12, 1 h a day: all 7 days worked.
    week = _work("E1", *_run(7, "2025-01-06"), end="10:00")
    assert _found("RD001", week) == [("E1", "2025-01-06", "2025-01-12", 7.0)]
    # Six days, or seven days across two weeks: no finding.
    assert _found("RD001", week[:6]) == []
    assert _found("RD001", _work("E1", *_run(7, "2025-01-08"), end="10:00")) == []
    # Part-time employees get a weekly rest day too; platform-managed workers are not RD001's.
    part_time = _work("E5", *_run(7, "2025-01-06"), end="10:00")
    assert _found("RD001", part_time) == [("E5", "2025-01-06", "2025-01-12", 7.0)]
    assert _found("RD001", _work("P1", *_run(7, "2025-01-06"), end="10:00")) == []


def test_part_time_weekly_hours_and_daily_average():
    # Week of 2025-03-03: 5 days × 5 h = 25 h > 24 (PT001) and 5 h a day > 4 (PT002).
    # Week of 2025-03-10: 6 × 4 h = 24 h and 4 h a day: exactly at both limits.
    # Week of 2025-03-17: 3 × 4.5 h = 13.5 h, 4.5 h a day > 4 (PT002 only).
    orders = _work("E5", *_run(5, "2025-03-03"), end="14:00")
    orders += _work("E5", *_run(6, "2025-03-10"), end="13:00")
    orders += _work("E5", *_run(3, "2025-03-17"), end="13:30")
    assert _found("PT001", orders) == [("E5", "2025-03-03", "2025-03-09", 25.0)]
    assert _found("PT002", orders) == [
        ("E5", "2025-03-03", "2025-03-09", 5.0),
        ("E5", "2025-03-17", "2025-03-23", 4.5),
    ]
    # Full-time employees are not audited by the part-time rules.
    assert _found("PT001", _work("E1", *_run(6, "2025-03-03"), end="18:00")) == []
