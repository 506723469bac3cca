"""`[params]` overrides from the config: a negotiated value replaces a parameter for all dates."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from payaudit.errors import ConfigError
from payaudit.rulepack.schema import (
    AREA_CLASSES,
    NUMERIC_UNITS,
    Parameter,
    SchemaError,
    Value,
    check_value,
)

OVERRIDE_REFERENCE = "config [params]"
# An override holds for every date, so it starts before any date an audit can meet.
OVERRIDE_FROM = date(1900, 1, 1)
_WITH_UNIT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(\S.*?)?\s*")


def _split_unit(parameter: Parameter, raw: object) -> tuple[object, str | None]:
    """`4`, `"4 h"` or `{ value = 4, unit = "h" }` → (4, "h" or None)."""
    if isinstance(raw, dict) and "value" in raw and set(raw) <= {"value", "unit"}:
        return raw["value"], raw.get("unit")
    if isinstance(raw, str) and parameter.unit in NUMERIC_UNITS:
        match = _WITH_UNIT.fullmatch(raw)
        if match:
            number = float(match[1])
            return int(number) if number.is_integer() else number, match[2]
    return raw, None


def override(parameter: Parameter, raw: object) -> Parameter:
    """The parameter with `raw` as its only value; ConfigError in one sentence if it is unfit."""
    where = f"[params] {parameter.name}"
    value, unit = _split_unit(parameter, raw)
    if unit is not None and unit != parameter.unit:
        raise ConfigError(f"{where} is in {parameter.unit}, not {unit}.")
    if parameter.by_area_class and not isinstance(value, dict):
        value = dict.fromkeys(AREA_CLASSES, value)  # one negotiated figure for every area
    try:
        value = check_value(parameter.unit, parameter.by_area_class, value)
    except SchemaError as exc:
        raise ConfigError(f"{where} must be {exc}, not {raw!r}.") from None
    return replace(parameter, values=(Value(OVERRIDE_FROM, value, OVERRIDE_REFERENCE, True),))


def apply_overrides(parameters: dict[str, Parameter], overrides: dict | None) -> dict:
    unknown = sorted(set(overrides or {}) - set(parameters))
    if unknown:
        raise ConfigError(
            f"[params] {unknown[0]} is not a rule-pack parameter; see `payaudit params`."
        )
    return parameters | {n: override(parameters[n], raw) for n, raw in (overrides or {}).items()}
