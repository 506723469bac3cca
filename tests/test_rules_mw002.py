"""MW002 (monthly minimum of full-time employees) and PT003 (hourly minimum of part-time
employees) against amounts worked out by hand. Chongqing minimum (FACTS.md §2): class 1
2100 CNY/month, 21 CNY/h from 2022-04-01; 2330 / 23 from 2025-01-01; class 2 2200 / 22 from
2025-01-01. Days are pro-rated over 21.75 paid days a month."""

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


def _payout(worker: str, start: str, end: str, gross, **more) -> dict:
    return {"worker_id": worker, "period_start": start, "period_end": end, "gross": gross} | more


def _found(rule: str, orders: list, pays: list) -> list[tuple]:
    ds = dataset(workers=ROSTER, orders=orders, payouts=pays)
    return [
        (f["worker_id"], f["period_start"].isoformat(), f["shortfall_fen"])
        for f in findings(ds, rule)
    ]


def test_full_month_overtime_and_high_temperature_allowance_are_excluded():
    # 22 days worked ≥ 21.75: the full 2,330.00. Eligible 2,400 − 100 overtime − 100 高温津贴
    # = 2,200.00 → shortfall 130.00.
    pay = _payout("E1", "2025-01-01", "2025-01-31", 2400, overtime_pay=100, allowances=100)
    ds = dataset(workers=ROSTER, orders=_days("E1", "2025-01-02", 22), payouts=[pay])
    [f] = findings(ds, "MW002")
    assert f["shortfall_fen"] == 13000
    assert (f["observed"], f["threshold"], f["unit"]) == (2200.0, 2330.0, "CNY")
    assert (f["period_start"], f["period_end"]) == (date(2025, 1, 1), date(2025, 1, 31))
    assert json.loads(f["evidence"])["days_worked"] == 22


def test_days_worked_are_pro_rated_and_at_the_minimum_is_no_finding():
    # 10 days in March 2025: 2,330 × 10 / 21.75 = 1,071.2643… → 1,071.26.
    orders = _days("E1", "2025-03-03", 10)
    short = _payout("E1", "2025-03-01", "2025-03-31", 1000)
    assert _found("MW002", orders, [short]) == [("E1", "2025-03-01", 7126)]
    exact = _payout("E1", "2025-03-01", "2025-03-31", "1071.26")
    assert _found("MW002", orders, [exact]) == []


def test_more_than_21_75_days_is_capped_at_the_monthly_minimum():
    # 25 days worked in February 2025: min(1, 25 / 21.75) = 1 → 2,330.00; 2,329.99 → 0.01.
    pay = _payout("E1", "2025-02-01", "2025-02-28", "2329.99")
    assert _found("MW002", _days("E1", "2025-02-01", 25), [pay]) == [("E1", "2025-02-01", 1)]


def test_period_spanning_the_2025_change_pro_rates_each_month_by_its_own_minimum():
    # 16 Dec 2024 – 15 Jan 2025: 10 days in December at 2,100, 5 in January at 2,330:
    # (2,100 × 10 + 2,330 × 5) / 21.75 = 32,650 / 21.75 = 1,501.1494… → 1,501.15, rounded once.
    orders = _days("E1", "2024-12-16", 10) + _days("E1", "2025-01-06", 5)
    pay = _payout("E1", "2024-12-16", "2025-01-15", 1400)
    assert _found("MW002", orders, [pay]) == [("E1", "2024-12-16", 10115)]


def test_class_2_county():
    # 城口县 (class 2): 2,200 × 10 / 21.75 = 1,011.4943… → 1,011.49; paid 1,000 → 11.49.
    pay = _payout("E2", "2025-03-01", "2025-03-31", 1000)
    assert _found("MW002", _days("E2", "2025-03-03", 10), [pay]) == [("E2", "2025-03-01", 1149)]


def test_part_time_and_payouts_without_working_time_are_not_audited_by_mw002():
    orders = _days("E3", "2025-03-03", 10)
    pays = [
        _payout("E3", "2025-03-01", "2025-03-15", 100),  # part-time: PT003, not MW002
        _payout("E1", "2025-03-01", "2025-03-31", 100),  # no working time: days unknown
    ]
    assert _found("MW002", orders, pays) == []


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
    assert _found("PT003", orders, [pay]) == [("E3", "2024-12-30", 600)]
    # Full-time employees are MW002's, never PT003's.
    assert (
        _found(
            "PT003", _days("E1", "2025-01-02", 1), [_payout("E1", "2025-01-02", "2025-01-02", 1)]
        )
        == []
    )
