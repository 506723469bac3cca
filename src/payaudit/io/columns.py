"""Headers → canonical columns: matched case-insensitively after trimming against
`[columns.TABLE]` of the config, then the canonical name, then its aliases (in every table).
The config comes first: a user who maps a header means it, even over a built-in alias.
Two headers of a file on one column stop the run; headers that match nothing are named."""

from __future__ import annotations

import difflib
import re

from payaudit.config import Settings
from payaudit.contracts import aliases, contract
from payaudit.errors import ConfigError, InputError

SHOWN = 20  # ignored headers named in full; a file of thousands gets a count of the rest
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


def holds_required(table: str, headers: list[str], settings: Settings) -> bool:
    """Whether `headers` name every required column of `table` (a sheet's header row)."""
    ranked = candidates(table, settings)
    found = {ranked.get(key(h)) for h in headers if h}
    return all(c.name in found for c in contract(table).columns if c.required)


def map_headers(table: str, headers: list[str], settings: Settings, path: str) -> dict[str, str]:
    """Canonical column → the header holding it. Raises InputError naming the two headers of
    a column named twice, or the first required column no header matches."""
    ranked = candidates(table, settings)
    chosen: dict[str, str] = {}
    for header in headers:
        column = ranked.get(key(header)) if header else None
        if column is None:
            continue
        if column in chosen:
            raise InputError(
                f"{path} names column '{column}' twice: '{chosen[column]}' and '{header}'; "
                f"keep one, or map one of them to another column in the config's "
                f"columns.{table}."
            )
        chosen[column] = header
    for column in contract(table).columns:
        if column.required and column.name not in chosen:
            spellings = ", ".join((column.name, *aliases(column.name)[:3]))
            near = _nearest(column.name, headers, ranked)
            raise InputError(
                f"{path} has no column '{column.name}' required in {table} ({near}headers "
                f"such as {spellings}; or map a header to it in the config's columns.{table})."
            )
    return chosen


def _nearest(column: str, headers: list[str], ranked: dict[str, str]) -> str:
    """'did you mean `payy`? ' when a header that matches nothing is close to a spelling of
    `column` (a typo in a required header), else nothing."""
    spellings = [k for k, c in ranked.items() if c == column]
    free = {key(h): h for h in headers if h.strip() and key(h) not in ranked}
    for spelling in spellings:
        near = difflib.get_close_matches(spelling, list(free), n=1, cutoff=0.8)
        if near:
            return f"did you mean `{free[near[0]]}`? "
    return ""


_NEAR = {"en": " (did you mean `{}`?)", "zh": "（是否应为 `{}`？）"}
_ALL = {"en": "… ({:,} in all)", "zh": "…（共 {:,} 个）"}


def unmatched(table: str, headers: list[str], settings: Settings) -> str | None:
    """The headers that match no column, each with the nearest column when one is close
    (`costs` → cost), as one line in settings.lang; None when every header matches."""
    lang = "zh" if settings.lang == "zh" else "en"
    ranked = candidates(table, settings)
    ignored = [h for h in headers if h.strip() and key(h) not in ranked]
    names = []
    for header in ignored[:SHOWN]:
        near = difflib.get_close_matches(key(header), list(ranked), n=1, cutoff=0.8)
        names.append(f"`{header}`" + (_NEAR[lang].format(ranked[near[0]]) if near else ""))
    if len(ignored) > SHOWN:
        names.append(_ALL[lang].format(len(ignored)))
    return ", ".join(names) or None
