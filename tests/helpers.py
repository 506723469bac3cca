"""Builders of canonical frames and Datasets for rule tests: rows as tuples or dicts, times as
"2025-01-06 09:00", dates as "2025-01-06", money in CNY (converted to exact fen)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import polars as pl

from payaudit.config import Settings
from payaudit.contracts import contract
from payaudit.dataset import Dataset
from payaudit.engine.context import AuditContext, build_context
from payaudit.engine.inputs import canonical_schema
from payaudit.engine.run import run_audit
from payaudit.money import cny_to_fen
from payaudit.rulepack import load_pack
from payaudit.rules import select_rules

ORDER_FIELDS = ("order_id", "worker_id", "accepted_at", "completed_at", "pay")
SHIFT_FIELDS = ("worker_id", "start", "end", "kind")
WORKER_FIELDS = ("worker_id", "category", "district")


def _value(kind: str, value: object) -> object:
    if value is None or not isinstance(value, str | int | float | Decimal):
        return value
    if kind == "time":
        return datetime.fromisoformat(str(value))
    if kind == "date":
        return date.fromisoformat(str(value))
    if kind == "money":
        return cny_to_fen(Decimal(str(value)))
    return value


def frame(table: str, rows: list, fields: tuple[str, ...] = ()) -> pl.DataFrame:
    """A canonical frame: each row a dict, or a tuple of `fields` optionally ending in a dict
    of further columns. `_path` is "<table>.csv" and `_row` the spreadsheet row (header = 1)."""
    kinds = {c.name: c.type for c in contract(table).columns}
    records = []
    for n, row in enumerate(rows, start=2):
        if not isinstance(row, dict):
            extra = row[-1] if row and isinstance(row[-1], dict) else {}
            row = dict(zip(fields, row[: len(row) - bool(extra)], strict=False)) | extra
        record = {name: _value(kinds[name], row.get(name)) for name in kinds}
        records.append(record | {"_path": f"{table}.csv", "_row": n})
    return pl.DataFrame(records, schema=canonical_schema(table), orient="row")


def orders(rows: list) -> pl.DataFrame:
    """Rows: (order_id, worker_id, accepted_at, completed_at, pay_cny[, {district: ...}])."""
    return frame("orders", rows, ORDER_FIELDS)


def shifts(rows: list) -> pl.DataFrame:
    """Rows: (worker_id, start, end, kind)."""
    return frame("shifts", rows, SHIFT_FIELDS)


def workers(rows: list) -> pl.DataFrame:
    """Rows: (worker_id, category, district[, {...}])."""
    return frame("workers", rows, WORKER_FIELDS)


def dataset(**tables: list | pl.DataFrame) -> Dataset:
    """A Dataset of the given tables: a list of rows goes through the builder of its table."""
    builders = {"orders": orders, "shifts": shifts, "workers": workers}
    frames = {
        name: rows
        if isinstance(rows, pl.DataFrame)
        else builders.get(name, lambda r, t=name: frame(t, r))(rows)
        for name, rows in tables.items()
    }
    return Dataset(frames=frames)


def context(ds: Dataset, settings: Settings | None = None, **range_: date) -> AuditContext:
    settings = settings or Settings()
    pack = load_pack(settings.jurisdiction, settings.params)
    return build_context(ds, settings, pack, range_.get("date_from"), range_.get("date_to"))


def audit(ds: Dataset, settings: Settings | None = None, select=(), **range_: date):
    """run_audit with the selected rules (all when empty)."""
    settings = settings or Settings()
    rules = select_rules(list(select), [])
    return run_audit(ds, settings, rules, range_.get("date_from"), range_.get("date_to"))


def findings(ds: Dataset, rule: str, settings: Settings | None = None, **range_: date):
    """The findings of one rule as a list of dicts."""
    return audit(ds, settings, [rule], **range_).findings.to_dicts()
