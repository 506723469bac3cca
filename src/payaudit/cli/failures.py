"""How a run that cannot go on ends: one sentence on stderr and exit code 2, never a
traceback; a reader that closed the pipe ends it quietly."""

from __future__ import annotations

import functools
import os
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from payaudit.errors import PayauditError

err = Console(stderr=True)


def handled(command):
    """Turn a PayauditError inside a command into one sentence on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PayauditError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


def say(text: str) -> None:
    """Text for the user on stderr, as it is: never read as Rich markup or highlighted (it
    names files and folders)."""
    err.print(text, markup=False, highlight=False)


def quiet_stdout() -> None:
    """A reader that closed the pipe (`| head`) wants no more: what is left for stdout goes
    nowhere, so that neither this run nor the interpreter's exit reports a broken pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def internal(exc: Exception) -> NoReturn:
    err.print(
        f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}",
        highlight=False,
    )
    sys.exit(2)
