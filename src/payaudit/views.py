"""What the informational commands show (params, calendar, rules, rule, validate), as Rich
renderables built from the library, so that the CLI only parses options and prints.

Every view is in --lang and reads well at 80 columns: words are wrapped between, never split
inside; a long citation is shortened in a table (in full in `rule` and `params -f json`).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Group
from rich.table import Table
from rich.text import Text

from payaudit.calendar import calendar_frame, require_covered
from payaudit.dataset import Dataset
from payaudit.i18n import (
    CATEGORIES,
    DAY_TYPES,
    ISSUE_MEANINGS,
    SEVERITIES,
    UNITS,
    column,
    label,
    param_name,
    t,
)
from payaudit.rulepack import OVERRIDE_REFERENCE
from payaudit.rulepack.pack import RulePack
from payaudit.rules.base import Rule
from payaudit.schema import ISSUES

CITATION_CELLS = 34  # a citation in a table: cut to this many cells, "…" at the end


def shown(value: object, lang: str = "en") -> str:
    """A rule-pack value for people: 21 not 21.0, lists joined, {class: value} spelt out."""
    if isinstance(value, dict):
        return ", ".join(
            f"{t('area_class_n', lang, n=k)}: {shown(v, lang)}" for k, v in value.items()
        )
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def citation(text: str, cells: int = CITATION_CELLS) -> Text:
    """A citation shortened to `cells` terminal cells (CJK counts double), dimmed."""
    short = Text(text, style="dim")
    short.truncate(cells, overflow="ellipsis")
    return short


def _overflow(lang: str) -> str:
    """Rich wraps between words; a Chinese phrase is one "word" to it, and breaks anywhere."""
    return "fold" if lang == "zh" else "ellipsis"


def _table(title: str, columns: tuple[str, ...], **column_options) -> Table:
    table = Table(title=title)
    for name in columns:
        table.add_column(name, **column_options)
    return table


def _value(row: dict, lang: str) -> str:
    return f"{shown(row['value'], lang)} {label(UNITS, row['unit'], lang)}".strip()


def params_table(pack: RulePack, day: date, area_class: int | None, lang: str = "en") -> Table:
    """One row per parameter: its name over its (shortened) citation, value with unit, since
    when, verified."""
    table = _table(
        t("in_force_on", lang, pack=pack.name, day=day),
        (column("name", lang), column("value", lang), t("since", lang), column("verified", lang)),
    )
    table.columns[0].no_wrap = table.columns[2].no_wrap = table.columns[3].no_wrap = True
    table.columns[1].overflow = _overflow(lang)
    for row in pack.in_force(day, area_class):
        override = row["reference"] == OVERRIDE_REFERENCE
        since = t("config", lang) if override else str(row["effective_from"])
        name = Text(param_name(row["name"], lang), style="bold")
        table.add_row(
            Text("\n").join([name, citation(row["reference"])]),
            _value(row, lang),
            since,
            shown(row["verified"], lang),
        )
    return table


def params_json(pack: RulePack, day: date, area_class: int | None) -> str:
    """The parameters in force, with their full citations and descriptions, as JSON."""
    rows = [
        row | {"effective_from": str(row["effective_from"])}
        for row in pack.in_force(day, area_class)
    ]
    body = {"rule_pack": pack.name, "date": str(day), "area_class": area_class, "parameters": rows}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def calendar_table(year: int, lang: str = "en") -> Table:
    """Each non-ordinary day of a year: statutory holiday, rest day of a break, 补班 day; a
    year the calendar does not cover is an error (the audit reads it as weekends only)."""
    require_covered(year)
    days = calendar_frame(date(year, 1, 1), date(year, 12, 31)).filter(
        pl.col("day_type") != "working_day", pl.col("holiday_zh").is_not_null()
    )
    table = _table(
        t("calendar_title", lang, year=year),
        (t("date", lang), t("weekday", lang), t("type", lang)),
        no_wrap=True,
    )
    table.add_column(t("holiday", lang))
    table.add_column(t("note", lang))
    weekdays = "一二三四五六日"
    for day in days.iter_rows(named=True):
        weekday = day["date"].strftime("%a")
        if lang == "zh":
            weekday = "周" + weekdays[day["date"].weekday()]
        holiday = day["holiday_zh"] if lang == "zh" else f"{day['holiday_zh']} {day['holiday_en']}"
        table.add_row(
            str(day["date"]),
            weekday,
            label(DAY_TYPES, day["day_type"], lang),
            holiday,
            t("may_replace", lang) if day["review"] else "",
        )
    return table


def _thresholds(rule: type[Rule], pack: RulePack, day: date, lang: str) -> list[str]:
    out = []
    for name in rule.params:
        if name not in pack.parameters:
            out.append(f"{param_name(name, lang)}: {t('not_in_pack', lang)}")
            continue
        value = {"value": pack.value(name, day), "unit": pack.parameter(name).unit}
        if value["value"] is None:
            out.append(f"{param_name(name, lang)}: {t('none_in_force', lang)}")
            continue
        out.append(f"{param_name(name, lang)} = {_value(value, lang)}")
    return out


def _in_force(rule: type[Rule], pack: RulePack, day: date, lang: str) -> list[str]:
    """Per category the rule applies to: whether it is in force on `day`, and since when."""
    since = pack.rule_since(rule.code, rule.categories)
    lines = []
    for category in rule.categories:
        name, start = label(CATEGORIES, category, lang), since.get(category)
        if start is None:
            lines.append(name)
        else:
            key = "in_force_since" if start <= day else "in_force_from"
            lines.append(f"{name}: {t(key, lang, day=start)}")
    return lines


def rules_table(rules: dict[str, type[Rule]], pack: RulePack, day: date, lang: str = "en") -> Table:
    table = _table(
        t("rules_in_force", lang, pack=pack.name, day=day),
        (
            column("rule", lang),
            column("rule_name", lang),
            t("applies_to", lang),
            t("thresholds", lang),
        ),
    )
    table.columns[0].no_wrap = True
    table.expand = True  # for the ratios: the thresholds get the most room, "name = value unit"
    for col, ratio in zip(table.columns[1:], (3, 3, 5), strict=True):
        col.ratio = ratio
        col.overflow = _overflow(lang)
    table.columns[1].overflow = "fold"  # the Chinese name under the English one
    for code, rule in rules.items():
        names = [rule.name.get(lang, "")] + ([rule.name.get("zh", "")] if lang == "en" else [])
        table.add_row(
            code,
            "\n".join(names),
            "\n".join([label(SEVERITIES, rule.severity, lang), *_in_force(rule, pack, day, lang)]),
            "\n".join(_thresholds(rule, pack, day, lang)),
        )
    return table


def rule_view(rule: type[Rule], pack: RulePack, day: date, lang: str = "en") -> Group:
    """What a rule checks, why, its basis (in full), its parameters in force on `day`, an
    example. The explanation itself is written in English."""
    paragraphs = rule.doc().split("\n\n")  # reflowed to the terminal's width
    params = _table(
        t("in_force_on", lang, pack=pack.name, day=day),
        (column("name", lang), column("value", lang), t("since", lang)),
    )
    params.add_column(column("reference", lang), overflow="fold")  # in full here
    params.columns[0].no_wrap = params.columns[2].no_wrap = True
    for row in pack.in_force(day):
        if row["name"] in rule.params:
            since = str(row["effective_from"])
            name = param_name(row["name"], lang)
            params.add_row(name, _value(row, lang), since, row["reference"])
    categories = ", ".join(label(CATEGORIES, c, lang) for c in rule.categories)
    return Group(
        Text.from_markup(f"[bold]{rule.code}[/] {rule.name['en']} / {rule.name['zh']}"),
        Text("\n\n".join(" ".join(p.split()) for p in paragraphs)),
        Text.assemble(
            "\n", (column("severity", lang) + " ", "bold"), t(f"severity_{rule.severity}", lang)
        ),
        Text.assemble((t("applies_to", lang) + " ", "bold"), categories),
        Text.assemble((t("legal_basis", lang) + " ", "bold"), rule.basis),
        *(
            Text.assemble(
                (t("in_force_for", lang, category=label(CATEGORIES, category, lang)) + " ", "bold"),
                f"{dated.in_force_from}: {dated.reference}",
                "" if dated.verified else f" ({t('citation_not_verified', lang)})",
            )
            for category, dated in pack.rules.get(rule.code, {}).items()
        ),
        params,
        Text.assemble((t("example", lang) + " ", "bold"), rule.example),
    )


def validation_summary(dataset: Dataset, lang: str = "en") -> Group:
    """Per file: rows read, audited, rejected; issues by code; the first issues."""
    files = _table(t("inputs", lang), ())
    for name in ("table", "path", "rows_read", "rows_audited", "rows_rejected"):
        files.add_column(column(name, lang), justify="right" if name.startswith("rows") else "left")
    for f in dataset.inputs:
        counts = map(str, (f.rows_read, f.rows_audited, f.rows_rejected))
        files.add_row(f.table, Text(f.path), *counts)  # Text: a [bracket] is not markup
    issues = dataset.issues
    if not issues.height:
        return Group(files, Text(t("no_issues", lang)))
    counts = _table(
        t("issues_by_code", lang),
        (column("code", lang), column("severity", lang), t("meaning", lang), t("issues", lang)),
    )
    for code, n in issues.group_by("code").len().sort("code").iter_rows():
        known = ISSUES.get(code)
        meaning = ISSUE_MEANINGS.get(code, {}).get(lang) or (known.meaning if known else "")
        severity = label(SEVERITIES, known.severity if known else None, lang)
        counts.add_row(code, severity, meaning, str(n))
    first = _table(
        t("first_issues", lang, n=issues.height),
        (column("code", lang), column("path", lang), column("row", lang), column("message", lang)),
    )
    first.columns[0].no_wrap = first.columns[2].no_wrap = True
    first.columns[3].overflow = "fold"  # a Chinese sentence is one "word" to Rich
    shown_issues = issues.select("code", "path", "row", "message").head(10)
    for code, path, row, message in shown_issues.iter_rows():
        first.add_row(code, Text(Path(path or "").name), str(row or ""), Text(message))
    return Group(files, counts, first)


def issues_text(dataset: Dataset, fmt: str) -> str:
    """The data issues as CSV, or as JSON with the per-file row counts."""
    if fmt == "csv":
        return dataset.issues.write_csv()
    inputs = [f.as_dict() for f in dataset.inputs]
    body = {"inputs": inputs, "data_issues": dataset.issues.to_dicts()}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
