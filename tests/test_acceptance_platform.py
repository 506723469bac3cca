"""Acceptance: platform_managed and independent workers end to end through `payaudit check`.

Independent review. The datasets below were built by hand from the product contract and the legal
sources of the rule pack, without reading the rule implementation; every expected amount has its
arithmetic beside it. Chongqing hourly minimum: class 1 21 CNY/h to 2024-12-31, 23 from 2025-01-01;
class 2 20 → 22. 2025 calendar: 1/1, 1/28–31, 4/4, 5/1–2, 5/31, 10/1–3, 10/6 are
statutory; 1/26, 2/8, 4/27, 9/28, 10/11 are 补班 working days; 2024: 2/10–12 statutory, 2/9
(除夕) an ordinary Friday.

Workers (roster: category, district):
  P1  渝中区 (class 1)  22 CNY/h across the 2025-01-01 change.
  P2  城口县 (class 2)  20.5 CNY/h across the change.
  P3  石柱土家族自治县 in the roster, orders say 渝中区: the roster wins → class 2.
  P4  渝中区  an order crossing midnight: its time and its pay split between the days.
  P5  渝中区  overlapping orders, a cost, a tip.
  P6  渝中区  a required shift (working time) and an online shift (not, on the orders basis).
  P7  渝中区  HP001 on 除夕 2025-01-28 vs rest day 1/4, 补班 1/26, bridging rest day 2/3.
  P8  渝中区  除夕 2024-02-09 (an ordinary day) and 2025-10-06 (statutory).
  P9  渝中区  works only on 5/1 (statutory) and 5/3 (rest day) in May: no baseline → warning.
  P10 渝中区  FT001: gaps of 19 min vs 20 min, a stretch of exactly 4 h.
  P11 渝中区  FT002: exactly 8 h vs 8 h 1 min.
  P12 渝中区  FT001 on a stretch crossing midnight; its pay split with its time.
  P13 independent: underpaid, 10 h on a statutory day: out of scope, no finding at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from payaudit.cli import app

runner = CliRunner()

# ---------------------------------------------------------------------------------------------
# The dataset: (order_id, worker_id, accepted_at, completed_at, pay, district, platform, tip, cost)

ORDERS = [
    # P1 22 CNY/h, class 1: 2 h × 4 days, pay 44.00 each.
    ("a01", "P1", "2024-12-30 10:00", "2024-12-30 12:00", "44.00", "渝中区", "美团", "", ""),
    ("a02", "P1", "2024-12-31 10:00", "2024-12-31 12:00", "44.00", "渝中区", "美团", "", ""),
    ("a03", "P1", "2025-01-02 10:00", "2025-01-02 12:00", "44.00", "渝中区", "美团", "", ""),
    ("a04", "P1", "2025-01-03 10:00", "2025-01-03 12:00", "44.00", "渝中区", "美团", "", ""),
    # P2 20.5 CNY/h, class 2: 2 h × 4 days, pay 41.00 each.
    ("b01", "P2", "2024-12-30 10:00", "2024-12-30 12:00", "41.00", "城口县", "美团", "", ""),
    ("b02", "P2", "2024-12-31 10:00", "2024-12-31 12:00", "41.00", "城口县", "美团", "", ""),
    ("b03", "P2", "2025-01-02 10:00", "2025-01-02 12:00", "41.00", "城口县", "美团", "", ""),
    ("b04", "P2", "2025-01-03 10:00", "2025-01-03 12:00", "41.00", "城口县", "美团", "", ""),
    # P3 21.5 CNY/h; orders name 渝中区 but the roster says 石柱土家族自治县.
    ("c01", "P3", "2025-01-06 10:00", "2025-01-06 12:00", "43.00", "渝中区", "美团", "", ""),
    ("c02", "P3", "2025-01-07 10:00", "2025-01-07 12:00", "43.00", "渝中区", "美团", "", ""),
    # P4 one order across midnight.
    ("d01", "P4", "2025-01-07 23:00", "2025-01-08 01:00", "40.00", "渝中区", "美团", "", ""),
    # P5 overlapping orders (merged 09:00–10:30 = 1.5 h), cost 6.00 on e01, tip 10.00 on e02.
    ("e01", "P5", "2025-03-03 09:00", "2025-03-03 10:00", "20.00", "渝中区", "美团", "", "6.00"),
    ("e02", "P5", "2025-03-03 09:30", "2025-03-03 10:30", "20.00", "渝中区", "美团", "10.00", ""),
    # P6 one order 10:00–11:00 inside a required shift 09:00–12:00 (shifts below).
    ("f01", "P6", "2025-03-04 10:00", "2025-03-04 11:00", "30.00", "渝中区", "美团", "", ""),
    # P7 January/February 2025.
    ("g01", "P7", "2025-01-04 10:00", "2025-01-04 14:00", "200.00", "渝中区", "美团", "", ""),
    ("g02", "P7", "2025-01-06 10:00", "2025-01-06 14:00", "100.00", "渝中区", "美团", "", ""),
    ("g03", "P7", "2025-01-26 10:00", "2025-01-26 14:00", "120.00", "渝中区", "美团", "", ""),
    ("g04", "P7", "2025-01-28 10:00", "2025-01-28 14:00", "100.00", "渝中区", "美团", "", ""),
    ("g05", "P7", "2025-02-03 10:00", "2025-02-03 14:00", "92.00", "渝中区", "美团", "", ""),
    ("g06", "P7", "2025-02-05 10:00", "2025-02-05 14:00", "120.00", "渝中区", "美团", "", ""),
    # P8 February 2024 and October 2025.
    ("h01", "P8", "2024-02-05 10:00", "2024-02-05 14:00", "100.00", "渝中区", "美团", "", ""),
    ("h02", "P8", "2024-02-09 10:00", "2024-02-09 14:00", "80.00", "渝中区", "美团", "", ""),
    ("h03", "P8", "2025-10-06 10:00", "2025-10-06 14:00", "90.00", "渝中区", "美团", "", ""),
    ("h04", "P8", "2025-10-09 10:00", "2025-10-09 14:00", "100.00", "渝中区", "美团", "", ""),
    # P9 May 2025: only 5/1 (statutory) and 5/3 (Saturday in the 5/1–5 break: rest day).
    ("i01", "P9", "2025-05-01 10:00", "2025-05-01 14:00", "100.00", "渝中区", "美团", "", ""),
    ("i02", "P9", "2025-05-03 10:00", "2025-05-03 14:00", "100.00", "渝中区", "美团", "", ""),
    # P10 FT001.
    ("j01", "P10", "2025-03-05 08:00", "2025-03-05 10:00", "100.00", "渝中区", "美团", "", ""),
    ("j02", "P10", "2025-03-05 10:19", "2025-03-05 12:30", "100.00", "渝中区", "美团", "", ""),
    ("j03", "P10", "2025-03-05 12:50", "2025-03-05 14:00", "100.00", "渝中区", "美团", "", ""),
    ("j04", "P10", "2025-03-06 08:00", "2025-03-06 10:00", "100.00", "渝中区", "美团", "", ""),
    ("j05", "P10", "2025-03-06 10:20", "2025-03-06 12:30", "100.00", "渝中区", "美团", "", ""),
    ("j06", "P10", "2025-03-07 08:00", "2025-03-07 10:00", "100.00", "渝中区", "美团", "", ""),
    ("j07", "P10", "2025-03-07 10:10", "2025-03-07 12:00", "100.00", "渝中区", "美团", "", ""),
    # P11 FT002.
    ("k01", "P11", "2025-03-10 08:00", "2025-03-10 11:00", "100.00", "渝中区", "美团", "", ""),
    ("k02", "P11", "2025-03-10 11:30", "2025-03-10 14:30", "100.00", "渝中区", "美团", "", ""),
    ("k03", "P11", "2025-03-10 15:00", "2025-03-10 17:00", "100.00", "渝中区", "美团", "", ""),
    ("k04", "P11", "2025-03-11 08:00", "2025-03-11 11:00", "100.00", "渝中区", "美团", "", ""),
    ("k05", "P11", "2025-03-11 11:30", "2025-03-11 14:30", "100.00", "渝中区", "美团", "", ""),
    ("k06", "P11", "2025-03-11 15:00", "2025-03-11 17:01", "100.00", "渝中区", "美团", "", ""),
    # P12 a 4.5 h order from 22:00 to 02:30.
    ("l01", "P12", "2025-03-12 22:00", "2025-03-13 02:30", "200.00", "渝中区", "美团", "", ""),
    # P13 independent: 10 h on 除夕 2025 for 1,234.50, and 10 h for 1.00.
    ("m01", "P13", "2025-01-28 08:00", "2025-01-28 18:00", "1,234.50", "渝中区", "美团", "", ""),
    ("m02", "P13", "2025-03-03 08:00", "2025-03-03 18:00", "1.00", "渝中区", "美团", "", ""),
]

SHIFTS = [
    ("P6", "2025-03-04 09:00", "2025-03-04 12:00", "required"),
    ("P6", "2025-03-04 12:00", "2025-03-04 18:00", "online"),
]

ROSTER = [
    ("P1", "platform_managed", "渝中区"),
    ("P2", "platform_managed", "城口县"),
    ("P3", "platform_managed", "石柱土家族自治县"),
    ("P4", "platform_managed", "渝中区"),
    ("P5", "platform_managed", "渝中区"),
    ("P6", "platform_managed", "渝中区"),
    ("P7", "platform_managed", "渝中区"),
    ("P8", "platform_managed", "渝中区"),
    ("P9", "platform_managed", "渝中区"),
    ("P10", "platform_managed", "渝中区"),
    ("P11", "platform_managed", "渝中区"),
    ("P12", "platform_managed", "渝中区"),
    ("P13", "independent", "渝中区"),
]

# ---------------------------------------------------------------------------------------------
# Expected findings, (rule, worker, period_start, period_end, shortfall_cny).

EXPECTED_MONTH = {
    # P1 Dec 2024: 4 h × 21 = 84.00 ≤ 88.00 paid → none. Jan 2025: 4 h × 23 = 92.00 − 88.00.
    ("MW001", "P1", "2025-01-01", "2025-01-31", 4.00),
    # P2 class 2. Dec: 4 h × 20 = 80.00 ≤ 82.00 → none (class 1 would be 84 > 82). Jan:
    # 4 h × 22 = 88.00 − 82.00 = 6.00.
    ("MW001", "P2", "2025-01-01", "2025-01-31", 6.00),
    # P3 class 2 (roster): 4 h × 22 = 88.00 − 86.00 = 2.00 (class 1 would give 6.00).
    ("MW001", "P3", "2025-01-01", "2025-01-31", 2.00),
    # P4 2 h × 23 = 46.00 − 40.00 = 6.00.
    ("MW001", "P4", "2025-01-01", "2025-01-31", 6.00),
    # P5 merged 1.5 h × 23 = 34.50; eligible 20 + 20 − 6 (cost) = 34.00, tip excluded → 0.50.
    ("MW001", "P5", "2025-03-01", "2025-03-31", 0.50),
    # P6 required 09:00–12:00 ∪ order 10:00–11:00 = 3 h × 23 = 69.00 − 30.00 = 39.00.
    # The online shift 12:00–18:00 is not working time on the orders basis (else FT002 too).
    ("MW001", "P6", "2025-03-01", "2025-03-31", 39.00),
    # P7 Jan baseline, working days only: 1/6 (100 for 4 h) + 1/26 补班 (120 for 4 h) = 220 / 8 h
    # = 27.50 CNY/h (the rest day 1/4 at 50 CNY/h is not in it). 除夕 1/28: 100 / 4 h = 25.00
    # ≤ 27.50 → (27.50 − 25.00) × 4 h = 10.00. 2/3 (bridging rest day, 23 CNY/h) is no holiday.
    # MW001: Jan 16 h × 23 = 368 ≤ 520; Feb 8 h × 23 = 184 ≤ 212 → none.
    ("HP001", "P7", "2025-01-28", "2025-01-28", 10.00),
    # P8 2024-02-09 (除夕 2024) is an ordinary day: no HP001. Feb 2024 8 h × 21 = 168 ≤ 180.
    # Oct 2025 baseline 10/9: 100 / 4 = 25.00; 10/6: 90 / 4 = 22.50 → (25 − 22.5) × 4 = 10.00.
    # MW001 Oct: 8 h × 23 = 184 ≤ 190.
    ("HP001", "P8", "2025-10-06", "2025-10-06", 10.00),
    # P9 no working day worked in May → a warning to review, no shortfall.
    ("HP001", "P9", "2025-05-01", "2025-05-01", 0.00),
    # P10 3/5: 08:00–10:00, gap 19 min, 10:19–12:30 → one stretch of 4.5 h; gap 20 min is a
    # break (12:50–14:00 is another). 3/6: gap 20 min → 2 h and 2 h 10 min. 3/7: 08:00–12:00
    # with a 10 min gap = exactly 4 h → none.
    ("FT001", "P10", "2025-03-05", "2025-03-05", 0.00),
    # P11 3/10: 3 + 3 + 2 = 8 h exactly → none; 3/11: 8 h 1 min → FT002.
    ("FT002", "P11", "2025-03-11", "2025-03-11", 0.00),
    # P12 22:00–02:30 = 4.5 h, belongs to the day it starts.
    ("FT001", "P12", "2025-03-12", "2025-03-12", 0.00),
}

# --period week, MW001 only (ISO weeks Monday–Sunday).
EXPECTED_WEEK = {
    # P1 week 2024-12-30..2025-01-05: 2 days × 2 h × 21 + 2 × 2 × 23 = 84 + 92 = 176.00 =
    # 4 × 44.00 paid → no finding (a single 23 would give 184 > 176, a single 21 also none).
    # P2 same week: 2 × 2 × 20 + 2 × 2 × 22 = 80 + 88 = 168.00 − 164.00 = 4.00.
    ("MW001", "P2", "2024-12-30", "2025-01-05", 4.00),
    ("MW001", "P3", "2025-01-06", "2025-01-12", 2.00),
    ("MW001", "P4", "2025-01-06", "2025-01-12", 6.00),
    ("MW001", "P5", "2025-03-03", "2025-03-09", 0.50),
    ("MW001", "P6", "2025-03-03", "2025-03-09", 39.00),
}

# --period day, MW001 only. An order crossing midnight splits its time and its pay alike (the
# later day's share in fen rounded half-up, the earlier day the rest).
EXPECTED_DAY = {
    # P1 Dec days 2 h × 21 = 42 ≤ 44; Jan days 2 h × 23 = 46 − 44 = 2.00 each.
    ("MW001", "P1", "2025-01-02", "2025-01-02", 2.00),
    ("MW001", "P1", "2025-01-03", "2025-01-03", 2.00),
    # P2 Dec days 2 × 20 = 40 ≤ 41; Jan days 2 × 22 = 44 − 41 = 3.00 each.
    ("MW001", "P2", "2025-01-02", "2025-01-02", 3.00),
    ("MW001", "P2", "2025-01-03", "2025-01-03", 3.00),
    # P3 2 × 22 = 44 − 43 = 1.00 each.
    ("MW001", "P3", "2025-01-06", "2025-01-06", 1.00),
    ("MW001", "P3", "2025-01-07", "2025-01-07", 1.00),
    # P4 23:00–01:00 for 40.00: 1 h and 20.00 on each day; 1 h × 23 = 23 − 20 = 3.00 each.
    ("MW001", "P4", "2025-01-07", "2025-01-07", 3.00),
    ("MW001", "P4", "2025-01-08", "2025-01-08", 3.00),
    ("MW001", "P5", "2025-03-03", "2025-03-03", 0.50),
    ("MW001", "P6", "2025-03-04", "2025-03-04", 39.00),
    # P7 2/3: 4 × 23 = 92 = 92 → none; other days ≥ 25 CNY/h.
    # P8 2024-02-09: 4 × 21 = 84 − 80 = 4.00; 2025-10-06: 4 × 23 = 92 − 90 = 2.00.
    ("MW001", "P8", "2024-02-09", "2024-02-09", 4.00),
    ("MW001", "P8", "2025-10-06", "2025-10-06", 2.00),
    # P12 22:00–02:30 for 200.00: 3/13 gets 2.5 / 4.5 × 200 = 111.11 (111.111… half-up),
    # 3/12 the rest, 88.89; 2.5 h × 23 = 57.50 ≤ 111.11 and 2 h × 23 = 46 ≤ 88.89 → none.
}


# ---------------------------------------------------------------------------------------------
# Writers and runner


def _csv(path: Path, header: list[str], rows: list[tuple], encoding: str = "utf-8") -> None:
    def cell(v: object) -> str:
        s = str(v)
        return f'"{s}"' if ("," in s or '"' in s) else s

    text = "\n".join([",".join(header)] + [",".join(cell(v) for v in r) for r in rows]) + "\n"
    path.write_bytes(text.encode(encoding))


def write_canonical(folder: Path) -> Path:
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
            "cost",
        ],
        ORDERS,
    )
    _csv(folder / "shifts.csv", ["worker_id", "start", "end", "kind"], SHIFTS)
    _csv(folder / "workers.csv", ["worker_id", "category", "district"], ROSTER)
    return folder


def _zh_time(text: str) -> str:
    """'2025-01-06 09:00' → '2025/1/6 9:00' (the form Excel users export)."""
    day, hm = text.split(" ")
    y, m, d = day.split("-")
    h, mi = hm.split(":")
    return f"{y}/{int(m)}/{int(d)} {int(h)}:{mi}"


def _zh_money(text: str) -> str:
    return "" if text == "" else (text if "," in text else f"¥{text}")


ZH_ORDER_HEADER = [
    "订单编号",
    "骑手编号",
    "接单时间",
    "送达时间",
    "订单收入",
    "区县",
    "平台",
    "小费",
    "从业成本",
]
ZH_CATEGORY = {
    "platform_managed": "不完全符合确立劳动关系情形",
    "independent": "个人自主经营",
    "employee": "劳动关系",
}


def zh_order(row: tuple) -> tuple:
    oid, wid, a, c, pay, district, platform, tip, cost = row
    return (
        oid,
        wid,
        _zh_time(a),
        _zh_time(c),
        _zh_money(pay),
        district,
        platform,
        _zh_money(tip),
        _zh_money(cost),
    )


def write_chinese(folder: Path, orders: list[tuple] | None = None) -> Path:
    """The same data as GB18030 CSV with Chinese headers, the roster as .xlsx."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = orders if orders is not None else [zh_order(r) for r in ORDERS]
    _csv(folder / "订单.csv", ZH_ORDER_HEADER, rows, encoding="gb18030")
    _csv(
        folder / "在线时长.csv",
        ["骑手编号", "上线时间", "下线时间", "类型"],
        [
            (w, _zh_time(s), _zh_time(e), "排班" if k == "required" else "在线")
            for w, s, e, k in SHIFTS
        ],
        encoding="gb18030",
    )
    pl.DataFrame(
        {
            "骑手编号": [r[0] for r in ROSTER],
            "用工类型": [ZH_CATEGORY[r[1]] for r in ROSTER],
            "区县": [r[2] for r in ROSTER],
        }
    ).write_excel(folder / "花名册.xlsx")
    return folder


def check(*args: str):
    return runner.invoke(app, ["check", *[str(a) for a in args], "--quiet"])


def report_of(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def findings(report: dict) -> set[tuple]:
    return {
        (f["rule"], f["worker_id"], f["period_start"], f["period_end"], f["shortfall_cny"])
        for f in report["findings"]
    }


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> Path:
    return write_canonical(tmp_path_factory.mktemp("canonical"))


@pytest.fixture(scope="module")
def month_report(canonical) -> dict:
    return report_of(check(canonical, "-f", "json"))


# ---------------------------------------------------------------------------------------------
# The findings


def test_month_findings_exactly(month_report):
    assert findings(month_report) == EXPECTED_MONTH
    assert month_report["data_issues"] == []


def test_month_finding_details(month_report):
    by_key = {(f["rule"], f["worker_id"], f["period_start"]): f for f in month_report["findings"]}
    p1 = by_key[("MW001", "P1", "2025-01-01")]
    # 88.00 / 4 h = 22.00 CNY/h observed against 23.00.
    assert (p1["observed"], p1["threshold"], p1["unit"]) == (22.0, 23.0, "CNY/h")
    assert p1["severity"] == "error" and p1["category"] == "platform_managed"
    p3 = by_key[("MW001", "P3", "2025-01-01")]
    assert (p3["observed"], p3["threshold"]) == (21.5, 22.0)  # class 2 from the roster
    assert by_key[("HP001", "P9", "2025-05-01")]["severity"] == "warning"
    hp = by_key[("HP001", "P7", "2025-01-28")]
    assert hp["severity"] == "error" and (hp["observed"], hp["threshold"]) == (25.0, 27.5)
    ft = by_key[("FT001", "P10", "2025-03-05")]
    assert ft["severity"] == "warning" and ft["observed"] == pytest.approx(4.5, abs=0.01)
    ft2 = by_key[("FT002", "P11", "2025-03-11")]
    assert ft2["observed"] == pytest.approx(8 + 1 / 60, abs=0.01) and ft2["threshold"] == 8
    # Total shortfall: 4 + 6 + 2 + 6 + 0.5 + 39 + 10 + 10 = 77.50.
    assert month_report["summary"]["shortfall_cny"] == 77.5


def test_independents_counted_and_out_of_scope(month_report):
    assert month_report["summary"]["workers_by_category"] == {
        "platform_managed": 12,
        "independent": 1,
    }
    assert not [f for f in month_report["findings"] if f["worker_id"] == "P13"]


def test_rows_accounted(month_report):
    counts = {
        i["table"]: (i["rows_read"], i["rows_audited"], i["rows_rejected"])
        for i in month_report["manifest"]["inputs"]
    }
    assert counts == {
        "orders": (len(ORDERS), len(ORDERS), 0),
        "shifts": (2, 2, 0),
        "workers": (13, 13, 0),
    }


def test_week_period(canonical):
    got = findings(
        report_of(check(canonical, "-f", "json", "--period", "week", "--select", "MW001"))
    )
    assert got == EXPECTED_WEEK


def test_day_period(canonical):
    got = findings(
        report_of(check(canonical, "-f", "json", "--period", "day", "--select", "MW001"))
    )
    assert got == EXPECTED_DAY


def test_from_to_restricts_to_january(canonical):
    got = findings(
        report_of(check(canonical, "-f", "json", "--from", "2025-01-01", "--to", "2025-01-31"))
    )
    assert got == {f for f in EXPECTED_MONTH if f[2].startswith("2025-01")}


def test_online_basis_counts_online_time(tmp_path, canonical):
    """working_time.basis = "online": P6's online 12:00–18:00 now counts: 09:00–18:00 = 9 h.
    MW001 9 h × 23 = 207.00 − 30.00 = 177.00, and FT002 (9 h > 8 h)."""
    (tmp_path / "payaudit.toml").write_text('[working_time]\nbasis = "online"\n', "utf-8")
    got = findings(
        report_of(
            check(
                canonical,
                "-f",
                "json",
                "--config",
                tmp_path / "payaudit.toml",
                "--select",
                "MW001,FT002",
            )
        )
    )
    assert ("MW001", "P6", "2025-03-01", "2025-03-31", 177.00) in got
    assert ("FT002", "P6", "2025-03-04", "2025-03-04", 0.00) in got


# ---------------------------------------------------------------------------------------------
# Input robustness: GB18030 + Chinese headers + Excel roster, then bad rows among good ones.


def test_chinese_gb18030_and_excel_roster_same_findings(tmp_path):
    folder = write_chinese(tmp_path / "zh")
    report = report_of(check(folder, "-f", "json"))
    assert findings(report) == EXPECTED_MONTH
    assert report["data_issues"] == []


BAD_ROWS = [
    # unparseable time
    ("x01", "P1", "昨天下午", "2025-01-02 12:00", "¥10.00", "渝中区", "美团", "", ""),
    # negative pay
    ("x02", "P4", "2025/1/9 10:00", "2025/1/9 11:00", "-5.00", "渝中区", "美团", "", ""),
    # duplicate order id with different content (c01 is P3's 1/6 order, rows before)
    ("c01", "P3", "2025/1/20 10:00", "2025/1/20 18:00", "¥500.00", "渝中区", "美团", "", ""),
    # end before start
    ("x03", "P2", "2025/1/10 12:00", "2025/1/10 10:00", "¥1.00", "城口县", "美团", "", ""),
    # a worker not in the roster
    ("x04", "Z9", "2025/1/10 10:00", "2025/1/10 20:00", "¥1.00", "渝中区", "美团", "", ""),
]


def test_bad_rows_change_no_finding_and_are_reported_at_their_row(tmp_path):
    good = [zh_order(r) for r in ORDERS]
    rows: list[tuple] = []
    bad = list(BAD_ROWS)
    # A bad row after good rows 4, 12, 20, 28, 36 (the duplicate c01 comes after the good c01).
    for n, row in enumerate(good):
        rows.append(row)
        if n % 8 == 3 and bad:
            rows.append(bad.pop(0))
    rows.extend(bad)
    # Spreadsheet row: header = row 1, so the i-th (0-based) data row is row i + 2.
    bad_at = {rows.index(b) + 2 for b in BAD_ROWS}
    folder = write_chinese(tmp_path / "bad", orders=rows)
    report = report_of(check(folder, "-f", "json"))
    assert findings(report) == EXPECTED_MONTH
    order_issues = [i for i in report["data_issues"] if i["table"] == "orders"]
    assert {i["row"] for i in order_issues} == bad_at, order_issues
    [inp] = [i for i in report["manifest"]["inputs"] if i["table"] == "orders"]
    assert inp["rows_read"] == len(rows) == inp["rows_audited"] + inp["rows_rejected"]
    assert inp["rows_rejected"] == len(BAD_ROWS)


# ---------------------------------------------------------------------------------------------
# The CLI as a user meets it


def test_select_ignore_prefixes_and_exit_codes(canonical):
    r = check(canonical, "-f", "json", "--select", "FT")
    assert r.exit_code == 0  # FT are warnings, default --fail-on error
    assert {f[0] for f in findings(report_of(r))} == {"FT001", "FT002"}
    r = check(canonical, "-f", "json", "--select", "FT", "--fail-on", "warning")
    assert r.exit_code == 1
    r = check(canonical, "-f", "json", "--ignore", "MW,HP")
    assert r.exit_code == 0 and {f[0] for f in findings(report_of(r))} == {"FT001", "FT002"}
    assert check(canonical, "-f", "json", "--fail-on", "never").exit_code == 0
    assert check(canonical, "-f", "json").exit_code == 1
    r = check(canonical, "-f", "json", "--select", "hp001")  # case-insensitive codes
    assert r.exit_code == 1 and {f[0] for f in findings(report_of(r))} == {"HP001"}


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "ZZ9"],
        ["--ignore", "QQ"],
        ["--period", "year"],
        ["--fail-on", "sometimes"],
        ["--from", "2025-13-01"],
    ],
)
def test_usage_errors_exit_2_with_one_sentence(canonical, args):
    r = check(canonical, "-f", "json", *args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and r.output.strip()


def test_missing_required_column_exits_2_naming_it(tmp_path):
    _csv(
        tmp_path / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "pay"],
        [("o1", "W1", "2025-01-06 09:00", "10.00")],
    )
    r = check(tmp_path, "-f", "json")
    assert r.exit_code == 2
    assert "completed_at" in r.output and "Traceback" not in r.output
    text = " ".join(r.output.split())  # one sentence, wrapped at the terminal width
    assert "orders.csv" in text and text.count(". ") == 0, text


@pytest.mark.parametrize(
    "code",
    [
        "MW001",
        "MW002",
        "HP001",
        "FT001",
        "FT002",
        "OT001",
        "OT002",
        "RD001",
        "PY001",
        "PY002",
        "PY003",
        "PY004",
        "PY005",
        "PY006",
        "PY007",
        "IN001",
        "IN002",
        "HT001",
        "HT002",
        "HT003",
    ],
)
def test_rule_explains_each_code(code):
    r = runner.invoke(app, ["rule", code.lower()])
    assert r.exit_code == 0 and code in r.output and "Example" in r.output


# ---------------------------------------------------------------------------------------------
# Districts, unknown area, time forms


def _one_day(folder: Path, rows: list[tuple]) -> dict:
    """rows: (order_id, worker_id, accepted_at, completed_at, pay, district); no roster."""
    folder.mkdir(parents=True, exist_ok=True)
    _csv(
        folder / "orders.csv",
        ["order_id", "worker_id", "accepted_at", "completed_at", "pay", "district"],
        rows,
    )
    return report_of(check(folder, "-f", "json"))


def test_district_spellings_and_unknown_area(tmp_path):
    """2 h on Monday 2025-03-03 for 44.00 (22 CNY/h): class 2 (22) → no finding; class 1
    (2 × 23 = 46) → 2.00. A worker without any district is audited at class 1 with a data issue:
    2 h × 23 − 40.00 = 6.00."""
    day = ("2025-03-03 10:00", "2025-03-03 12:00", "44.00")
    spellings = {
        "C1": "城口",
        "C2": "重庆市城口县",
        "C3": "石柱县",
        "C4": "秀山土家族苗族自治县",
        "C5": "酉阳县",
        "K1": "两江新区",
        "K2": "梁平区",
        "K3": "重庆高新区",
        # Short forms of the autonomous counties are class 2 as well.
        "C6": "石柱自治县",
        "C7": "彭水县",
        "C8": "秀山县",
    }
    rows = [(f"o{w}", w, *day, d) for w, d in spellings.items()]
    rows.append(("oU", "U1", "2025-03-03 10:00", "2025-03-03 12:00", "40.00", ""))
    report = _one_day(tmp_path, rows)
    assert findings(report) == {
        ("MW001", "K1", "2025-03-01", "2025-03-31", 2.00),
        ("MW001", "K2", "2025-03-01", "2025-03-31", 2.00),
        ("MW001", "K3", "2025-03-01", "2025-03-31", 2.00),
        ("MW001", "U1", "2025-03-01", "2025-03-31", 6.00),
    }
    assert [(i["column"], i["severity"]) for i in report["data_issues"]] == [
        ("district", "warning")
    ]
    assert "U1" in report["data_issues"][0]["message"]


def test_time_forms(tmp_path):
    """Each order is 10:00–12:00 Asia/Shanghai on 2025-03-03 (2 h × 23 = 46.00) paid 44.00 →
    2.00 each: Excel serial 45719.41666… (2025-03-03 10:00), epoch seconds 1740967200
    (02:00 UTC), ISO with +08:00 and with Z."""
    rows = [
        ("s1", "X1", "45719.416666666664", "45719.5", "44.00", "渝中区"),
        ("s2", "X2", "1740967200", "1740974400", "44.00", "渝中区"),
        ("s3", "X3", "2025-03-03T10:00:00+08:00", "2025-03-03T12:00:00+08:00", "44.00", "渝中区"),
        ("s4", "X4", "2025-03-03T02:00:00Z", "2025-03-03T04:00:00Z", "44.00", "渝中区"),
    ]
    report = _one_day(tmp_path, rows)
    assert report["data_issues"] == []
    assert findings(report) == {
        ("MW001", w, "2025-03-01", "2025-03-31", 2.00) for w in ("X1", "X2", "X3", "X4")
    }
    assert {f["evidence"]["hours"] for f in report["findings"]} == {2.0}


def test_epoch_milliseconds(tmp_path):
    """1741003200000 = 2025-03-03 12:00 UTC = 20:00 in Chongqing; 1741010400000 = 22:00.
    2 h × 23 = 46.00 − 44.00 = 2.00."""
    report = _one_day(tmp_path, [("m1", "X1", "1741003200000", "1741010400000", "44.00", "渝中区")])
    assert report["data_issues"] == []
    assert findings(report) == {("MW001", "X1", "2025-03-01", "2025-03-31", 2.00)}


def test_hp001_order_crossing_into_a_holiday(tmp_path):
    """An order crossing midnight splits its time and its pay. 1/20 (Mon) 10:00–14:00 for
    100.00; 1/27 (Mon, a working day) 23:00 → 1/28 (除夕) 01:00 for 40.00: 1 h and 20.00 on
    each day. Baseline (working days): (100 + 20) / (4 + 1) h = 24.00 CNY/h; 1/28: 20.00 / 1 h
    = 20.00 ≤ 24.00 → (24 − 20) × 1 = 4.00. MW001 January: 6 h × 23 = 138 ≤ 140 → none."""
    rows = [
        ("h1", "H1", "2025-01-20 10:00", "2025-01-20 14:00", "100.00", "渝中区"),
        ("h2", "H1", "2025-01-27 23:00", "2025-01-28 01:00", "40.00", "渝中区"),
    ]
    report = _one_day(tmp_path, rows)
    assert findings(report) == {("HP001", "H1", "2025-01-28", "2025-01-28", 4.00)}
    [hp] = report["findings"]
    assert (hp["observed"], hp["threshold"]) == (20.0, 24.0)
    assert hp["evidence"]["order_ids"] == ["h2"]  # the order whose time falls on the holiday


def _with_allowance(folder: Path, rows: list[tuple]) -> dict:
    """rows: (order_id, worker_id, accepted_at, completed_at, pay, 夜间补贴, cost), 渝中区."""
    folder.mkdir(parents=True, exist_ok=True)
    header = [
        "订单号",
        "骑手ID",
        "接单时间",
        "完成时间",
        "订单收入",
        "夜间补贴",
        "从业成本",
        "区县",
    ]
    _csv(folder / "orders.csv", header, [(*r, "渝中区") for r in rows])
    return report_of(check(folder, "-f", "json"))


def test_allowances_are_not_pay_for_the_minimum_wage(tmp_path):
    """MW001 eligible pay = Σ pay − Σ allowance − Σ cost (《最低工资规定》 art. 12). March 2025,
    class 1, 23 CNY/h:
      A1 2 h paid 50.00 of which 6.00 night allowance: 46 required − 44 eligible = 2.00
         (counting the allowance, 50 ≥ 46 would be no finding);
      A2 2 h paid 50.00, allowance 4.00, cost 1.00: 46 − 45 = 1.00;
      A3 no allowance: 2 h paid 46.00 → 46 = 46, none.
    HP001 compares pay WITH its allowance, the premium it looks for: A4 4 h on Thu 4/3 for
    100.00 (25 CNY/h) and 4 h on 清明 4/4 for 110.00 of which 20.00 holiday allowance: 27.50
    > 25.00 → no HP001 (without the allowance it would be 22.50). MW001 April for A4:
    8 h × 23 = 184 ≤ 100 + 110 − 20 = 190 → none."""
    rows = [
        ("o1", "A1", "2025-03-03 10:00", "2025-03-03 12:00", "50.00", "6.00", ""),
        ("o2", "A2", "2025-03-03 10:00", "2025-03-03 12:00", "50.00", "4.00", "1.00"),
        ("o3", "A3", "2025-03-03 10:00", "2025-03-03 12:00", "46.00", "", ""),
        ("o4", "A4", "2025-04-03 10:00", "2025-04-03 14:00", "100.00", "", ""),
        ("o5", "A4", "2025-04-04 10:00", "2025-04-04 14:00", "110.00", "20.00", ""),
    ]
    report = _with_allowance(tmp_path, rows)
    assert report["data_issues"] == []
    assert findings(report) == {
        ("MW001", "A1", "2025-03-01", "2025-03-31", 2.00),
        ("MW001", "A2", "2025-03-01", "2025-03-31", 1.00),
    }
    a1 = next(f for f in report["findings"] if f["worker_id"] == "A1")
    assert (a1["evidence"]["eligible_cny"], a1["evidence"]["required_cny"]) == (44.0, 46.0)


def test_an_allowance_crossing_midnight_splits_with_its_pay(tmp_path):
    """22:00–01:00 paid 30.00 of which 9.00 night allowance, --period day: 3/3 gets 2/3 of the
    time; 3/4 gets 1 h, pay 30 × 1/3 = 10.00 and allowance 9 × 1/3 = 3.00; 3/3 the rest, 20.00
    and 6.00. 3/3: 2 h × 23 = 46 − (20 − 6) = 32.00; 3/4: 23 − (10 − 3) = 16.00."""
    folder = tmp_path / "night"
    folder.mkdir()
    header = ["order_id", "worker_id", "accepted_at", "completed_at", "pay", "subsidy", "district"]
    row = ("n1", "N1", "2025-03-03 22:00", "2025-03-04 01:00", "30.00", "9.00", "渝中区")
    _csv(folder / "orders.csv", header, [row])
    # The default range ends on the last day an order was accepted: name the next day too.
    report = report_of(check(folder, "-f", "json", "--period", "day", "--to", "2025-03-04"))
    assert findings(report) == {
        ("MW001", "N1", "2025-03-03", "2025-03-03", 32.00),
        ("MW001", "N1", "2025-03-04", "2025-03-04", 16.00),
    }


def test_rules_apply_only_while_their_basis_is_in_force(tmp_path):
    """Platform-managed workers have MW001, HP001, FT002 from 2021-10-29 (渝人社发〔2021〕38号);
    nothing, not even a warning, comes from the days before. Class 1 18 CNY/h from 2019-01-01.
      R1 2018-03-05 2 h for 26.00: 2 × 15 = 30 − 26 = 4.00 was owed under the old reading:
         now no finding.
      R2 2021-10-01 (国庆, statutory) 4 h for 80.00 and no working day that month: an HP001
         warning under the old reading; now none (MW001 4 × 18 = 72 ≤ 80 either way).
      R3 2021-10-20 2 h for 20.00 (before: ignored) and Fri 10-29 2 h for 35.00: October is
         audited from 10-29: 2 × 18 = 36 − 35 = 1.00, period 2021-10-29..2021-10-31.
      R4 9 h on 10-28 (before: no FT002) and 9 h on 10-29 → FT002 on 10-29 only; pay 200.00
         a day, 9 × 18 = 162 ≤ 200.
    The 2018 order makes the default range start in March 2018 (years whose bridging days are
    unknown only add D010 warnings)."""
    rows = [
        ("r1", "R1", "2018-03-05 10:00", "2018-03-05 12:00", "26.00", "渝中区"),
        ("r2", "R2", "2021-10-01 10:00", "2021-10-01 14:00", "80.00", "渝中区"),
        ("r3", "R3", "2021-10-20 10:00", "2021-10-20 12:00", "20.00", "渝中区"),
        ("r4", "R3", "2021-10-29 10:00", "2021-10-29 12:00", "35.00", "渝中区"),
    ]
    for day in ("2021-10-28", "2021-10-29"):  # 4 h + 4 h + 1 h with 30 min breaks: no FT001
        for n, (start, end, pay) in enumerate(
            (("08:00", "12:00", "90.00"), ("12:30", "16:30", "90.00"), ("17:00", "18:00", "20.00"))
        ):
            rows.append((f"{day}-{n}", "R4", f"{day} {start}", f"{day} {end}", pay, "渝中区"))
    assert findings(_one_day(tmp_path, rows)) == {
        ("MW001", "R3", "2021-10-29", "2021-10-31", 1.00),
        ("FT002", "R4", "2021-10-29", "2021-10-29", 0.00),
    }


def test_from_after_to_is_a_usage_error(canonical):
    r = check(canonical, "-f", "json", "--from", "2025-02-01", "--to", "2025-01-01")
    assert r.exit_code == 2


def test_allowance_ratio(tmp_path, canonical):
    """working_time.allowance_ratio = 0.1: working time × 1.1 (docs/semantics.md), continuous order
    time unchanged. MW001 per month:
      P1 Dec 4.4 h × 21 = 92.40 − 88 = 4.40; Jan 4.4 × 23 = 101.20 − 88 = 13.20
      P2 Dec 4.4 × 20 = 88.00 − 82 = 6.00;   Jan 4.4 × 22 = 96.80 − 82 = 14.80
      P3 4.4 × 22 = 96.80 − 86 = 10.80;  P4 2.2 × 23 = 50.60 − 40 = 10.60
      P5 1.65 × 23 = 37.95 − 34 = 3.95;  P6 3.3 × 23 = 75.90 − 30 = 45.90
      P7 Jan 17.6 × 23 = 404.80 ≤ 520, Feb 8.8 × 23 = 202.40 ≤ 212: none
      P8 Feb 2024 8.8 × 21 = 184.80 − 180 = 4.80; Oct 2025 8.8 × 23 = 202.40 − 190 = 12.40
      P9 May 8.8 × 23 = 202.40 − 200 = 2.40
    FT002: P11 3/10 8 × 1.1 = 8.8 h and 3/11 8.82 h > 8. HP001 scales both rates alike:
    P7 25.00 × 4.4 − 100 = 10.00, P8 (100 / 4.4) × 4.4 − 90 = 10.00, P9 the warning."""
    (tmp_path / "p.toml").write_text("[working_time]\nallowance_ratio = 0.1\n", "utf-8")
    got = findings(
        report_of(
            check(
                canonical,
                "-f",
                "json",
                "--config",
                tmp_path / "p.toml",
                "--select",
                "MW001,FT002,HP001",
            )
        )
    )
    month = lambda w, s, e, x: ("MW001", w, s, e, x)  # noqa: E731
    assert got == {
        month("P1", "2024-12-01", "2024-12-31", 4.40),
        month("P1", "2025-01-01", "2025-01-31", 13.20),
        month("P2", "2024-12-01", "2024-12-31", 6.00),
        month("P2", "2025-01-01", "2025-01-31", 14.80),
        month("P3", "2025-01-01", "2025-01-31", 10.80),
        month("P4", "2025-01-01", "2025-01-31", 10.60),
        month("P5", "2025-03-01", "2025-03-31", 3.95),
        month("P6", "2025-03-01", "2025-03-31", 45.90),
        month("P8", "2024-02-01", "2024-02-29", 4.80),
        month("P8", "2025-10-01", "2025-10-31", 12.40),
        month("P9", "2025-05-01", "2025-05-31", 2.40),
        ("FT002", "P11", "2025-03-10", "2025-03-10", 0.0),
        ("FT002", "P11", "2025-03-11", "2025-03-11", 0.0),
        ("HP001", "P7", "2025-01-28", "2025-01-28", 10.00),
        ("HP001", "P8", "2025-10-06", "2025-10-06", 10.00),
        ("HP001", "P9", "2025-05-01", "2025-05-01", 0.0),
    }


def test_findings_sorted_by_worker_period_rule(month_report):
    keys = [
        (f["worker_id"], f["period_start"], f["period_end"], f["rule"])
        for f in month_report["findings"]
    ]
    assert keys == sorted(keys)


def test_required_pay_rounded_once(tmp_path):
    """W1: three orders of 61 min, 23.38 each. Required 3 × 61/60 × 23 = 70.15 exactly
    (rounding each day first would give 3 × 23.38 = 70.14 and no finding); eligible 70.14 →
    0.01. W2: 30 s × 23 / 3600 = 0.1917 → 0.19 = paid → none."""
    rows = [
        (f"o{d}", "W1", f"2025-03-0{d} 10:00", f"2025-03-0{d} 11:01", "23.38", "渝中区")
        for d in (3, 4, 5)
    ]
    rows.append(("o9", "W2", "2025-03-03 10:00:00", "2025-03-03 10:00:30", "0.19", "渝中区"))
    assert findings(_one_day(tmp_path, rows)) == {("MW001", "W1", "2025-03-01", "2025-03-31", 0.01)}
