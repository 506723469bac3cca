"""Acceptance: employees, payouts, insurance and heat, end to end through `payaudit check`.

Independent review. The dataset was built by hand from the product contract and the legal sources of
the rule pack without reading the rule implementation; every expected amount has its arithmetic
beside it. Employees' working time comes from `required` shifts (docs/semantics.md), so FT001
(orders only) stays out of their way unless an employee has orders.

Figures: class 1 monthly minimum 2100 to 2024-12-31, 2330 from 2025-01-01; class 2 2000 → 2200;
21.75 paid days, 174 paid hours a month (劳社部发〔2008〕3号); overtime 150/200/300 %
(劳动法 art. 44); ≤ 3 h/day, ≤ 36 h/month (art. 41); deductions ≤ 20 % and the rest ≥ the
minimum (工资支付暂行规定 art. 16). monthly_wage 3480 gives an hourly base of 3480 / 174 = 20.00.
MW002 by attendance, per payout and calendar month: minimum × scheduled days of the month in the
period / scheduled days of the month − minimum / 21.75 × absent days; scheduled = weekdays and
补班 days less statutory holidays and bridging rest days: December 2024 22, January 2025 19
(1/1, 1/28–1/31 off, Sunday 1/26 worked), February 19 (2/3, 2/4 off, Saturday 2/8 worked),
March 21, April 22 (4/4 off, Sunday 4/27 worked), May 19 (5/1, 5/2, 5/5 off). A fine (罚款) is
a PY007 warning with no shortfall.

Workers:
  E1  standard, 3480: March 2025, a 12 h day, a 10 h day, a Saturday. OT001 day, OT002.
  E2  standard, 3480: May 2025, 5/1 and 5/31 (端午 on a Saturday) statutory, 7 days in a week.
  E3  standard, 3480: Feb 2025, 补班 Saturday 2/8, bridging rest day 2/3, exactly 11 h on 2/10.
  E4  城口县 (class 2): MW002 with absences, overtime pay and allowances excluded, social
      insurance in.
  E5  class 1: MW002 over a payout period 2024-12-16..2025-01-15 spanning the minimum change:
      one finding per month.
  E6  PY002 (a 45-day period), PY006 over 20 %, PY007.
  E7  PY006 leaving pay below the minimum, PY007.
  E8  IN001 (no 工伤保险).
  E9  HT001 / HT002 / HT003 with a weather table.
  E10 an employee with orders: FT001 applies to employees.
  E11 flexible hours (不定时工作制): 13 h a day, 7 days a week → exempt.
  Q1  platform_managed: PY001, PY003 (tips excluded), PY004, PY005.
  Q2  platform_managed: HT001.
  Q3  platform_managed without 职业伤害保障: IN002 on 美团 from March, 滴滴出行 from 2025-07-01.
  Q4  platform_managed without 职业伤害保障 on a platform never in the pilot: nothing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from payaudit.cli import app

runner = CliRunner()


def _days(first: str, last: str, weekdays_only: bool = False) -> list[str]:
    d, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while d <= end:
        if not weekdays_only or d.weekday() < 5:
            out.append(d.isoformat())
        d += timedelta(days=1)
    return out


def _shift(w: str, day: str, start: str, end: str) -> tuple:
    return (w, f"{day} {start}", f"{day} {end}", "required")


SHIFTS: list[tuple] = []
# E1 March 2025: Mon 3/3 08:00–20:00 (12 h), Tue 3/4 08:00–18:00 (10 h), Wed–Fri 8 h,
# Sat 3/8 09:00–13:00 (4 h, rest day).
SHIFTS += [
    _shift("E1", "2025-03-03", "08:00", "20:00"),
    _shift("E1", "2025-03-04", "08:00", "18:00"),
]
SHIFTS += [_shift("E1", d, "09:00", "17:00") for d in ("2025-03-05", "2025-03-06", "2025-03-07")]
SHIFTS += [_shift("E1", "2025-03-08", "09:00", "13:00")]
# E2 May 2025, 8 h a day: 5/1 (statutory), 5/6–5/9, 5/10 (Sat), 5/12–5/18 (all 7 days),
# 5/31 (端午, statutory, a Saturday).
E2_DAYS = [
    "2025-05-01",
    *_days("2025-05-06", "2025-05-10"),
    *_days("2025-05-12", "2025-05-18"),
    "2025-05-31",
]
SHIFTS += [_shift("E2", d, "09:00", "17:00") for d in E2_DAYS]
# E3 Feb 2025: 2/3 (bridging rest day) 4 h, 2/8 (补班 Saturday) 10 h, 2/10 (Mon) 11 h exactly.
SHIFTS += [
    _shift("E3", "2025-02-03", "09:00", "13:00"),
    _shift("E3", "2025-02-08", "09:00", "19:00"),
    _shift("E3", "2025-02-10", "09:00", "20:00"),
]
# E4 Jan 2025: 10 days, 1/6–1/10 and 1/13–1/17, 8 h.
SHIFTS += [_shift("E4", d, "09:00", "17:00") for d in _days("2025-01-06", "2025-01-17", True)]
# E5 10 days in Dec 2024 (12/16–20, 12/23–27), 7 in Jan 2025 (1/2, 1/3, 1/6–1/10).
E5_DAYS = [
    *_days("2024-12-16", "2024-12-27", True),
    "2025-01-02",
    "2025-01-03",
    *_days("2025-01-06", "2025-01-10"),
]
SHIFTS += [_shift("E5", d, "09:00", "17:00") for d in E5_DAYS]
# E6 March 2025: 20 weekdays 3/3–3/28. E7 March 2025: all 21 weekdays 3/3–3/31.
SHIFTS += [_shift("E6", d, "09:00", "17:00") for d in _days("2025-03-03", "2025-03-28", True)]
SHIFTS += [_shift("E7", d, "09:00", "17:00") for d in _days("2025-03-03", "2025-03-31", True)]
# E8 one day.
SHIFTS += [_shift("E8", "2025-03-03", "09:00", "17:00")]
# E9 July 2025 (weather below).
SHIFTS += [
    _shift("E9", "2025-07-15", "09:00", "11:00"),  # 41 °C in 渝中区 → HT001
    _shift("E9", "2025-07-16", "07:00", "11:00"),  # 38 °C, 4 h, no midday → none
    _shift("E9", "2025-07-17", "06:00", "13:00"),  # 38 °C city-wide, 7 h and midday → HT002
    _shift("E9", "2025-07-18", "06:00", "12:00"),  # 38 °C, exactly 6 h, ends at 12:00 → none
    _shift("E9", "2025-07-21", "08:00", "17:30"),  # 36 °C, 9.5 h on a Monday → HT003
    _shift("E9", "2025-07-22", "09:00", "17:00"),  # 36 °C, exactly 8 h → none
]
# E11 flexible: 3/3–3/9 every day 08:00–21:00 (13 h).
SHIFTS += [_shift("E11", d, "08:00", "21:00") for d in _days("2025-03-03", "2025-03-09")]

# (order_id, worker_id, accepted_at, completed_at, pay, district, platform, tip)
ORDERS = [
    ("o01", "E10", "2025-03-12 09:00", "2025-03-12 14:00", "0.00", "渝中区", "美团", ""),
    ("o02", "Q1", "2025-03-03 09:00", "2025-03-03 13:00", "2000.00", "渝中区", "美团", "500.00"),
    ("o03", "Q1", "2025-03-04 09:00", "2025-03-04 13:00", "1100.00", "渝中区", "美团", ""),
    ("o04", "Q2", "2025-07-15 09:00", "2025-07-15 11:00", "100.00", "渝中区", "美团", ""),
    ("o05", "Q3", "2025-03-05 09:00", "2025-03-05 11:00", "100.00", "渝中区", "美团", ""),
    ("o06", "Q3", "2025-03-06 09:00", "2025-03-06 11:00", "100.00", "渝中区", "美团", ""),
    ("o07", "Q3", "2025-06-20 09:00", "2025-06-20 11:00", "100.00", "渝中区", "滴滴出行", ""),
    ("o08", "Q3", "2025-07-02 09:00", "2025-07-02 11:00", "100.00", "渝中区", "滴滴出行", ""),
    ("o09", "Q4", "2025-03-05 09:00", "2025-03-05 11:00", "100.00", "渝中区", "某小平台", ""),
]

# worker_id, category, district, hours_system, part_time, monthly_wage, injury_insurance,
# occupational_injury
ROSTER = [
    ("E1", "employee", "渝中区", "standard", "false", "3480", "true", ""),
    ("E2", "employee", "渝中区", "standard", "false", "3480", "true", ""),
    ("E3", "employee", "渝中区", "standard", "false", "3480", "true", ""),
    ("E4", "employee", "城口县", "standard", "false", "", "true", ""),
    ("E5", "employee", "渝中区", "standard", "false", "", "true", ""),
    ("E6", "employee", "渝中区", "standard", "false", "3000", "true", ""),
    ("E7", "employee", "渝中区", "standard", "false", "2400", "true", ""),
    ("E8", "employee", "渝中区", "standard", "false", "3000", "false", ""),
    ("E9", "employee", "渝中区", "standard", "false", "3480", "true", ""),
    ("E10", "employee", "渝中区", "standard", "false", "", "true", ""),
    ("E11", "employee", "渝中区", "flexible", "false", "3480", "true", ""),
    ("Q1", "platform_managed", "渝中区", "", "", "", "", "true"),
    ("Q2", "platform_managed", "渝中区", "", "", "", "", "true"),
    ("Q3", "platform_managed", "渝中区", "", "", "", "", "false"),
    ("Q4", "platform_managed", "渝中区", "", "", "", "", "false"),
]

PAYOUT_HEADER = [
    "payout_id",
    "worker_id",
    "period_start",
    "period_end",
    "gross",
    "paid_at",
    "due_date",
    "overtime_pay",
    "allowances",
    "deposit",
    "penalty",
    "injury_insurance_fee",
    "equipment",
    "social_insurance",
    "other_deduction",
]
PAYOUTS = [
    # E1 gross 3480 + 300 overtime pay.
    (
        "p01",
        "E1",
        "2025-03-01",
        "2025-03-31",
        "3780.00",
        "2025-04-10",
        "",
        "300.00",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # E2 gross 3480 + 1600 overtime pay.
    (
        "p02",
        "E2",
        "2025-05-01",
        "2025-05-31",
        "5080.00",
        "2025-06-10",
        "",
        "1600.00",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # E3 gross 3480 + 310 overtime pay.
    (
        "p03",
        "E3",
        "2025-02-01",
        "2025-02-28",
        "3790.00",
        "2025-03-10",
        "",
        "310.00",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # E4 gross 1200 incl. 100 overtime pay and 150 allowances; 100 individual social insurance.
    (
        "p04",
        "E4",
        "2025-01-01",
        "2025-01-31",
        "1200.00",
        "2025-02-10",
        "",
        "100.00",
        "150.00",
        "",
        "",
        "",
        "",
        "100.00",
        "",
    ),
    # E5 gross 1500 for 2024-12-16..2025-01-15.
    (
        "p05",
        "E5",
        "2024-12-16",
        "2025-01-15",
        "1500.00",
        "2025-01-31",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # E6 March: penalty 500 + equipment 200 = 700 deducted from 3000.
    (
        "p06",
        "E6",
        "2025-03-01",
        "2025-03-31",
        "3000.00",
        "2025-04-10",
        "",
        "",
        "",
        "",
        "500.00",
        "",
        "200.00",
        "",
        "",
    ),
    # E6 a 45-day period.
    (
        "p07",
        "E6",
        "2025-04-01",
        "2025-05-15",
        "4500.00",
        "2025-05-20",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    # E7 March: gross 2400, penalty 300.
    (
        "p08",
        "E7",
        "2025-03-01",
        "2025-03-31",
        "2400.00",
        "2025-04-10",
        "",
        "",
        "",
        "",
        "300.00",
        "",
        "",
        "",
        "",
    ),
    # Q1 March: due 4/10, paid 4/15; gross 3000; deposit 200; injury fee 30.
    (
        "p09",
        "Q1",
        "2025-03-01",
        "2025-03-31",
        "3000.00",
        "2025-04-15",
        "2025-04-10",
        "",
        "",
        "200.00",
        "",
        "30.00",
        "",
        "",
        "",
    ),
]

WEATHER = [
    ("2025-07-15", "渝中区", "41"),
    ("2025-07-16", "渝中区", "38"),
    ("2025-07-17", "", "38"),  # city-wide
    ("2025-07-17", "城口县", "30"),  # another district: does not apply to 渝中区
    ("2025-07-18", "渝中区", "38"),
    ("2025-07-21", "渝中区", "36"),
    ("2025-07-22", "渝中区", "36"),
]

EXPECTED = {
    # E1 3/3: 12 h > 8 + 3 → OT001 day. OT hours: extended (12 − 8) + (10 − 8) = 6 h; rest day
    # 3/8 4 h. Required 20.00 × (1.5 × 6 + 2 × 4) = 20 × 17 = 340.00 − 300.00 paid = 40.00.
    # Month overtime 10 h ≤ 36. MW002: 5 of 21 scheduled days worked (3/8 is a Saturday) →
    # 2330 − 2330 / 21.75 × 16 = 615.98 ≤ 3780 − 300 = 3480.
    ("OT001", "E1", "2025-03-03", "2025-03-03", 0.0),
    ("OT002", "E1", "2025-03-01", "2025-03-31", 40.00),
    # E2 rest days 5/10, 5/17, 5/18 = 24 h; statutory 5/1, 5/31 = 16 h (5/31 a Saturday: still
    # 300 %). Month overtime 24 + 16 = 40 h > 36 → OT001 month. Required 20 × (2 × 24 + 3 × 16)
    # = 20 × 96 = 1920.00 − 1600.00 = 320.00 (5/31 at 200 % would give 1760 → 160.00).
    # 5/12–5/18 worked every day → RD001. MW002: 9 of 19 scheduled days (5/6–5/9, 5/12–5/16)
    # → 2330 − 2330 / 21.75 × 10 = 1258.74 ≤ 5080 − 1600 = 3480.
    ("OT001", "E2", "2025-05-01", "2025-05-31", 0.0),
    ("OT002", "E2", "2025-05-01", "2025-05-31", 320.00),
    ("RD001", "E2", "2025-05-12", "2025-05-18", 0.0),
    # E3 2/8 补班 = working day: extended 2 h; 2/10 extended 3 h (11 h exactly: no OT001);
    # 2/3 rest 4 h. Required 20 × (1.5 × 5 + 2 × 4) = 310.00 = paid → none. MW002: 2 of 19
    # scheduled days worked (2/8, 2/10) → 2330 − 2330 / 21.75 × 17 = 508.88 ≤ 3480.
    # E4 class 2, January: 10 of 19 scheduled days worked → 9 absent: 2200 − 2200 / 21.75 × 9
    # = 2200 − 910.344… = 1289.655… → 1289.66; eligible 1200 − 100 − 150 = 950.00 (social
    # insurance stays in) → 339.655… → 339.66.
    ("MW002", "E4", "2025-01-01", "2025-01-31", 339.66),
    # E5 December part 12/16–12/31: 12 of 22 scheduled days, 10 worked → 2100 × 12 / 22 −
    # 2100 / 21.75 × 2 = 1145.454… − 193.103… = 952.351…; January part 1/1–1/15: 10 of 19
    # (1/2, 1/3, 1/6–1/10, 1/13–1/15), 7 worked → 2330 × 10 / 19 − 2330 / 21.75 × 3 =
    # 1226.315… − 321.379… = 904.936…. Gross 1500 shared 12 : 10 → 818.181… and 681.818… →
    # 134.169… → 134.17 and 223.118… → 223.12. A month from 12/16 ends 1/15: no PY002.
    ("MW002", "E5", "2024-12-16", "2024-12-31", 134.17),
    ("MW002", "E5", "2025-01-01", "2025-01-15", 223.12),
    # E6 March: 20 of 21 scheduled days worked → minimum 2330 − 2330 / 21.75 = 2222.873… →
    # 2222.87 (no MW002: 3000). Deductions 700 > 20 % × 3000 = 600; minimum limb 3000 −
    # 2222.87 = 777.13 ≥ 600 → excess 700 − 600 = 100.00. The 500 penalty → PY007.
    # 2025-04-01..05-15: a month from 4/1 ends 4/30 → PY002 (45 days > 30). No work recorded
    # in it: full attendance, April 2330 × 22 / 22 and May 2330 × 8 / 19 = 981.05 against
    # 4500 shared 22 : 8 = 3300 and 1200 → no MW002.
    ("PY006", "E6", "2025-03-01", "2025-03-31", 100.00),
    ("PY007", "E6", "2025-03-01", "2025-03-31", 0.0),
    ("PY002", "E6", "2025-04-01", "2025-05-15", 0.0),
    # E7 all 21 scheduled days: minimum 2330; 2400 − 300 = 2100 below it; may deduct
    # 2400 − 2330 = 70 (20 % = 480 is not the binding limb) → excess 300 − 70 = 230.00.
    # MW002: 2400 ≥ 2330 → none. The 300 penalty → PY007.
    ("PY006", "E7", "2025-03-01", "2025-03-31", 230.00),
    ("PY007", "E7", "2025-03-01", "2025-03-31", 0.0),
    # E9 7/15 41 °C → HT001; 7/17 38 °C city-wide, 7 h and 12:00–13:00 → HT002;
    # 7/21 36 °C, 9.5 h on a working day → HT003. 7/16, 7/18, 7/22: none.
    ("HT001", "E9", "2025-07-15", "2025-07-15", 0.0),
    ("HT002", "E9", "2025-07-17", "2025-07-17", 0.0),
    ("HT003", "E9", "2025-07-21", "2025-07-21", 0.0),
    # E10 one 5 h order → FT001 (applies to employees).
    ("FT001", "E10", "2025-03-12", "2025-03-12", 0.0),
    # Q1 paid 4/15, due 4/10 → PY001. Orders 2000 + 1100 = 3100 (tip 500 excluded) − 3000
    # = 100.00. Deposit 200.00. Injury fee 30.00.
    ("PY001", "Q1", "2025-03-01", "2025-03-31", 0.0),
    ("PY003", "Q1", "2025-03-01", "2025-03-31", 100.00),
    ("PY004", "Q1", "2025-03-01", "2025-03-31", 200.00),
    ("PY005", "Q1", "2025-03-01", "2025-03-31", 30.00),
    # Q2 7/15 41 °C → HT001.
    ("HT001", "Q2", "2025-07-15", "2025-07-15", 0.0),
    # Q3 美团 3/5, 3/6 (pilot since 2022-07-01); 滴滴出行 6/20 not yet, 7/2 yes (from 2025-07-01)
    # → first to last such day 2025-03-05..2025-07-02, 3 days.
    ("IN002", "Q3", "2025-03-05", "2025-07-02", 0.0),
}
# E8 IN001: its period is the audited range, checked separately.


def _csv(path: Path, header: list[str], rows: list[tuple], encoding: str = "utf-8") -> None:
    text = "\n".join([",".join(header)] + [",".join(str(v) for v in r) for r in rows]) + "\n"
    path.write_bytes(text.encode(encoding))


def write_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _csv(
        folder / "orders.csv",
        [
            "order_id",
            "worker_id",
            "accepted_at",
            "completed_at",
            "pay",
            "district",
            "platform",
            "tip",
        ],
        ORDERS,
    )
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], SHIFTS)
    _csv(
        folder / "workers.csv",
        [
            "worker_id",
            "category",
            "district",
            "hours_system",
            "part_time",
            "monthly_wage",
            "injury_insurance",
            "occupational_injury",
        ],
        ROSTER,
    )
    _csv(folder / "payouts.csv", PAYOUT_HEADER, PAYOUTS)
    _csv(folder / "weather.csv", ["date", "district", "max_temp_c"], WEATHER)
    return folder


def check(*args: object):
    return runner.invoke(app, ["check", *[str(a) for a in args], "--quiet"])


def report_of(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def findings(report: dict, *, without: tuple[str, ...] = ("IN001",)) -> set[tuple]:
    return {
        (f["rule"], f["worker_id"], f["period_start"], f["period_end"], f["shortfall_cny"])
        for f in report["findings"]
        if f["rule"] not in without
    }


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("employees"))


@pytest.fixture(scope="module")
def report(dataset) -> dict:
    return report_of(check(dataset, "-f", "json"))


def test_findings_exactly(report, dataset):
    # Two runs: the payout rules (MW002, OT002, PY003, PY006) once paired a payout with
    # another worker's days or orders at random (e.g. PY003 E5 1600.00 = Q1's 3100 − E5's 1500).
    for got in (report, report_of(check(dataset, "-f", "json"))):
        assert findings(got) == EXPECTED
        assert got["data_issues"] == []


def test_in001_only_the_uninsured_employee(report):
    in001 = [f for f in report["findings"] if f["rule"] == "IN001"]
    assert [f["worker_id"] for f in in001] == ["E8"]
    # E8 worked 1 day in the data.
    assert in001[0]["observed"] == 1


def test_in001_period_is_the_audited_range(dataset):
    got = report_of(
        check(
            dataset, "-f", "json", "--select", "IN001", "--from", "2025-03-01", "--to", "2025-03-31"
        )
    )
    assert findings(got, without=()) == {("IN001", "E8", "2025-03-01", "2025-03-31", 0.0)}


def test_details(report):
    by = {(f["rule"], f["worker_id"]): f for f in report["findings"]}
    assert by[("PY001", "Q1")]["observed"] == 5  # 4/15 − 4/10
    assert by[("IN002", "Q3")]["observed"] == 3
    assert (by[("PY002", "E6")]["observed"], by[("PY002", "E6")]["threshold"]) == (45, 30)
    assert by[("MW002", "E4")]["threshold"] == pytest.approx(1289.66, abs=0.001)
    assert by[("MW002", "E4")]["evidence"]["absent_days"] == 9
    assert (by[("PY007", "E7")]["observed"], by[("PY007", "E7")]["severity"]) == (300, "warning")
    # Total: 40 + 320 + 339.66 + 134.17 + 223.12 + 100 + 230 + 100 + 200 + 30 = 1716.95.
    assert report["summary"]["shortfall_cny"] == pytest.approx(1716.95, abs=0.001)


def test_unpaid_payout_is_late(tmp_path):
    """A payout without paid_at whose due day (period end + 30 days) has passed: PY001."""
    folder = write_dataset(tmp_path / "d")
    rows = [r if r[0] != "p09" else (*r[:5], "", *r[6:]) for r in PAYOUTS]
    _csv(folder / "payouts.csv", PAYOUT_HEADER, rows)
    got = findings(report_of(check(folder, "-f", "json", "--select", "PY001")), without=())
    assert got == {("PY001", "Q1", "2025-03-01", "2025-03-31", 0.0)}


def test_chinese_headers_gb18030_and_excel_roster(tmp_path):
    folder = tmp_path / "zh"
    folder.mkdir()
    _csv(
        folder / "订单.csv",
        ["订单编号", "骑手编号", "接单时间", "送达时间", "订单收入", "区县", "平台", "小费"],
        [
            (o, w, a.replace("-", "/"), c.replace("-", "/"), f"¥{p}", d, pf, t and f"{t}元")
            for o, w, a, c, p, d, pf, t in ORDERS
        ],
        "gb18030",
    )
    _csv(
        folder / "工时.csv",
        ["骑手编号", "上线时间", "下线时间", "类型"],
        [(w, s, e, "排班") for w, s, e, _ in SHIFTS],
        "gb18030",
    )
    zh_cat = {"employee": "劳动关系", "platform_managed": "不完全符合确立劳动关系情形"}
    zh_hours = {"standard": "标准工时", "flexible": "不定时工作制", "": None}
    zh_bool = {"true": "是", "false": "否", "": None}
    pl.DataFrame(
        {
            "骑手编号": [r[0] for r in ROSTER],
            "用工类型": [zh_cat[r[1]] for r in ROSTER],
            "区县": [r[2] for r in ROSTER],
            "工时制度": [zh_hours[r[3]] for r in ROSTER],
            "非全日制": [zh_bool[r[4]] for r in ROSTER],
            "月工资": [r[5] or None for r in ROSTER],
            "工伤保险": [zh_bool[r[6]] for r in ROSTER],
            "职业伤害保障": [zh_bool[r[7]] for r in ROSTER],
        }
    ).write_excel(folder / "花名册.xlsx")
    zh_pay = [
        "结算单号",
        "骑手编号",
        "结算开始日期",
        "结算结束日期",
        "应发",
        "发放时间",
        "约定发薪日",
        "加班费",
        "津贴",
        "押金",
        "罚款",
        "职业伤害保障费",
        "装备费",
        "个人社保",
        "其他扣款",
    ]
    _csv(
        folder / "工资.csv",
        zh_pay,
        [tuple(v.replace(".00", "") if v else v for v in r) for r in PAYOUTS],
        "gb18030",
    )
    _csv(folder / "天气.csv", ["日期", "区县", "最高气温"], WEATHER, "gb18030")
    got = report_of(check(folder, "-f", "json"))
    assert got["data_issues"] == []
    assert findings(got) == EXPECTED


# ---------------------------------------------------------------------------------------------
# Payout rules on a larger roster: each payout must be paired with its own worker's days/orders.


def _stress(folder: Path) -> dict[str, set[tuple]]:
    """200 employees (and one platform worker with orders for PY003) in March 2025; employee i
    works k = i % 20 + 1 weekdays of 9 h (1 h extended each); every 5th has a payout of gross
    1500.00 with penalty 500.00 and overtime_pay 0, monthly_wage 3480 (20.00 CNY/h).
    Expected, per payout (k ∈ {1, 6, 11, 16}): minimum by attendance 2330 − 2330 / 21.75 ×
    (21 − k) (March has 21 scheduled days), above 1500 only for k = 16 (1794.367… − 1500 =
    294.37) → MW002; OT002 20 × 1.5 × k = 30 k; PY006 excess = 500 − min(20 % × 1500,
    max(0, 1500 − that minimum rounded to the fen)) = 200.00, or 500.00 for k = 16; PY007 a
    warning for each payout's fine; PY003 (platform workers P000..P039, order pay 100 + j,
    gross 100 + j except P000 gross 50) → only P000 50.00."""
    from decimal import ROUND_HALF_UP, Decimal

    def q(x: Decimal) -> float:
        return float(x.quantize(Decimal("0.01"), ROUND_HALF_UP))

    folder.mkdir(parents=True, exist_ok=True)
    weekdays = _days("2025-03-03", "2025-03-31", True)
    shifts, pays, roster, orders = [], [], [], []
    expected: dict[str, set[tuple]] = {
        "MW002": set(),
        "OT002": set(),
        "PY006": set(),
        "PY003": set(),
        "PY007": set(),
    }
    for i in range(200):
        wid, k = f"E{i:03d}", i % 20 + 1
        roster.append((wid, "employee", "渝中区", "standard", "3480"))
        shifts += [(wid, f"{d} 09:00", f"{d} 18:00", "required") for d in weekdays[:k]]
        if i % 5 == 0:
            pays.append(
                (f"p{i}", wid, "2025-03-01", "2025-03-31", "1500.00", "2025-04-01", "500.00")
            )
            minimum = 2330 - Decimal(2330) * (21 - k) / Decimal("21.75")
            if minimum > 1500:
                expected["MW002"].add((wid, q(minimum - 1500)))
            expected["OT002"].add((wid, q(Decimal(30) * k)))
            limb = max(Decimal(0), 1500 - Decimal(str(q(minimum))))
            expected["PY006"].add((wid, q(500 - min(Decimal(300), limb))))
            expected["PY007"].add((wid, 0.0))
    for j in range(40):
        wid = f"P{j:03d}"
        roster.append((wid, "platform_managed", "渝中区", "", ""))
        orders.append((f"o{j}", wid, "2025-03-03 09:00", "2025-03-03 10:00", f"{100 + j}.00"))
        pays.append(
            (
                f"q{j}",
                wid,
                "2025-03-01",
                "2025-03-31",
                f"{100 + j if j else 50}.00",
                "2025-04-01",
                "",
            )
        )
    expected["PY003"].add(("P000", 50.0))
    _csv(
        folder / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "completed_at", "pay"],
        orders,
    )
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], shifts)
    _csv(
        folder / "workers.csv",
        ["worker_id", "category", "district", "hours_system", "monthly_wage"],
        roster,
    )
    _csv(
        folder / "payouts.csv",
        ["payout_id", "worker_id", "period_start", "period_end", "gross", "paid_at", "penalty"],
        pays,
    )
    return expected


@pytest.fixture(scope="module")
def stress(tmp_path_factory) -> tuple[Path, dict[str, set[tuple]]]:
    folder = tmp_path_factory.mktemp("stress")
    return folder, _stress(folder)


@pytest.mark.parametrize("rule", ["MW002", "OT002", "PY003", "PY006", "PY007"])
def test_payout_rules_attribute_to_the_right_payout(stress, rule):
    folder, expected = stress
    # Before the fix, every run on this roster mispaired some payouts.
    got = report_of(check(folder, "-f", "json", "--select", rule))
    assert {(f["worker_id"], f["shortfall_cny"]) for f in got["findings"]} == expected[rule]


# ---------------------------------------------------------------------------------------------
# Hours systems and the 补假 of a weekend statutory day (one payout per dataset, so that the
# payout-pairing bug above cannot interfere).


def _single(folder: Path, worker: tuple, shifts: list[tuple], payout: tuple) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    _csv(
        folder / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "completed_at", "pay"],
        [("x", "X", "2025-03-03 10:00", "2025-03-03 11:00", "30.00")],
    )
    _csv(
        folder / "workers.csv",
        ["worker_id", "category", "district", "hours_system", "monthly_wage"],
        [worker, ("X", "platform_managed", "渝中区", "", "")],
    )
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], shifts)
    _csv(
        folder / "payouts.csv",
        [
            "payout_id",
            "worker_id",
            "period_start",
            "period_end",
            "gross",
            "paid_at",
            "overtime_pay",
        ],
        [payout],
    )
    return report_of(check(folder, "-f", "json"))


def test_comprehensive_hours_over_the_month(tmp_path):
    """综合计算工时, 3480 (20.00 CNY/h): March 2025 has 21 working days → 168 h standard; worked
    21 × 10 h = 210 h → 42 h overtime > 36 → OT001 for the month (no day limit); OT002
    20 × 1.5 × 42 = 1260.00 with none paid. No RD001 (exempt)."""
    shifts = [_shift("C1", d, "08:00", "18:00") for d in _days("2025-03-01", "2025-03-31", True)]
    report = _single(
        tmp_path,
        ("C1", "employee", "渝中区", "comprehensive", "3480"),
        shifts,
        ("p1", "C1", "2025-03-01", "2025-03-31", "3480.00", "2025-04-01", "0"),
    )
    assert findings(report) == {
        ("OT001", "C1", "2025-03-01", "2025-03-31", 0.0),
        ("OT002", "C1", "2025-03-01", "2025-03-31", 1260.00),
    }


def test_weekday_in_lieu_of_a_weekend_statutory_day(tmp_path):
    """端午 2025-05-31 fell on a Saturday; Monday 6/2 is a rest day of the break (its 补假).
    200 % by prevailing practice, flagged for review. 8 h × 20 × 2 = 320.00."""
    shifts = [
        _shift("B1", "2025-06-02", "09:00", "17:00"),
        _shift("B1", "2025-06-03", "09:00", "17:00"),
    ]
    report = _single(
        tmp_path,
        ("B1", "employee", "渝中区", "standard", "3480"),
        shifts,
        ("p1", "B1", "2025-06-01", "2025-06-30", "3480.00", "2025-07-01", "0"),
    )
    assert findings(report) == {("OT002", "B1", "2025-06-01", "2025-06-30", 320.00)}
    [f] = report["findings"]
    assert f["evidence"]["review_dates"] == ["2025-06-02"]


def test_bad_rows_in_every_table_change_no_finding(tmp_path):
    """Bad rows appended to payouts, shifts and weather (and a roster row for a worker who has
    no other data): every finding unchanged, every bad row a data issue at its spreadsheet row,
    rows read = audited + rejected."""
    folder = write_dataset(tmp_path / "bad")
    bad_payouts = [
        (
            "b1",
            "E1",
            "2025-03-31",
            "2025-03-01",
            "10.00",
            "2025-04-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),  # period end before start
        (
            "b2",
            "E2",
            "2025-05-01",
            "2025-05-31",
            "-1.00",
            "2025-06-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),  # negative gross
        (
            "b3",
            "ZZ",
            "2025-05-01",
            "2025-05-31",
            "10.00",
            "2025-06-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),  # unknown worker
        (
            "b4",
            "E4",
            "someday",
            "2025-01-31",
            "10.00",
            "2025-02-01",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),  # unparseable date
        (
            "p01",
            "E1",
            "2025-03-01",
            "2025-03-31",
            "9999.00",
            "2025-04-10",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ),  # duplicate payout id, other content
    ]
    bad_shifts = [
        ("E1", "2025-03-10 18:00", "2025-03-10 08:00", "required"),  # end before start
        ("E2", "2025-05-20 09:00", "2025-05-20 23:00", "午休"),  # unknown kind
        ("ZZ", "2025-03-10 08:00", "2025-03-10 20:00", "required"),  # unknown worker
        ("E3", "not a time", "2025-02-11 20:00", "required"),
    ]
    bad_weather = [("2025-07-23", "渝中区", "hot"), ("yesterday", "渝中区", "41")]
    _csv(folder / "payouts.csv", PAYOUT_HEADER, PAYOUTS + bad_payouts)
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], SHIFTS + bad_shifts)
    _csv(folder / "weather.csv", ["date", "district", "max_temp_c"], WEATHER + bad_weather)
    report = report_of(check(folder, "-f", "json"))
    assert findings(report) == EXPECTED
    rows = {(i["table"], i["row"]) for i in report["data_issues"]}
    assert rows == (
        {("payouts", len(PAYOUTS) + 2 + n) for n in range(len(bad_payouts))}
        | {("shifts", len(SHIFTS) + 2 + n) for n in range(len(bad_shifts))}
        | {("weather", len(WEATHER) + 2 + n) for n in range(len(bad_weather))}
    ), report["data_issues"]
    counts = {i["table"]: i for i in report["manifest"]["inputs"]}
    for table, good, bad in (
        ("payouts", PAYOUTS, bad_payouts),
        ("shifts", SHIFTS, bad_shifts),
        ("weather", WEATHER, bad_weather),
    ):
        c = counts[table]
        assert (c["rows_read"], c["rows_audited"], c["rows_rejected"]) == (
            len(good) + len(bad),
            len(good),
            len(bad),
        )


def test_part_time_employee(tmp_path):
    """非全日制 (劳动合同法 art. 68, 72): 09:00–14:00 (5 h) Mon–Fri for two weeks, 3/3–3/14.
    Each week 25 h > 24 (PT001) and 5 h/day average > 4 (PT002). Payout 3/3–3/16 (14 days ≤ 15:
    no PY002) gross 500.00 for 50 h: 50 × 23 = 1150.00 − 500.00 = 650.00 (PT003); MW002 and the
    full-time OT rules do not apply."""
    shifts = [_shift("T1", d, "09:00", "14:00") for d in _days("2025-03-03", "2025-03-14", True)]
    folder = tmp_path / "pt"
    folder.mkdir()
    _csv(
        folder / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "completed_at", "pay"],
        [("x", "X", "2025-03-03 10:00", "2025-03-03 11:00", "30.00")],
    )
    _csv(
        folder / "workers.csv",
        ["worker_id", "category", "district", "part_time", "hours_system"],
        [
            ("T1", "employee", "渝中区", "是", "standard"),
            ("X", "platform_managed", "渝中区", "", ""),
        ],
    )
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], shifts)
    _csv(
        folder / "payouts.csv",
        ["payout_id", "worker_id", "period_start", "period_end", "gross", "paid_at"],
        [("p1", "T1", "2025-03-03", "2025-03-16", "500.00", "2025-03-20")],
    )
    assert findings(report_of(check(folder, "-f", "json"))) == {
        ("PT001", "T1", "2025-03-03", "2025-03-09", 0.0),
        ("PT002", "T1", "2025-03-03", "2025-03-09", 0.0),
        ("PT001", "T1", "2025-03-10", "2025-03-16", 0.0),
        ("PT002", "T1", "2025-03-10", "2025-03-16", 0.0),
        ("PT003", "T1", "2025-03-03", "2025-03-16", 650.00),
    }


def test_independent_with_payouts_weather_and_no_insurance_is_out_of_scope(tmp_path):
    """An independent worker: 10 h on a 41 °C day for 40.00, an unpaid 3-month payout with a
    deposit, an injury fee and a penalty, no insurance: no finding at all."""
    folder = tmp_path / "ind"
    folder.mkdir()
    _csv(
        folder / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "completed_at", "pay"],
        [("o1", "I1", "2025-07-15 08:00", "2025-07-15 18:00", "40.00")],
    )
    _csv(
        folder / "workers.csv",
        ["worker_id", "category", "district", "occupational_injury", "injury_insurance"],
        [("I1", "个人自主经营", "渝中区", "否", "否")],
    )
    _csv(
        folder / "payouts.csv",
        [
            "payout_id",
            "worker_id",
            "period_start",
            "period_end",
            "gross",
            "paid_at",
            "deposit",
            "injury_insurance_fee",
            "penalty",
        ],
        [("p1", "I1", "2025-07-01", "2025-09-30", "10.00", "", "100.00", "5.00", "9.00")],
    )
    _csv(folder / "weather.csv", ["date", "max_temp_c"], [("2025-07-15", "41")])
    r = check(folder, "-f", "json")
    assert r.exit_code == 0
    report = report_of(r)
    assert report["findings"] == [] and report["data_issues"] == []
    assert report["summary"]["workers_by_category"] == {"independent": 1}


def test_days_worked_read_by_its_chinese_name_sets_the_absences(tmp_path):
    """出勤天数 is days_worked. A class 1 employee in March 2025 (21 scheduled days) with no
    work recorded but 出勤天数 20.5: half a day absent → 2330 − 2330 / 21.75 × 0.5 = 2330 −
    53.563… = 2276.436… → 2276.44; 应发 2200 → 76.436… → 76.44. Without the column attendance
    is unknown, taken as full: 2330 − 2200 = 130.00."""
    folder = tmp_path / "attendance"
    folder.mkdir()
    roster = [("D1", "劳动关系", "渝中区"), ("X", "平台管理", "渝中区")]
    _csv(folder / "人员.csv", ["骑手编号", "用工类型", "区县"], roster)
    # Orders are required: one of another worker's.
    order = ("x", "X", "2025-03-03 10:00", "2025-03-03 11:00", "30.00")
    _csv(folder / "订单.csv", ["订单编号", "骑手编号", "接单时间", "送达时间", "订单收入"], [order])
    header = ["结算单号", "骑手编号", "结算开始日期", "结算结束日期", "应发", "发放时间"]
    row = ("p1", "D1", "2025-03-01", "2025-03-31", "2200", "2025-04-05")
    _csv(folder / "工资.csv", [*header, "出勤天数"], [(*row, "20.5")])
    got = report_of(check(folder, "-f", "json", "--select", "MW002"))
    [f] = got["findings"]
    assert (f["threshold"], f["shortfall_cny"]) == (2276.44, 76.44)
    assert f["evidence"]["attendance"] == "days_worked"
    _csv(folder / "工资.csv", header, [row])
    [f] = report_of(check(folder, "-f", "json", "--select", "MW002"))["findings"]
    assert (f["shortfall_cny"], f["evidence"]["attendance"]) == (
        130.0,
        "unknown: full attendance assumed",
    )
