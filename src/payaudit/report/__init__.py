"""Reports: one AuditResult rendered as table (Rich summary), json, csv, xlsx, parquet or html.

Where reports go (`emit`):

- The Rich summary goes to the console given (stderr in the CLI) unless --quiet.
- `table` alone: the summary is the report; with --output it is also written there as text.
- Without --output (or with `-o -`), one machine format (json, csv, html) goes to stdout;
  several, or a binary one (xlsx, parquet), is a ConfigError asking for --output.
- With --output and one machine format: --output is the file (an existing folder gets
  `payaudit-report.<suffix>` in it).
- With --output and several formats: an existing folder gets `payaudit-report.<suffix>` for each
  format; any other path is a base path, its format suffix (if any) dropped and each format's
  added: `-o out/audit -f json -f xlsx` → out/audit.json and out/audit.xlsx.
- Every file is written atomically; a report never replaces an input file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.console import Console

from payaudit.engine.result import AuditResult
from payaudit.errors import ConfigError
from payaudit.i18n import LANGS, t

from . import csv, html, json, parquet, terminal, xlsx  # noqa: F401  (each registers its format)
from .base import FORMATS, Format, get
from .model import prepare
from .safety import atomic_write, refuse_inputs

DEFAULT_STEM = "payaudit-report"


@dataclass
class ReportOptions:
    lang: str = "en"
    redact: bool = False
    max_findings: int | None = None
    quiet: bool = False
    verbose: bool = False


def plan(formats: list[str], output: Path | None) -> list[tuple[Format, Path | None]]:
    """Each format to write and its file (None: stdout), per the rules in this module's doc."""
    chosen = [get(name) for name in dict.fromkeys(f.lower() for f in formats or ["table"])]
    machine = [f for f in chosen if f.name != "table"]
    if output is None or str(output) == "-":
        if len(machine) > 1:
            names = ", ".join(f.name for f in machine)
            raise ConfigError(
                f"Only one report can go to standard output; give --output to write {names}."
            )
        if machine and machine[0].binary:
            raise ConfigError(f"--format {machine[0].name} writes a binary file; give --output.")
        return [(f, None) for f in machine]
    files = machine or chosen
    if output.is_dir():
        return [(f, output / f"{DEFAULT_STEM}{f.suffix}") for f in files]
    if len(files) == 1:
        return [(files[0], output)]
    suffixes = {cls.suffix for cls in FORMATS.values()}
    base = output.with_suffix("") if output.suffix in suffixes else output
    return [(f, base.with_name(base.name + f.suffix)) for f in files]


def emit(
    result: AuditResult,
    formats: list[str],
    output: Path | None,
    options: ReportOptions,
    console: Console,
) -> None:
    """Render `result` in each of `formats` (see the module doc for where each goes)."""
    if options.lang not in LANGS:
        raise ConfigError(f"--lang must be one of {', '.join(LANGS)}.")
    if options.max_findings is not None and options.max_findings < 0:
        raise ConfigError("--max-findings must be 0 or more.")
    targets = plan(formats, output)
    refuse_inputs([p for _, p in targets if p is not None], [f.path for f in result.dataset.inputs])
    report = prepare(result, options.lang, options.redact, options.max_findings)
    for fmt, path in targets:
        if path is None:
            _to_stdout(fmt, report)
        else:
            atomic_write(path, partial(fmt.write, report))
    if options.quiet:
        return
    terminal.render(report, console, options.verbose)
    if report.truncated:
        text = t(
            "truncated", options.lang, shown=report.findings.height, total=report.total_findings
        )
        console.print(f"[bold yellow]{t('warning', options.lang)}:[/] {text}", highlight=False)


def _to_stdout(fmt: Format, report) -> None:
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text-only stream (some test harnesses)
        import io

        buffer = io.BytesIO()
        fmt.write(report, buffer)
        sys.stdout.write(buffer.getvalue().decode())
    else:
        fmt.write(report, out)
        out.flush()
    sys.stdout.flush()
