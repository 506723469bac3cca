"""The rule interface shared by every rule family, and the registry of rule codes.

A rule is a class: its docstring is its documentation (`payaudit rule CODE`), its attributes are
its metadata, and `check` returns its findings as a lazy frame built from vectorised expressions
over the audit context. Thresholds come from the rule pack via `ctx.pack`, never literals.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

import polars as pl

if TYPE_CHECKING:
    from payaudit.audit import AuditContext

CATEGORIES = ("employee", "platform_managed", "independent")


class Rule:
    code: ClassVar[str]
    name: ClassVar[dict[str, str]]  # {"en": ..., "zh": ...}
    severity: ClassVar[str]  # "error" | "warning"
    categories: ClassVar[tuple[str, ...]]
    params: ClassVar[tuple[str, ...]] = ()  # rule-pack parameter names it uses
    unit: ClassVar[str] = ""
    basis: ClassVar[str]  # legal basis, cited as in FACTS.md
    # Message templates over finding columns: {worker_id} {period_start} {period_end}
    # {observed} {threshold} {unit} {shortfall}.
    message: ClassVar[dict[str, str]]
    example: ClassVar[str] = ""  # an example finding, in words

    def check(self, ctx: AuditContext) -> pl.LazyFrame:
        """The findings: columns of findings.FINDING_SCHEMA except `message` and `severity`
        (filled in by the engine unless the rule sets them)."""
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in REGISTRY:
        raise ValueError(f"duplicate rule code {cls.code}")
    REGISTRY[cls.code] = cls
    return cls


def all_rules() -> dict[str, type[Rule]]:
    # Importing the families fills the registry.
    import payaudit.rules  # noqa: F401

    return dict(sorted(REGISTRY.items()))


def matches(code: str, patterns: Iterable[str]) -> bool:
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
            from payaudit.errors import ConfigError

            raise ConfigError(f"Unknown rule code or prefix '{pattern}'; see `payaudit rules`.")
    return [
        rule
        for code, rule in rules.items()
        if (not select or matches(code, select)) and not matches(code, ignore)
    ]
