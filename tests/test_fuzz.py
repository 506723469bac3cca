"""Property-based fuzzing of the loader through `payaudit check`: valid orders tables in CSV
(UTF-8, UTF-8 with BOM, GBK), Excel, Parquet, JSON and NDJSON, mutated as files get mangled
(truncated, random bytes, headers shuffled or noisy, cells noisy, columns extra or missing).
Whatever the input: no traceback, exit 0, 1 or 2, exit 2 with one sentence only, and every
row read is audited or rejected.

`make test` runs a few examples per format; `make fuzz` many (PAYAUDIT_FUZZ_EXAMPLES)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from payaudit.cli import app

EXAMPLES = int(os.environ.get("PAYAUDIT_FUZZ_EXAMPLES", "6"))
HEADER = ["order_id", "worker_id", "accepted_at", "completed_at", "pay", "district", "tip"]
FORMATS = ("csv", "csv-bom", "csv-gbk", "xlsx", "parquet", "json", "ndjson")
runner = CliRunner()

noise = st.text(max_size=12)


@st.composite
def orders(draw) -> list[list[str]]:
    """A valid orders table as text rows (header first)."""
    rows = [HEADER]
    for n in range(draw(st.integers(1, 6))):
        day, hour = draw(st.integers(1, 28)), draw(st.integers(0, 22))
        minutes = draw(st.integers(1, 59))
        pay = draw(st.decimals(0, 500, places=2, allow_nan=False))
        rows.append(
            [f"A{n}", f"W{draw(st.integers(1, 3))}", f"2025-01-{day:02} {hour:02}:00",
             f"2025-01-{day:02} {hour:02}:{minutes:02}", str(pay),
             draw(st.sampled_from(["渝中区", "江北区", ""])), draw(st.sampled_from(["", "1.5"]))]
        )  # fmt: skip
    return rows


@st.composite
def mangled(draw) -> list[list[str]]:
    """A valid table with its columns and cells mangled."""
    rows = draw(orders())
    width = len(HEADER)
    order = draw(st.permutations(range(width)))
    rows = [[row[i] for i in order] for row in rows]
    if draw(st.booleans()):  # a noisy header
        i = draw(st.integers(0, width - 1))
        rows[0][i] = draw(st.sampled_from([rows[0][i] + "s", rows[0][i].upper(), "", "pay"]))
    for _ in range(draw(st.integers(0, 3))):  # noisy cells
        r, c = draw(st.integers(1, len(rows) - 1)), draw(st.integers(0, width - 1))
        rows[r][c] = draw(noise)
    if draw(st.booleans()):  # an extra column
        rows = [row + [draw(noise)] for row in rows]
    if draw(st.booleans()):  # a missing column
        drop = draw(st.integers(0, len(rows[0]) - 1))
        rows = [row[:drop] + row[drop + 1 :] for row in rows]
    return rows


def _csv(rows: list[list[str]]) -> str:
    quoted = (",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
    return "\n".join(quoted) + "\n"


def _write(rows: list[list[str]], fmt: str, folder: Path) -> Path:
    header = [h or f"blank{n}" for n, h in enumerate(rows[0])]  # frames need names
    names = list(dict.fromkeys(header))  # and unique ones: a repeat stays in CSV only
    frame = pl.DataFrame([r[: len(names)] for r in rows[1:]], schema=names, orient="row")
    path = folder / f"orders.{fmt.split('-')[0]}"
    if fmt == "csv":
        path.write_text(_csv(rows), encoding="utf-8")
    elif fmt == "csv-bom":
        path.write_text(_csv(rows), encoding="utf-8-sig")
    elif fmt == "csv-gbk":
        path.write_bytes(_csv(rows).encode("gbk", errors="replace"))
    elif fmt == "xlsx":
        frame.write_excel(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    elif fmt == "json":
        frame.write_json(path)
    else:
        frame.write_ndjson(path)
    return path


# How a file's bytes get damaged: cut at a fraction of its length, bytes written in at fractions
# (drawn apart from the bytes, which differ from run to run: an xlsx holds its time of writing).
damage = st.tuples(
    st.none() | st.floats(0, 1),
    st.lists(st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=4)), max_size=2),
)


def _damaged(data: bytes, how: tuple) -> bytes:
    cut, inserts = how
    if cut is not None:
        data = data[: int(len(data) * cut)]
    for where, junk in inserts:
        at = int(len(data) * where)
        data = data[:at] + junk + data[at:]
    return data


def _holds(result) -> None:
    """The contract every run keeps, whatever its input."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("error:") and "\nerror:" not in result.stderr
        assert result.stderr.strip().endswith((".", "。")), result.stderr
        return
    report = json.loads(result.stdout)
    for f in report["manifest"]["inputs"]:
        assert f["rows_read"] == f["rows_audited"] + f["rows_rejected"], f
    rejected = sum(f["rows_rejected"] for f in report["manifest"]["inputs"])
    errors = [i for i in report["data_issues"] if i["severity"] == "error"]
    assert bool(rejected) == bool(errors)  # a rejected row is always said, and fails the run
    assert (result.exit_code == 1) >= bool(errors)


def _check(path: Path):
    return runner.invoke(app, ["check", "--orders", str(path), "-f", "json", "-q"])


@settings(max_examples=EXAMPLES)
@given(rows=mangled(), fmt=st.sampled_from(FORMATS), how=damage)
def test_mangled_files_never_crash(rows: list[list[str]], fmt: str, how: tuple) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(rows, fmt, Path(folder))
        path.write_bytes(_damaged(path.read_bytes(), how))
        _holds(_check(path))


@settings(max_examples=EXAMPLES)
@given(rows=orders(), fmt=st.sampled_from(FORMATS))
def test_valid_files_pass_their_rows(rows: list[list[str]], fmt: str) -> None:
    """Unmangled, every row is audited (no false rejection) in every format."""
    with tempfile.TemporaryDirectory() as folder:
        result = _check(_write(rows, fmt, Path(folder)))
        _holds(result)
        inputs = json.loads(result.stdout)["manifest"]["inputs"]
        assert [(f["rows_read"], f["rows_rejected"]) for f in inputs] == [(len(rows) - 1, 0)]
