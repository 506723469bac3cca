"""Table contracts read from the data files in `schemas/`: the one source of column names,
types, aliases and checks. The loader, the Pandera models and the docs all derive from it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

TABLES = ("orders", "shifts", "workers", "payouts", "weather")
TYPES = frozenset({"text", "time", "date", "money", "bool", "number", "enum", "district"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    required: bool = False
    unique: bool = False
    personal: bool = False
    aliases: tuple[str, ...] = ()
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # enum: value -> its spellings
    default: str | None = None
    not_before: str | None = None  # an earlier time/date column this one may not precede
    min: float | None = None
    max: float | None = None
    signed: bool = False  # money that may be below zero (net pay after deductions)


@dataclass(frozen=True)
class Contract:
    table: str
    required: bool
    meaning: str
    stems: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _column(raw: dict) -> Column:
    raw = dict(raw)
    values = {k: tuple(v) for k, v in raw.pop("values", {}).items()}
    aliases = tuple(raw.pop("aliases", ()))
    col = Column(aliases=aliases, values=values, **raw)
    if col.type not in TYPES:
        raise ValueError(f"schema column {col.name} has unknown type {col.type}")
    return col


@cache
def contract(table: str) -> Contract:
    text = resources.files("payaudit.schemas").joinpath(f"{table}.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return Contract(
        table=raw["table"],
        required=raw["required"],
        meaning=raw["meaning"],
        stems=tuple(raw["stems"]),
        columns=tuple(_column(c) for c in raw["columns"]),
    )


@cache
def aliases(column: str) -> tuple[str, ...]:
    """Every alias of a column name, across all tables: an alias holds wherever the column does."""
    seen: dict[str, None] = {}
    for table in TABLES:
        for col in contract(table).columns:
            if col.name == column:
                seen.update(dict.fromkeys(col.aliases))
    return tuple(seen)
