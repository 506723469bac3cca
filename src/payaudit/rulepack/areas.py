"""Districts → canonical names → minimum-wage area class, as data (cn-chongqing/areas.toml).

Name matching is one Polars expression used both for whole columns and for single names, so
the CLI and the audit can never disagree about a district.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

import polars as pl

# Zones keep their full name: "两江新" or "万盛经开县" are not names anyone writes.
_ZONE_SUFFIXES = ("新区", "高新区", "经开区")
_PREFIXES = ("重庆市", "重庆")
_ENGLISH_SUFFIXES = (" district", " county")


def read_toml(jurisdiction: str, stem: str) -> dict:
    return tomllib.loads(
        files("payaudit.rulepack").joinpath(jurisdiction, f"{stem}.toml").read_text("utf-8")
    )


@dataclass(frozen=True)
class AreaEpoch:
    effective_from: date
    classes: dict[str, int]  # canonical district → area class
    reference: str
    verified: bool


@dataclass(frozen=True)
class Areas:
    aliases: dict[str, str]  # lower-cased name variant → canonical name
    epochs: tuple[AreaEpoch, ...]  # ascending by effective_from
    city: tuple[str, ...] = ()  # lower-cased names of the whole city

    def is_city_expr(self, column: pl.Expr) -> pl.Expr:
        """Whether each value names the whole city (重庆市, 全市) rather than a district."""
        return column.cast(pl.String).str.strip_chars().str.to_lowercase().is_in(self.city)

    def canonical_expr(self, column: pl.Expr) -> pl.Expr:
        """Canonical district name of each value, null when unknown."""
        name = column.cast(pl.String).str.strip_chars().str.to_lowercase()
        for suffix in _ENGLISH_SUFFIXES:
            name = name.str.strip_suffix(suffix)
        bare = name
        for prefix in _PREFIXES:
            bare = bare.str.strip_prefix(prefix)
        return pl.coalesce(
            name.replace_strict(self.aliases, default=None, return_dtype=pl.String),
            bare.replace_strict(self.aliases, default=None, return_dtype=pl.String),
        )

    def canonical(self, name: str | None) -> str | None:
        if name is None:
            return None
        return pl.select(self.canonical_expr(pl.lit(name, pl.String))).item()

    def area_class(self, district: str | None, on: date) -> int | None:
        canonical = self.canonical(district)
        epochs = [e for e in self.epochs if e.effective_from <= on]
        return epochs[-1].classes.get(canonical) if epochs and canonical else None


def _variants(canonical: str, entry: dict) -> set[str]:
    names = {canonical, *entry.get("aliases", ())}
    if "pinyin" in entry:
        names.add(entry["pinyin"])
    if canonical[-1] in "区县" and not canonical.endswith(_ZONE_SUFFIXES):
        bare = canonical[:-1]
        names |= {bare, bare + "区", bare + "县"}
    return {n.lower() for n in names}


@cache
def load_areas(jurisdiction: str) -> Areas:
    raw = read_toml(jurisdiction, "areas")
    aliases: dict[str, str] = {}
    for canonical, entry in raw["districts"].items():
        for variant in _variants(canonical, entry):
            if aliases.setdefault(variant, canonical) != canonical:
                raise ValueError(f"{variant!r} names both {aliases[variant]} and {canonical}")
    epochs = tuple(
        AreaEpoch(
            effective_from=e["effective_from"],
            classes={d: k for k in (1, 2) for d in e[f"class{k}"]},
            reference=e["reference"],
            verified=e["verified"],
        )
        for e in raw["classes"]
    )
    return Areas(aliases, epochs, tuple(name.lower() for name in raw.get("city", ())))
