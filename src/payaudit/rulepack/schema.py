"""The rule-pack file's schema: every parameter described, in a known unit, every value dated,
referenced and flagged `verified`, dates ascending. The same value checks serve `[params]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

NUMERIC_UNITS = ("CNY/month", "CNY/h", "h", "min", "ratio", "days", "months", "°C")
UNITS = (*NUMERIC_UNITS, "time", "list", "bool")
AREA_CLASSES = (1, 2)
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
_PARAM_KEYS = {"description", "unit", "by_area_class", "values"}
_VALUE_KEYS = {"effective_from", "value", "reference", "verified"}
_IN_FORCE_KEYS = {"in_force_from", "reference", "verified"}
# A reference saying its document number is unchecked (文号未核实) or its date is (未核实).
UNCHECKED = "未核实"


class SchemaError(ValueError):
    """A value that does not fit its parameter; the message completes "… must be …"."""


@dataclass(frozen=True)
class Value:
    effective_from: date
    value: object  # a number, "HH:MM", list[str], bool, or {area_class: number}
    reference: str
    verified: bool


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    by_area_class: bool
    values: tuple[Value, ...]  # ascending by effective_from

    def at(self, on: date) -> Value | None:
        """The value in force on a day, None before the first."""
        current = None
        for value in self.values:
            if value.effective_from > on:
                break
            current = value
        return current


def check_scalar(unit: str, value: object) -> object:
    """The value if it fits the unit, else SchemaError saying what it must be."""
    if unit in NUMERIC_UNITS:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise SchemaError(f"a number of {unit}, at least 0")
    elif unit == "time":
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            raise SchemaError('a time of day like "12:00"')
    elif unit == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SchemaError("a list of names")
    elif unit == "bool":
        if not isinstance(value, bool):
            raise SchemaError("true or false")
    else:
        raise SchemaError(f"in one of the units {', '.join(UNITS)}, not {unit!r}")
    return value


def check_value(unit: str, by_area_class: bool, value: object) -> object:
    """A parameter's value: for area-class parameters, a table of every class → number
    (TOML keys are strings, so "1" becomes 1)."""
    if not by_area_class:
        return check_scalar(unit, value)
    if not isinstance(value, dict) or sorted(str(k) for k in value) != [
        str(c) for c in AREA_CLASSES
    ]:
        raise SchemaError(f"a table of area classes {AREA_CLASSES} → number of {unit}")
    return {int(k): check_scalar(unit, v) for k, v in value.items()}


def parse_parameter(name: str, raw: dict) -> Parameter:
    """One parameter of the pack file; ValueError naming the parameter when it breaks the schema."""
    if (
        not isinstance(raw, dict)
        or set(raw) - _PARAM_KEYS
        or not {"description", "unit"} <= set(raw)
    ):
        raise ValueError(f"{name}: needs description, unit and values, and nothing else")
    unit, by_class = raw["unit"], raw.get("by_area_class", False)
    if unit not in UNITS or not isinstance(by_class, bool):
        raise ValueError(f"{name}: unit {unit!r} is not one of {UNITS}")
    if not isinstance(raw["description"], str) or not raw["description"]:
        raise ValueError(f"{name}: needs a description")
    values = []
    for entry in raw.get("values") or ():
        if not isinstance(entry, dict) or set(entry) != _VALUE_KEYS:
            raise ValueError(f"{name}: each value needs exactly {sorted(_VALUE_KEYS)}")
        when = entry["effective_from"]
        if not isinstance(when, date) or isinstance(when, datetime):
            raise ValueError(f"{name}: effective_from must be a date, not {when!r}")
        if values and when <= values[-1].effective_from:
            raise ValueError(f"{name}: effective dates must ascend ({when})")
        _check_cited(f"{name}: the value from {when}", entry["reference"], entry["verified"])
        try:
            value = check_value(unit, by_class, entry["value"])
        except SchemaError as exc:
            raise ValueError(f"{name}: the value from {when} must be {exc}") from None
        values.append(Value(when, value, entry["reference"], entry["verified"]))
    if not values:
        raise ValueError(f"{name}: has no values")
    return Parameter(name, raw["description"], unit, by_class, tuple(values))


@dataclass(frozen=True)
class InForce:
    """From when a rule applies to a category of worker, and the law that says so."""

    in_force_from: date
    reference: str
    verified: bool


def _check_cited(where: str, reference: object, verified: object) -> None:
    """A citation and whether it was checked; one that says it was not cannot be verified."""
    if not isinstance(reference, str) or not reference.strip():
        raise ValueError(f"{where} has no reference")
    if not isinstance(verified, bool):
        raise ValueError(f"{where}: verified must be true or false")
    if verified and UNCHECKED in reference:
        raise ValueError(f"{where}: a reference marked {UNCHECKED} cannot be verified")


def parse_in_force(raw: dict, categories: tuple[str, ...]) -> dict[str, dict[str, InForce]]:
    """The rules file: rule code → category → InForce; ValueError naming what is wrong."""
    rules: dict[str, dict[str, InForce]] = {}
    for code, by_category in raw.items():
        if not isinstance(by_category, dict) or not by_category:
            raise ValueError(f"{code}: needs a table per category it applies to")
        rules[code] = {}
        for category, entry in by_category.items():
            where = f"{code}.{category}"
            if category not in categories:
                raise ValueError(f"{where}: {category!r} is not one of {categories}")
            if not isinstance(entry, dict) or set(entry) != _IN_FORCE_KEYS:
                raise ValueError(f"{where}: needs exactly {sorted(_IN_FORCE_KEYS)}")
            when = entry["in_force_from"]
            if not isinstance(when, date) or isinstance(when, datetime):
                raise ValueError(f"{where}: in_force_from must be a date, not {when!r}")
            _check_cited(where, entry["reference"], entry["verified"])
            rules[code][category] = InForce(when, entry["reference"], entry["verified"])
    return rules


def parse_pack(raw: dict) -> tuple[dict, dict[str, Parameter]]:
    """The [meta] table and the parameters of a pack file."""
    meta = raw.get("meta")
    if not isinstance(meta, dict) or not {"jurisdiction", "version"} <= set(meta):
        raise ValueError("[meta] needs jurisdiction and version")
    params = {name: parse_parameter(name, body) for name, body in raw.items() if name != "meta"}
    return meta, params
