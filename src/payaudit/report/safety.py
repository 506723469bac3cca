"""Writing reports safely: spreadsheet formula injection neutralised, files replaced atomically,
inputs never overwritten."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import polars as pl

from payaudit.errors import ConfigError

# A spreadsheet reads a cell starting with one of these as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(column: str) -> pl.Expr:
    """Prefix a formula-looking text cell with an apostrophe, so that it stays text (OWASP CSV
    injection advice); nulls stay null."""
    col = pl.col(column)
    risky = col.str.slice(0, 1).is_in(FORMULA_STARTS)
    return pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(column)


def neutral(text: str) -> str:
    """The same for one text written outside a frame."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralise_strings(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        neutralise(name) for name, dtype in frame.schema.items() if dtype == pl.String
    )


def refuse_inputs(targets: Iterable[Path], inputs: Iterable[str]) -> None:
    """A report must never replace a file it was computed from."""
    sources = {Path(p).resolve() for p in inputs}
    for target in targets:
        resolved = target.resolve()
        if resolved in sources or any(s in resolved.parents for s in sources if s.is_dir()):
            raise ConfigError(f"Refusing to write the report {target} over an input file.")


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write to a temporary file in the same folder and rename it over `path`: readers see the
    old file or the whole new one, never half of it, even after an error or Ctrl-C."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ConfigError(f"Cannot write the report {path}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it private; a report is not
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ConfigError(f"Cannot write the report {path}: {exc.strerror or exc}.") from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
