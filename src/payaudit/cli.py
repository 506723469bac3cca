"""The command line: each command parses options and calls the library (SPEC §1)."""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from payaudit.config import Settings, check_choices, load_config, resolve_lang
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


def _version(value: bool) -> None:
    if value:
        from payaudit import __version__

        typer.echo(f"payaudit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Audit the pay and working time of platform workers against the law (Chongqing first)."""


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
            err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None

    return wrapper


Formats = Annotated[
    list[str] | None,
    typer.Option("--format", "-f", help="table, json, csv, xlsx, parquet or html; repeatable."),
]
Output = Annotated[Path | None, typer.Option("--output", "-o", help="Report file (or folder).")]


def _codes(values: list[str] | None) -> list[str]:
    """--select MW,FT and --select MW --select FT alike."""
    return [code.strip() for value in values or [] for code in value.split(",") if code.strip()]


@app.command()
@handled
def check(
    paths: Paths = None,
    orders: TableFile = None,
    payouts: TableFile = None,
    shifts: TableFile = None,
    workers: TableFile = None,
    weather: TableFile = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read.")] = None,
    formats: Formats = None,
    output: Output = None,
    period: Annotated[str | None, typer.Option(help="day, week or month (MW001).")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day audited.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day audited.")] = None,
    select: Annotated[list[str] | None, typer.Option(help="Rule codes or prefixes.")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Rule codes or prefixes.")] = None,
    fail_on: Annotated[str | None, typer.Option(help="error, warning or never.")] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en.")] = None,
    redact: Annotated[bool, typer.Option(help="Pseudonymise worker ids.")] = False,
    max_findings: Annotated[int | None, typer.Option(help="Report at most N findings.")] = None,
    config: ConfigOpt = None,
    jurisdiction: Annotated[str | None, typer.Option(help="Rule pack.")] = None,
    default_category: Annotated[str | None, typer.Option(help="Category without roster.")] = None,
    district: Annotated[str | None, typer.Option(help="District when none is known.")] = None,
    platform: Annotated[str | None, typer.Option(help="Platform when orders name none.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    timings: Annotated[
        bool, typer.Option(help="Wall time and peak memory per phase, on stderr and in reports.")
    ] = False,
) -> None:
    """Load, validate and audit the exports; print a summary; write reports."""
    from payaudit import timings as clock
    from payaudit.engine.parts import audit_files
    from payaudit.report import ReportOptions, emit
    from payaudit.rules import select_rules

    settings = settings_from(
        config,
        jurisdiction=jurisdiction,
        default_category=default_category,
        district=district,
        platform=platform,
        fail_on=fail_on,
        lang=lang,
        period=period,
        select=_codes(select),
        ignore=_codes(ignore),
    )
    check_choices(settings)
    settings.lang = resolve_lang(settings)  # data issues and messages in the report's language
    rules = select_rules(settings.select, settings.ignore)
    explicit = _explicit(
        orders=orders, payouts=payouts, shifts=shifts, workers=workers, weather=weather
    )
    first, last = _date(date_from, "--from"), _date(date_to, "--to")
    if first and last and first > last:
        raise ConfigError(f"--from {first} is after --to {last}: nothing would be audited.")
    recorder = clock.start(timings)
    with err.status("Loading and validating…") as status:  # on a terminal only, on stderr
        result = audit_files(
            list(paths or []), explicit, settings, rules, sheet, first, last, status=status.update
        )
    options = ReportOptions(
        lang=settings.lang,
        redact=redact,
        max_findings=max_findings,
        quiet=quiet,
        verbose=verbose,
    )
    if recorder:  # the phases before the reports: a report cannot hold its own writing time
        result.manifest["timings"] = recorder.as_list()
    with clock.phase("reports"):
        emit(result, list(formats or ["table"]), output, options, err)
    if recorder:
        err.print("\n".join(recorder.lines()), markup=False, highlight=False)
    raise typer.Exit(result.exit_code(settings.fail_on))


def _explicit(**tables: Path | None) -> dict[str, Path]:
    return {table: path for table, path in tables.items() if path is not None}


DateOpt = Annotated[str | None, typer.Option("--date", help="Day to show (default today).")]


@app.command()
@handled
def params(
    on: DateOpt = None,
    district: Annotated[str | None, typer.Option(help="District: its area class's values.")] = None,
    config: ConfigOpt = None,
) -> None:
    """The rule-pack values in force on a day, with their citations."""
    from payaudit.rulepack import load_pack
    from payaudit.views import params_table

    settings = settings_from(config, district=district)
    pack = load_pack(settings.jurisdiction, settings.params)
    day = _date(on, "--date") or date.today()
    area_class = None
    if settings.district:
        canonical = pack.areas.canonical(settings.district)
        if canonical is None:
            raise ConfigError(f"Unknown district '{settings.district}' in rule pack {pack.name}.")
        area_class = pack.area_class(canonical, day)
        known = f"area class {area_class}" if area_class else "no area class on that day"
        typer.echo(f"{canonical}: {known}")
    Console().print(params_table(pack, day, area_class))


@app.command()
@handled
def calendar(year: Annotated[int, typer.Argument(help="Year, e.g. 2025.")]) -> None:
    """Each non-ordinary day of a year: statutory holiday, rest day of a break, 补班 day."""
    from payaudit.calendar import unknown_bridging_years
    from payaudit.views import calendar_table

    Console().print(calendar_table(year))
    if unknown_bridging_years(date(year, 1, 1), date(year, 12, 31)):
        err.print(
            f"[yellow]warning:[/] no bridging table for {year}: only its statutory days and "
            "weekends are known, not its 调休 rest days or 补班 days.",
            highlight=False,
        )


@app.command()
@handled
def rules(on: DateOpt = None, config: ConfigOpt = None) -> None:
    """Every rule: code, name, severity, who it applies to, thresholds in force on a day."""
    from payaudit.rulepack import load_pack
    from payaudit.rules import all_rules
    from payaudit.views import rules_table

    settings = settings_from(config)
    pack = load_pack(settings.jurisdiction, settings.params)
    registered = all_rules()
    if not registered:
        typer.echo("No rules are registered.")
        return
    Console().print(rules_table(registered, pack, _date(on, "--date") or date.today()))


@app.command()
@handled
def rule(
    code: Annotated[str, typer.Argument(help="Rule code, e.g. MW001.")], config: ConfigOpt = None
) -> None:
    """Explain one rule: what it checks, why, legal basis, parameters in force, an example."""
    from payaudit.rulepack import load_pack
    from payaudit.rules import all_rules
    from payaudit.views import rule_view

    found = all_rules().get(code.strip().upper())
    if found is None:
        raise ConfigError(f"Unknown rule code '{code}'; see `payaudit rules`.")
    settings = settings_from(config)
    pack = load_pack(settings.jurisdiction, settings.params)
    Console().print(rule_view(found, pack, date.today()), highlight=False)


@app.command()
@handled
def validate(
    paths: Paths = None,
    orders: TableFile = None,
    payouts: TableFile = None,
    shifts: TableFile = None,
    workers: TableFile = None,
    weather: TableFile = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet to read.")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="table, json or csv (the issues).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Issues file.")] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en: language of the messages.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Load and validate the exports only; report the data issues (exit 1 on an error issue)."""
    from payaudit.engine.parts import validate_files
    from payaudit.views import issues_text, validation_summary

    # --output without --format: the file's extension says which.
    if fmt is None:
        fmt = "table" if output is None else "csv" if output.suffix.lower() == ".csv" else "json"
    if fmt not in ("table", "json", "csv"):
        raise ConfigError(f"--format must be table, json or csv for validate, not '{fmt}'.")
    settings = settings_from(config, lang=lang)
    check_choices(settings)
    settings.lang = resolve_lang(settings)
    explicit = _explicit(
        orders=orders, payouts=payouts, shifts=shifts, workers=workers, weather=weather
    )
    with err.status("Loading and validating…") as status:  # shown on a terminal only
        dataset = validate_files(list(paths or []), explicit, settings, sheet, status=status.update)
    err.print(validation_summary(dataset), highlight=False)
    if fmt != "table":
        text = issues_text(dataset, fmt)
        if output and str(output) != "-":
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    raise typer.Exit(int((dataset.issues.get_column("severity") == "error").any()))


@app.command()
@handled
def sample(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write the exports into.")],
    workers: Annotated[int, typer.Option(help="Number of workers.")] = 40,
    days: Annotated[int, typer.Option(help="Number of days.")] = 31,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files.")] = 1,
    start: Annotated[str, typer.Option(help="First day.")] = "2025-01-01",
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    chinese: Annotated[
        bool, typer.Option(help="Also write chinese/订单.csv as a Chinese platform exports it.")
    ] = False,
) -> None:
    """Write realistic synthetic exports with known, labelled violations (truth.csv)."""
    from payaudit.sample import write_sample

    first = _date(start, "--start")
    summary = write_sample(out_dir, workers, days, seed, first, fmt, chinese)
    labelled = ", ".join(f"{rule} {n}" for rule, n in summary["violations"].items()) or "none"
    err.print(
        f"Wrote {summary['rows']['orders']:,} orders of {workers:,} workers over {days} days "
        f"to {out_dir} in {summary['seconds']:.1f} s; labelled violations: {labelled}.",
        markup=False,  # the folder's name is shown as it is, never read as Rich markup
        highlight=False,
    )


def main() -> None:
    """Console entry point: even an unforeseen failure is one sentence and exit code 2."""
    try:
        app()
    except Exception as exc:
        err.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))}",
            highlight=False,
        )
        sys.exit(2)


if __name__ == "__main__":
    main()
