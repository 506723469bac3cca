"""The command line's options: their types (shown in help with a metavar and the default) and
how their values are read and checked before any command runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from payaudit.config import Settings, load_config, resolve_lang
from payaudit.errors import ConfigError


def Opt(metavar: str, help: str, *names: str, kind: Any = str) -> Any:  # noqa: N802
    """An optional option (None when not given) whose value is shown as `metavar` in help."""
    return Annotated[kind | None, typer.Option(*names, metavar=metavar, help=help)]


Paths = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATH", help="Files or folders of platform exports.", show_default=False
    ),
]
TableFile = Opt("PATH", "Name this table's file explicitly.", kind=Path)
ConfigOpt = Opt(
    "PATH",
    "Config file (default: payaudit.toml, or [tool.payaudit] in pyproject.toml, here or in the "
    "nearest parent folder).",
    "--config",
    kind=Path,
)
LangOpt = Opt(
    "zh|en", "Language (default: the config's, else zh when LANG/LC_ALL starts with zh, else en)."
)


def pick_language(lang: str | None, config: Path | None = None) -> str:
    """--lang checked, else the config's, else the locale's."""
    settings = settings_from(config, lang=lang) if config or lang is None else Settings(lang=lang)
    if settings.lang not in ("zh", "en", None):
        raise ConfigError("--lang must be one of zh, en.")
    return resolve_lang(settings)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise ConfigError(
            f"{option} must be a date from 2000 to 2100 like 2025-01-31, not '{value}'."
        )
    return day


def settings_from(config: Path | None, **options: object) -> Settings:
    """The config file's settings, with every option given on the command line laid over them."""
    settings = load_config(config)
    for key, value in options.items():
        if value not in (None, [], ()):
            setattr(settings, key, value)
    return settings


Formats = Opt(
    "FORMAT",
    "table, json, csv, xlsx, parquet, html, sarif, junit or github; repeatable "
    "(default: the one --output's suffix names, else table).",
    "--format",
    "-f",
    kind=list[str],
)
Output = Opt("PATH", "Report file, or folder (ending in /).", "--output", "-o")


def codes(values: list[str] | None) -> list[str]:
    """--select MW,FT and --select MW --select FT alike."""
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


def spark_tables(values: list[str], engine: str) -> dict[str, str]:
    """--table orders=db.dwd_orders, checked before Spark starts."""
    from payaudit.contracts import TABLES

    if engine not in ("local", "spark"):
        raise ConfigError(f"--engine must be local or spark, not '{engine}'.")
    if values and engine != "spark":
        raise ConfigError("--table reads through Spark: add --engine spark.")
    tables = dict(value.partition("=")[::2] for value in values)
    for name, source in tables.items():
        if name not in TABLES or not source:
            known = ", ".join(TABLES)
            raise ConfigError(f"--table takes TABLE=db.name or TABLE=URI, TABLE one of {known}.")
    return tables


def daily_options(
    location: str | None, formats: list[str], output: str | None, statements: bool, engine: str
) -> tuple[str | None, str]:
    """Which per-day figures the run keeps: all for the HTML report's charts, the workers with
    findings for statements, else none (no other report shows them); and, with --engine spark,
    where Spark writes them all as Parquet (--daily, else REPORT-daily/ beside the first
    report file; nowhere without one)."""
    from payaudit.report import plan

    if location and engine != "spark":
        raise ConfigError("--daily is written by Spark: add --engine spark.")
    written = plan(formats, output)
    html = any(f.name == "html" for f, _ in written)
    keep = "all" if html else "findings" if statements else "none"
    files = [path.resolve() for _, path in written if path is not None]
    if engine == "spark" and location is None and files:
        location = str(files[0].with_name(files[0].stem + "-daily"))
    return location, keep


def spark_engine():
    """The Spark engine; pyspark comes with the extra."""
    try:
        from payaudit.engine import spark
    except ImportError:
        raise ConfigError(
            "--engine spark needs pyspark: install it with pip install 'payaudit[spark]'."
        ) from None
    return spark


def explicit_tables(**tables: Path | None) -> dict[str, Path]:
    return {table: path for table, path in tables.items() if path is not None}


DateOpt = Opt("DATE", "Day to show.  [default: today]", "--date")
FailOn = Opt("LEVEL", "error, warning or never.  [default: error]")
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")]


SKIPPED_SHOWN = 10  # file names in the note; a folder of many gets a count


def skipped_note(paths: list[Path], explicit: dict[str, Path], lang: str) -> str | None:
    """The files of the folders given that were not read, as one sentence, or None."""
    from payaudit.i18n import t
    from payaudit.io.discovery import skipped

    left = skipped(paths, explicit)
    if not left:
        return None
    names = ", ".join(p.name for p in left[:SKIPPED_SHOWN])
    names += f" … ({len(left)})" if len(left) > SKIPPED_SHOWN else ""
    return t("skipped_files", lang, names=names)
