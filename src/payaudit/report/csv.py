"""CSV: one row per finding, UTF-8 with a BOM (so Excel on a Chinese desktop reads it right),
formula-looking cells neutralised. Column titles are the JSON report's keys in every language,
so that a script reads any run's CSV alike; --labels titles them in --lang for people. Values
stay machine-readable: codes (`error`, `platform_managed`), ISO dates, CNY as numbers, evidence
as one JSON cell; rule names and messages follow --lang."""

from __future__ import annotations

from typing import BinaryIO

from payaudit.i18n import column

from .base import Format, register
from .model import FINDING_COLUMNS, Report, cny_text
from .safety import neutralise_strings


@register
class CsvFormat(Format):
    name = "csv"
    suffix = ".csv"

    def write(self, report: Report, out: BinaryIO) -> None:
        # CNY with two decimals (130.00, not 130.0), exactly from the fen
        frame = report.findings.with_columns(shortfall_cny=cny_text("shortfall_fen"))
        frame = frame.select(FINDING_COLUMNS)
        frame = neutralise_strings(frame)
        if report.labels:
            frame = frame.rename({c: column(c, report.lang) for c in FINDING_COLUMNS})
        frame.write_csv(out, include_bom=True)
