"""HT001–HT003 with a weather table: ≥ 40 °C no work; 37–40 °C at most 6 h and none in
12:00–15:00; 35–37 °C no overtime for employees. 2025-08-18 … 2025-08-22 are Monday … Friday,
2025-08-23 a Saturday."""

from __future__ import annotations

import json

from helpers import dataset, findings, workers

ROSTER = workers(
    [
        ("P1", "platform_managed", "渝中区"),
        ("P2", "platform_managed", "城口县"),
        ("E1", "employee", "渝中区", {"hours_system": "standard"}),
        ("I1", "independent", "渝中区"),
    ]
)
WEATHER = [
    {"date": "2025-08-18", "max_temp_c": 41.0},  # city-wide
    {"date": "2025-08-19", "max_temp_c": 40.0},
    {"date": "2025-08-20", "max_temp_c": 38.0},
    {"date": "2025-08-20", "district": "城口县", "max_temp_c": 33.0},  # the county is cooler
    {"date": "2025-08-21", "max_temp_c": 37.0},
    {"date": "2025-08-22", "max_temp_c": 36.0},
    {"date": "2025-08-23", "district": "渝中", "max_temp_c": 35.0},
]


def _work(worker: str, day: str, start: str, end: str) -> tuple:
    return (f"{worker}-{day}-{start}", worker, f"{day} {start}", f"{day} {end}", 50)


def _found(rule: str, orders: list) -> list[tuple]:
    ds = dataset(workers=ROSTER, orders=orders, weather=WEATHER)
    return [
        (f["worker_id"], f["period_start"].isoformat(), f["observed"]) for f in findings(ds, rule)
    ]


def test_work_at_40_degrees_or_more():
    orders = [
        _work("P1", "2025-08-18", "08:00", "09:00"),  # 41 °C
        _work("E1", "2025-08-19", "08:00", "08:30"),  # exactly 40 °C
        _work("I1", "2025-08-18", "08:00", "09:00"),  # independent: out of scope
        _work("P1", "2025-08-17", "08:00", "09:00"),  # no weather that day
    ]
    assert _found("HT001", orders) == [("E1", "2025-08-19", 40.0), ("P1", "2025-08-18", 41.0)]
    ds = dataset(workers=ROSTER, orders=orders[:1], weather=WEATHER)
    [f] = findings(ds, "HT001")
    assert (f["threshold"], f["unit"], f["shortfall_fen"]) == (40.0, "°C", 0)
    assert json.loads(f["evidence"]) == {"hours": 1.0, "order_ids": ["P1-2025-08-18-08:00"]}


def test_37_to_40_degrees_over_6_hours_or_at_midday():
    orders = [
        _work("P1", "2025-08-20", "06:00", "12:00"),  # 38 °C: exactly 6 h, ends at 12:00
        _work("E1", "2025-08-20", "14:30", "15:30"),  # 38 °C: 30 minutes in 12:00–15:00
        _work("P1", "2025-08-21", "15:00", "22:00"),  # exactly 37 °C: 7 h > 6
        _work("P2", "2025-08-20", "09:00", "17:00"),  # 城口县 33 °C: the district row wins
        _work("P1", "2025-08-22", "12:00", "20:00"),  # 36 °C: below the band
    ]
    assert _found("HT002", orders) == [("E1", "2025-08-20", 38.0), ("P1", "2025-08-21", 37.0)]
    ds = dataset(workers=ROSTER, orders=orders[1:2], weather=WEATHER)
    evidence = json.loads(findings(ds, "HT002")[0]["evidence"])
    assert evidence["midday_minutes"] == 30.0 and evidence["hours"] == 1.0


def test_employee_overtime_at_35_to_37_degrees():
    orders = [
        _work("E1", "2025-08-22", "08:00", "18:00"),  # 36 °C working day, 10 h: 2 h overtime
        _work("E1", "2025-08-23", "09:00", "11:00"),  # 35 °C (渝中区 row) Saturday: all overtime
        _work("P1", "2025-08-22", "08:00", "18:00"),  # platform-managed: not HT003's
    ]
    assert _found("HT003", orders) == [("E1", "2025-08-22", 36.0), ("E1", "2025-08-23", 35.0)]
    ds = dataset(workers=ROSTER, orders=orders[:1], weather=WEATHER)
    assert json.loads(findings(ds, "HT003")[0]["evidence"])["overtime_hours"] == 2.0
    # Exactly 8 h on a 36 °C working day is no overtime.
    assert _found("HT003", [_work("E1", "2025-08-22", "08:00", "16:00")]) == []


def test_a_forecast_for_the_whole_city_by_name_is_city_wide(tmp_path):
    """A weather row naming 重庆市 (or 全市) is the city-wide forecast: 41 °C on 2025-08-25
    is an HT001 for P1 in 渝中区, and the name is no unknown district (no D007)."""
    from payaudit.config import Settings
    from payaudit.io import load_dataset

    (tmp_path / "orders.csv").write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\n"
        "o1,P1,2025-08-25 08:00,2025-08-25 09:00,50\no2,P1,2025-08-26 08:00,2025-08-26 09:00,50\n",
        encoding="utf-8",
    )
    (tmp_path / "weather.csv").write_text(
        "date,district,max_temp_c\n2025-08-25,重庆市,41\n2025-08-26,全市,40\n", encoding="utf-8"
    )
    ds = load_dataset([tmp_path], {}, Settings(district="渝中区"))
    assert ds.issues.filter(table="weather").height == 0
    days = [(f["period_start"].isoformat(), f["observed"]) for f in findings(ds, "HT001")]
    assert days == [("2025-08-25", 41.0), ("2025-08-26", 40.0)]
