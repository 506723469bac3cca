"""Personal data out of reports: names, phones and id numbers never appear in any report; with
--redact, worker ids become keyed pseudonyms (HMAC-SHA256 under a random per-run key), so one
worker has one pseudonym in every format of a run and none can be linked across runs."""

from __future__ import annotations

import hashlib
import hmac
import json

import polars as pl

from payaudit.dataset import Dataset
from payaudit.engine.findings import PSEUDONYM

PERSONAL_COLUMNS = ("name", "phone", "id_number")
MASK = "***"


class Redactor:
    def __init__(
        self, dataset: Dataset, worker_ids: list[str], pseudonymise: bool, key: bytes
    ) -> None:
        self.pseudonymise = pseudonymise
        self._key = key  # the run's (AuditResult.pseudonym_key)
        personal = _personal_values(dataset)
        ids = sorted(set(worker_ids), key=len, reverse=True) if pseudonymise else []
        self.ids = {wid: self.pseudonym(wid) for wid in ids}
        # Longest first: leftmost-first matching then prefers W12 over W1 inside "W12".
        text = dict.fromkeys(personal, MASK) | self.ids
        # In evidence (JSON) personal values are masked wherever they occur, as JSON writes
        # them; an id only as a whole JSON string, so that W1 inside an order id "O-W1-7" is
        # left be.
        evidence = dict.fromkeys(_in_json(personal), MASK)
        evidence |= {json.dumps(w, ensure_ascii=False): json.dumps(v) for w, v in self.ids.items()}
        self._text, self._json = _series(text), _series(evidence)

    def pseudonym(self, worker_id: str) -> str:
        digest = hmac.new(self._key, worker_id.encode(), hashlib.sha256).hexdigest()
        return f"{PSEUDONYM}{digest[:12]}"

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
        if issues.is_empty():  # scrubbing builds a matcher of every roster value (~0.1 s)
            return issues
        value = pl.when(pl.col("column").is_in(PERSONAL_COLUMNS)).then(pl.lit(MASK))
        if self.pseudonymise:
            value = value.when(pl.col("column") == "worker_id").then(self.worker_id("value"))
        return issues.with_columns(
            value.otherwise(self.text("value")).alias("value"), self.text("message")
        )


def _series(replacements: dict[str, str]) -> tuple[pl.Series, pl.Series] | None:
    """Patterns and replacements as Series, made once: a roster's tens of thousands of values
    would otherwise be converted again for every column scrubbed."""
    if not replacements:
        return None
    return pl.Series(list(replacements), dtype=pl.String), pl.Series(
        list(replacements.values()), dtype=pl.String
    )


def _scrub(column: str, replacements: tuple[pl.Series, pl.Series] | None) -> pl.Expr:
    if replacements is None:
        return pl.col(column)
    patterns, values = replacements
    return pl.col(column).str.replace_many(patterns.implode(), values.implode(), leftmost=True)


def _in_json(values: list[str]) -> list[str]:
    """Each value as it appears inside a JSON string of evidence, which Polars writes with
    non-ASCII characters as they are: only quotes, backslashes and control characters are
    escaped, and few values hold any."""
    forms = list(values)
    special = pl.Series(values, dtype=pl.String).str.contains(r'["\\\x00-\x1f]')
    for i in special.arg_true().to_list():
        forms[i] = json.dumps(forms[i], ensure_ascii=False)[1:-1]
    return forms


def _personal_values(dataset: Dataset) -> list[str]:
    """Every name, phone and id number in the roster (two characters or more, so a stray
    single character cannot mask half a report), longest first."""
    roster = dataset.frame("workers")
    if roster is None:
        return []
    cols = [c for c in PERSONAL_COLUMNS if c in roster.columns]
    if not cols:
        return []
    values = pl.concat([roster.get_column(c).cast(pl.String) for c in cols])
    values = values.drop_nulls().str.strip_chars().unique()
    values = values.filter(values.str.len_chars() >= 2).to_frame("v")
    longest = values.sort(pl.col("v").str.len_chars(), "v", descending=[True, False])
    return longest.get_column("v").to_list()


def known_worker_ids(frames: list[pl.DataFrame]) -> list[str]:
    """Every worker id that any report might show."""
    ids: set[str] = set()
    for frame in frames:
        if "worker_id" in frame.columns:
            ids.update(frame.get_column("worker_id").drop_nulls().unique().to_list())
    return list(ids)
