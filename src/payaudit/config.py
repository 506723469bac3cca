"""Settings from `payaudit.toml` (see the README, Configuration), checked strictly: an unknown key
is an error. The file is the one given, else payaudit.toml in the current folder or its nearest
parent, or there a pyproject.toml with a [tool.payaudit] table (as ruff finds its settings)."""

from __future__ import annotations

import contextlib
import os
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from payaudit.contracts import TABLES
from payaudit.errors import ConfigError

DEFAULT_CONFIG = "payaudit.toml"
PYPROJECT = "pyproject.toml"
CATEGORIES = ("employee", "platform_managed", "independent")
FAIL_ON = ("error", "warning", "never")
# The severities that fail a run at each --fail-on level.
FAILING = {"error": ("error",), "warning": ("error", "warning"), "never": ()}
PERIODS = ("day", "week", "month")
BASES = ("orders", "online")


@dataclass(frozen=True)
class Waiver:
    """A [[waive]] entry: an accepted exception, kept in reports but never counted."""

    rule: str  # a code or a prefix
    worker: str  # an id, or a glob (* and ?)
    reason: str
    date_from: date | None = None  # the finding's period lies within [from, to]
    date_to: date | None = None
    expires: date | None = None  # from the day after, the waiver no longer waives


@dataclass
class Settings:
    jurisdiction: str = "cn-chongqing"
    default_category: str = "platform_managed"
    district: str | None = None
    platform: str | None = None
    fail_on: str = "error"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    lang: str | None = None
    period: str = "month"
    basis: str = "orders"  # [working_time] basis
    allowance_ratio: Decimal = Decimal(0)  # [working_time] allowance_ratio
    params: dict[str, object] = field(default_factory=dict)  # rule-pack overrides
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> header -> canonical
    waivers: list[Waiver] = field(default_factory=list)  # [[waive]]
    source: str | None = None  # the config file read, if any


_TOP_KEYS = {f.name for f in fields(Settings)} - {"basis", "allowance_ratio", "source", "waivers"}
_TOP_KEYS |= {"working_time", "waive"}
_WAIVE_KEYS = {"rule", "worker", "from", "to", "reason", "expires"}


def _choice(value: object, allowed: tuple[str, ...], key: str, where: str) -> str:
    if value not in allowed:
        raise ConfigError(f"{where}: '{key}' must be one of {', '.join(allowed)}, not {value!r}.")
    return str(value)


def _strings(value: object, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of rule codes.")
    return list(value)


def parse_config(raw: dict, where: str) -> Settings:
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'.")
    s = Settings(source=where)
    for key in ("jurisdiction", "district", "platform", "lang"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise ConfigError(f"{where}: '{key}' must be a string.")
            setattr(s, key, raw[key])
    if "lang" in raw:
        s.lang = _choice(raw["lang"], ("zh", "en"), "lang", where)
    if "default_category" in raw:
        s.default_category = _choice(raw["default_category"], CATEGORIES, "default_category", where)
    if "fail_on" in raw:
        s.fail_on = _choice(raw["fail_on"], FAIL_ON, "fail_on", where)
    if "period" in raw:
        s.period = _choice(raw["period"], PERIODS, "period", where)
    for key in ("select", "ignore"):
        if key in raw:
            setattr(s, key, _strings(raw[key], key, where))
    wt = raw.get("working_time", {})
    if not isinstance(wt, dict):
        raise ConfigError(f"{where}: [working_time] must be a table.")
    unknown = sorted(set(wt) - {"basis", "allowance_ratio"})
    if unknown:
        raise ConfigError(f"{where}: unknown key 'working_time.{unknown[0]}'.")
    if "basis" in wt:
        s.basis = _choice(wt["basis"], BASES, "working_time.basis", where)
    if "allowance_ratio" in wt:
        s.allowance_ratio = allowance_ratio(wt["allowance_ratio"], where)
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError(f"{where}: [params] must be a table.")
    s.params = dict(params)
    columns = raw.get("columns", {})
    if not isinstance(columns, dict):
        raise ConfigError(f"{where}: [columns] must be a table of tables.")
    for table, mapping in columns.items():
        if table not in TABLES:
            raise ConfigError(f"{where}: unknown table 'columns.{table}'.")
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            raise ConfigError(f"{where}: [columns.{table}] must map headers to column names.")
        s.columns[table] = dict(mapping)
    waive = raw.get("waive", [])
    if not isinstance(waive, list) or not all(isinstance(w, dict) for w in waive):
        raise ConfigError(f"{where}: 'waive' must be [[waive]] tables.")
    s.waivers = [_waiver(w, f"{where}: waiver {n}") for n, w in enumerate(waive, start=1)]
    return s


def _waiver(raw: dict, where: str) -> Waiver:
    unknown = sorted(set(raw) - _WAIVE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'.")
    for key in ("rule", "worker", "reason"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ConfigError(f"{where}: '{key}' is required (a non-empty string).")
    dates = {key: _day(raw.get(key), key, where) for key in ("from", "to", "expires")}
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        raise ConfigError(f"{where}: 'from' {dates['from']} is after 'to' {dates['to']}.")
    return Waiver(
        rule=raw["rule"].strip().upper(),
        worker=raw["worker"].strip(),
        reason=raw["reason"].strip(),
        date_from=dates["from"],
        date_to=dates["to"],
        expires=dates["expires"],
    )


def _day(value: object, key: str, where: str) -> date | None:
    """A TOML date (2025-01-31) or the same as a string."""
    if value is None or type(value) is date:  # a TOML date-time is a datetime: refused
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(value)
    raise ConfigError(f"{where}: '{key}' must be a date like 2025-01-31.")


def allowance_ratio(value: object, where: str) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        ratio = Decimal(-1)
    if isinstance(value, bool) or not ratio.is_finite() or ratio < 0 or ratio > 1:
        raise ConfigError(f"{where}: 'working_time.allowance_ratio' must be a number from 0 to 1.")
    return ratio


def find_config(start: Path) -> Path | None:
    """payaudit.toml, or a pyproject.toml with [tool.payaudit], in `start` or its nearest
    parent that has either."""
    for folder in (start, *start.parents):
        if (folder / DEFAULT_CONFIG).is_file():
            return folder / DEFAULT_CONFIG
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and "payaudit" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: str | Path | None) -> Settings:
    """Read `path`, else the file find_config finds from the current folder, else defaults."""
    path = Path(path) if path is not None else find_config(Path.cwd())
    if path is None:
        return Settings()
    raw = _read(path)
    if path.name == PYPROJECT:
        raw = raw.get("tool", {}).get("payaudit", {})
    return parse_config(raw, str(path))


def _read(path: Path) -> dict:
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Config file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from None
    return raw


def check_choices(settings: Settings) -> None:
    """Options given on the command line get the same checks as the config file."""
    for key, allowed in (
        ("default_category", CATEGORIES),
        ("fail_on", FAIL_ON),
        ("period", PERIODS),
        ("lang", ("zh", "en", None)),
    ):
        if getattr(settings, key) not in allowed:
            choices = ", ".join(a for a in allowed if a)
            raise ConfigError(f"--{key.replace('_', '-')} must be one of {choices}.")
    if settings.district is not None:
        from payaudit.rulepack import canonical_district

        if canonical_district(settings.district) is None:
            raise ConfigError(f"--district '{settings.district}' is not a known district.")


def resolve_lang(settings: Settings) -> str:
    """--lang, else the config, else the locale."""
    if settings.lang:
        return settings.lang
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"
