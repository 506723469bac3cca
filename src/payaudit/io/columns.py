"""Headers → canonical columns (SPEC §2): matched case-insensitively after trimming against
`[columns.TABLE]` of the config, then the canonical name, then its aliases (in every table).
The config comes first: a user who maps a header means it, even over a built-in alias."""

from __future__ import annotations

import re

from payaudit.config import Settings
from payaudit.contracts import aliases, contract
from payaudit.errors import ConfigError, InputError

# A unit after the name, as exports write it: 订单收入（元）, pay (CNY).
_UNIT = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def key(header: str) -> str:
    """Headers compare without case, BOM, a trailing unit in brackets, and with spaces,
    hyphens and underscores alike (Order ID = order_id)."""
    text = header.replace("\ufeff", "").strip()
    text = _UNIT.sub("", text) or text
    return re.sub(r"[\s_\-]+", "_", text.strip()).casefold()


def candidates(table: str, settings: Settings) -> dict[str, str]:
    """Normalised header → canonical column, in order of preference (first spelling wins)."""
    names = contract(table).names
    found: dict[str, str] = {}
    for header, column in settings.columns.get(table, {}).items():
        if column not in names:
            raise ConfigError(
                f"The config's columns.{table} maps '{header}' to '{column}', which is not "
                f"a column of {table} ({', '.join(names)})."
            )
        found.setdefault(key(header), column)
    for column in names:
        found.setdefault(key(column), column)
    for column in names:
        for alias in aliases(column):
            found.setdefault(key(alias), column)
    return found


def map_headers(table: str, headers: list[str], settings: Settings, path: str) -> dict[str, str]:
    """Canonical column → the header holding it; the best-ranked header wins a column twice
    claimed. Raises InputError naming the first required column no header matches."""
    ranked = candidates(table, settings)
    rank = {spelling: n for n, spelling in enumerate(ranked)}
    chosen: dict[str, str] = {}
    for header in sorted((h for h in headers if key(h) in ranked), key=lambda h: rank[key(h)]):
        chosen.setdefault(ranked[key(header)], header)
    for column in contract(table).columns:
        if column.required and column.name not in chosen:
            spellings = ", ".join((column.name, *aliases(column.name)[:3]))
            raise InputError(
                f"{path} has no column '{column.name}' required in {table} (headers such as "
                f"{spellings}; or map a header to it in the config's columns.{table})."
            )
    return chosen
