"""The audit: build the context, run the rules, assemble the AuditResult (one collect)."""

from __future__ import annotations

import dataclasses
import string
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import polars as pl

from payaudit.calendar import FIRST_YEAR, LAST_YEAR, covered, unknown_bridging_years
from payaudit.config import Settings
from payaudit.dataset import ISSUE_SCHEMA, Dataset
from payaudit.engine.context import ELIGIBLE, AuditContext, build_context
from payaudit.engine.findings import FINDING_SCHEMA, SORT_KEYS, conform, finding_ids, with_status
from payaudit.engine.locate import locations
from payaudit.engine.result import DAILY_SCHEMA, PARAMETER_SCHEMA, WORKER_SCHEMA, AuditResult
from payaudit.i18n import UNITS
from payaudit.rulepack import RulePack, load_pack
from payaudit.rules.base import Rule
from payaudit.timings import phase, recording

__all__ = ["AuditContext", "run_audit"]


def _placeholder(name: str, lang: str) -> pl.Expr:
    if name == "shortfall":
        fen = pl.col("shortfall_fen")
        cents = (fen % 100).cast(pl.String).str.zfill(2)
        return pl.concat_str((fen // 100).cast(pl.String), pl.lit("."), cents)
    if name == "unit":
        return pl.col("unit").replace({unit: words[lang] for unit, words in UNITS.items()})
    if name in ("observed", "threshold"):
        whole = pl.col(name).round(0).cast(pl.Int64).cast(pl.String)  # "29 days", not 29.00
        decimal = pl.col(name).round(2).cast(pl.Decimal(38, 2)).cast(pl.String)
        return pl.when(pl.col("unit") == "days").then(whole).otherwise(decimal)
    return pl.col(name).cast(pl.String)


def message(template: str, lang: str) -> pl.Expr:
    """A rule's message template as one string expression over the finding columns."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(pl.lit(literal))
        if name is not None:
            parts.append(_placeholder(name, lang).fill_null("—"))  # e.g. HP001 without baseline
    return pl.concat_str(parts).alias("message")


def _findings(rule: type[Rule], ctx: AuditContext, lang: str) -> pl.LazyFrame:
    """A rule's findings completed: severity, category, platform, message; conformed. The rule
    sees only the days on which it is in force for each worker's category; a finding's period
    starts no earlier than the first of them."""
    since = ctx.pack.rule_since(rule.code, rule.categories)
    found = rule().check(ctx.from_days_in_force(since))
    severity = pl.lit(rule.severity)
    if "severity" in found.collect_schema().names():
        severity = pl.col("severity").fill_null(severity)
    workers = ctx.workers.select("worker_id", "category", "platform")
    found = found.drop("category", "platform", strict=False).join(
        workers, on="worker_id", how="left"
    )
    if any(day > ctx.date_from for day in since.values()):
        start = pl.col("category").replace_strict(since, default=None, return_dtype=pl.Date)
        found = found.filter(start.is_null() | (pl.col("period_end") >= start)).with_columns(
            period_start=pl.max_horizontal("period_start", start)
        )
    found = found.with_columns(rule=pl.lit(rule.code), severity=severity)
    return conform(found.with_columns(message(rule.message[lang], lang)))


def _all_findings(rules: list[type[Rule]], ctx: AuditContext, lang: str) -> pl.DataFrame:
    """Every rule's findings, sorted. The families' plans are independent and run in one
    collect_all; with --timings, one family after the other, so that each can be timed."""
    families: dict[str, list[type[Rule]]] = {}
    for rule in rules:
        families.setdefault(rule.__module__.rsplit(".", 1)[-1], []).append(rule)

    def plan(members: list[type[Rule]]) -> pl.LazyFrame:
        return pl.concat([_findings(rule, ctx, lang) for rule in members])

    if recording():  # a plan is made in its phase: making one may compute what rules share
        found = []
        for family, members in families.items():
            with phase(f"rules: {family}"):
                found.append(plan(members).collect())
    else:
        found = pl.collect_all([plan(members) for members in families.values()])
    findings = pl.concat(found) if found else pl.DataFrame(schema=FINDING_SCHEMA)
    return findings.sort(SORT_KEYS, maintain_order=True)


def _workers(ctx: AuditContext, findings: pl.LazyFrame) -> pl.LazyFrame:
    totals = ctx.daily.group_by("worker_id").agg(
        days_worked=(pl.col("seconds") > 0).sum().cast(pl.Int64),
        hours=ctx.working_hours(pl.col("seconds").sum()),  # summed exactly, divided once
        pay_fen=pl.col("pay_fen").sum(),
        eligible_pay_fen=ELIGIBLE.sum(),
    )
    owed = findings.group_by("worker_id").agg(
        findings=pl.len().cast(pl.Int64), shortfall_fen=pl.col("shortfall_fen").sum()
    )
    return (
        ctx.workers.join(totals, on="worker_id", how="left")
        .join(owed, on="worker_id", how="left")
        .with_columns(
            pl.col(
                "days_worked", "pay_fen", "eligible_pay_fen", "findings", "shortfall_fen"
            ).fill_null(0),
            pl.col("hours").fill_null(0.0),
            in_scope=pl.col("category") != "independent",
            effective_hourly_cny=(pl.col("eligible_pay_fen") / 100 / pl.col("hours")).round(2),
        )
        .select([pl.col(n).cast(t) for n, t in WORKER_SCHEMA.items()])
        .sort("worker_id")
    )


def _daily(ctx: AuditContext, findings: pl.DataFrame, keep: str) -> pl.LazyFrame:
    """The per-day figures `keep` asks for: "all", or those of the workers with `findings`."""
    daily, stretches = ctx.daily, ctx.stretches
    if keep == "findings":
        workers = findings.select(pl.col("worker_id").unique()).lazy()
        daily = daily.join(workers, on="worker_id", how="semi")
        stretches = stretches.join(workers, on="worker_id", how="semi")
    longest = stretches.group_by("worker_id", "date").agg(
        longest_stretch_hours=pl.col("seconds").max() / 3600
    )
    return (
        daily.join(longest, on=["worker_id", "date"], how="left")
        .select([pl.col(n).cast(t) for n, t in DAILY_SCHEMA.items()])
        .sort("worker_id", "date")
    )


def _parameters(pack: RulePack, names: list[str], start: date, end: date) -> pl.DataFrame:
    """Every value of the parameters used that is in force on some day of [start, end]."""
    if not names:
        return pl.DataFrame(schema=PARAMETER_SCHEMA)
    values = pl.concat([pack.table(n).with_columns(name=pl.lit(n)) for n in names])
    until = pl.col("effective_from").shift(-1).over("name", "area_class", order_by="effective_from")
    number = pl.col("value")
    text = pl.when(number == number.round()).then(number.cast(pl.Int64).cast(pl.String))
    return (
        values.filter((pl.col("effective_from") <= end) & (until.is_null() | (until > start)))
        .with_columns(value=text.otherwise(number.cast(pl.String)))
        .select([pl.col(n).cast(t) for n, t in PARAMETER_SCHEMA.items()])
        .sort("name", "area_class", "effective_from")
    )


def _pack_warnings(pack: RulePack, rules: list[type[Rule]], start: date, lang: str) -> list[str]:
    """A parameter the rule pack has no value for on the first days of the range, while a rule
    that reads it is in force there (MW002 from 1995, the minimum wage from 2016): the rule
    checks nothing on those days, which is said rather than passed over."""
    uncovered: dict[tuple[str, date], list[str]] = {}
    for rule in rules:
        since = pack.rule_since(rule.code, rule.categories)
        applies = min(since.values()) if len(since) == len(rule.categories) else None
        first = max(start, applies) if applies else start
        for name in rule.params:
            parameter = pack.parameter(name)
            if parameter.unit == "list":  # a list before its first day is empty, not unknown
                continue
            earliest = parameter.values[0].effective_from
            if first < earliest:
                uncovered.setdefault((name, earliest), []).append(rule.code)
    text = {
        "zh": "规则包中没有{}在{}之前的数值：{}对该日之前的日期不作检查",
        "en": "The rule pack has no {} before {}: on the days before, nothing is checked by {}",
    }[lang]
    return [text.format(n, day, ", ".join(codes)) for (n, day), codes in uncovered.items()]


def _override_warnings(settings: Settings, on: date, lang: str) -> list[str]:
    """Each [params] value of the config, said beside the rule pack's: an override may loosen
    a legal floor (a lower minimum wage), which no report should hide in its manifest."""
    if not settings.params:
        return []
    base = load_pack(settings.jurisdiction)
    text = {
        "zh": "配置 [params] {name} = {value} 取代规则包的数值（{on} 为 {pack}）：审计按配置值进行",
        "en": "The config's [params] {name} = {value} replaces the rule pack's value ({pack} on "
        "{on}): the findings follow the config",
    }[lang]
    by_class = {"zh": "{0}类区域 {1}", "en": "{1} (area class {0})"}[lang]

    def shown(value: object) -> object:  # an area-class parameter: each class's value
        if not isinstance(value, dict):
            return value
        return ", ".join(by_class.format(k, v) for k, v in sorted(value.items()))

    return [
        text.format(name=name, value=shown(value), pack=shown(base.value(name, on)), on=on)
        for name, value in sorted(settings.params.items())
    ]


def _calendar_warnings(start: date, end: date, lang: str) -> tuple[list[str], pl.DataFrame]:
    """Years without a bridging table: their rest days and 补班 days are unknown; years the
    calendar does not cover (before 2008): their holidays too (D010)."""
    years = unknown_bridging_years(start, end)
    text = {
        "zh": "{}年的调休安排未知：仅按周末和法定节假日区分日期类型",
        "en": "The bridging days off and 补班 days of {} are unknown: only weekends and "
        "statutory holidays are known",
    }[lang]
    uncovered = {
        "zh": "日历未收录{year}年的法定节假日（收录{first}–{last}年）：仅按周末区分日期类型",
        "en": "The holiday calendar does not cover {year} (it covers {first}–{last}): only "
        "weekends are known",
    }[lang]
    warnings = [
        text.format(year) if covered(year)
        else uncovered.format(year=year, first=FIRST_YEAR, last=LAST_YEAR)
        for year in years
    ]  # fmt: skip
    issues = pl.DataFrame(
        {
            "code": "D010",
            "severity": "warning",
            "table": "orders",
            "column": "accepted_at",
            "value": [str(y) for y in years],
            "message": warnings,
        },
        schema_overrides=ISSUE_SCHEMA,
    ).with_columns(path=pl.lit(None, pl.String), row=pl.lit(None, pl.Int64))
    return warnings, issues.select(list(ISSUE_SCHEMA))


def run_audit(
    dataset: Dataset,
    settings: Settings,
    rules: list[type[Rule]],
    date_from: date | None = None,
    date_to: date | None = None,
    keep_daily: str = "all",
) -> AuditResult:
    """Audit the dataset with the rules over [date_from, date_to] (default: the data's days).
    The result holds `keep_daily` of the per-day figures: "all", those of the workers with
    findings ("findings", what worker statements show) or "none" (no report shows them; at
    10M orders they cost ~0.3 s)."""
    lang = settings.lang or "en"
    pack = load_pack(settings.jurisdiction, settings.params)
    with phase("workers"):
        ctx = build_context(dataset, settings, pack, date_from, date_to)
    with phase("working time"):
        _ = ctx.daily, ctx.stretches  # cached properties: computed here, read by the rules
    # Findings first: a plan that read them twice would run every rule twice.
    findings = _all_findings(rules, ctx, lang)
    with phase("locate"), ThreadPoolExecutor(1) as hasher:
        # hashlib needs the GIL, Polars placing the findings does not: the two overlap
        ids = hasher.submit(finding_ids, findings)
        findings = with_status(findings, locations(findings, ctx), ids.result())
    with phase("totals"):
        plans = [_workers(ctx, findings.lazy())]
        if keep_daily != "none":
            plans.append(_daily(ctx, findings, keep_daily))
        workers, *kept = pl.collect_all(plans)
    daily = kept[0] if kept else pl.DataFrame(schema=DAILY_SCHEMA)
    used = sorted({name for rule in rules for name in rule.params})
    warnings, calendar_issues = _calendar_warnings(ctx.date_from, ctx.date_to, lang)
    warnings += _pack_warnings(pack, rules, ctx.date_from, lang)
    warnings += _override_warnings(settings, ctx.date_to, lang)
    issues = pl.concat([dataset.issues, ctx.issues, calendar_issues])
    return AuditResult(
        findings=findings,
        workers=workers,
        daily=daily,
        parameters=_parameters(pack, used, ctx.date_from, ctx.date_to),
        dataset=dataclasses.replace(dataset, issues=issues),
        settings=settings,
        rule_pack=pack.name,
        rules=[rule.code for rule in rules],
        warnings=warnings,
        manifest={
            "jurisdiction": settings.jurisdiction,
            "period_from": ctx.date_from.isoformat(),
            "period_to": ctx.date_to.isoformat(),
        },
    )
