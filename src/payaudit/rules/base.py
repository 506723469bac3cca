"""The rule interface shared by every rule family, and the registry of rule codes.

A rule is a class: its docstring is its documentation (`payaudit rule CODE`), its attributes are
its metadata, and `check` returns its findings as a lazy frame built from vectorised expressions
over the audit context. Thresholds come from the rule pack via `ctx.pack`, never literals.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, ClassVar

import polars as pl

if TYPE_CHECKING:
    from payaudit.engine.context import AuditContext

CATEGORIES = ("employee", "platform_managed", "independent")


class Rule:
    code: ClassVar[str]
    name: ClassVar[dict[str, str]]  # {"en": ..., "zh": ...}
    severity: ClassVar[str]  # "error" | "warning"
    categories: ClassVar[tuple[str, ...]]
    params: ClassVar[tuple[str, ...]] = ()  # rule-pack parameter names it uses
    unit: ClassVar[str] = ""
    basis: ClassVar[str]  # legal basis, document and article
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
