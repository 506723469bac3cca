"""The command line: each command parses options and calls the library."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from payaudit.cli.failures import err, handled, run, say
from payaudit.cli.options import (
    ConfigOpt,
    DateOpt,
    FailOn,
    Formats,
    LangOpt,
    Opt,
    Output,
    Paths,
    Quiet,
    TableFile,
    codes,
    daily_options,
    explicit_tables,
    parse_day,
    pick_language,
    settings_from,
    skipped_note,
    spark_engine,
    spark_tables,
)
from payaudit.config import FAILING, check_choices, resolve_lang
from payaudit.errors import ConfigError
from payaudit.i18n import t

app = typer.Typer(
    name="payaudit",
    help="Audit the pay and working time of platform workers against the law (Chongqing first).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: metavars (PATH, CODE, DATE) as given, no type column
)
# Typer prints an argument's Python type (<list[Path]>) after its metavar; the metavar says it.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None


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


@app.command()
@handled
def check(
    paths: Paths = None,
    orders: TableFile = None,
    payouts: TableFile = None,
    shifts: TableFile = None,
    workers: TableFile = None,
    weather: TableFile = None,
    sheet: Opt("NAME", "Excel sheet to read.") = None,
    formats: Formats = None,
    output: Output = None,
    period: Opt("PERIOD", "day, week or month (MW001).  [default: month]") = None,
    date_from: Opt("DATE", "First day audited.", "--from") = None,
    date_to: Opt("DATE", "Last day audited.", "--to") = None,
    select: Opt("CODES", "Rule codes or prefixes.", kind=list[str]) = None,
    ignore: Opt("CODES", "Rule codes or prefixes.", kind=list[str]) = None,
    fail_on: FailOn = None,
    lang: LangOpt = None,
    redact: Annotated[bool, typer.Option(help="Pseudonymise worker ids.")] = False,
    max_findings: Opt("N", "Report at most N findings.", kind=int) = None,
    baseline: Opt(
        "PATH", "An earlier JSON report or baseline: its findings are known, not new.", kind=Path
    ) = None,
    labels: Annotated[
        bool, typer.Option(help="CSV column titles in --lang, not JSON keys.")
    ] = False,
    config: ConfigOpt = None,
    jurisdiction: Opt("NAME", "Rule pack.  [default: cn-chongqing]") = None,
    default_category: Opt("CATEGORY", "Category without roster.") = None,
    district: Opt("DISTRICT", "District when none is known.") = None,
    platform: Opt("NAME", "Platform when orders name none.") = None,
    quiet: Quiet = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    statements: Opt(
        "DIR",
        "Also write one printable statement per worker with findings into DIR (Chinese unless "
        "--lang en).",
        kind=Path,
    ) = None,
    engine: Opt(
        "ENGINE", "local, or spark: Apache Spark, local or under spark-submit.  [default: local]"
    ) = None,
    table: Opt(
        "TABLE=NAME",
        "With --engine spark: TABLE=db.name or TABLE=URI (hdfs://, s3a://…).",
        kind=list[str],
    ) = None,
    daily: Opt(
        "PATH|URI",
        "With --engine spark: where Spark writes the per-day figures as Parquet (a folder, or "
        "hdfs://, s3a://…).  [default: REPORT-daily/ beside the report]",
    ) = None,
    timings: Annotated[
        bool, typer.Option(help="Wall time and peak memory per phase, on stderr and in JSON.")
    ] = False,
) -> None:
    """Load, validate and audit the exports; print a summary; write reports."""
    from payaudit import timings as clock
    from payaudit.engine.gate import apply_gate, check_waivers, read_baseline
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
        select=codes(select),
        ignore=codes(ignore),
    )
    check_choices(settings)
    statement_lang = settings.lang or "zh"  # what an inspector hands over in Chongqing
    settings.lang = resolve_lang(settings)  # data issues and messages in the report's language
    rules = select_rules(settings.select, settings.ignore)
    check_waivers(settings.waivers, settings.source)
    explicit = explicit_tables(
        orders=orders, payouts=payouts, shifts=shifts, workers=workers, weather=weather
    )
    first, last = parse_day(date_from, "--from"), parse_day(date_to, "--to")
    if first and last and first > last:
        raise ConfigError(f"--from {first} is after --to {last}: nothing would be audited.")
    known = read_baseline(baseline) if baseline else None  # a bad baseline fails before the audit
    engine = engine or "local"
    tables = spark_tables(table or [], engine)
    daily_to, keep_daily = daily_options(
        daily, list(formats or []), output, statements is not None, engine
    )
    recorder = clock.start(timings)
    with err.status("Loading and validating…") as status:  # on a terminal only, on stderr
        if engine == "spark":
            result = spark_engine().audit_spark(
                list(paths or []), explicit, tables, settings, rules, sheet, first, last,
                status=status.update, daily_to=daily_to, keep_daily=keep_daily,
            )  # fmt: skip
        else:
            result = audit_files(
                list(paths or []), explicit, settings, rules, sheet, first, last,
                status=status.update, keep_daily=keep_daily,
            )  # fmt: skip
    result = apply_gate(result, known, settings.waivers, date.today())
    if note := skipped_note(list(paths or []), explicit, settings.lang):
        result.warnings.append(note)
    options = ReportOptions(
        lang=settings.lang,
        redact=redact,
        max_findings=max_findings,
        quiet=quiet,
        verbose=verbose,
        labels=labels,
    )
    if recorder:  # the phases before the reports: a report cannot hold its own writing time
        result.manifest["timings"] = recorder.as_list()
    with clock.phase("reports"):
        emit(result, list(formats or []), output, options, err, summary_to_stdout=True)
    if statements is not None:
        from payaudit.report.statements import write_statements

        written = write_statements(result, statements, statement_lang, redact)
        if not quiet:
            say(t("statements_written", settings.lang, n=len(written), folder=statements))
    if engine == "spark" and daily_to and not quiet:
        say(t("daily_written", settings.lang, folder=daily_to))
    if recorder:
        say("\n".join(recorder.lines()))
    raise typer.Exit(result.exit_code(settings.fail_on))


@app.command("baseline")
@handled
def baseline_command(
    report: Annotated[
        Path, typer.Argument(metavar="REPORT", help="A JSON report of `payaudit check -f json`.")
    ],
    output: Opt("PATH", "Baseline file.  [default: stdout]", "--output", "-o", kind=Path) = None,
) -> None:
    """Write a baseline from a JSON report: its findings' ids, for `check --baseline`."""
    from payaudit.engine.gate import baseline_document, read_baseline
    from payaudit.report.safety import atomic_write

    text = baseline_document(read_baseline(report), report)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        atomic_write(output, lambda out: out.write(text.encode()))
        say(f"Wrote the baseline of {report} to {output}.")


@app.command()
@handled
def params(
    on: DateOpt = None,
    district: Opt("DISTRICT", "District: its area class's values.") = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="table or json (citations in full)."),
    ] = "table",
    lang: LangOpt = None,
    config: ConfigOpt = None,
) -> None:
    """The rule-pack values in force on a day, with their citations."""
    from payaudit.rulepack import load_pack
    from payaudit.views import params_json, params_table

    if fmt not in ("table", "json"):
        raise ConfigError(f"--format must be table or json for params, not '{fmt}'.")
    language = pick_language(lang, config)
    settings = settings_from(config, district=district)
    pack = load_pack(settings.jurisdiction, settings.params)
    day = parse_day(on, "--date") or date.today()
    area_class = None
    if settings.district:
        canonical = pack.areas.canonical(settings.district)
        if canonical is None:
            raise ConfigError(f"Unknown district '{settings.district}' in rule pack {pack.name}.")
        area_class = pack.area_class(canonical, day)
        if fmt == "table":
            known = t("area_class_n", language, n=area_class) if area_class else "-"
            typer.echo(f"{canonical}: {known}")
    if fmt == "json":
        sys.stdout.write(params_json(pack, day, area_class))
        return
    Console().print(params_table(pack, day, area_class, language))


@app.command()
@handled
def calendar(
    year: Annotated[int, typer.Argument(metavar="YEAR", help="Year, e.g. 2025.")],
    lang: LangOpt = None,
) -> None:
    """Each non-ordinary day of a year: statutory holiday, rest day of a break, 补班 day."""
    from payaudit.calendar import unknown_bridging_years
    from payaudit.views import calendar_table

    language = pick_language(lang)
    Console().print(calendar_table(year, language))
    if unknown_bridging_years(date(year, 1, 1), date(year, 12, 31)):
        text = t("no_bridging", language, year=year)
        err.print(f"[yellow]{t('warning', language)}:[/] {text}", highlight=False)


@app.command()
@handled
def rules(on: DateOpt = None, lang: LangOpt = None, config: ConfigOpt = None) -> None:
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
    day = parse_day(on, "--date") or date.today()
    Console().print(rules_table(registered, pack, day, pick_language(lang, config)))


@app.command()
@handled
def rule(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Rule code, e.g. MW001.")],
    lang: LangOpt = None,
    config: ConfigOpt = None,
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
    Console().print(
        rule_view(found, pack, date.today(), pick_language(lang, config)), highlight=False
    )


@app.command()
@handled
def validate(
    paths: Paths = None,
    orders: TableFile = None,
    payouts: TableFile = None,
    shifts: TableFile = None,
    workers: TableFile = None,
    weather: TableFile = None,
    sheet: Opt("NAME", "Excel sheet to read.") = None,
    fmt: Opt(
        "FORMAT", "table, json or csv (the issues).  [default: table]", "--format", "-f"
    ) = None,
    output: Opt("PATH", "Issues file.", "--output", "-o", kind=Path) = None,
    lang: LangOpt = None,
    fail_on: FailOn = None,
    quiet: Quiet = False,
    config: ConfigOpt = None,
) -> None:
    """Load and validate the exports only; report the data issues (exit 1 on an issue at or
    above --fail-on, an error by default)."""
    from payaudit.engine.parts import validate_files
    from payaudit.views import issues_text, validation_summary

    # --output without --format: the file's extension says which.
    if fmt is None:
        fmt = "table" if output is None else "csv" if output.suffix.lower() == ".csv" else "json"
    if fmt not in ("table", "json", "csv"):
        raise ConfigError(f"--format must be table, json or csv for validate, not '{fmt}'.")
    settings = settings_from(config, lang=lang, fail_on=fail_on)
    check_choices(settings)
    settings.lang = resolve_lang(settings)
    explicit = explicit_tables(
        orders=orders, payouts=payouts, shifts=shifts, workers=workers, weather=weather
    )
    with err.status("Loading and validating…") as status:  # shown on a terminal only
        dataset = validate_files(list(paths or []), explicit, settings, sheet, status=status.update)
    if not quiet:
        err.print(validation_summary(dataset, settings.lang), highlight=False)
        if note := skipped_note(list(paths or []), explicit, settings.lang):
            say(note)
    if fmt != "table":
        text = issues_text(dataset, fmt)
        if output and str(output) != "-":
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    failing = dataset.issues.get_column("severity").is_in(FAILING[settings.fail_on])
    raise typer.Exit(int(failing.any()))


@app.command()
@handled
def sample(
    out_dir: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder to write the exports into.")
    ],
    workers: Annotated[int, typer.Option(help="Number of workers.")] = 40,
    days: Annotated[int, typer.Option(help="Number of days.")] = 31,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same files.")] = 1,
    start: Annotated[str, typer.Option(metavar="DATE", help="First day.")] = "2025-01-01",
    fmt: Annotated[str, typer.Option("--format", metavar="FORMAT", help="csv or parquet.")] = "csv",
    chinese: Annotated[
        bool, typer.Option(help="Also write chinese/订单.csv as a Chinese platform exports it.")
    ] = False,
) -> None:
    """Write realistic synthetic exports with known, labelled violations (truth.csv)."""
    from payaudit.sample import write_sample

    first = parse_day(start, "--start")
    summary = write_sample(out_dir, workers, days, seed, first, fmt, chinese)
    labelled = ", ".join(f"{rule} {n}" for rule, n in summary["violations"].items()) or "none"
    say(
        f"Wrote {summary['rows']['orders']:,} orders of {workers:,} workers over {days} days "
        f"to {out_dir} in {summary['seconds']:.1f} s; labelled violations: {labelled}."
    )


def main() -> None:
    """Console entry point: even an unforeseen failure is one sentence and exit code 2."""
    run(app)


if __name__ == "__main__":
    main()
