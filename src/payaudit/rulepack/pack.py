"""RulePack: the dated parameters of one jurisdiction, looked up for one day or whole frames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import polars as pl

from payaudit.errors import ConfigError
from payaudit.rulepack.areas import Areas, read_toml
from payaudit.rulepack.schema import Parameter, parse_pack

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
        """`frame` with the value in force on each row's date (and area class) as column `out`.

        The as-of join runs on the distinct (date, class) keys only, which are few even for tens
        of millions of rows, and the result is joined back keeping the frame's row order."""
        by_class = self.parameter(name).by_area_class
        if by_class and class_col is None:
            raise ConfigError(f"{name} depends on the area class: give class_col.")
        out = out or name
        keys = {"_asof_date": pl.col(date_col).cast(pl.Date)}
        if by_class:
            keys["_asof_class"] = pl.col(class_col).cast(pl.Int8)
        values = (
            self.table(name)
            .lazy()
            .select(
                pl.col("effective_from").alias("_asof_date"),
                pl.col("area_class").alias("_asof_class"),
                pl.col("value").alias(out),
            )
            .sort("_asof_date")
        )
        distinct = frame.select(**keys).unique().drop_nulls().sort("_asof_date")
        found = distinct.join_asof(
            values if by_class else values.drop("_asof_class"),
            on="_asof_date",
            by="_asof_class" if by_class else None,
            check_sortedness=False,  # sorted just above; Polars cannot check within groups
        )
        return (
            frame.with_columns(**keys)
            .join(found, on=list(keys), how="left", maintain_order="left")
            .drop(list(keys))
        )

    def area_class(self, district: str | None, on: date) -> int | None:
        return self.areas.area_class(district, on)

    def with_area_class(
        self, frame: pl.LazyFrame, district_col: str, date_col: str, out: str = "area_class"
    ) -> pl.LazyFrame:
        """`frame` with the area class of each row's district on its date (null when unknown)."""
        canonical = self.areas.canonical_expr(pl.col(district_col))
        return frame.with_columns(
            self.areas.class_expr(canonical, pl.col(date_col).cast(pl.Date)).alias(out)
        )

    def pilot_expr(self, platform: pl.Expr, on: pl.Expr) -> pl.Expr:
        """Whether each platform was in the occupational-injury pilot on its date (null date →
        null): a when-chain over the few dates on which the pilot changed."""
        canonical = (
            platform.cast(pl.String)
            .str.strip_chars()
            .str.to_lowercase()
            .replace_strict(self.platforms, default=None, return_dtype=pl.String)
        )
        listed = self.parameter("occupational_injury_pilot_platforms")
        everyone = self.parameter("occupational_injury_all_platforms")
        changes = sorted({v.effective_from for v in listed.values + everyone.values})
        expr = pl.lit(False)
        for day in changes:
            names = listed.at(day)
            flag = everyone.at(day)
            covered = (
                pl.lit(True)
                if flag and flag.value
                else canonical.is_in(names.value if names else [])
            )
            expr = pl.when(on >= day).then(covered.fill_null(False)).otherwise(expr)
        return pl.when(on.is_not_null()).then(expr)

    def pilot_platform(self, platform: str | None, on: date) -> bool:
        return pl.select(self.pilot_expr(pl.lit(platform, pl.String), pl.lit(on))).item()

    def with_pilot_platform(
        self, frame: pl.LazyFrame, platform_col: str, date_col: str, out: str = "pilot_platform"
    ) -> pl.LazyFrame:
        return frame.with_columns(
            self.pilot_expr(pl.col(platform_col), pl.col(date_col).cast(pl.Date)).alias(out)
        )

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


@cache
def base_pack(jurisdiction: str) -> tuple[str, dict[str, Parameter], dict[str, str]]:
    meta, parameters = parse_pack(read_toml(jurisdiction, "params"))
    platforms = {
        spelling.lower(): canonical
        for canonical, spellings in read_toml(jurisdiction, "platforms")["platforms"].items()
        for spelling in (canonical, *spellings)
    }
    return f"{meta['jurisdiction']} {meta['version']}", parameters, platforms
