"""HP001 against amounts worked out by hand. Calendar: 2025-01-28 (除夕) is
statutory from 2025; 2025-01-26 is a 补班 working day; 2025-02-03 a bridging rest day;
2024-02-09 (除夕 2024) an ordinary working day; 2024-02-10 (初一) statutory."""

from __future__ import annotations

import json
from decimal import Decimal

from helpers import dataset, findings, workers
from payaudit.config import Settings

ROSTER = workers([("W1", "platform_managed", "渝中区")])
JANUARY_2025 = [
    ("o1", "W1", "2025-01-06 10:00", "2025-01-06 14:00", 100),  # working day: 4 h, 100
    ("o2", "W1", "2025-01-26 10:00", "2025-01-26 12:00", 50),  # 补班 day: 2 h, 50
    ("o3", "W1", "2025-01-25 10:00", "2025-01-25 12:00", 10),  # Saturday: not in the baseline
]


def _hp(orders, settings=None):
    ds = dataset(workers=ROSTER, orders=orders)
    return findings(ds, "HP001", settings)


def test_statutory_day_paid_below_the_months_working_day_rate():
    # Baseline (100 + 50) / (4 + 2) h = 25 CNY/h. 除夕 2025-01-28: 80 for 4 h = 20 CNY/h.
    # Shortfall (25 − 20) × 4 = 20.00.
    [f] = _hp([*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 80)])
    assert f["shortfall_fen"] == 2000 and f["severity"] == "error"
    assert f["observed"] == 20.0 and f["threshold"] == 25.0 and f["unit"] == "CNY/h"
    assert f["period_start"] == f["period_end"]
    assert f["period_start"].isoformat() == "2025-01-28"
    evidence = json.loads(f["evidence"])
    assert evidence["order_ids"] == ["o4"] and evidence["holiday"] == "春节"


def test_equal_pay_is_a_finding_with_no_money_owed():
    # 100 for 4 h = 25 CNY/h, not higher than 25: a finding, (25 − 25) × 4 = 0.
    [f] = _hp([*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 100)])
    assert f["shortfall_fen"] == 0 and f["severity"] == "error"


def test_higher_pay_is_no_finding():
    assert _hp([*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 101)]) == []


def test_bridging_rest_day_and_adjusted_working_day_are_not_statutory():
    # 2025-02-03 is a rest day of the break: low pay there is no HP001 finding. The 补班 day
    # 2025-01-26 counts in the baseline (above), never as a holiday.
    orders = [*JANUARY_2025, ("o5", "W1", "2025-02-03 10:00", "2025-02-03 14:00", 20)]
    assert _hp(orders) == []


def test_chuxi_2024_is_an_ordinary_working_day():
    orders = [
        ("o1", "W1", "2024-02-05 10:00", "2024-02-05 14:00", 100),  # working day
        ("o2", "W1", "2024-02-09 10:00", "2024-02-09 14:00", 80),  # 除夕 2024: working day
        ("o3", "W1", "2024-02-10 10:00", "2024-02-10 14:00", 80),  # 初一: statutory
    ]
    # Baseline (100 + 80) / 8 h = 22.5 CNY/h; 初一 80 / 4 = 20 → (22.5 − 20) × 4 = 10.00.
    [f] = _hp(orders)
    assert f["period_start"].isoformat() == "2024-02-10" and f["shortfall_fen"] == 1000
    assert f["threshold"] == 22.5


def test_no_working_day_in_the_month_is_a_warning_without_money():
    [f] = _hp([("o1", "W1", "2025-10-01 10:00", "2025-10-01 14:00", 40)])
    assert f["severity"] == "warning" and f["shortfall_fen"] == 0
    assert f["threshold"] is None and f["observed"] == 10.0


def test_allowance_cancels_out_of_the_shortfall():
    # Both rates scale by 1.5: baseline 25/1.5, holiday 20/1.5 per hour over 4 × 1.5 h:
    # (25 − 20)/1.5 × 6 = 20.00 again.
    orders = [*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 80)]
    [f] = _hp(orders, Settings(allowance_ratio=Decimal("0.5")))
    assert f["shortfall_fen"] == 2000


def test_ratio_override_and_rounding():
    # holiday_min_ratio 1.5: threshold 37.5 CNY/h; 37.5 × 4 − 80 = 70.00.
    orders = [*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 80)]
    [f] = _hp(orders, Settings(params={"holiday_min_ratio": 1.5}))
    assert f["shortfall_fen"] == 7000 and f["threshold"] == 37.5
    # Baseline 100 / 3 h = 33.333… CNY/h; holiday 1 h paid 30 → 3.333… → 3.33.
    orders = [
        ("o1", "W1", "2025-01-06 10:00", "2025-01-06 13:00", 100),
        ("o2", "W1", "2025-01-28 10:00", "2025-01-28 11:00", 30),
    ]
    [f] = _hp(orders)
    assert f["shortfall_fen"] == 333


def test_messages_with_and_without_a_baseline():
    [f] = _hp([*JANUARY_2025, ("o4", "W1", "2025-01-28 10:00", "2025-01-28 14:00", 80)])
    assert f["message"] == (
        "On the statutory holiday 2025-01-28 pay was 20.00 CNY per working hour, not above the "
        "month's working-day rate (25.00 CNY/h); 20.00 CNY is owed"
    )
    [f] = _hp([("o1", "W1", "2025-10-01 10:00", "2025-10-01 14:00", 40)], Settings(lang="zh"))
    assert f["message"] == (
        "法定节假日2025-10-01每工作小时报酬10.00元，未高于当月工作日报酬（每小时—元），应补发0.00元"
    )
