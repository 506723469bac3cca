"""The command line: each command parses options and calls the library (SPEC §1)."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from payaudit.config import Settings, load_config
from payaudit.errors import ConfigError, PayauditError

app = typer.Typer(
    name="payaudit",
    help="Audit the pay and working time of platform workers against the law (Chongqing first).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)

Paths = Annotated[list[Path] | None, typer.Argument(help="Files or folders of platform exports.")]
TableFile = Annotated[Path | None, typer.Option(help="Name this table's file explicitly.")]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Config file (default ./payaudit.toml if present).")
]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option} must be a date like 2025-01-31, not '{value}'.") from None


def settings_from(config: Path | None, **options: object) -> Settings:
    """The config file's settings, with every option given on the command line laid over them."""
    settings = load_config(config)
    for key, value in options.items():
        if value not in (None, [], ()):
            setattr(settings, key, value)
    return settings


def handled(command):
    """Turn a PayauditError inside a command into one sentence on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PayauditError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def main() -> None:
    """Console entry point: even an unforeseen failure is one sentence and exit code 2."""
    try:
        app()
    except Exception as exc:
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
