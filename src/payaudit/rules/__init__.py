"""Rule families, one module each; importing this package registers every rule."""

from __future__ import annotations

from collections.abc import Iterable

from payaudit.errors import ConfigError
from payaudit.rules import (  # noqa: F401  (importing a family registers its rules)
    deduction,
    fatigue,
    heat,
    holiday,
    insurance,
    overtime,
    parttime,
    payment,
    wage,
)
from payaudit.rules.base import REGISTRY, Rule


def all_rules() -> dict[str, type[Rule]]:
    return dict(sorted(REGISTRY.items()))


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.upper()) for p in patterns)


def select_rules(
    select: Iterable[str] | None = None, ignore: Iterable[str] = ()
) -> list[type[Rule]]:
    """Rules chosen ruff-style: codes or prefixes to select (all when empty), minus ignored ones.
    A pattern that matches no rule is an error the caller reports with exit 2."""
    rules = all_rules()
    select, ignore = list(select or []), list(ignore)
    for pattern in select + ignore:
        if not any(code.startswith(pattern.upper()) for code in rules):
            raise ConfigError(f"Unknown rule code or prefix '{pattern}'; see `payaudit rules`.")
    return [
        rule
        for code, rule in rules.items()
        if (not select or _matches(code, select)) and not _matches(code, ignore)
    ]
