"""What a finding rests on, gathered for people (the HTML report, worker statements): the facts
its rule recorded, the orders it cites with their times and pay, the day's figures, and for a
holiday finding the working days of the month its rate is compared with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

import polars as pl

from payaudit.i18n import DAY_TYPES, column, t
from payaudit.i18n import label as word

from .model import Report, cny

LISTS = ("order_ids", "dates")  # shown as tables or a line of their own, not as facts
HOLIDAY_RULE = "HP001"
WORKING_DAYS = ("working_day", "adjusted_working_day")

# Evidence keys as a person reads them; a key not listed is shown as it is.
LABELS: dict[str, dict[str, str]] = {
    "date": {"zh": "日期", "en": "Date"},
    "dates": {"zh": "日期", "en": "Dates"},
    "days": {"zh": "天数", "en": "Days"},
    "hours": {"zh": "工作时间（小时）", "en": "Working hours"},
    "seconds": {"zh": "工作时间（秒）", "en": "Working time (s)"},
    "start": {"zh": "开始", "en": "Start"},
    "end": {"zh": "结束", "en": "End"},
    "holiday": {"zh": "节日", "en": "Holiday"},
    "pay_cny": {"zh": "报酬（元）", "en": "Pay (CNY)"},
    "baseline_pay_cny": {"zh": "当月工作日报酬（元）", "en": "Working-day pay (CNY)"},
    "baseline_hours": {"zh": "当月工作日工时（小时）", "en": "Working-day hours"},
    "eligible_cny": {"zh": "计入最低工资的报酬（元）", "en": "Eligible pay (CNY)"},
    "required_cny": {"zh": "按最低工资应得（元）", "en": "Due at the minimum wage (CNY)"},
    "payout_id": {"zh": "结算单号", "en": "Payout"},
    "payout_ids": {"zh": "同期结算单", "en": "Payouts of the period"},
    "stretches": {"zh": "超时连续接单段", "en": "Stretches over the limit"},
    "row": {"zh": "行号", "en": "Row"},
    "due_date": {"zh": "应付日期", "en": "Due"},
    "paid_at": {"zh": "支付时间", "en": "Paid at"},
    "unpaid": {"zh": "未支付", "en": "Unpaid"},
    "max_hours": {"zh": "时间上限（小时）", "en": "Limit (h)"},
    "midday_minutes": {"zh": "午间作业（分钟）", "en": "Midday work (min)"},
    "overtime_hours": {"zh": "加班时间（小时）", "en": "Overtime (h)"},
    "orders": {"zh": "订单数", "en": "Orders"},
    "days_worked": {"zh": "工作天数", "en": "Days worked"},
    "extended_hours": {"zh": "工作日延长工作时间（小时）", "en": "Extended hours"},
    "rest_day_hours": {"zh": "休息日工作时间（小时）", "en": "Rest-day hours"},
    "holiday_hours": {"zh": "法定节假日工作时间（小时）", "en": "Holiday hours"},
    "rest_days": {"zh": "休息日", "en": "Rest days"},
    "review_dates": {"zh": "待核查日期", "en": "Dates to review"},
    "comp_rest_unknown": {"zh": "补休情况未知", "en": "Compensatory rest unknown"},
    "gross_cny": {"zh": "应发工资（元）", "en": "Gross pay (CNY)"},
    "hourly_base_cny": {"zh": "小时工资基数（元）", "en": "Hourly base (CNY)"},
    "minimum_cny": {"zh": "最低应付（元）", "en": "Minimum due (CNY)"},
    "roster_row": {"zh": "花名册行号", "en": "Roster row"},
    "platforms": {"zh": "平台", "en": "Platforms"},
}


@dataclass
class Evidence:
    facts: list[tuple[str, str]]  # (label, value) as recorded by the rule
    dates: list[str]  # the days a period finding covers
    orders: list[dict[str, Any]]  # order_id, accepted_at, completed_at, pay_cny
    day: dict[str, Any] | None  # the day's figures (a day finding): hours, longest stretch, pay
    baseline: list[dict[str, Any]] = field(default_factory=list)  # HP001: the month's work days
    order_ids: list[str] = field(default_factory=list)  # as cited, found in the orders or not


def label(key: str, lang: str) -> str:
    return LABELS.get(key, {}).get(lang, key)


def _text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return {"zh": "是", "en": "yes"}[lang] if value else {"zh": "否", "en": "no"}[lang]
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _decode(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def gather(report: Report, findings: pl.DataFrame) -> list[Evidence]:
    """The evidence of each of `findings` (rows of report.findings), in their order."""
    decoded = [_decode(e) for e in findings.get_column("evidence").to_list()]
    ids = {i for d in decoded for i in d.get("order_ids") or [] if isinstance(i, str)}
    orders: dict[str, dict[str, Any]] = {}
    if ids and report.orders.height:
        found = report.orders.filter(pl.col("order_id").is_in(list(ids)))
        found = found.with_columns(cny("pay")).sort("accepted_at")
        orders = {r["order_id"]: r for r in found.iter_rows(named=True)}
    workers = findings.get_column("worker_id").unique().implode()
    daily = report.daily.filter(pl.col("worker_id").is_in(workers)).sort("worker_id", "date")
    days: dict[tuple[str, date], dict[str, Any]] = {}
    months: dict[tuple[str, date], list[dict[str, Any]]] = {}  # HP001's baseline: work days
    for d in daily.iter_rows(named=True):
        days[(d["worker_id"], d["date"])] = d
        if d["day_type"] in WORKING_DAYS and d["hours"]:
            months.setdefault((d["worker_id"], d["date"].replace(day=1)), []).append(d)
    out = []
    for row, ev in zip(findings.iter_rows(named=True), decoded, strict=True):
        facts = [
            (label(k, report.lang), _text(v, report.lang))
            for k, v in ev.items()
            if k not in LISTS and v is not None
        ]
        cited = [orders[i] for i in ev.get("order_ids") or [] if i in orders]
        cited.sort(key=lambda o: (o["accepted_at"] is None, o["accepted_at"]))
        key = (row["worker_id"], row["period_start"])
        day = days.get(key) if row["period_start"] == row["period_end"] else None
        baseline = []
        if row["rule"] == HOLIDAY_RULE:
            baseline = months.get((key[0], key[1].replace(day=1)), [])
        ids = list(map(str, ev.get("order_ids") or []))
        dates = list(map(str, ev.get("dates") or []))
        out.append(Evidence(facts, dates, cited, day, baseline, ids))
    return out


def _cny(fen: int | None) -> str:
    return "" if fen is None else f"{Decimal(fen) / 100:,.2f}"


def _rate(fen: int, hours: float) -> str:
    """Pay per hour, rounded half-up to the fen."""
    rate = Decimal(fen) / 100 / Decimal(str(hours))
    return f"{rate.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


def _table(headers: list[str], rows: list[list[str]], cls: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _time(value: Any) -> str:
    return "" if value is None else str(value)[:16]


def html(ev: Evidence, basis: str | None, lang: str) -> str:
    """One finding's evidence and legal basis as an HTML fragment (escaped)."""
    parts = []
    if basis:
        parts.append(f'<p class="basis"><b>{escape(column("basis", lang))}</b> {escape(basis)}</p>')
    if ev.facts:
        items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in ev.facts)
        parts.append(f'<dl class="facts">{items}</dl>')
    if ev.dates:
        parts.append(
            f'<p class="dates"><b>{escape(label("dates", lang))}</b> '
            f"{escape(', '.join(ev.dates))}</p>"
        )
    if ev.day:
        d = ev.day
        parts.append(
            _table(
                [t("date", lang), t("day_type", lang), column("hours", lang), t("pay", lang)],
                [
                    [
                        str(d["date"]),
                        word(DAY_TYPES, d["day_type"], lang),
                        f"{d['hours']:.2f}",
                        _cny(d["pay_fen"]),
                    ]
                ],
                "day",
            )
        )
    if ev.baseline:
        parts.append(f"<p><b>{escape(t('baseline_days', lang))}</b></p>")
        parts.append(
            _table(
                [
                    t("date", lang),
                    t("day_type", lang),
                    column("hours", lang),
                    t("pay", lang),
                    t("rate", lang),
                ],
                [
                    [
                        str(d["date"]),
                        word(DAY_TYPES, d["day_type"], lang),
                        f"{d['hours']:.2f}",
                        _cny(d["pay_fen"]),
                        _rate(d["pay_fen"], d["hours"]),
                    ]
                    for d in ev.baseline
                ],
                "baseline",
            )
        )
    if ev.order_ids and not ev.orders:  # orders not at hand (a large input audited in parts)
        parts.append(
            f"<p><b>{escape(t('evidence_orders', lang))}</b> ({len(ev.order_ids)}) "
            f"{escape(', '.join(ev.order_ids))}</p>"
        )
    if ev.orders:
        parts.append(f"<p><b>{escape(t('evidence_orders', lang))}</b> ({len(ev.orders)})</p>")
        parts.append(
            _table(
                [
                    t("order_id", lang),
                    t("accepted_at", lang),
                    t("completed_at", lang),
                    t("pay", lang),
                ],
                [
                    [
                        o["order_id"],
                        _time(o["accepted_at"]),
                        _time(o["completed_at"]),
                        f"{o['pay_cny']:,.2f}" if o["pay_cny"] is not None else "",
                    ]
                    for o in ev.orders
                ],
                "orders",
            )
        )
    return "".join(parts)
