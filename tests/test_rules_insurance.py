"""IN001 and IN002. Pilot platforms: 美团 and six others from 2022-07-01; 滴滴出行 and three others
from 2025-07-01; every platform of the ride-hailing, instant-delivery and same-city freight
industries from 2026-01-01 (an assumed day, not verified: findings resting on it are warnings).
An empty insurance flag is unknown and never a finding."""

from __future__ import annotations

import json
from datetime import date

from helpers import dataset, findings, workers


def _order(oid: str, worker: str, day: str, platform: str) -> tuple:
    return (oid, worker, f"{day} 10:00", f"{day} 11:00", 20, {"platform": platform})


def test_employee_without_work_injury_insurance():
    roster = workers(
        [
            ("E1", "employee", "渝中区", {"injury_insurance": False}),
            ("E2", "employee", "渝中区", {"injury_insurance": True}),
            ("E3", "employee", "渝中区"),  # unknown
            ("P1", "platform_managed", "渝中区", {"injury_insurance": False}),  # not IN001's
        ]
    )
    orders = [_order(f"o{w}", w, "2025-03-03", "美团") for w in ("E1", "E2", "E3", "P1")]
    orders.append(_order("o5", "E1", "2025-03-05", "美团"))
    [f] = findings(dataset(workers=roster, orders=orders), "IN001")
    assert (f["worker_id"], f["observed"], f["shortfall_fen"]) == ("E1", 2.0, 0)
    # The period is the audited range: by default the whole month of the data.
    assert (f["period_start"], f["period_end"]) == (date(2025, 3, 1), date(2025, 3, 31))
    assert json.loads(f["evidence"]) == {"roster_row": 2}


def test_platform_managed_worker_without_cover_on_a_pilot_platform():
    no = {"occupational_injury": False}
    roster = workers(
        [
            ("P1", "platform_managed", "渝中区", no),
            ("P2", "platform_managed", "渝中区"),  # unknown
            ("P3", "platform_managed", "渝中区", {"occupational_injury": True}),
            ("P4", "platform_managed", "渝中区", no),
            ("P5", "platform_managed", "渝中区", no),
            ("P6", "platform_managed", "渝中区", no),
            ("P7", "platform_managed", "渝中区", no),
            ("E1", "employee", "渝中区", no),  # not IN002's
        ]
    )
    orders = [
        # P1 on 美团 (spelled 美团外卖): in the pilot since 2022 → 2 days, 03-03 to 03-05.
        _order("a1", "P1", "2025-03-03", "美团外卖"),
        _order("a2", "P1", "2025-03-05", "美团"),
        _order("b1", "P2", "2025-03-03", "美团"),
        _order("c1", "P3", "2025-03-03", "美团"),
        # P4 on 滴滴出行: not in the pilot on 2025-06-30, in it from 2025-07-01.
        _order("d1", "P4", "2025-06-30", "滴滴出行"),
        _order("d2", "P4", "2025-07-01", "滴滴"),
        # P5 on T3出行, a ride-hailing platform never named in a wave: in the pilot only from
        # the 2026 extension, whose day is not verified → a warning.
        _order("e1", "P5", "2025-12-31", "T3出行"),
        _order("e2", "P5", "2026-01-02", "T3"),
        # P6 on a platform of no known industry: never in the pilot.
        _order("g1", "P6", "2026-01-02", "某同城配送"),
        # P7: 美团 (named 2022, verified) on 1/5 and 花小猪 (extension only) on 1/6, 1/7 → an
        # error for 1/5 and a warning for 1/6–1/7.
        _order("h1", "P7", "2026-01-05", "美团"),
        _order("h2", "P7", "2026-01-06", "花小猪"),
        _order("h3", "P7", "2026-01-07", "花小猪打车"),
        _order("f1", "E1", "2025-03-03", "美团"),
    ]
    found = findings(dataset(workers=roster, orders=orders), "IN002")
    summary = [
        (
            f["worker_id"],
            f["period_start"].isoformat(),
            f["period_end"].isoformat(),
            f["observed"],
            f["severity"],
        )
        for f in found
    ]
    assert summary == [
        ("P1", "2025-03-03", "2025-03-05", 2.0, "error"),
        ("P4", "2025-07-01", "2025-07-01", 1.0, "error"),
        ("P5", "2026-01-02", "2026-01-02", 1.0, "warning"),
        ("P7", "2026-01-05", "2026-01-05", 1.0, "error"),
        ("P7", "2026-01-06", "2026-01-07", 2.0, "warning"),
    ]
    assert json.loads(found[0]["evidence"])["platforms"] == ["美团", "美团外卖"]


def test_orders_without_a_platform_take_the_workers_platform():
    roster = workers(
        [
            (
                "P1",
                "platform_managed",
                "渝中区",
                {"occupational_injury": False, "platform": "饿了么"},
            ),
            ("P2", "platform_managed", "渝中区", {"occupational_injury": False}),
        ]
    )
    orders = [
        ("a1", "P1", "2025-03-03 10:00", "2025-03-03 11:00", 20),  # roster: 饿了么, in the pilot
        ("b1", "P2", "2025-03-03 10:00", "2025-03-03 11:00", 20),  # no platform known at all
    ]
    [f] = findings(dataset(workers=roster, orders=orders), "IN002")
    assert f["worker_id"] == "P1" and json.loads(f["evidence"])["platforms"] == ["饿了么"]
