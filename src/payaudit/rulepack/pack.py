"""RulePack: the dated parameters of one jurisdiction, looked up for one day or whole frames."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

from payaudit.contracts import contract
from payaudit.errors import ConfigError
from payaudit.rulepack.areas import Areas, read_toml
from payaudit.rulepack.schema import InForce, Parameter, parse_in_force, parse_pack

_KEY = "_pa_key"  # temporary columns of the frame look-ups start with _pa_
_ONE_ROW = {"platform": pl.String, "date": pl.Date}
TABLE_SCHEMA = {
    "effective_from": pl.Date,
    "area_class": pl.Int8,
    "value": pl.Float64,
    "unit": pl.String,
    "reference": pl.String,
    "verified": pl.Boolean,
}


def _number(unit: str, value: object) -> float:
    """A value as a number for tables: times of day become hours after midnight, booleans 1/0."""
    if unit == "time":
        hours, minutes = str(value).split(":")
        return int(hours) + int(minutes) / 60
    return float(value)


@dataclass(frozen=True)
class RulePack:
    name: str  # e.g. "cn-chongqing 2026-11"
    jurisdiction: str
    parameters: dict[str, Parameter]
    areas: Areas
    platforms: dict[str, str]  # lower-cased spelling → canonical platform name
    industries: dict[str, str]  # canonical platform name → its industry
    rules: dict[str, dict[str, InForce]]  # rule code → category → from when it applies

    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise ConfigError(f"{name} is not a parameter of rule pack {self.name}.") from None

    def value(self, name: str, on: date, area_class: int | None = None) -> object:
        """The value in force on a day (None before the first); for an area-class parameter
        the class's value, or {class: value} when no class is given."""
        current = self.parameter(name).at(on)
        if current is None or area_class is None or not isinstance(current.value, dict):
            return None if current is None else current.value
        return current.value.get(area_class)

    def table(self, name: str) -> pl.DataFrame:
        """One row per value (and area class) of a parameter with a numeric value."""
        parameter = self.parameter(name)
        if parameter.unit == "list":
            raise ConfigError(f"{name} is a list, not a number; use pilot_platform().")
        rows = [
            {
                "effective_from": v.effective_from,
                "area_class": area_class,
                "value": _number(parameter.unit, value),
                "unit": parameter.unit,
                "reference": v.reference,
                "verified": v.verified,
            }
            for v in parameter.values
            for area_class, value in (
                v.value.items() if parameter.by_area_class else [(None, v.value)]
            )
        ]
        return pl.DataFrame(rows, schema=TABLE_SCHEMA)

    def asof(
        self,
        frame: pl.LazyFrame,
        name: str,
        date_col: str = "date",
        class_col: str | None = None,
        out: str | None = None,
    ) -> pl.LazyFrame:
        """`frame` with the value in force on each row's date (and area class) as column `out`:
        an as-of join of the distinct dates against the parameter's table, one per class."""
        parameter = self.parameter(name)
        if parameter.by_area_class and class_col is None:
            raise ConfigError(f"{name} depends on the area class: give class_col.")
        classes = sorted(parameter.values[-1].value) if parameter.by_area_class else [None]
        table = self.table(name).lazy()

        def look_up(dates: pl.LazyFrame) -> pl.LazyFrame:
            dates = dates.drop_nulls().sort(_KEY)
            for area_class in classes:
                rows = table.filter(pl.col("area_class").eq_missing(area_class))
                rows = rows.select(
                    pl.col("effective_from").alias(_KEY),
                    pl.col("value").alias(_value_col(area_class)),
                )
                dates = dates.join_asof(rows.sort(_KEY), on=_KEY)
            return dates

        if parameter.by_area_class:
            area_class = pl.col(class_col).cast(pl.Int8)
            value = pl.lit(None, pl.Float64)
            for c in classes:
                value = pl.when(area_class == c).then(pl.col(_value_col(c))).otherwise(value)
        else:
            value = pl.col(_value_col(None))
        on = pl.col(date_col).cast(pl.Date)
        return _look_up_distinct(frame, on, look_up, {out or name: value})

    def area_class(self, district: str | None, on: date) -> int | None:
        return self.areas.area_class(district, on)

    def with_area_class(
        self, frame: pl.LazyFrame, district_col: str, date_col: str, out: str = "area_class"
    ) -> pl.LazyFrame:
        """`frame` with the area class of each row's district on its date (null when unknown)."""
        epochs = self.areas.epochs
        canonical = self.areas.canonical_expr(pl.col(_KEY))
        columns = {
            f"_pa_class{i}": canonical.replace_strict(e.classes, default=None, return_dtype=pl.Int8)
            for i, e in enumerate(epochs)
        }
        by_date = _by_epoch(
            pl.col(date_col).cast(pl.Date),
            [(e.effective_from, pl.col(f"_pa_class{i}")) for i, e in enumerate(epochs)],
        )
        return _look_up_distinct(
            frame, pl.col(district_col), lambda d: d.with_columns(**columns), {out: by_date}
        )

    def with_pilot_platform(
        self, frame: pl.LazyFrame, platform_col: str, date_col: str, out: str = "pilot_platform"
    ) -> pl.LazyFrame:
        """`frame` with whether each row's platform was in the occupational-injury pilot on its
        date (null when the date is): named in the pilot list, or of a pilot industry; and
        `{out}_verified`, whether the wave that put it there has a verified citation (a
        platform stays as verified as the wave that first named it)."""
        listed = self.parameter("occupational_injury_pilot_platforms")
        industries = self.parameter("occupational_injury_pilot_industries")
        changes = sorted({v.effective_from for v in listed.values + industries.values})
        canonical = (
            pl.col(_KEY)
            .cast(pl.String)
            .str.strip_chars()
            .str.to_lowercase()
            .replace_strict(self.platforms, default=None, return_dtype=pl.String)
        )
        industry = canonical.replace_strict(self.industries, default=None, return_dtype=pl.String)
        first_named: dict[str, bool] = {}
        for wave in listed.values:
            for name in wave.value:
                first_named.setdefault(name, wave.verified)
        named_verified = canonical.replace_strict(
            first_named, default=False, return_dtype=pl.Boolean
        )
        columns = {}
        for i, day in enumerate(changes):
            names, kinds = listed.at(day), industries.at(day)
            named = canonical.is_in(names.value if names else []).fill_null(False)
            of_industry = industry.is_in(kinds.value if kinds else []).fill_null(False)
            columns[f"_pa_pilot{i}"] = named | of_industry
            columns[f"_pa_sure{i}"] = (named & named_verified) | (
                of_industry & pl.lit(bool(kinds and kinds.verified))
            )
        on = pl.col(date_col).cast(pl.Date)

        def by_date(prefix: str) -> pl.Expr:
            epochs = [(d, pl.col(f"{prefix}{i}")) for i, d in enumerate(changes)]
            return pl.when(on.is_not_null()).then(_by_epoch(on, epochs).fill_null(False))

        return _look_up_distinct(
            frame,
            pl.col(platform_col),
            lambda d: d.with_columns(**columns),
            {out: by_date("_pa_pilot"), f"{out}_verified": by_date("_pa_sure")},
        )

    def pilot_platform(self, platform: str | None, on: date) -> bool:
        frame = pl.LazyFrame({"platform": [platform], "date": [on]}, schema=_ONE_ROW)
        return self.with_pilot_platform(frame, "platform", "date").collect()["pilot_platform"][0]

    def rule_since(self, code: str, categories: tuple[str, ...]) -> dict[str, date]:
        """Category → the first day a rule applies to it; a category the pack does not date
        is left out (the rule applies to it on every day)."""
        dated = self.rules.get(code, {})
        return {c: dated[c].in_force_from for c in categories if c in dated}

    def in_force(self, on: date, area_class: int | None = None) -> list[dict]:
        """Every parameter's value on a day, with its citation, for `payaudit params` and the
        report manifest (an area-class value is {class: value} when no class is given)."""
        rows = []
        for parameter in self.parameters.values():
            current = parameter.at(on)
            if current is None:
                continue
            rows.append(
                {
                    "name": parameter.name,
                    "value": self.value(parameter.name, on, area_class),
                    "unit": parameter.unit,
                    "effective_from": current.effective_from,
                    "reference": current.reference,
                    "verified": current.verified,
                    "description": parameter.description,
                }
            )
        return rows


def _value_col(area_class: int | None) -> str:
    return "_pa_value" if area_class is None else f"_pa_value{area_class}"


def _by_epoch(on: pl.Expr, epochs: list[tuple[date, pl.Expr]]) -> pl.Expr:
    """The expression of the latest epoch that has begun on each row's date (null before)."""
    expr = pl.lit(None)
    for start, value in epochs:
        expr = pl.when(on >= start).then(value).otherwise(expr)
    return expr


def _look_up_distinct(
    frame: pl.LazyFrame,
    key: pl.Expr,
    look_up: Callable[[pl.LazyFrame], pl.LazyFrame],
    results: dict[str, pl.Expr],
) -> pl.LazyFrame:
    """Add `results` (name → expression), from columns that `look_up` derives once per distinct key
    and that are joined back on that one key in the frame's row order: tens of millions of rows
    hold only a few thousand dates, districts or platforms, and a one-key join is cheap."""
    # Cached: the frame is read twice, and Polars would otherwise compute its plan twice (the
    # daily frame's joins: ~40 % of its time).
    frame = frame.cache()
    found = look_up(frame.select(key.alias(_KEY)).unique())
    temporary = found.collect_schema().names()
    return (
        frame.with_columns(key.alias(_KEY))
        .join(found, on=_KEY, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(**results)
        .drop(temporary)
    )


@dataclass(frozen=True)
class BasePack:
    """A jurisdiction's files as read, before the config's overrides."""

    name: str
    parameters: dict[str, Parameter]
    platforms: dict[str, str]
    industries: dict[str, str]
    rules: dict[str, dict[str, InForce]]


@cache
def base_pack(jurisdiction: str) -> BasePack:
    meta, parameters = parse_pack(read_toml(jurisdiction, "params"))
    listed = read_toml(jurisdiction, "platforms")["platforms"]
    platforms = {
        spelling.lower(): canonical
        for canonical, entry in listed.items()
        for spelling in (canonical, *entry["spellings"])
    }
    industries = {canonical: entry["industry"] for canonical, entry in listed.items()}
    categories = tuple(contract("workers").column("category").values)
    rules = parse_in_force(read_toml(jurisdiction, "rules"), categories)
    name = f"{meta['jurisdiction']} {meta['version']}"
    return BasePack(name, parameters, platforms, industries, rules)
