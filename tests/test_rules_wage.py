"""MW001 against amounts worked out by hand from the Chongqing minimum wage:
hourly minimum 21/20 CNY (class 1/2) from 2022-04-01, 23/22 CNY from 2025-01-01."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from helpers import audit, context, dataset, findings, workers
from payaudit.config import Settings

ROSTER = workers([("W1", "platform_managed", "渝中区")])
FEB = ("2025-02-01", "2025-02-28")  # the whole month: the default range


def _mw(ds, settings=None, **range_):
    return [
        (
            f["worker_id"],
            f["period_start"].isoformat(),
            f["period_end"].isoformat(),
            f["shortfall_fen"],
        )
        for f in findings(ds, "MW001", settings, **range_)
    ]


def test_month_without_a_change():
    ds = dataset(
        workers=ROSTER,
        orders=[
            ("o1", "W1", "2024-03-04 09:00", "2024-03-04 17:00", 150),  # 8 h
            ("o2", "W1", "2024-03-05 09:00", "2024-03-05 13:00", 90),  # 4 h
        ],
    )
    [f] = findings(ds, "MW001")
    # required 12 h × 21 = 252.00; eligible 150 + 90 = 240.00 → shortfall 12.00 CNY.
    assert f["shortfall_fen"] == 1200
    # The default range is the whole calendar month holding the data.
    assert (f["period_start"], f["period_end"]) == (date(2024, 3, 1), date(2024, 3, 31))
    assert f["observed"] == 20.0 and f["threshold"] == 21.0 and f["unit"] == "CNY/h"
    assert f["severity"] == "error" and f["category"] == "platform_managed"
    evidence = json.loads(f["evidence"])
    assert evidence["eligible_cny"] == 240.0 and evidence["required_cny"] == 252.0
    assert evidence["days"] == 2 and evidence["orders"] == 2 and evidence["hours"] == 12.0


def test_pay_at_the_minimum_is_no_finding():
    # 4 h × 21 = 84.00 paid exactly.
    ds = dataset(workers=ROSTER, orders=[("o1", "W1", "2024-03-04 09:00", "2024-03-04 13:00", 84)])
    assert _mw(ds) == []


SPANNING = [
    ("o1", "W1", "2024-12-30 10:00", "2024-12-30 14:00", 80),  # 4 h at 21 CNY/h
    ("o2", "W1", "2025-01-02 10:00", "2025-01-02 14:00", 80),  # 4 h at 23 CNY/h
]


def test_week_spanning_the_2025_change_uses_each_days_minimum():
    ds = dataset(workers=ROSTER, orders=SPANNING)
    # ISO week 2024-12-30 (Mon) – 2025-01-05:
    # required 4 × 21 + 4 × 23 = 176.00; eligible 160.00 → 16.00.
    assert _mw(ds, Settings(period="week")) == [("W1", "2024-12-30", "2025-01-05", 1600)]
    [f] = findings(ds, "MW001", Settings(period="week"))
    assert f["threshold"] == 22.0  # 176 / 8 h: the time-weighted minimum
    # --to clips the period to the audited range.
    assert _mw(ds, Settings(period="week"), date_to=date(2025, 1, 2)) == [
        ("W1", "2024-12-30", "2025-01-02", 1600)
    ]


def test_month_periods_on_either_side_of_the_change():
    ds = dataset(workers=ROSTER, orders=SPANNING)
    # December: 4 × 21 − 80 = 4.00; January: 4 × 23 − 80 = 12.00.
    assert _mw(ds) == [
        ("W1", "2024-12-01", "2024-12-31", 400),
        ("W1", "2025-01-01", "2025-01-31", 1200),
    ]
    # --from/--to clip the months.
    assert _mw(ds, date_from=date(2024, 12, 30), date_to=date(2025, 1, 2)) == [
        ("W1", "2024-12-30", "2024-12-31", 400),
        ("W1", "2025-01-01", "2025-01-02", 1200),
    ]


def test_day_period():
    ds = dataset(
        workers=ROSTER,
        orders=[
            ("o1", "W1", "2025-02-10 10:00", "2025-02-10 12:00", 46),  # 2 × 23 = 46: met
            ("o2", "W1", "2025-02-11 10:00", "2025-02-11 12:00", 40),  # 46 − 40 = 6.00
        ],
    )
    assert _mw(ds, Settings(period="day")) == [("W1", "2025-02-11", "2025-02-11", 600)]
    # Over the month the 6.00 is still owed: 92 − 86.
    assert _mw(ds) == [("W1", "2025-02-01", "2025-02-28", 600)]


def test_an_order_across_the_ranges_edges_brings_its_share_of_each_day():
    """One order 2025-03-31 23:00 → 2025-04-01 01:00 paid 20.05: 1 h on each day; April gets
    10.025 → 10.03 (half-up), March the rest, 10.02. The default range reaches the day the
    order ends: March owes 23 − 10.02 = 12.98, April 23 − 10.03 = 12.97. With --from
    2025-04-01 the order, accepted the day before, still brings April its share."""
    ds = dataset(
        workers=ROSTER, orders=[("o1", "W1", "2025-03-31 23:00", "2025-04-01 01:00", "20.05")]
    )
    march = ("W1", "2025-03-01", "2025-03-31", 1298)
    april = ("W1", "2025-04-01", "2025-04-30", 1297)
    assert _mw(ds) == [march, april]
    assert _mw(ds, date_from=date(2025, 4, 1), date_to=date(2025, 4, 30)) == [april]
    assert _mw(ds, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)) == [march]


def test_range_from_a_day_holds_the_tail_of_the_order_before_it():
    """--from 2025-03-10: the order of 03-09 23:00 → 03-10 01:00 paid 40.00 gives 03-10 1 h
    and 20.00; with o2 (03-10 10:00–14:00, 80.00) the range has 5 h and 100.00 against
    5 × 23 = 115.00: 15.00 owed (counting o2 alone would say 92 − 80 = 12.00)."""
    ds = dataset(
        workers=ROSTER,
        orders=[
            ("o1", "W1", "2025-03-09 23:00", "2025-03-10 01:00", 40),
            ("o2", "W1", "2025-03-10 10:00", "2025-03-10 14:00", 80),
        ],
    )
    range_ = {"date_from": date(2025, 3, 10), "date_to": date(2025, 3, 20)}
    assert _mw(ds, **range_) == [("W1", "2025-03-10", "2025-03-20", 1500)]


def test_class_2_county_and_district_fallbacks():
    order = ("2025-02-10 10:00", "2025-02-10 15:00", 105)  # 5 h for 105.00
    ds = dataset(
        workers=[("W1", "platform_managed", "渝中区"), ("W2", "platform_managed", "城口县")],
        orders=[
            ("o1", "W1", *order),  # class 1: 5 × 23 − 105 = 10.00
            ("o2", "W2", *order),  # class 2: 5 × 22 − 105 = 5.00
            ("o3", "W3", *order, {"district": "城口"}),  # no roster row: order district, class 2
            ("o4", "W4", *order),  # unknown district: class 1 and a data issue
        ],
    )
    assert _mw(ds) == [
        ("W1", *FEB, 1000),
        ("W2", *FEB, 500),
        ("W3", *FEB, 500),
        ("W4", *FEB, 1000),
    ]
    result = audit(ds, select=["MW001"])
    classes = dict(result.workers.select("worker_id", "area_class").rows())
    assert classes == {"W1": 1, "W2": 2, "W3": 2, "W4": 1}
    issues = result.dataset.issues.filter(code="D009")
    assert issues["message"].to_list() == [
        "The district of worker W4 is unknown; audited at area class 1"
    ]


def test_settings_district_is_the_last_fallback():
    ds = dataset(orders=[("o1", "W1", "2025-02-10 10:00", "2025-02-10 15:00", 105)])
    # --district 城口县: class 2, 5 × 22 − 105 = 5.00, and no data issue.
    result = audit(ds, Settings(district="城口县"), select=["MW001"])
    assert result.findings["shortfall_fen"].to_list() == [500]
    assert result.dataset.issues.filter(code="D009").height == 0


def test_cost_is_deducted_and_tips_never_count():
    ds = dataset(
        workers=ROSTER,
        orders=[("o1", "W1", "2025-02-10 10:00", "2025-02-10 14:00", 100, {"tip": 50, "cost": 10})],
    )
    # eligible 100 − 10 = 90 (the 50 tip is ignored); required 4 × 23 = 92 → 2.00.
    assert _mw(ds) == [("W1", *FEB, 200)]


def test_overlapping_orders_are_paid_time_once():
    ds = dataset(
        workers=ROSTER,
        orders=[
            ("o1", "W1", "2025-02-10 10:00", "2025-02-10 12:00", 30),
            ("o2", "W1", "2025-02-10 11:00", "2025-02-10 13:00", 30),
        ],
    )
    # merged 10:00–13:00 = 3 h → 69.00 required; 60.00 paid → 9.00 (not 4 h → 32.00).
    assert _mw(ds) == [("W1", *FEB, 900)]


def test_allowance_ratio_raises_the_required_pay():
    ds = dataset(workers=ROSTER, orders=[("o1", "W1", "2025-02-10 10:00", "2025-02-10 14:00", 100)])
    # 4 h × 1.25 = 5 h → 5 × 23 = 115.00; 100.00 paid → 15.00; observed 100 / 5 = 20.00.
    [f] = findings(ds, "MW001", Settings(allowance_ratio=Decimal("0.25")))
    assert f["shortfall_fen"] == 1500 and f["observed"] == 20.0 and f["threshold"] == 23.0


def test_fractions_of_a_fen_are_rounded_half_up_once():
    ds = dataset(
        workers=[("W1", "platform_managed", "渝中区"), ("W2", "platform_managed", "渝中区")],
        orders=[
            # 7 min: 7/60 × 23 = 2.68333… → 2.68 required; 2.00 paid → 0.68.
            ("o1", "W1", "2025-02-10 10:00", "2025-02-10 10:07", 2),
            # 18 s: 18/3600 × 2300 fen = 11.5 fen → 12 fen (half up).
            ("o2", "W2", "2025-02-10 10:00:00", "2025-02-10 10:00:18", 0),
        ],
    )
    assert [f[3] for f in _mw(ds)] == [68, 12]
    # Allowance 0.1: 7 min × 1.1 × 23 / 60 = 2.95166… → 2.95 → 0.95 owed.
    assert _mw(ds, Settings(allowance_ratio=Decimal("0.1")))[0][3] == 95


def test_required_shifts_and_the_online_basis():
    ds = dataset(
        workers=ROSTER,
        orders=[("o1", "W1", "2025-02-10 10:00", "2025-02-10 12:00", 40)],
        shifts=[
            ("W1", "2025-02-10 09:00", "2025-02-10 11:00", "required"),
            ("W1", "2025-02-10 12:00", "2025-02-10 13:00", "online"),
        ],
    )
    # Orders basis: 09:00–12:00 = 3 h → 69 − 40 = 29.00.
    assert _mw(ds) == [("W1", *FEB, 2900)]
    # Online basis: 09:00–13:00 = 4 h → 92 − 40 = 52.00.
    assert _mw(ds, Settings(basis="online")) == [("W1", *FEB, 5200)]


def test_independents_and_employees_are_not_audited_by_mw001():
    ds = dataset(
        workers=[("W1", "independent", "渝中区"), ("W2", "employee", "渝中区")],
        orders=[
            ("o1", "W1", "2025-02-10 10:00", "2025-02-10 14:00", 10),
            ("o2", "W2", "2025-02-10 10:00", "2025-02-10 14:00", 10),
        ],
    )
    assert _mw(ds) == []
    result = audit(ds)
    scope = dict(result.workers.select("worker_id", "in_scope").rows())
    assert scope == {"W1": False, "W2": True}
    assert result.findings.filter(worker_id="W1").height == 0


def test_area_class_of_each_day():
    # 梁平 was class 2 before 2019 (14 CNY/h in 2018) and class 1 from 2019-01-01 (18 CNY/h).
    ds = dataset(
        workers=[("W1", "platform_managed", "梁平县")],
        orders=[
            ("o1", "W1", "2018-12-31 10:00", "2018-12-31 14:00", 50),  # 4 × 14 = 56
            ("o2", "W1", "2019-01-02 10:00", "2019-01-02 14:00", 50),  # 4 × 18 = 72
        ],
    )
    days = (
        context(ds).daily.collect().sort("date").select("date", "area_class", "min_wage_fen").rows()
    )
    assert days == [(date(2018, 12, 31), 2, 1400), (date(2019, 1, 2), 1, 1800)]
    # MW001 was not yet in force for platform-managed workers (from 2021-10-29): no finding.
    assert _mw(ds, Settings(period="week")) == []
