"""Reports: one AuditResult rendered as table (Rich summary), json, csv, xlsx, parquet, html, or
for CI systems sarif, junit and github (workflow commands).

Where reports go (`emit`):

- Without --format, the format is the one --output's suffix names (`-o r.xlsx`: Excel), else
  table.
- The Rich summary goes to the console given (stderr in the CLI), or in the CLI to stdout when
  no report goes there, as a linter prints its findings; none with --quiet.
- `table` alone: the summary is the report; with --output it is also written there as text.
- Without --output (or with `-o -`), one machine format (json, csv, html) goes to stdout;
  several, or a binary one (xlsx, parquet), is a ConfigError asking for --output.
- With --output and one machine format: --output is the file (a folder, existing or written
  with a trailing slash and then created, gets `payaudit-report.<suffix>` in it).
- With --output and several formats: an existing folder gets `payaudit-report.<suffix>` for each
  format; any other path is a base path, its format suffix (if any) dropped and each format's
  added: `-o out/audit -f json -f xlsx` → out/audit.json and out/audit.xlsx.
- Every file is written atomically; a report never replaces an input file.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.console import Console

from payaudit.engine.result import AuditResult
from payaudit.errors import ConfigError
from payaudit.i18n import LANGS, t

from . import csv, github, html, json, junit, parquet, sarif, terminal, xlsx  # noqa: F401
from .base import FORMATS, Format, get
from .model import prepare
from .safety import atomic_write, refuse_inputs

DEFAULT_STEM = "payaudit-report"
GATE = {  # what a CI gate reads: counted findings are the new ones not waived
    "en": "Findings: {new} new, {known} known (baseline), {resolved} resolved, {waived} waived.",
    "zh": "违规事项：新增 {new}，已知（基线）{known}，已解决 {resolved}，已豁免 {waived}。",
}


@dataclass
class ReportOptions:
    lang: str = "en"
    redact: bool = False
    max_findings: int | None = None
    quiet: bool = False
    verbose: bool = False
    labels: bool = False


def by_suffix(output: str | None) -> str:
    """The format whose suffix --output ends with (the longest: .github.txt before .txt)."""
    name = (output or "").lower()
    matches = [cls for cls in FORMATS.values() if name.endswith(cls.suffix)]
    return max(matches, key=lambda cls: len(cls.suffix)).name if matches else "table"


def plan(formats: list[str], output: str | Path | None) -> list[tuple[Format, Path | None]]:
    """Each format to write and its file (None: stdout), per the rules in this module's doc.
    `output` as typed: a Path has lost the trailing slash that says "a folder"."""
    output = None if output is None else str(output)
    names = [f.lower() for f in formats] or [by_suffix(output)]
    chosen = [get(name) for name in dict.fromkeys(names)]
    machine = [f for f in chosen if f.name != "table"]
    if output is None or output == "-":
        if len(machine) > 1:
            names = ", ".join(f.name for f in machine)
            raise ConfigError(
                f"Only one report can go to standard output; give --output to write {names}."
            )
        if machine and machine[0].binary:
            raise ConfigError(f"--format {machine[0].name} writes a binary file; give --output.")
        return [(f, None) for f in machine]
    files = machine or chosen
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        return [(f, path / f"{DEFAULT_STEM}{f.suffix}") for f in files]
    if len(files) == 1:
        return [(files[0], path)]
    suffix = next((s for s in _suffixes() if output.lower().endswith(s)), "")
    base = path.with_name(path.name[: len(path.name) - len(suffix)])
    return [(f, base.with_name(base.name + f.suffix)) for f in files]


def _suffixes() -> list[str]:
    return sorted({cls.suffix for cls in FORMATS.values()}, key=len, reverse=True)


def emit(
    result: AuditResult,
    formats: list[str],
    output: str | Path | None,
    options: ReportOptions,
    console: Console,
    summary_to_stdout: bool = False,
) -> None:
    """Render `result` in each of `formats` (see the module doc for where each goes). The
    summary goes to `console`, or with `summary_to_stdout` (the CLI) to stdout when no report
    does."""
    if options.lang not in LANGS:
        raise ConfigError(f"--lang must be one of {', '.join(LANGS)}.")
    if options.max_findings is not None and options.max_findings < 0:
        raise ConfigError("--max-findings must be 0 or more.")
    targets = plan(formats, output)
    refuse_inputs([p for _, p in targets if p is not None], [f.path for f in result.dataset.inputs])
    report = prepare(result, options.lang, options.redact, options.max_findings, options.labels)
    for fmt, path in targets:
        if path is None:
            _to_stdout(fmt, report)
        else:
            atomic_write(path, partial(fmt.write, report))
    if options.quiet:
        return
    if summary_to_stdout and all(path is not None for _, path in targets):
        console = Console()
    terminal.render(report, console, options.verbose)
    console.print(GATE[options.lang].format(**report.summary), highlight=False)
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
