"""docs/semantics.md working time, each expectation worked out by hand beside it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import context, dataset
from payaudit.config import Settings
from payaudit.engine import worktime


def _intervals(*rows: tuple[str, str, str]) -> pl.LazyFrame:
    return pl.LazyFrame(
        [(w, datetime.fromisoformat(s), datetime.fromisoformat(e)) for w, s, e in rows],
        schema={"worker_id": pl.String, "start": pl.Datetime("us"), "end": pl.Datetime("us")},
        orient="row",
    )


def _days(frame: pl.LazyFrame) -> dict[tuple[str, str], int]:
    rows = frame.collect().iter_rows(named=True)
    return {(r["worker_id"], r["date"].isoformat()): r["seconds"] for r in rows}


def test_overlapping_orders_count_once():
    # 09:00–10:00 and 09:30–10:30 merge into 09:00–10:30 = 5400 s, not 7200 s;
    # 10:30–11:00 touches the merged end and joins it: 09:00–11:00 = 7200 s.
    frame = _intervals(
        ("W1", "2025-01-06 09:00", "2025-01-06 10:00"),
        ("W1", "2025-01-06 09:30", "2025-01-06 10:30"),
        ("W1", "2025-01-06 10:30", "2025-01-06 11:00"),
        ("W2", "2025-01-06 09:30", "2025-01-06 10:30"),  # another worker: not merged with W1
    )
    assert _days(worktime.daily_seconds(worktime.merge_intervals(frame))) == {
        ("W1", "2025-01-06"): 7200,
        ("W2", "2025-01-06"): 3600,
    }


def test_an_order_inside_another_does_not_end_the_merge():
    # 09:00–12:00 contains 09:30–10:00; 11:00–12:30 overlaps the first: all one, 3.5 h.
    frame = _intervals(
        ("W1", "2025-01-06 09:00", "2025-01-06 12:00"),
        ("W1", "2025-01-06 09:30", "2025-01-06 10:00"),
        ("W1", "2025-01-06 11:00", "2025-01-06 12:30"),
    )
    merged = worktime.merge_intervals(frame).collect()
    assert merged.height == 1
    assert _days(worktime.daily_seconds(worktime.merge_intervals(frame))) == {
        ("W1", "2025-01-06"): 12600
    }


def test_interval_crossing_midnight_is_split():
    # 23:00–01:30: 1 h on the 6th, 1.5 h on the 7th.
    frame = _intervals(("W1", "2025-01-06 23:00", "2025-01-07 01:30"))
    assert _days(worktime.daily_seconds(worktime.merge_intervals(frame))) == {
        ("W1", "2025-01-06"): 3600,
        ("W1", "2025-01-07"): 5400,
    }


def test_interval_spanning_several_days():
    # 22:00 on the 6th to 02:00 on the 8th: 2 h, 24 h, 2 h.
    frame = _intervals(("W1", "2025-01-06 22:00", "2025-01-08 02:00"))
    assert _days(worktime.daily_seconds(worktime.merge_intervals(frame))) == {
        ("W1", "2025-01-06"): 7200,
        ("W1", "2025-01-07"): 86400,
        ("W1", "2025-01-08"): 7200,
    }


def test_interval_ending_at_midnight_stays_on_its_day():
    frame = _intervals(("W1", "2025-01-06 23:00", "2025-01-07 00:00"))
    assert _days(worktime.daily_seconds(worktime.merge_intervals(frame))) == {
        ("W1", "2025-01-06"): 3600
    }


def test_allowance_factor_is_exact():
    assert worktime.allowance_factor(Decimal("0.15")) == Fraction(23, 20)
    assert worktime.allowance_factor(Decimal(0)) == 1


def _stretches(*orders: tuple[str, str]) -> list[tuple[str, int, list[str]]]:
    frame = pl.LazyFrame(
        {
            "worker_id": ["W1"] * len(orders),
            "order_id": [f"o{n}" for n in range(1, len(orders) + 1)],
            "accepted_at": [datetime.fromisoformat(s) for s, _ in orders],
            "completed_at": [datetime.fromisoformat(e) for _, e in orders],
        }
    )
    found, members = worktime.stretches(frame, pl.lit(20 * 60))
    members = members.collect().to_series()
    out = worktime.stretch_orders(found, members, frame.collect()).sort("start").collect()
    return [
        (r["date"].isoformat(), r["seconds"], r["order_ids"]) for r in out.iter_rows(named=True)
    ]


def test_gap_of_19_minutes_joins_the_stretch():
    # 09:00–11:00, gap 19 min, 11:19–13:00: one stretch 09:00–13:00 = 4 h = 14400 s.
    assert _stretches(
        ("2025-01-06 09:00", "2025-01-06 11:00"), ("2025-01-06 11:19", "2025-01-06 13:00")
    ) == [("2025-01-06", 14400, ["o1", "o2"])]


def test_gap_of_20_minutes_is_a_break():
    # 09:00–11:00, gap 20 min, 11:20–13:30: two stretches, 2 h and 2 h 10 min.
    assert _stretches(
        ("2025-01-06 09:00", "2025-01-06 11:00"), ("2025-01-06 11:20", "2025-01-06 13:30")
    ) == [
        ("2025-01-06", 7200, ["o1"]),
        ("2025-01-06", 7800, ["o2"]),
    ]


def test_gap_is_measured_from_the_latest_end():
    # o2 ends before o1; the gap to o3 is 12:10 − 12:00 = 10 min, not 12:10 − 10:00.
    assert _stretches(
        ("2025-01-06 09:00", "2025-01-06 12:00"),
        ("2025-01-06 09:30", "2025-01-06 10:00"),
        ("2025-01-06 12:10", "2025-01-06 13:00"),
    ) == [("2025-01-06", 14400, ["o1", "o2", "o3"])]


def test_stretch_belongs_to_the_day_it_starts():
    # 22:00–23:50, gap 10 min, 00:00–02:30: one stretch of 4.5 h dated the 6th.
    assert _stretches(
        ("2025-01-06 22:00", "2025-01-06 23:50"), ("2025-01-07 00:00", "2025-01-07 02:30")
    ) == [("2025-01-06", 16200, ["o1", "o2"])]


def test_stretch_orders_are_read_by_position_from_any_row_order():
    # Rows shuffled across two workers: each stretch lists its own worker's orders, a tie on
    # accepted_at by order id; W2's second order, after a 30-minute gap, is a stretch alone.
    rows = [
        ("b2", "W1", "2025-01-06 09:10", "2025-01-06 09:40"),
        ("x1", "W2", "2025-01-06 09:00", "2025-01-06 09:30"),
        ("a3", "W1", "2025-01-06 09:50", "2025-01-06 10:00"),
        ("x2", "W2", "2025-01-06 10:00", "2025-01-06 10:20"),
        ("a1", "W1", "2025-01-06 09:10", "2025-01-06 09:20"),
        ("c0", "W1", "2025-01-06 09:00", "2025-01-06 09:15"),
    ]
    frame = pl.LazyFrame(
        [(o, w, datetime.fromisoformat(s), datetime.fromisoformat(e)) for o, w, s, e in rows],
        schema=["order_id", "worker_id", "accepted_at", "completed_at"],
        orient="row",
    )
    found, members = worktime.stretches(frame, pl.lit(20 * 60))
    out = worktime.stretch_orders(found, members.collect().to_series(), frame.collect())
    got = out.sort("worker_id", "start").select("worker_id", "seconds", "order_ids")
    assert got.collect().rows() == [
        ("W1", 3600, ["c0", "a1", "b2", "a3"]),
        ("W2", 1800, ["x1"]),
        ("W2", 1200, ["x2"]),
    ]


ORDERS = [
    ("o1", "W1", "2025-01-06 10:00", "2025-01-06 12:00", 40),
    ("o2", "W1", "2025-01-06 14:00", "2025-01-06 14:00", 5),  # zero length: pay, no time
]
SHIFTS = [
    ("W1", "2025-01-06 09:00", "2025-01-06 11:00", "required"),  # overlaps o1: 09:00–12:00
    ("W1", "2025-01-06 15:00", "2025-01-06 16:00", "online"),
]


def _daily(settings: Settings) -> dict:
    ctx = context(dataset(orders=ORDERS, shifts=SHIFTS), settings)
    return ctx.with_order_ids(ctx.daily).collect().row(0, named=True)


def test_required_shifts_count_and_online_shifts_do_not_on_the_orders_basis():
    day = _daily(Settings())
    # 09:00–12:00 (shift ∪ o1) = 3 h; the online hour does not count.
    assert day["seconds"] == 3 * 3600 and day["hours"] == 3.0
    # The zero-length order adds no time but its pay and count belong to the day.
    assert day["pay_fen"] == 4500 and day["orders"] == 2 and day["order_ids"] == ["o1", "o2"]
    assert day["day_type"] == "working_day" and day["min_wage_fen"] == 2300


def test_online_basis_counts_every_shift():
    # 09:00–12:00 plus 15:00–16:00 = 4 h.
    assert _daily(Settings(basis="online"))["seconds"] == 4 * 3600


def test_allowance_ratio_scales_working_hours():
    # 3 h × (1 + 0.25) = 3.75 h; seconds stay the merged 10800.
    day = _daily(Settings(allowance_ratio=Decimal("0.25")))
    assert day["seconds"] == 10800 and day["hours"] == 3.75


def test_time_after_the_audit_range_is_not_counted():
    # 23:00–01:00 accepted on the last day: only its first hour is inside the range.
    ds = dataset(orders=[("o1", "W1", "2025-01-31 23:00", "2025-02-01 01:00", 30)])
    ctx = context(ds, date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
    rows = ctx.daily.collect()
    assert rows.select("date", "seconds").rows() == [(date(2025, 1, 31), 3600)]


@given(st.lists(st.tuples(st.integers(0, 3 * 1440), st.integers(0, 600)), min_size=1, max_size=12))
@settings(max_examples=60, deadline=None)
def test_merged_time_per_day_is_the_union_of_minutes(spans):
    # Brute force: the set of minutes covered, counted per day, must equal the merged seconds.
    base = datetime(2025, 1, 6)
    rows = [
        ("W1", str(base + timedelta(minutes=s)), str(base + timedelta(minutes=s + n)))
        for s, n in spans
    ]
    covered = {m for s, n in spans for m in range(s, s + n)}
    expected: dict[tuple[str, str], int] = {}
    for m in covered:
        day = (base + timedelta(minutes=m)).date().isoformat()
        expected[("W1", day)] = expected.get(("W1", day), 0) + 60
    merged = worktime.merge_intervals(_intervals(*rows))
    assert _days(worktime.daily_seconds(merged)) == expected


def _brute_runs(rows, joins) -> set[tuple[str, int, int]]:
    """Runs found one interval at a time: sorted by start, a row joins the run before it when
    `joins(start, latest end so far)`."""
    runs: list[list] = []
    for w, s, e in sorted(rows):
        if runs and runs[-1][0] == w and joins(s, runs[-1][2]):
            runs[-1][2] = max(runs[-1][2], e)
        else:
            runs.append([w, s, e])
    return {tuple(r) for r in runs}


_SPANS = st.lists(
    st.tuples(st.sampled_from(["W1", "W2", "W3"]), st.integers(0, 2 * 1440), st.integers(0, 300)),
    min_size=1,
    max_size=20,
)


@given(_SPANS, st.booleans())
@settings(max_examples=80, deadline=None)
def test_runs_of_several_workers_match_a_brute_force(spans, one_key):
    """Merged intervals and stretches of interleaved workers equal those found one row at a time,
    both with the single sort key and with the per-worker fallback used when it would not fit."""
    base = datetime(2025, 1, 6)
    at = [(w, base + timedelta(minutes=s), base + timedelta(minutes=s + n)) for w, s, n in spans]
    key_bits = worktime._KEY_BITS
    worktime._KEY_BITS = key_bits if one_key else 1  # 1 bit: nothing fits, so the fallback runs
    try:
        frame = pl.LazyFrame(at, schema=["worker_id", "start", "end"], orient="row")
        merged = set(worktime.merge_intervals(frame).collect().rows())
        orders = frame.rename({"start": "accepted_at", "end": "completed_at"})
        found = worktime.stretches(orders, pl.lit(20 * 60))[0].collect()
    finally:
        worktime._KEY_BITS = key_bits
    assert merged == _brute_runs([r for r in at if r[2] > r[1]], lambda s, reach: s <= reach)
    brk = timedelta(minutes=20)
    expected = _brute_runs(at, lambda s, reach: s - reach < brk)
    assert set(found.select("worker_id", "start", "end").rows()) == expected
    assert found.get_column("seconds").to_list() == [
        int((e - s).total_seconds()) for s, e in found.select("start", "end").rows()
    ]


def _money_by_day(*orders: tuple) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """ctx.daily's (pay, allowance, cost, orders accepted) per worker and day, in fen."""
    ctx = context(
        dataset(orders=list(orders)), date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)
    )
    rows = ctx.daily.collect().iter_rows(named=True)
    return {
        (r["worker_id"], r["date"].isoformat()): (
            r["pay_fen"],
            r["allowance_fen"],
            r["cost_fen"],
            r["orders"],
        )
        for r in rows
    }


def test_pay_crossing_midnight_splits_with_its_time():
    """The later day gets its share in fen rounded half-up, the earlier day the rest.
    W1 23:00–01:00 paid 20.00: 1 h of 2 → 10.00 and 10.00.
    W2 23:30–00:30 paid 0.01: ½ fen → rounded half-up to 1 fen on 3/4, 0 on 3/3.
    W3 22:00–01:00 paid 10.00, allowance 1.00, cost 0.50: 1 h of 3 on 3/4 → 333.33… → 3.33;
       allowance 33.33… → 0.33; cost 16.66… → 0.17; 3/3 the rest: 6.67, 0.67, 0.33.
    W4 22:30–00:00 paid 5.00 ends at midnight: all on 3/3."""
    got = _money_by_day(
        ("o1", "W1", "2025-03-03 23:00", "2025-03-04 01:00", "20.00"),
        ("o2", "W2", "2025-03-03 23:30", "2025-03-04 00:30", "0.01"),
        (
            "o3",
            "W3",
            "2025-03-03 22:00",
            "2025-03-04 01:00",
            "10.00",
            {"allowance": "1.00", "cost": "0.50"},
        ),
        ("o4", "W4", "2025-03-03 22:30", "2025-03-04 00:00", "5.00"),
    )
    assert got == {
        ("W1", "2025-03-03"): (1000, 0, 0, 1),
        ("W1", "2025-03-04"): (1000, 0, 0, 0),
        ("W2", "2025-03-03"): (0, 0, 0, 1),
        ("W2", "2025-03-04"): (1, 0, 0, 0),
        ("W3", "2025-03-03"): (667, 67, 33, 1),
        ("W3", "2025-03-04"): (333, 33, 17, 0),
        ("W4", "2025-03-03"): (500, 0, 0, 1),
    }


def test_pay_over_several_days_adds_up_exactly():
    """22:00 on 3/3 to 02:00 on 3/5 (28 h) paid 10.00: 3/4 gets 24/28 → 857.14… → 8.57, 3/5
    2/28 → 71.43… → 0.71, 3/3 the rest 0.72; the shares add up to 10.00."""
    got = _money_by_day(("o1", "W1", "2025-03-03 22:00", "2025-03-05 02:00", "10.00"))
    assert {day: pay for (_, day), (pay, *_) in got.items()} == {
        "2025-03-03": 72,
        "2025-03-04": 857,
        "2025-03-05": 71,
    }


@given(st.integers(0, 10**7), st.integers(1, 1439), st.integers(1, 1440))
@settings(max_examples=60, deadline=None)
def test_split_pay_adds_up_and_follows_the_time(pay, start_minute, minutes):
    """Any order: the days' shares add up to the pay, and the later day's is its share of the
    time rounded half-up (brute force with exact fractions)."""
    start = datetime(2025, 3, 3) + timedelta(minutes=start_minute)
    end = start + timedelta(minutes=minutes)
    orders = pl.LazyFrame(
        {"worker_id": ["W"], "date": [start.date()], "accepted_at": [start], "completed_at": [end]}
    ).with_columns(pl.lit(pay, pl.Int64).alias("pay"))
    shares = worktime.split_money(orders, ("pay",)).collect()
    assert shares["pay"].sum() == pay
    later = max(0, minutes - (1440 - start_minute))
    if later:
        exact = Fraction(pay * later, minutes)
        assert shares.filter(pl.col("accepted") == 0)["pay"].item() == int(exact + Fraction(1, 2))
