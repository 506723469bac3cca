"""Hand-built AuditResults for the report tests, so they need neither loader nor engine."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

import polars as pl
import pytest

from payaudit.config import Settings
from payaudit.dataset import ISSUE_SCHEMA, Dataset, InputFile
from payaudit.engine.findings import FINDING_SCHEMA, with_status
from payaudit.engine.result import DAILY_SCHEMA, PARAMETER_SCHEMA, WORKER_SCHEMA, AuditResult
from payaudit.rules.base import REGISTRY, Rule

EVIL = '=HYPERLINK("http://x")'
NAME, PHONE, ID_NUMBER = "张三丰", "13800138000", "500101199001011234"


class StubRule(Rule):
    """A rule as the rule families define them: names and messages in both languages."""

    code = "ZZ901"
    name: ClassVar = {"en": "Stub hourly minimum wage", "zh": "测试小时最低工资"}
    severity = "error"
    categories = ("platform_managed",)
    unit = "CNY/h"
    basis = "渝人社发〔2021〕38号"
    message: ClassVar = {
        "en": "Worker {worker_id} earned {observed:.2f} CNY/h, below {threshold:.2f}; owed "
        "{shortfall} CNY.",
        "zh": "劳动者 {worker_id} 实际小时收入 {observed:.2f} 元，低于 {threshold:.2f} 元；"
        "应补发 {shortfall} 元。",
    }


@pytest.fixture(autouse=True)
def stub_rule():
    REGISTRY.setdefault(StubRule.code, StubRule)
    yield
    REGISTRY.pop(StubRule.code, None)


def findings(n: int, workers: list[str]) -> pl.DataFrame:
    """n findings spread over `workers`, sorted by worker, period, rule."""
    start = date(2025, 1, 1)
    rows = {
        "rule": ["ZZ901"] * n,
        "severity": ["error" if i % 3 else "warning" for i in range(n)],
        "worker_id": [workers[i % len(workers)] for i in range(n)],
        "category": ["platform_managed"] * n,
        "platform": ["美团"] * n,
        "period_start": [start + timedelta(days=i % 28) for i in range(n)],
        "period_end": [start + timedelta(days=i % 28) for i in range(n)],
        "observed": [20.0 + (i % 7) / 10 for i in range(n)],
        "threshold": [23.0] * n,
        "unit": ["CNY/h"] * n,
        "shortfall_fen": [(i * 37) % 10_000 + 5 for i in range(n)],
        "evidence": [
            json.dumps({"orders": [f"O{i}"], "worker": workers[i % len(workers)]}) for i in range(n)
        ],
        "basis": ["渝人社发〔2021〕38号"] * n,
        "message": ["engine text"] * n,
    }
    return pl.DataFrame(rows, schema=FINDING_SCHEMA).sort(
        "worker_id", "period_start", "period_end", "rule"
    )


def workers_frame(ids: list[str], fs: pl.DataFrame) -> pl.DataFrame:
    per = fs.group_by("worker_id").agg(pl.len().alias("findings"), pl.col("shortfall_fen").sum())
    base = pl.DataFrame({"worker_id": ids}).join(per, on="worker_id", how="left")
    n = len(ids)
    return base.with_columns(
        pl.lit("platform_managed").alias("category"),
        pl.lit("美团").alias("platform"),
        pl.lit("渝中区").alias("district"),
        pl.lit(1, pl.Int8).alias("area_class"),
        pl.lit(True).alias("in_scope"),
        pl.Series("days_worked", list(range(1, n + 1)), pl.Int64),
        pl.Series("hours", [float(8 * (i + 1)) for i in range(n)]),
        pl.Series("pay_fen", [16_000 * (i + 1) for i in range(n)], pl.Int64),
        pl.Series("eligible_pay_fen", [15_000 * (i + 1) for i in range(n)], pl.Int64),
        pl.Series("effective_hourly_cny", [18.75 + i for i in range(n)]),
        pl.col("findings").fill_null(0),
        pl.col("shortfall_fen").fill_null(0),
    ).select([pl.col(c).cast(t) for c, t in WORKER_SCHEMA.items()])


def daily_frame(ids: list[str]) -> pl.DataFrame:
    rows = [
        {
            "worker_id": w,
            "date": date(2025, 1, d),
            "day_type": "working_day" if d % 7 else "statutory_holiday",
            "hours": 5.0 + (d + i) % 6,
            "longest_stretch_hours": 2.0 + (d * i) % 4,
            "pay_fen": 12_000,
            "min_wage_hourly": 23.0,
        }
        for i, w in enumerate(ids)
        for d in range(1, 8)
    ]
    return pl.DataFrame(rows, schema=DAILY_SCHEMA)


def parameters_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "name": "max_daily_hours",
                "value": "8",
                "unit": "h",
                "area_class": None,
                "effective_from": date(2023, 11, 8),
                "reference": "人社厅发〔2023〕50号 第四条",
                "verified": True,
            },
            {
                "name": "hourly_min_wage",
                "value": "23",
                "unit": "CNY/h",
                "area_class": 1,
                "effective_from": date(2025, 4, 1),
                "reference": "渝府发〔2025〕x号",
                "verified": True,
            },
            {
                "name": "hourly_min_wage",
                "value": "22",
                "unit": "CNY/h",
                "area_class": 2,
                "effective_from": date(2025, 4, 1),
                "reference": "渝府发〔2025〕x号",
                "verified": True,
            },
            {
                "name": "max_continuous_hours",
                "value": "4",
                "unit": "h",
                "area_class": None,
                "effective_from": date(2023, 11, 8),
                "reference": "人社厅发〔2023〕50号 第五条",
                "verified": True,
            },
        ],
        schema=PARAMETER_SCHEMA,
    )


def issues_frame(tmp: Path) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "code": "D004",
                "severity": "error",
                "table": "orders",
                "path": str(tmp / "o.csv"),
                "row": 7,
                "column": "order_id",
                "value": "O1",
                "message": "duplicate order id",
            },
            {
                "code": "D010",
                "severity": "warning",
                "table": "workers",
                "path": str(tmp / "w.csv"),
                "row": 3,
                "column": "phone",
                "value": PHONE,
                "message": f"unparseable phone {PHONE}",
            },
            {
                "code": "D012",
                "severity": "error",
                "table": "orders",
                "path": str(tmp / "o.csv"),
                "row": 9,
                "column": "worker_id",
                "value": "W9",
                "message": "unknown worker W9",
            },
        ],
        schema=ISSUE_SCHEMA,
    )


def make_result(tmp: Path, n: int = 12, ids: list[str] | None = None) -> AuditResult:
    ids = ids or ["W1", "W2", EVIL, "W12"]
    fs = findings(n, ids)
    orders = tmp / "orders.csv"
    orders.write_text("order_id,worker_id\nO1,W1\n", "utf-8")
    roster = pl.DataFrame(
        {
            "worker_id": ids,
            "name": [NAME] + ["李四"] * (len(ids) - 1),
            "phone": [PHONE] * len(ids),
            "id_number": [ID_NUMBER] * len(ids),
        }
    )
    dataset = Dataset(
        frames={"orders": pl.DataFrame({"worker_id": ids}), "workers": roster},
        inputs=[InputFile("orders", str(orders), "ab" * 32, 10, 9, 1)],
        issues=issues_frame(tmp),
    )
    return AuditResult(
        findings=with_status(fs),
        workers=workers_frame(ids, fs),
        daily=daily_frame(ids),
        parameters=parameters_frame(),
        dataset=dataset,
        settings=Settings(),
        rule_pack="cn-chongqing 2025.1",
        rules=["ZZ901"],
        warnings=["No bridging-day table for 2026."],
        manifest={"generated_at": "2025-02-01T09:00:00+08:00", "command_line": ["payaudit"]},
    )
