"""Worker statements (`check --statements DIR`): one printable A4 page per worker with findings,
what an inspector hands to a platform or a worker. Who, the audited range, each finding in plain
words with the amount owed and the orders it rests on, the total owed, and the legal basis.
Chinese unless --lang says otherwise; self-contained HTML, printed from any browser."""

from __future__ import annotations

import re
from functools import partial
from html import escape
from importlib.resources import files
from pathlib import Path
from string import Template

import polars as pl

from payaudit.engine.result import AuditResult
from payaudit.i18n import CATEGORIES, column, label, t

from . import evidence
from .html import header
from .model import Report, prepare
from .safety import atomic_write, refuse_inputs

BATCH_WORKERS = 500


def write_statements(result: AuditResult, folder: Path, lang: str, redact: bool) -> list[Path]:
    """One page per worker with findings, named after the worker; the files written."""
    refuse_inputs([folder], [f.path for f in result.dataset.inputs])
    report = prepare(result, lang, redact, None)
    template = Template(files(__package__).joinpath("templates/statement.html").read_text("utf-8"))
    written: list[Path] = []
    names: set[str] = set()
    workers = report.workers.filter(pl.col("findings") > 0).sort("worker_id")
    for batch in workers.iter_slices(BATCH_WORKERS):
        # Evidence is looked up once for a batch of workers, not once per worker.
        found = report.findings.filter(pl.col("worker_id").is_in(batch["worker_id"].implode()))
        gathered = evidence.gather(report, found)
        by_worker: dict[str, list] = {}
        for row, ev in zip(found.iter_rows(named=True), gathered, strict=True):
            by_worker.setdefault(row["worker_id"], []).append((row, ev))
        for worker in batch.iter_rows(named=True):
            page = template.substitute(
                lang=lang,
                title=escape(f"{t('statement_title', lang)} {worker['worker_id']}"),
                body=statement(report, worker, by_worker.get(worker["worker_id"], [])),
            )
            path = folder / _file_name(worker["worker_id"], names)
            atomic_write(path, partial(_write, page))
            written.append(path)
    return written


def _write(page: str, out) -> None:
    out.write(page.encode("utf-8"))


def _file_name(worker_id: str, taken: set[str]) -> str:
    """A safe file name for the worker, unique within the folder."""
    stem = re.sub(r"[^\w.-]", "_", worker_id).strip("._") or "worker"
    name, n = f"{stem}.html", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.html"
    taken.add(name)
    return name


def statement(report: Report, worker: dict, found: list[tuple[dict, evidence.Evidence]]) -> str:
    """The body of one worker's statement: `found` holds each finding with its evidence."""
    lang = report.lang
    who = [
        (column("worker_id", lang), worker["worker_id"]),
        (column("category", lang), label(CATEGORIES, worker["category"], lang)),
        (column("platform", lang), worker["platform"] or ""),
        (column("district", lang), worker["district"] or ""),
    ]
    period = report.period or (None, None)
    parts = [
        header(report, "statement_title"),
        '<table class="who">'
        + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in who)
        + "</table>",
        f"<p>{escape(t('statement_intro', lang, first=period[0], last=period[1], n=len(found)))}"
        "</p>",
    ]
    for i, (row, ev) in enumerate(found, start=1):
        period_text = str(row["period_start"])
        if row["period_end"] != row["period_start"]:
            period_text += f" – {row['period_end']}"
        parts.append(
            f'<section class="finding"><h3>{i}. {escape(row["rule_name"])} '
            f"({escape(row['rule'])}) · {escape(period_text)}</h3>"
            f"<p>{escape(row['message'] or '')}</p>"
            f'<p class="owed">{escape(t("amount_owed", lang))}: {row["shortfall_cny"]:,.2f}</p>'
            f"{evidence.html(ev, None, lang)}</section>"
        )
    total = sum(row["shortfall_fen"] for row, _ in found)
    parts.append(
        f'<p class="total">{escape(t("total_owed", lang))}: {total // 100:,}.{total % 100:02d} '
        f"{escape(t('cny', lang))}</p>"
    )
    bases = list(dict.fromkeys(row["basis"] for row, _ in found if row["basis"]))
    parts.append(
        f"<h2>{escape(t('legal_basis', lang))}</h2><ul>"
        + "".join(f"<li>{escape(b)}</li>" for b in bases)
        + "</ul>"
        + f'<p class="note">{escape(t("statement_note", lang))}</p>'
    )
    return "".join(parts)
