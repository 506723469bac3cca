"""Personal data out of reports: names, phones and id numbers never appear in any report; with
--redact, worker ids become keyed pseudonyms (HMAC-SHA256 under a random per-run key), so one
worker has one pseudonym in every format of a run and none can be linked across runs."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

import polars as pl

from payaudit.dataset import Dataset

PERSONAL_COLUMNS = ("name", "phone", "id_number")
MASK = "***"


class Redactor:
    def __init__(self, dataset: Dataset, worker_ids: list[str], pseudonymise: bool) -> None:
        self.pseudonymise = pseudonymise
        self._key = secrets.token_bytes(32)
        personal = sorted(_personal_values(dataset), key=len, reverse=True)
        ids = sorted(set(worker_ids), key=len, reverse=True) if pseudonymise else []
        self.ids = {wid: self.pseudonym(wid) for wid in ids}
        # Longest first: leftmost-first matching then prefers W12 over W1 inside "W12".
        text = dict.fromkeys(personal, MASK) | self.ids
        # In evidence (JSON) personal values are masked wherever they occur, in either escaping;
        # an id only as a whole JSON string, so that W1 inside an order id "O-W1-7" is left be.
        evidence = dict.fromkeys((e for p in personal for e in _escapings(p)), MASK)
        evidence |= {
            json.dumps(w, ensure_ascii=ascii): json.dumps(v)
            for w, v in self.ids.items()
            for ascii in (False, True)
        }
        self._text, self._json = text, evidence

    def pseudonym(self, worker_id: str) -> str:
        digest = hmac.new(self._key, worker_id.encode(), hashlib.sha256).hexdigest()
        return f"P-{digest[:12]}"

    def worker_id(self, column: str = "worker_id") -> pl.Expr:
        if not self.pseudonymise:
            return pl.col(column)
        # Every id a report shows was gathered up front; an unforeseen one is masked, not shown.
        return pl.col(column).replace_strict(self.ids, default=MASK, return_dtype=pl.String)

    def text(self, column: str) -> pl.Expr:
        """Free text with personal values masked and (with --redact) ids pseudonymised."""
        return _scrub(column, self._text)

    def json(self, column: str) -> pl.Expr:
        return _scrub(column, self._json)

    def issues(self, issues: pl.DataFrame) -> pl.DataFrame:
        """A data issue quotes the offending cell: mask personal cells, pseudonymise id cells."""
        value = pl.when(pl.col("column").is_in(PERSONAL_COLUMNS)).then(pl.lit(MASK))
        if self.pseudonymise:
            value = value.when(pl.col("column") == "worker_id").then(self.worker_id("value"))
        return issues.with_columns(
            value.otherwise(self.text("value")).alias("value"), self.text("message")
        )


def _scrub(column: str, replacements: dict[str, str]) -> pl.Expr:
    if not replacements:
        return pl.col(column)
    return pl.col(column).str.replace_many(
        list(replacements), list(replacements.values()), leftmost=True
    )


def _escaped(text: str, ascii: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii)[1:-1]


def _escapings(text: str) -> tuple[str, ...]:
    """The forms of `text` inside a JSON string: a plain ASCII value (a phone, an id number)
    has only itself, which spares tens of thousands of json.dumps on a large roster."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return (text,)
    return (_escaped(text, False), _escaped(text, True))


def _personal_values(dataset: Dataset) -> list[str]:
    """Every name, phone and id number in the roster (two characters or more, so a stray
    single character cannot mask half a report)."""
    roster = dataset.frame("workers")
    if roster is None:
        return []
    cols = [c for c in PERSONAL_COLUMNS if c in roster.columns]
    values: set[str] = set()
    for c in cols:
        series = roster.get_column(c).cast(pl.String).drop_nulls().str.strip_chars()
        values.update(v for v in series.unique().to_list() if len(v) >= 2)
    return sorted(values)


def known_worker_ids(frames: list[pl.DataFrame]) -> list[str]:
    """Every worker id that any report might show."""
    ids: set[str] = set()
    for frame in frames:
        if "worker_id" in frame.columns:
            ids.update(frame.get_column("worker_id").drop_nulls().unique().to_list())
    return list(ids)
