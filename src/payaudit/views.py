"""What the informational commands show (params, calendar, rules, rule, validate), as Rich
renderables built from the library, so that the CLI only parses options and prints."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Group
from rich.table import Table
from rich.text import Text

from payaudit.calendar import calendar_frame
from payaudit.dataset import Dataset
from payaudit.rulepack import OVERRIDE_REFERENCE
from payaudit.rulepack.pack import RulePack
from payaudit.rules.base import Rule
from payaudit.schema import ISSUES

SEVERITY_WHY = {
    "error": "error: a breach of a binding rule.",
    "warning": "warning: a breach of a recommended standard, or a case to review.",
}


def shown(value: object) -> str:
    """A rule-pack value for people: 21 not 21.0, lists joined, {class: value} spelt out."""
    if isinstance(value, dict):
        return ", ".join(f"class {k}: {shown(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _table(title: str, columns: tuple[str, ...], **column_options) -> Table:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, **column_options)
    return table


def params_table(pack: RulePack, day: date, area_class: int | None) -> Table:
    table = _table(
        f"{pack.name}, in force on {day}",
        ("name", "value", "unit", "in force since", "reference", "verified"),
        overflow="fold",
    )
    for row in pack.in_force(day, area_class):
        since = "config" if row["reference"] == OVERRIDE_REFERENCE else str(row["effective_from"])
        verified = shown(row["verified"])
        table.add_row(
            row["name"], shown(row["value"]), row["unit"], since, row["reference"], verified
        )
    return table


def calendar_table(year: int) -> Table:
    """Each non-ordinary day of a year: statutory holiday, rest day of a break, 补班 day."""
    days = calendar_frame(date(year, 1, 1), date(year, 12, 31)).filter(
        pl.col("day_type") != "working_day", pl.col("holiday_zh").is_not_null()
    )
    table = _table(
        f"Statutory holidays, breaks and adjusted working days of {year}",
        ("date", "weekday", "type"),
        no_wrap=True,
    )
    table.add_column("holiday")
    table.add_column("note")
    for day in days.iter_rows(named=True):
        table.add_row(
            str(day["date"]),
            day["date"].strftime("%a"),
            day["day_type"],
            f"{day['holiday_zh']} {day['holiday_en']}",
            "may replace a weekend statutory day (补假): review" if day["review"] else "",
        )
    return table


def _threshold(name: str, pack: RulePack, day: date) -> str:
    if name not in pack.parameters:
        return f"{name}: not in the rule pack"
    value = pack.value(name, day)
    if value is None:
        return f"{name}: none in force"
    return f"{name} = {shown(value)} {pack.parameter(name).unit}"


def _thresholds(rule: type[Rule], pack: RulePack, day: date) -> list[str]:
    return [_threshold(name, pack, day) for name in rule.params]


def _in_force(rule: type[Rule], pack: RulePack, day: date) -> list[str]:
    """Per category the rule applies to: whether it is in force on `day`, and since when."""
    since = pack.rule_since(rule.code, rule.categories)
    lines = []
    for category in rule.categories:
        start = since.get(category)
        if start is None:
            lines.append(f"{category}: yes")
        else:
            lines.append(f"{category}: {'yes, since' if start <= day else 'no, from'} {start}")
    return lines


def rules_table(rules: dict[str, type[Rule]], pack: RulePack, day: date) -> Table:
    table = _table(
        f"Rules and thresholds of {pack.name} in force on {day}",
        ("code", "name", "severity", "in force (applies to)", "thresholds"),
        overflow="fold",
    )
    for code, rule in rules.items():
        table.add_row(
            code,
            "\n".join(rule.name.get(lang, "") for lang in ("en", "zh")),
            rule.severity,
            "\n".join(_in_force(rule, pack, day)),
            "\n".join(_thresholds(rule, pack, day)),
        )
    return table


def rule_view(rule: type[Rule], pack: RulePack, day: date) -> Group:
    """What a rule checks, why, its basis, its parameters in force on `day`, an example."""
    paragraphs = rule.doc().split("\n\n")  # reflowed to the terminal's width
    params = _table(
        f"Parameters of {pack.name} in force on {day}",
        ("name", "value", "unit", "in force since", "reference"),
        overflow="fold",
    )
    for row in pack.in_force(day):
        if row["name"] in rule.params:
            since = str(row["effective_from"])
            params.add_row(row["name"], shown(row["value"]), row["unit"], since, row["reference"])
    return Group(
        Text.from_markup(f"[bold]{rule.code}[/] {rule.name['en']} / {rule.name['zh']}"),
        Text("\n\n".join(" ".join(p.split()) for p in paragraphs)),
        Text.from_markup(f"\n[bold]Severity[/] {SEVERITY_WHY[rule.severity]}"),
        Text.from_markup(f"[bold]Applies to[/] {', '.join(rule.categories)}"),
        Text.assemble(("Legal basis ", "bold"), rule.basis),
        *(
            Text.assemble(
                (f"In force for {category} from ", "bold"),
                f"{dated.in_force_from}: {dated.reference}",
                "" if dated.verified else " (citation not verified)",
            )
            for category, dated in pack.rules.get(rule.code, {}).items()
        ),
        params,
        Text.assemble(("Example ", "bold"), rule.example),
    )


def validation_summary(dataset: Dataset) -> Group:
    """Per file: rows read, audited, rejected; issues by code; the first issues."""
    files = _table("Inputs", ())
    for column in ("table", "file", "rows read", "audited", "rejected"):
        files.add_column(column, justify="right" if column[0] in "rar" else "left")
    for f in dataset.inputs:
        counts = map(str, (f.rows_read, f.rows_audited, f.rows_rejected))
        files.add_row(f.table, Text(f.path), *counts)  # Text: a [bracket] is not markup
    issues = dataset.issues
    if not issues.height:
        return Group(files, Text("No data issues."))
    counts = _table("Data issues by code", ("code", "severity", "meaning", "issues"))
    for code, n in issues.group_by("code").len().sort("code").iter_rows():
        counts.add_row(code, ISSUES[code].severity, ISSUES[code].meaning, str(n))
    first = _table(
        f"First data issues (of {issues.height})",
        ("code", "file", "row", "message"),
        overflow="fold",
    )
    shown_issues = issues.select("code", "path", "row", "message").head(10)
    for code, path, row, message in shown_issues.iter_rows():
        first.add_row(code, Text(Path(path or "").name), str(row or ""), Text(message))
    return Group(files, counts, first)


def issues_text(dataset: Dataset, fmt: str) -> str:
    """The data issues as CSV, or as JSON with the per-file row counts."""
    if fmt == "csv":
        return dataset.issues.write_csv()
    inputs = [dataclasses.asdict(f) for f in dataset.inputs]
    body = {"inputs": inputs, "data_issues": dataset.issues.to_dicts()}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
