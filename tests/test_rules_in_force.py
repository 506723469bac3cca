"""Rules apply only while their legal basis is in force for the worker's category: platform-
managed workers' rules from 2021-10-29 (渝人社发〔2021〕38号), employees' from the law each rests
on (a deposit barred by 劳动合同法 art. 9 from 2008-01-01). A period reaching back before that
day is audited from it and its finding starts on it; nothing comes from the days before."""

from __future__ import annotations

from datetime import date

from helpers import dataset, findings, workers

ROSTER = workers(
    [
        ("E1", "employee", "渝中区"),
        ("P1", "platform_managed", "渝中区"),
        ("P2", "platform_managed", "渝中区"),
    ]
)


def _payout(worker: str, start: str, end: str) -> dict:
    return {
        "payout_id": f"{worker}-{start}",
        "worker_id": worker,
        "period_start": start,
        "period_end": end,
        "gross": 3000,
        "deposit": 300,
        "paid_at": f"{end} 12:00",
    }


def test_a_deposit_counts_from_the_day_the_rule_applies_to_the_category():
    """PY004, a 300.00 deposit in each payout:
    E1 (employee, since 2008) October 2021 → the whole period, 300.00;
    P1 (platform-managed) October 2021 reaches 10-29 → a finding from 2021-10-29, 300.00;
    P2 September 2021, over before 10-29 → none."""
    payouts = [
        _payout("E1", "2021-10-01", "2021-10-31"),
        _payout("P1", "2021-10-01", "2021-10-31"),
        _payout("P2", "2021-09-01", "2021-09-30"),
    ]
    found = findings(dataset(workers=ROSTER, payouts=payouts), "PY004")
    assert [
        (f["worker_id"], f["period_start"], f["period_end"], f["shortfall_fen"]) for f in found
    ] == [
        ("E1", date(2021, 10, 1), date(2021, 10, 31), 30000),
        ("P1", date(2021, 10, 29), date(2021, 10, 31), 30000),
    ]


def test_mw001_month_is_audited_from_the_day_the_rule_applies():
    """18 CNY/h (class 1, 2019–2022-03). P1 in October 2021: 10-28 2 h for 0.00 (before: not
    looked at) and 10-29 2 h for 30.00 → required 2 × 18 = 36.00, shortfall 6.00, 1 day, from
    2021-10-29 to 2021-10-31 (the month clipped to the day the rule applies)."""
    orders = [
        ("o1", "P1", "2021-10-28 10:00", "2021-10-28 12:00", 0),
        ("o2", "P1", "2021-10-29 10:00", "2021-10-29 12:00", 30),
    ]
    [f] = findings(dataset(workers=ROSTER, orders=orders), "MW001")
    assert (f["worker_id"], f["period_start"], f["period_end"]) == (
        "P1",
        date(2021, 10, 29),
        date(2021, 10, 31),
    )
    assert f["shortfall_fen"] == 600 and f["observed"] == 15.0 and f["threshold"] == 18.0


def test_an_order_crossing_into_the_first_day_counts_its_share_on_it():
    """10-28 23:00 → 10-29 01:00 for 10.00: 10-29 gets 1 h and 5.00 (1 h × 18 = 18 − 5 =
    13.00); the hour and 5.00 of 10-28 are before the rule applies."""
    orders = [("o1", "P1", "2021-10-28 23:00", "2021-10-29 01:00", 10)]
    [f] = findings(dataset(workers=ROSTER, orders=orders), "MW001")
    assert (f["period_start"], f["shortfall_fen"]) == (date(2021, 10, 29), 1300)
