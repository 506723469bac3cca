"""PY001–PY007 against days and amounts worked out by hand (pay_due_days 30, pay cycle one
calendar month or 15 days for part-time, deductions ≤ 20 % of gross and never below the monthly
minimum by attendance: class 1 2,330.00 CNY from 2025-01-01, less 2,330 / 21.75 a day absent;
January 2025 has 19 scheduled working days)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from helpers import dataset, findings, workers

ROSTER = workers(
    [
        ("E1", "employee", "渝中区"),
        ("E2", "employee", "渝中区", {"part_time": True}),
        ("P1", "platform_managed", "渝中区"),
        ("I1", "independent", "渝中区"),
    ]
)
JANUARY = {"period_start": "2025-01-01", "period_end": "2025-01-31"}


def _payout(worker: str, gross=3000, **more) -> dict:
    return {"payout_id": f"{worker}-pay", "worker_id": worker, "gross": gross} | JANUARY | more


def _found(rule: str, payouts: list, orders=()) -> list[tuple]:
    ds = dataset(workers=ROSTER, payouts=payouts, orders=list(orders))
    return [(f["worker_id"], f["observed"], f["shortfall_fen"]) for f in findings(ds, rule)]


def _january_days(worker: str, count: int) -> list[tuple]:
    """8 h of orders on `count` days from 2025-01-02, paying nothing."""
    days = [date(2025, 1, 2) + timedelta(n) for n in range(count)]
    return [(f"{worker}-{d}", worker, f"{d} 09:00", f"{d} 17:00", 0) for d in days]


def test_late_pay_against_the_due_date():
    # Due 2025-02-10, paid 2025-02-15 → 5 days late; paid late on the due day is on time.
    late = _payout("E1", due_date="2025-02-10", paid_at="2025-02-15 10:00")
    on_time = _payout("P1", due_date="2025-02-10", paid_at="2025-02-10 23:59")
    [f] = findings(dataset(workers=ROSTER, payouts=[late, on_time]), "PY001")
    assert (f["worker_id"], f["observed"], f["threshold"], f["unit"]) == ("E1", 5.0, 0.0, "days")
    assert f["shortfall_fen"] == 0 and f["period_end"] == date(2025, 1, 31)
    evidence = json.loads(f["evidence"])
    assert evidence["due_date"] == "2025-02-10" and evidence["payout_id"] == "E1-pay"
    assert evidence["row"] == 2 and evidence["unpaid"] is False
    assert f["message"] == "Pay for 2025-01-01 to 2025-01-31 was 5 days late or is unpaid"


def test_without_a_due_date_pay_is_due_30_days_after_the_period():
    # 2025-01-31 + 30 days = 2025-03-02: paid that day is on time, a day later is 1 day late.
    pays = [_payout("E1", paid_at="2025-03-02 18:00"), _payout("P1", paid_at="2025-03-03 09:00")]
    assert _found("PY001", pays) == [("P1", 1.0, 0)]


def test_unpaid_is_late_once_due_and_independents_are_out_of_scope():
    unpaid = _payout("E1", due_date="2025-02-10")
    not_yet_due = _payout("P1", due_date=str(date.today() + timedelta(days=3)))
    independent = _payout("I1", due_date="2025-02-10")
    [f] = findings(dataset(workers=ROSTER, payouts=[unpaid, not_yet_due, independent]), "PY001")
    assert f["worker_id"] == "E1" and json.loads(f["evidence"])["unpaid"] is True
    # Days overdue as of the day of the run.
    assert f["observed"] == (date.today() - date(2025, 2, 10)).days


def test_pay_cycle_is_a_calendar_month():
    # A month from 2025-02-01 ends on 2025-02-28 (28 days): ..03-01 (29 days) is too long.
    # From 2025-01-01: ..01-31 (31 days) is not, ..02-01 (32) is. From 2025-01-31 (no 31
    # February): the month ends the day before 2025-02-28, so ..02-28 (29 days) is too long.
    # Part-time: 15 days at most, both ends counted (01-01..01-15 is 15, 01-16..01-31 is 16).
    pays = [
        _payout("E1", period_start="2025-02-01", period_end="2025-03-01"),
        _payout("E1", period_start="2025-02-01", period_end="2025-02-28"),
        _payout("E1"),
        _payout("E1", period_start="2025-01-01", period_end="2025-02-01"),
        _payout("E1", period_start="2025-01-31", period_end="2025-02-28"),
        _payout("E1", period_start="2025-01-31", period_end="2025-02-27"),
        _payout("E2", period_start="2025-01-01", period_end="2025-01-15"),
        _payout("E2", period_start="2025-01-16", period_end="2025-01-31"),
        _payout("P1", period_start="2025-01-01", period_end="2025-03-31"),  # not PY002's
    ]
    found = findings(dataset(workers=ROSTER, payouts=pays), "PY002")
    assert [
        (f["worker_id"], str(f["period_start"]), f["observed"], f["threshold"]) for f in found
    ] == [
        ("E1", "2025-01-01", 32.0, 31.0),
        ("E1", "2025-01-31", 29.0, 28.0),
        ("E1", "2025-02-01", 29.0, 28.0),
        ("E2", "2025-01-16", 16.0, 15.0),
    ]
    assert json.loads(found[2]["evidence"])["last_day_allowed"] == "2025-02-28"


def test_paid_less_than_the_orders_earned():
    orders = [
        ("o1", "P1", "2025-01-06 10:00", "2025-01-06 11:00", 300),
        ("o2", "P1", "2025-01-31 23:50", "2025-02-01 00:20", "250.50"),  # accepted in January
        ("o3", "P1", "2025-02-01 10:00", "2025-02-01 11:00", 999),  # outside the period
        ("o4", "E1", "2025-01-06 10:00", "2025-01-06 11:00", 100),
    ]
    # P1: 300 + 250.50 = 550.50 earned, 500.00 gross → 50.50. E1: 100 earned, 100 gross.
    pays = [_payout("P1", gross=500), _payout("E1", gross=100)]
    assert _found("PY003", pays, orders) == [("P1", 550.5, 5050)]


def test_a_period_paid_in_two_parts_is_judged_on_its_whole_pay():
    """P1's January is paid in two parts: p1 gross 100.00 (deposit 50, fee 1, paid 02-05)
    and p2 gross 0 (deposit 30, fee 2, paid 03-10). Orders earned 100.00 = 100 + 0: no
    PY003 (p2 alone would claim 100.00). One finding per rule and period: deposit 80.00,
    fee 3.00; paid when the last part was, 03-10, 8 days after 03-02 (01-31 + 30)."""
    orders = [("o1", "P1", "2025-01-06 10:00", "2025-01-06 11:00", 100)]
    pays = [
        _payout("P1", gross=100, payout_id="p1", deposit=50, injury_insurance_fee=1,
                paid_at="2025-02-05 10:00"),
        _payout("P1", gross=0, payout_id="p2", deposit=30, injury_insurance_fee=2,
                paid_at="2025-03-10 10:00"),
    ]  # fmt: skip
    assert _found("PY003", pays, orders) == []
    assert _found("PY004", pays, orders) == [("P1", 80.0, 8000)]
    assert _found("PY005", pays, orders) == [("P1", 3.0, 300)]
    [late] = findings(dataset(workers=ROSTER, payouts=pays, orders=orders), "PY001")
    assert late["observed"] == 8.0
    assert json.loads(late["evidence"])["payout_ids"] == ["p1", "p2"]


def test_deposit_and_insurance_premium_are_owed_back_whole():
    pays = [
        _payout("E1", deposit=200, injury_insurance_fee="7.50"),
        _payout("P1", deposit=0),
        _payout("I1", deposit=500, injury_insurance_fee=3),  # independent: out of scope
    ]
    assert _found("PY004", pays) == [("E1", 200.0, 20000)]
    assert _found("PY005", pays) == [("E1", 7.5, 750)]


def test_deductions_over_20_percent_of_gross():
    # No work recorded: full attendance, minimum 2,330.00. Gross 5,000: penalty 800 + equipment
    # 300 + other 100 = 1,200 > 20 % = 1,000 (5,000 − 2,330 = 2,670 is the looser limb)
    # → 200.00. Tax and social insurance are lawful withholdings.
    deducted = _payout("E1", gross=5000, penalty=800, equipment=300, other_deduction=100)
    [f] = findings(dataset(workers=ROSTER, payouts=[deducted]), "PY006")
    assert f["shortfall_fen"] == 20000
    assert (f["observed"], f["threshold"], f["unit"]) == (1200.0, 1000.0, "CNY")
    exactly = _payout("E1", gross=5000, penalty=1000, tax=2000, social_insurance=500)
    assert _found("PY006", [exactly]) == []


def test_deductions_that_leave_pay_below_the_monthly_minimum():
    # Full attendance: gross 2,500, penalty 300: 20 % allows 500 but 2,500 − 2,330 leaves only
    # 170 → 130.00.
    pays = [_payout("E1", gross=2500, penalty=300)]
    assert _found("PY006", pays) == [("E1", 300.0, 13000)]
    # Pay that counts toward the minimum excludes overtime pay: 2,600 − 100 overtime = 2,500.
    pays = [_payout("E1", gross=2600, overtime_pay=100, penalty=300)]
    assert _found("PY006", pays) == [("E1", 300.0, 13000)]


def test_the_minimum_limb_follows_attendance_as_mw002_does():
    # days_worked 11 of 19 → 8 absent: 2,330 − 2,330 / 21.75 × 8 = 2,330 − 857.0114… =
    # 1,472.9885… → 1,472.99 (MW002's figure). Gross 1,500, penalty 300: may deduct
    # min(300, 1,500 − 1,472.99 = 27.01) → excess 300 − 27.01 = 272.99.
    pays = [_payout("E1", gross=1500, penalty=300, days_worked=11)]
    [f] = findings(dataset(workers=ROSTER, payouts=pays), "PY006")
    assert (f["shortfall_fen"], f["threshold"]) == (27299, 27.01)
    evidence = json.loads(f["evidence"])
    assert (evidence["minimum_cny"], evidence["absent_days"]) == (1472.99, 8.0)
    # Work recorded 1/2–1/23 (22 days, 16 of them scheduled: 1/2, 1/3, 1/6–1/10, 1/13–1/17,
    # 1/20–1/23) → 3 absent: 2,330 − 2,330 / 21.75 × 3 = 2,008.6206… → 2,008.62. Gross 2,500,
    # penalty 600: min(500, 2,500 − 2,008.62 = 491.38) → excess 600 − 491.38 = 108.62.
    pays = [_payout("E1", gross=2500, penalty=600)]
    assert _found("PY006", pays, _january_days("E1", 22)) == [("E1", 600.0, 10862)]


def test_a_fraction_of_a_fen_in_the_20_percent_limit_rounds_half_up():
    # 20 % of 3,333.33 = 666.666; penalty 700 → excess 33.334 → 33.33 (full attendance:
    # 3,333.33 − 2,330 = 1,003.33 is the looser limb).
    assert _found("PY006", [_payout("E1", gross="3333.33", penalty=700)]) == [("E1", 700.0, 3333)]


def test_a_fine_is_a_warning_to_review():
    # Any penalty > 0, employee or platform-managed: the fine observed, nothing claimed.
    pays = [
        _payout("E1", penalty=50),
        _payout("P1", penalty="0.01"),
        _payout("E2", penalty=0),  # no fine
        _payout("I1", penalty=80),  # independent: out of scope
    ]
    found = findings(dataset(workers=ROSTER, payouts=pays), "PY007")
    assert [
        (f["worker_id"], f["severity"], f["observed"], f["threshold"], f["shortfall_fen"])
        for f in found
    ] == [("E1", "warning", 50.0, 0.0, 0), ("P1", "warning", 0.01, 0.0, 0)]
