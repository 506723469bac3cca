"""Settings from `payaudit.toml` (SPEC §6), checked strictly: an unknown key is an error."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path

from payaudit.contracts import TABLES
from payaudit.errors import ConfigError

DEFAULT_CONFIG = "payaudit.toml"
CATEGORIES = ("employee", "platform_managed", "independent")
FAIL_ON = ("error", "warning", "never")
PERIODS = ("day", "week", "month")
BASES = ("orders", "online")


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
    source: str | None = None  # the config file read, if any


_TOP_KEYS = {f.name for f in fields(Settings)} - {"basis", "allowance_ratio", "source"}
_TOP_KEYS |= {"working_time"}


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
    return s


def allowance_ratio(value: object, where: str) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except InvalidOperation:
        ratio = Decimal(-1)
    if isinstance(value, bool) or not ratio.is_finite() or ratio < 0 or ratio > 1:
        raise ConfigError(f"{where}: 'working_time.allowance_ratio' must be a number from 0 to 1.")
    return ratio


def load_config(path: str | Path | None) -> Settings:
    """Read `path`, else ./payaudit.toml if present, else the defaults."""
    if path is None:
        if not Path(DEFAULT_CONFIG).is_file():
            return Settings()
        path = DEFAULT_CONFIG
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Config file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from None
    return parse_config(raw, str(path))


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
