"""Legal parameters keyed by effective date, each value cited, and districts → area class.

Data: `cn-chongqing/params.toml` (parameters), `areas.toml` (districts and area classes),
`platforms.toml` (platform spellings and industries), `rules.toml` (from when each rule applies
to each category of worker); schema in `schema.py`.
"""

from __future__ import annotations

from importlib.resources import files

import polars as pl

from payaudit.errors import ConfigError
from payaudit.rulepack.areas import load_areas
from payaudit.rulepack.overrides import OVERRIDE_REFERENCE, apply_overrides
from payaudit.rulepack.pack import RulePack, base_pack
from payaudit.rulepack.schema import UNITS, Parameter, Value

DEFAULT_JURISDICTION = "cn-chongqing"

__all__ = [
    "OVERRIDE_REFERENCE",
    "UNITS",
    "Parameter",
    "RulePack",
    "Value",
    "canonical_district",
    "canonical_district_expr",
    "jurisdictions",
    "load_pack",
]


def jurisdictions() -> list[str]:
    """The rule packs shipped: folders holding a params.toml."""
    root = files("payaudit.rulepack")
    return sorted(d.name for d in root.iterdir() if d.joinpath("params.toml").is_file())


def load_pack(jurisdiction: str = DEFAULT_JURISDICTION, overrides: dict | None = None) -> RulePack:
    """The rule pack of a jurisdiction with the config's `[params]` overrides applied."""
    if jurisdiction not in jurisdictions():
        known = ", ".join(jurisdictions())
        raise ConfigError(f"Unknown jurisdiction '{jurisdiction}'; rule packs: {known}.")
    base = base_pack(jurisdiction)
    return RulePack(
        name=base.name,
        jurisdiction=jurisdiction,
        parameters=apply_overrides(base.parameters, overrides),
        areas=load_areas(jurisdiction),
        platforms=base.platforms,
        industries=base.industries,
        rules=base.rules,
    )


def canonical_district(name: str | None) -> str | None:
    """The canonical name of a Chongqing district, county or zone (e.g. 石柱土家族自治县 → 石柱县,
    开县 → 开州区, 西部科学城重庆高新区 → 重庆高新区); None when unknown."""
    return load_areas(DEFAULT_JURISDICTION).canonical(name)


def is_city_expr(column: pl.Expr | str) -> pl.Expr:
    """Whether each value names the whole city, not a district (a city-wide forecast)."""
    column = pl.col(column) if isinstance(column, str) else column
    return load_areas(DEFAULT_JURISDICTION).is_city_expr(column)


def canonical_district_expr(column: pl.Expr | str) -> pl.Expr:
    """The same for a whole column: canonical names, null when unknown."""
    column = pl.col(column) if isinstance(column, str) else column
    return load_areas(DEFAULT_JURISDICTION).canonical_expr(column)
