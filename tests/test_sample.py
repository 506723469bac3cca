"""The synthetic exports: deterministic, consistent, and labelled so that a correct audit finds
exactly the truth file's MW001, HP001, FT001 and FT002 violations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.config import Settings
from payaudit.sample import generator as sample
from payaudit.sample import write_sample

AUDITED = ["MW001", "HP001", "FT001", "FT002"]
KEYS = ["rule", "worker_id", "period_start", "period_end"]
SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def _truth(folder: Path) -> pl.DataFrame:
    truth = pl.read_csv(folder / "truth.csv", try_parse_dates=True, infer_schema_length=None)
    return truth.with_columns(
        shortfall_fen=(pl.col("shortfall_cny").cast(pl.Decimal(12, 2)) * 100).cast(pl.Int64)
    )


def _audit(paths: list[Path], rules: list[str]) -> pl.DataFrame:
    io = pytest.importorskip("payaudit.io", reason="the loader (payaudit.io) is not there yet")
    from payaudit.engine.run import run_audit
    from payaudit.rules import select_rules

    dataset = io.load_dataset(paths, {}, Settings())
    assert dataset.issues.filter(pl.col("severity") == "error").height == 0
    return run_audit(dataset, Settings(), select_rules(rules)).findings


def _assert_found_exactly(findings: pl.DataFrame, truth: pl.DataFrame, rules: list[str]) -> None:
    # MW001 is labelled per calendar month; an audit may clip the month to the data's days.
    findings = sample.whole_months(findings)
    truth = truth.filter(pl.col("rule").is_in(rules))
    assert truth.height > 0
    missing = truth.join(findings, on=KEYS, how="anti")
    unlabelled = findings.filter(pl.col("rule").is_in(rules)).join(truth, on=KEYS, how="anti")
    assert missing.height == 0, missing
    assert unlabelled.height == 0, unlabelled
    both = truth.join(findings, on=KEYS, suffix="_found")
    assert both["shortfall_fen"].to_list() == both["shortfall_fen_found"].to_list()
    assert ((both["observed"] - both["observed_found"]).abs() < 0.006).all()


@pytest.mark.parametrize(
    ("fmt", "workers", "days", "start"),
    [
        # Across a month end and 春节 2025 (statutory 1/28–1/31, 补班 1/26 and 2/8).
        ("parquet", 300, 45, date(2025, 1, 15)),
        # Across the minimum-wage rise of 2022-04-01 (class 1: 18 → 21 CNY/h) and 清明 4/5.
        ("csv", 150, 40, date(2022, 3, 10)),
    ],
)
def test_audit_finds_exactly_the_labelled_violations(tmp_path, fmt, workers, days, start):
    summary = write_sample(tmp_path, workers, days, seed=5, start=start, fmt=fmt)
    truth = _truth(tmp_path)
    assert set(AUDITED) <= set(summary["violations"])
    _assert_found_exactly(_audit([tmp_path], AUDITED), truth, AUDITED)


def test_streaming_in_many_chunks_keeps_the_labels_right(tmp_path, monkeypatch):
    monkeypatch.setattr(sample, "CELLS_PER_CHUNK", 100)  # 3 workers per chunk over 31 days
    write_sample(tmp_path, 40, 31, seed=9, fmt="parquet")
    orders = pl.read_parquet(tmp_path / "orders.parquet")
    assert orders["order_id"].is_unique().all()
    _assert_found_exactly(_audit([tmp_path], AUDITED), _truth(tmp_path), AUDITED)


def test_the_bundled_sample_is_labelled_exactly():
    truth = _truth(SAMPLE_DATA)
    rules = [*AUDITED, "PY001", "PY004"]
    _assert_found_exactly(_audit([SAMPLE_DATA], rules), truth, rules)


def test_the_chinese_copy_holds_the_same_orders():
    io = pytest.importorskip("payaudit.io", reason="the loader (payaudit.io) is not there yet")
    english = io.load_dataset([SAMPLE_DATA / "orders.csv"], {}, Settings())
    chinese = io.load_dataset([SAMPLE_DATA / "chinese" / "订单.csv"], {}, Settings())
    # 订单状态 (order status) is no column of the contract: named as ignored, nothing else
    assert chinese.issues.select("code", "value").rows() == [("D011", "`订单状态`")]
    drop = ("_path", "_row")
    assert chinese.frames["orders"].drop(drop).equals(english.frames["orders"].drop(drop))
    raw = (SAMPLE_DATA / "chinese" / "订单.csv").read_bytes().decode("gb18030")
    header, first = raw.splitlines()[:2]
    assert header.startswith("订单编号,骑手编号,平台,区县,接单时间,送达时间,订单收入")
    assert "¥" in first and "2025/1/" in first


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_sample(tmp_path / name, 30, 10, seed=seed)
    for table in ("orders", "shifts", "payouts", "workers", "weather", "truth"):
        a, b = ((tmp_path / n / f"{table}.csv").read_bytes() for n in "ab")
        assert a == b, table
    assert (tmp_path / "a" / "orders.csv").read_bytes() != (
        tmp_path / "c" / "orders.csv"
    ).read_bytes()


def test_tables_are_consistent(tmp_path):
    summary = write_sample(tmp_path, 60, 20, seed=2, start=date(2025, 4, 25))
    tables = {
        t: pl.read_csv(tmp_path / f"{t}.csv", infer_schema_length=None) for t in sample.TABLES
    }
    assert {t: f.height for t, f in tables.items() if t in summary["rows"]} == summary["rows"]
    orders, workers = tables["orders"], tables["workers"]
    orders = orders.with_columns(pl.col("accepted_at", "completed_at").str.to_datetime())
    assert orders["order_id"].is_unique().all()
    assert set(orders["worker_id"]) <= set(workers["worker_id"])
    assert (orders["completed_at"] > orders["accepted_at"]).all()
    text = pl.read_csv(tmp_path / "orders.csv", infer_schema=False)
    assert text["pay"].str.contains(r"^\d+\.\d{2}$").all()
    assert set(workers["category"]) == {"platform_managed", "employee", "independent"}
    # Independents are paid below the hourly minimum: an audit that ignores scope would say so.
    hours = (pl.col("completed_at") - pl.col("accepted_at")).dt.total_minutes() / 60
    rates = (
        orders.join(workers, on="worker_id")
        .group_by("category")
        .agg(rate=pl.col("pay").sum() / hours.sum())
    )
    assert dict(rates.iter_rows())["independent"] < 20 < 32 < dict(rates.iter_rows())["employee"]
    payouts = tables["payouts"]
    assert payouts["payout_id"].is_unique().all()
    # A payout per worker and month worked: gross covers the month's order pay (PY003).
    assert payouts.group_by("worker_id").len()["len"].max() == 2
    truth = _truth(tmp_path).join(workers.select("worker_id", "category"), on="worker_id")
    assert (truth["category"] == truth["category_right"]).all()
    wage_and_hours = truth.filter(pl.col("rule").is_in(AUDITED))
    assert (wage_and_hours["category"] == "platform_managed").all()
    owed = truth["rule"].is_in(["MW001", "HP001", "PY004"])
    assert (truth.filter(owed)["shortfall_fen"] > 0).all()
    assert (truth.filter(~owed)["shortfall_fen"] == 0).all()
    daily = truth.filter(pl.col("rule") != "MW001")
    assert daily["period_start"].min() >= date(2025, 4, 25)
    assert daily["period_end"].max() <= date(2025, 5, 14)
    monthly = truth.filter(pl.col("rule") == "MW001")
    assert (monthly["period_start"].dt.day() == 1).all()
    assert (monthly["period_end"] == monthly["period_end"].dt.month_end()).all()


def test_sample_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["sample", str(tmp_path), "--workers", "12", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "orders.csv").exists() and (tmp_path / "truth.csv").exists()
    bad = runner.invoke(app, ["sample", str(tmp_path), "--format", "xml"])
    assert bad.exit_code == 2
    early = runner.invoke(app, ["sample", str(tmp_path), "--start", "2010-01-01"])
    assert early.exit_code == 2
    # The labelled platform-managed rules apply from 2021-10-29 (渝人社发〔2021〕38号).
    before = runner.invoke(app, ["sample", str(tmp_path), "--start", "2021-10-28"])
    assert before.exit_code == 2 and "2021-10-29" in before.output
