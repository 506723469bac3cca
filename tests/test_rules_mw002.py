"""MW002 (monthly minimum of full-time employees, by attendance) and PT003 (hourly minimum of
part-time employees) against amounts worked out by hand. Chongqing minimum: class 1 2100
CNY/month, 21 CNY/h from 2022-04-01; 2330 / 23 from 2025-01-01; class 2 2200 / 22 from
2025-01-01. One day of absence costs the monthly minimum / 21.75.

Scheduled working days (weekdays and 补班 days, less statutory holidays and bridging rest days),
counted from the 2024 and 2025 holiday notices:
- December 2024: 22 weekdays, no holiday → 22.
- January 2025: 23 weekdays − 1/1 − 1/28..1/31 (春节) + Sunday 1/26 (补班) → 19.
- February 2025: 20 weekdays − 2/3, 2/4 (rest days of the 春节 break) + Saturday 2/8 (补班) → 19.
- March 2025: 21 weekdays, no holiday → 21.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from helpers import dataset, findings, workers

ROSTER = workers(
    [
        ("E1", "employee", "渝中区"),
        ("E2", "employee", "城口县"),
        ("E3", "employee", "渝中区", {"part_time": True}),
    ]
)


def _days(worker: str, first: str, count: int, start="09:00", end="17:00") -> list[tuple]:
    """One order a day on `count` consecutive days from `first`, from `start` to `end`."""
    day = date.fromisoformat(first)
    days = [day + timedelta(n) for n in range(count)]
    return [(f"{worker}-{d}", worker, f"{d} {start}", f"{d} {end}", 0) for d in days]


def _weekdays(worker: str, first: str, last: str) -> list[tuple]:
    """One 8 h order on each Monday–Friday from first to last."""
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    days = [start + timedelta(n) for n in range((end - start).days + 1)]
    return [o for d in days if d.weekday() < 5 for o in _days(worker, d.isoformat(), 1)]


def _payout(worker: str, start: str, end: str, gross, **more) -> dict:
    return {"worker_id": worker, "period_start": start, "period_end": end, "gross": gross} | more


def _found(rule: str, orders: list, pays: list, shifts=()) -> list[tuple]:
    ds = dataset(workers=ROSTER, orders=orders, payouts=pays, shifts=list(shifts))
    return [
        (f["worker_id"], str(f["period_start"]), str(f["period_end"]), f["shortfall_fen"])
        for f in findings(ds, rule)
    ]


def _one(pay: dict, orders=()) -> dict:
    [f] = findings(dataset(workers=ROSTER, orders=list(orders), payouts=[pay]), "MW002")
    return f | {"evidence": json.loads(f["evidence"])}


JANUARY = ("2025-01-01", "2025-01-31")
# Each scheduled working day of January 2025: 1/2, 1/3, 1/6–1/10, 1/13–1/17, 1/20–1/24, the
# 补班 Sunday 1/26 and 1/27 (1/1 and 1/28–1/31 are statutory holidays).
JANUARY_SCHEDULED = _weekdays("E1", "2025-01-02", "2025-01-27") + _days("E1", "2025-01-26", 1)


def test_full_attendance_requires_the_whole_minimum_in_a_month_of_19_working_days():
    # No work recorded: attendance unknown, taken as full. 2,330 × 19 / 19 − 0 = 2,330.00;
    # gross 2,100.00 → 230.00 (pro-rating by 19 / 21.75 days asked only 2,035.40).
    f = _one(_payout("E1", *JANUARY, 2100))
    assert (f["observed"], f["threshold"], f["unit"]) == (2100.0, 2330.0, "CNY")
    assert f["shortfall_fen"] == 23000
    assert (f["period_start"], f["period_end"]) == (date(2025, 1, 1), date(2025, 1, 31))
    evidence = f["evidence"]
    assert evidence["attendance"] == "unknown: full attendance assumed"
    assert evidence["scheduled_days"] == evidence["month_scheduled_days"] == 19
    assert evidence["absent_days"] == 0
    # The same with work recorded on each of the 19 scheduled days.
    assert len(JANUARY_SCHEDULED) == 19
    f = _one(_payout("E1", *JANUARY, 2100), JANUARY_SCHEDULED)
    assert (f["shortfall_fen"], f["evidence"]["attendance"]) == (23000, "work recorded")


def test_overtime_pay_and_allowances_do_not_count_toward_the_minimum():
    # Eligible 2,400 − 100 overtime − 100 高温津贴 = 2,200.00 < 2,330.00 → 130.00.
    f = _one(_payout("E1", *JANUARY, 2400, overtime_pay=100, allowances=100), JANUARY_SCHEDULED)
    assert (f["observed"], f["shortfall_fen"]) == (2200.0, 13000)


def test_absences_from_days_worked():
    # days_worked 17 of 19 → 2 absent: 2,330 − 2,330 / 21.75 × 2 = 2,330 − 214.2528… =
    # 2,115.7471… → threshold 2,115.75; gross 2,000.00 → 115.7471… → 115.75.
    f = _one(_payout("E1", *JANUARY, 2000, days_worked=17))
    assert (f["threshold"], f["shortfall_fen"]) == (2115.75, 11575)
    assert (f["evidence"]["attendance"], f["evidence"]["absent_days"]) == ("days_worked", 2.0)
    # 2,115.75 pays it (2,115.7471… is below); 2,115.74 is short by 0.0071… → 0.01.
    assert _found("MW002", [], [_payout("E1", *JANUARY, "2115.75", days_worked=17)]) == []
    short = _payout("E1", *JANUARY, "2115.74", days_worked=17)
    assert _found("MW002", [], [short]) == [("E1", *JANUARY, 1)]
    # Half a day: 18.5 → 0.5 absent: 2,330 − 2,330 / 21.75 × 0.5 = 2,276.4367… → 2,276.44.
    assert _one(_payout("E1", *JANUARY, 2000, days_worked="18.5"))["threshold"] == 2276.44
    # days_worked wins over the work recorded: 19 given, orders on 10 days only → full.
    f = _one(_payout("E1", *JANUARY, 2000, days_worked=19), JANUARY_SCHEDULED[:10])
    assert (f["threshold"], f["evidence"]["absent_days"]) == (2330.0, 0.0)
    # More days worked than scheduled (rest days worked too) is no negative absence: 2,330.00.
    f = _one(_payout("E1", *JANUARY, 2000, days_worked=22))
    assert (f["threshold"], f["shortfall_fen"]) == (2330.0, 33000)


def test_a_month_with_no_day_attended_requires_nothing():
    # days_worked 0 of 19: the formula alone leaves 2,330 − 2,330 / 21.75 × 19 = 294.60, a claim
    # for a month without work; the minimum wage presumes normal work, so nothing is owed.
    assert _found("MW002", [], [_payout("E1", *JANUARY, 0, days_worked=0)]) == []
    # One day attended: 2,330 − 2,330 / 21.75 × 18 = 401.7241… → 401.72 owed on gross 0.
    assert _found("MW002", [], [_payout("E1", *JANUARY, 0, days_worked=1)]) == [
        ("E1", "2025-01-01", "2025-01-31", 40172)
    ]


def test_absences_from_days_with_work_recorded():
    # March 2025 (21 scheduled days): orders 3/3–3/7, a required shift each day 3/10–3/14 and
    # an online shift on 3/17 → 11 scheduled days with work; Saturday 3/8 (a rest day) does not
    # count. 10 absent: 2,330 − 2,330 / 21.75 × 10 = 2,330 − 1,071.2643… = 1,258.7356… →
    # 1,258.74; gross 1,000.00 → 258.7356… → 258.74.
    orders = _weekdays("E1", "2025-03-03", "2025-03-07") + _days("E1", "2025-03-08", 1)
    shifts = [("E1", f"2025-03-{d} 09:00", f"2025-03-{d} 17:00", "required") for d in range(10, 15)]
    shifts.append(("E1", "2025-03-17 09:00", "2025-03-17 12:00", "online"))
    pay = _payout("E1", "2025-03-01", "2025-03-31", 1000)
    assert _found("MW002", orders, [pay], shifts) == [("E1", "2025-03-01", "2025-03-31", 25874)]


def test_half_month_payout():
    # 2025-03-01..15: scheduled 3/3–3/7 and 3/10–3/14 = 10 of March's 21. Full attendance (no
    # work recorded): 2,330 × 10 / 21 = 1,109.5238… → 1,109.52; gross 1,000 → 109.52.
    pay = _payout("E1", "2025-03-01", "2025-03-15", 1000)
    assert _found("MW002", [], [pay]) == [("E1", "2025-03-01", "2025-03-15", 10952)]
    # days_worked 9: 1,109.5238… − 2,330 / 21.75 (107.1264…) = 1,002.3973… → 2.3973… → 2.40.
    pay = _payout("E1", "2025-03-01", "2025-03-15", 1000, days_worked=9)
    assert _found("MW002", [], [pay]) == [("E1", "2025-03-01", "2025-03-15", 240)]


def test_a_period_over_two_months_gives_one_finding_per_month():
    # 2025-01-16..2025-02-15: January part 1/16, 1/17, 1/20–1/24, 1/26, 1/27 = 9 of 19;
    # February part 2/5–2/7, 2/8 (补班), 2/10–2/14 = 9 of 19 (2/1–2/4 are rest days). 18
    # scheduled, days_worked 16 → 2 absent, shared 9 : 9 → 1 a month. Each month:
    # 2,330 × 9 / 19 − 2,330 / 21.75 = 1,103.6842… − 107.1264… = 996.5577… → 996.56; the gross
    # 1,700 shared 9 : 9 → 850.00 a month → 146.5577… → 146.56 each.
    pay = _payout("E1", "2025-01-16", "2025-02-15", 1700, days_worked=16)
    assert _found("MW002", [], [pay]) == [
        ("E1", "2025-01-16", "2025-01-31", 14656),
        ("E1", "2025-02-01", "2025-02-15", 14656),
    ]
    found = findings(dataset(workers=ROSTER, payouts=[pay]), "MW002")
    assert [(f["observed"], f["threshold"]) for f in found] == [(850.0, 996.56)] * 2
    # Gross 2,000 (1,000.00 a month ≥ 996.56): no finding in either month.
    assert _found("MW002", [], [pay | {"gross": 2000}]) == []


def test_a_period_spanning_the_2025_change_uses_each_months_own_minimum():
    # 2024-12-16..2025-01-15. December part: 12/16–12/20, 12/23–12/27, 12/30, 12/31 = 12 of 22
    # at 2,100; worked 12/16–12/27 (10) → 2 absent: 2,100 × 12 / 22 − 2,100 / 21.75 × 2 =
    # 1,145.4545… − 193.1034… = 952.3510… → 952.35. January part: 1/2, 1/3, 1/6–1/10,
    # 1/13–1/15 = 10 of 19 at 2,330; worked 1/2–1/10 (7) → 3 absent: 2,330 × 10 / 19 −
    # 2,330 / 21.75 × 3 = 1,226.3157… − 321.3793… = 904.9364… → 904.94. Gross 1,500 shared
    # 12 : 10 → 818.1818… and 681.8181…; shortfalls 134.1692… → 134.17 and 223.1183… → 223.12.
    orders = _weekdays("E1", "2024-12-16", "2024-12-27") + _weekdays(
        "E1", "2025-01-02", "2025-01-10"
    )
    pay = _payout("E1", "2024-12-16", "2025-01-15", 1500)
    assert _found("MW002", orders, [pay]) == [
        ("E1", "2024-12-16", "2024-12-31", 13417),
        ("E1", "2025-01-01", "2025-01-15", 22312),
    ]
    found = findings(dataset(workers=ROSTER, orders=orders, payouts=[pay]), "MW002")
    assert [f["threshold"] for f in found] == [952.35, 904.94]


def test_days_outside_the_audited_range_count_as_attended():
    # Audited 2025-01-01..01-10 only: orders on its 7 scheduled days (1/2, 1/3, 1/6–1/10); the
    # 12 scheduled days after 1/10 are not loaded, so not absences: 2,330.00 required;
    # gross 2,000.00 → 330.00 (counting them absent would ask 2,330 − 2,330 / 21.75 × 12).
    orders = _weekdays("E1", "2025-01-02", "2025-01-10")
    ds = dataset(workers=ROSTER, orders=orders, payouts=[_payout("E1", *JANUARY, 2000)])
    [f] = findings(ds, "MW002", date_from=date(2025, 1, 1), date_to=date(2025, 1, 10))
    assert (f["threshold"], f["shortfall_fen"]) == (2330.0, 33000)


def test_class_2_county():
    # 城口县 (class 2), January 2025 fully attended: 2,200.00; gross 2,100.00 → 100.00.
    assert _found("MW002", [], [_payout("E2", *JANUARY, 2100)]) == [("E2", *JANUARY, 10000)]


def test_a_period_of_rest_days_only_and_part_time_employees_are_not_audited():
    pays = [
        _payout("E1", "2025-01-28", "2025-02-04", 0),  # the 春节 break: no scheduled day
        _payout("E3", "2025-03-01", "2025-03-15", 100),  # part-time: PT003, not MW002
    ]
    assert _found("MW002", _days("E3", "2025-03-03", 10), pays) == []


def test_part_time_hourly_minimum():
    # 5 days × 4 h = 20 h × 23 = 460.00 required; gross 440 → 20.00 (22.00 vs 23.00 CNY/h).
    orders = _days("E3", "2025-03-03", 5, end="13:00")
    ds = dataset(
        workers=ROSTER, orders=orders, payouts=[_payout("E3", "2025-03-01", "2025-03-15", 440)]
    )
    [f] = findings(ds, "PT003")
    assert f["shortfall_fen"] == 2000
    assert (f["observed"], f["threshold"], f["unit"]) == (22.0, 23.0, "CNY/h")
    # Paid exactly 460.00: no finding.
    pay = _payout("E3", "2025-03-01", "2025-03-15", 460)
    assert _found("PT003", orders, [pay]) == []


def test_part_time_hourly_minimum_across_the_2025_change():
    # 4 h on 2024-12-30 at 21 + 4 h on 2025-01-02 at 23 = 176.00; gross 170 → 6.00.
    orders = _days("E3", "2024-12-30", 1, end="13:00") + _days("E3", "2025-01-02", 1, end="13:00")
    pay = _payout("E3", "2024-12-30", "2025-01-05", 170)
    assert _found("PT003", orders, [pay]) == [("E3", "2024-12-30", "2025-01-05", 600)]
    # Full-time employees are MW002's, never PT003's.
    assert (
        _found(
            "PT003", _days("E1", "2025-01-02", 1), [_payout("E1", "2025-01-02", "2025-01-02", 1)]
        )
        == []
    )
