"""FT001 (continuous order time > 4 h) and FT002 (daily working time > 8 h), by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from helpers import dataset, findings
from payaudit.config import Settings


def _ft(rule, orders, roster=(), settings=None):
    ds = dataset(orders=orders, workers=list(roster)) if roster else dataset(orders=orders)
    return findings(ds, rule, settings)


def test_exactly_four_hours_is_within_the_limit():
    # 09:00–11:00, gap 19 min, 11:19–13:00: one stretch of exactly 4 h.
    orders = [
        ("o1", "W1", "2025-01-06 09:00", "2025-01-06 11:00", 50),
        ("o2", "W1", "2025-01-06 11:19", "2025-01-06 13:00", 50),
    ]
    assert _ft("FT001", orders) == []


def test_four_hours_and_one_minute_is_a_warning():
    orders = [
        ("o1", "W1", "2025-01-06 09:00", "2025-01-06 11:00", 50),
        ("o2", "W1", "2025-01-06 11:19", "2025-01-06 13:01", 50),
    ]
    [f] = _ft("FT001", orders)
    # 4 h 1 min = 4.0167 h → 4.02.
    assert f["severity"] == "warning" and f["shortfall_fen"] == 0
    assert f["observed"] == 4.02 and f["threshold"] == 4.0 and f["unit"] == "h"
    evidence = json.loads(f["evidence"])
    assert evidence["order_ids"] == ["o1", "o2"]
    assert evidence["start"].startswith("2025-01-06 09:00")


def test_a_20_minute_gap_breaks_the_stretch():
    # 09:00–11:00, gap 20 min, 11:20–13:30: 2 h and 2 h 10 min, no stretch over 4 h.
    orders = [
        ("o1", "W1", "2025-01-06 09:00", "2025-01-06 11:00", 50),
        ("o2", "W1", "2025-01-06 11:20", "2025-01-06 13:30", 50),
    ]
    assert _ft("FT001", orders) == []
    # The same with a 19-minute gap: 09:00–13:29 = 4.48 h.
    orders[1] = ("o2", "W1", "2025-01-06 11:19", "2025-01-06 13:29", 50)
    assert [f["observed"] for f in _ft("FT001", orders)] == [4.48]


def test_stretch_across_midnight_belongs_to_its_first_day():
    orders = [
        ("o1", "W1", "2025-01-06 21:00", "2025-01-06 23:50", 50),
        ("o2", "W1", "2025-01-07 00:00", "2025-01-07 01:30", 50),
    ]
    # 21:00–01:30 = 4.5 h, dated 2025-01-06.
    [f] = _ft("FT001", orders)
    assert f["period_start"].isoformat() == "2025-01-06" and f["observed"] == 4.5


def test_a_stretch_starting_before_the_range_is_not_the_ranges():
    """o1 2025-01-06 21:00 → 01-07 00:10 and o2 00:15 → 04:30 (gap 5 min): one stretch of
    7.5 h that belongs to 01-06. With --from 2025-01-07 nothing is reported: o2 alone
    (4.25 h) is no stretch of 01-07."""
    orders = [
        ("o1", "W1", "2025-01-06 21:00", "2025-01-07 00:10", 50),
        ("o2", "W1", "2025-01-07 00:15", "2025-01-07 04:30", 50),
    ]
    ds = dataset(orders=orders)
    to = date(2025, 1, 31)
    assert findings(ds, "FT001", date_from=date(2025, 1, 7), date_to=to) == []
    [f] = findings(ds, "FT001", date_from=date(2025, 1, 6), date_to=to)
    assert f["period_start"] == date(2025, 1, 6) and f["observed"] == 7.5


def test_two_long_stretches_in_a_day_are_one_finding():
    """06:00–11:00 (5 h), a 30-min break, 11:30–16:00 (4.5 h): two stretches over 4 h on
    2025-03-03, one finding (one id) observing the longer, listing both."""
    orders = [
        ("o1", "W1", "2025-03-03 06:00", "2025-03-03 11:00", 50),
        ("o2", "W1", "2025-03-03 11:30", "2025-03-03 16:00", 50),
    ]
    [f] = _ft("FT001", orders)
    assert (f["period_start"].isoformat(), f["observed"]) == ("2025-03-03", 5.0)
    found = json.loads(f["evidence"])
    assert (found["start"], found["end"], found["order_ids"]) == (
        "2025-03-03 06:00:00",
        "2025-03-03 11:00:00",
        ["o1"],
    )
    assert found["stretches"] == ["06:00–11:00 (5.0 h)", "11:30–16:00 (4.5 h)"]


def test_ft001_covers_employees_and_not_independents():
    long = ("2025-01-06 08:00", "2025-01-06 13:00", 100)  # 5 h
    orders = [("o1", "E1", *long), ("o2", "I1", *long)]
    roster = [("E1", "employee", "渝中区"), ("I1", "independent", "渝中区")]
    assert [f["worker_id"] for f in _ft("FT001", orders, roster)] == ["E1"]
    assert _ft("FT002", orders, roster) == []


DAY = [
    ("o1", "W1", "2025-01-06 08:00", "2025-01-06 12:00", 100),  # 4 h
    ("o2", "W1", "2025-01-06 12:30", "2025-01-06 16:30", 100),  # 4 h after a 30-min break
]


def test_eight_hours_is_within_the_daily_limit():
    assert _ft("FT002", DAY) == []
    assert _ft("FT001", DAY) == []


def test_a_day_over_eight_hours():
    orders = [*DAY, ("o3", "W1", "2025-01-06 17:00", "2025-01-06 18:00", 30)]
    # 4 + 4 + 1 = 9 h > 8 h.
    [f] = _ft("FT002", orders)
    assert f["observed"] == 9.0 and f["threshold"] == 8.0 and f["severity"] == "warning"
    assert json.loads(f["evidence"])["order_ids"] == ["o1", "o2", "o3"]


def test_daily_time_is_split_at_midnight():
    # 20:00–04:00 = 4 h on each day: no day over 8 h (but one 8 h stretch for FT001).
    orders = [("o1", "W1", "2025-01-06 20:00", "2025-01-07 04:00", 200)]
    assert _ft("FT002", orders) == []
    assert [f["observed"] for f in _ft("FT001", orders)] == [8.0]


def test_allowance_counts_toward_the_daily_limit():
    allowance = Settings(allowance_ratio=Decimal("0.25"))
    # 6 h 24 min × 1.25 = 8 h exactly: within the limit.
    orders = [
        ("o1", "W1", "2025-01-06 08:00", "2025-01-06 11:12", 100),
        ("o2", "W1", "2025-01-06 12:00", "2025-01-06 15:12", 100),
    ]
    assert _ft("FT002", orders, settings=allowance) == []
    # 6 h 25 min × 1.25 = 8.02 h: over.
    orders[1] = ("o2", "W1", "2025-01-06 12:00", "2025-01-06 15:13", 100)
    [f] = _ft("FT002", orders, settings=allowance)
    assert f["observed"] == 8.02


def test_negotiated_limit_from_params():
    # [params] max_continuous_hours = 3: a 3.5 h stretch is over it.
    orders = [("o1", "W1", "2025-01-06 08:00", "2025-01-06 11:30", 100)]
    [f] = _ft("FT001", orders, settings=Settings(params={"max_continuous_hours": 3}))
    assert f["threshold"] == 3.0 and f["observed"] == 3.5
