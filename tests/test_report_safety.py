"""Reports are written atomically, never over an input, with formula-looking cells neutralised."""

from __future__ import annotations

import os

import polars as pl
import pytest
from rich.console import Console

from payaudit.errors import ConfigError
from payaudit.report import ReportOptions, emit
from payaudit.report.base import FORMATS
from payaudit.report.safety import atomic_write, neutralise_strings
from test_report_helpers import make_result, stub_rule  # noqa: F401


@pytest.mark.parametrize("interrupt", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_failed_write_leaves_the_old_file_and_no_debris(tmp_path, interrupt):
    target = tmp_path / "report.json"
    target.write_text("old report", "utf-8")

    def half_then_fail(out):
        out.write(b'{"half": ')
        raise interrupt

    with pytest.raises(type(interrupt)):
        atomic_write(target, half_then_fail)
    assert target.read_text("utf-8") == "old report"
    assert os.listdir(tmp_path) == ["report.json"]


def test_interrupted_format_leaves_earlier_reports_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()

    def boom(self, report, stream):
        stream.write(b"PK partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(FORMATS["xlsx"], "write", boom)
    with pytest.raises(KeyboardInterrupt):
        emit(
            make_result(tmp_path),
            ["json", "xlsx"],
            out,
            ReportOptions(),
            Console(stderr=True, quiet=True),
        )
    assert sorted(os.listdir(out)) == ["payaudit-report.json"]


def test_written_report_is_a_normal_readable_file(tmp_path):
    target = tmp_path / "r.txt"
    atomic_write(target, lambda out: out.write(b"ok"))
    assert target.stat().st_mode & 0o044  # mkstemp's private 0600 is not kept


def test_unwritable_target_is_one_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="Cannot write the report"):
        atomic_write(blocker / "r.json", lambda out: out.write(b"{}"))


@pytest.mark.parametrize("table", [True, False])
def test_input_is_never_overwritten(tmp_path, table):
    result = make_result(tmp_path)
    orders = tmp_path / "orders.csv"
    before = orders.read_bytes()
    formats = ["table"] if table else ["csv"]
    with pytest.raises(ConfigError, match="input"):
        emit(result, formats, orders, ReportOptions(), Console(stderr=True, quiet=True))
    assert orders.read_bytes() == before


def test_neutralise_prefixes_every_formula_start():
    frame = pl.DataFrame(
        {"s": ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "ok", None], "n": [-1] * 8}
    )
    out = neutralise_strings(frame)
    assert out["s"].to_list() == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "ok", None]
    assert out["n"].to_list() == [-1] * 8  # numbers are numbers, not text


def test_table_alone_with_output_writes_the_summary_as_text(tmp_path, capsys):
    path = tmp_path / "summary.txt"
    emit(make_result(tmp_path), ["table"], path, ReportOptions(lang="en"), Console(stderr=True))
    text = path.read_text("utf-8")
    assert "Findings by rule" in text and "\x1b[" not in text
    captured = capsys.readouterr()
    assert captured.out == "" and "Findings by rule" in captured.err
