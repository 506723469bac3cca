"""An audit split into parts by worker gives exactly the audit of the whole input."""

from __future__ import annotations

import gzip
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from payaudit.config import Settings
from payaudit.engine.parts import audit_files, estimated_orders, validate_files
from payaudit.errors import ConfigError
from payaudit.rules import select_rules
from payaudit.sample import write_sample


def _exports(folder: Path) -> None:
    """A generated month, orders in two files (CSV and Parquet) with bad rows among them:
    an order id and a payout id repeated by another worker (so in another part), a bad
    amount, a worker missing from the roster."""
    write_sample(folder, 30, 31, seed=3, start=date(2025, 1, 1), fmt="csv")
    orders = pl.read_csv(folder / "orders.csv", infer_schema=False)
    (folder / "orders.csv").unlink()
    half = orders.height // 2
    first, second = orders.head(half), orders.tail(orders.height - half)
    bad = pl.DataFrame(
        [
            [orders["order_id"][5], "W00002", "2025-01-20 10:00:00", "2025-01-20 10:30:00"],
            [orders["order_id"][half + 3], "W00007", "2025-01-21 10:00:00", "2025-01-21 11:00:00"],
            ["X-1", "W00003", "2025-01-22 10:00:00", "2025-01-22 10:20:00"],
            ["X-2", "W99999", "2025-01-22 10:00:00", "2025-01-22 10:20:00"],
        ],
        schema=["order_id", "worker_id", "accepted_at", "completed_at"],
        orient="row",
    ).with_columns(pay=pl.Series(["12.00", "8.00", "abc", "5.00"]))
    pl.concat([first, bad], how="diagonal").write_csv(folder / "orders_1.csv")
    second.write_parquet(folder / "orders_2.parquet")
    payouts = pl.read_csv(folder / "payouts.csv", infer_schema=False)
    repeat = payouts.head(1).with_columns(worker_id=pl.lit("W00011"))
    pl.concat([payouts, repeat]).write_csv(folder / "payouts.csv")


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    _exports(folder)
    return folder


def _audit(folder: Path, orders_per_part: int, keep_daily: str = "all"):
    steps: list[str] = []
    result = audit_files(
        [folder], {}, Settings(), select_rules([], []), orders_at_once=orders_per_part,
        orders_per_part=orders_per_part, status=steps.append, keep_daily=keep_daily,
    )  # fmt: skip
    return result, steps


def test_parts_give_the_findings_issues_and_counts_of_the_whole(exports: Path) -> None:
    whole, steps = _audit(exports, 10**9)
    assert steps == ["Loading and validating…", "Auditing…"]
    parted, steps = _audit(exports, 1500)
    parts = sum(step.startswith("Auditing part") for step in steps)
    assert parts == -(-estimated_orders(sorted(exports.glob("orders_*"))) // 1500) > 2
    for name in ("findings", "workers", "daily", "parameters"):
        assert getattr(parted, name).equals(getattr(whole, name)), name
    assert parted.findings.height > 0
    assert parted.dataset.inputs == whole.dataset.inputs
    issues = whole.dataset.issues
    assert parted.dataset.issues.sort(pl.all()).equals(issues.sort(pl.all()))
    # Repeats are caught across parts and files, each after its first occurrence in input
    # order: order 6 again in orders_1.csv; the CSV's copy of the 4th Parquet order comes
    # first, so the Parquet row is the repeat; the copied payout at the end.
    repeats = issues.filter(pl.col("code") == "D004").select("path", "row").rows()
    half = pl.read_csv(exports / "orders_1.csv", infer_schema=False).height - 4  # good rows
    assert sorted((Path(p).name, row) for p, row in repeats) == [
        ("orders_1.csv", half + 2), ("orders_2.parquet", 4), ("payouts.csv", 32)
    ]  # fmt: skip
    assert {"D002", "D004", "D008"} <= set(issues.get_column("code"))


def test_parts_keep_the_days_of_the_workers_with_findings(exports: Path) -> None:
    whole, _ = _audit(exports, 10**9)
    parted, _ = _audit(exports, 1500, keep_daily="findings")
    owed = whole.findings.get_column("worker_id").unique().implode()
    assert 0 < parted.daily.height < whole.daily.height
    assert parted.daily.equals(whole.daily.filter(pl.col("worker_id").is_in(owed)))
    assert parted.findings.equals(whole.findings)


def test_validation_in_parts_counts_and_reports_as_the_whole(exports: Path) -> None:
    whole = validate_files([exports], {}, Settings())
    steps: list[str] = []
    parted = validate_files(
        [exports], {}, Settings(), orders_at_once=1500, orders_per_part=1500, status=steps.append
    )
    assert any(step.startswith("Validating part 3 of") for step in steps)
    assert parted.inputs == whole.inputs
    assert parted.issues.sort(pl.all()).equals(whole.issues.sort(pl.all()))
    assert set(parted.issues.get_column("code")) == {"D002", "D004", "D008"}
    roster = whole.frame("workers").sort("worker_id")
    assert parted.frame("workers").sort("worker_id").equals(roster)
    assert parted.frame("orders") is None  # parts' orders are not kept


def test_a_table_of_header_only_files_is_empty_in_every_part(exports: Path, tmp_path) -> None:
    for file in exports.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    payouts = pl.read_csv(exports / "payouts.csv", infer_schema=False)
    payouts.head(0).write_csv(tmp_path / "payouts.csv")
    whole, _ = _audit(tmp_path, 10**9)
    parted, _ = _audit(tmp_path, 1500)
    assert parted.findings.equals(whole.findings) and parted.findings.height > 0
    counts = [f for f in parted.dataset.inputs if f.table == "payouts"]
    assert [(f.rows_read, f.rows_audited) for f in counts] == [(0, 0)]


def test_gb18030_found_only_after_its_head_is_read_once_in_parts(exports, tmp_path, monkeypatch):
    """A file judged UTF-8 by its head and read again as GB18030 leaves no rows of the failed
    first reading in the parts."""
    for file in exports.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    orders = tmp_path / "orders_1.csv"
    orders.write_bytes(orders.read_text("utf-8").replace("W99999", "骑手99").encode("gb18030"))
    for name in ("HEAD", "CHUNK"):
        monkeypatch.setattr(sys.modules["payaudit.io.text"], name, 1 << 16)
    whole, _ = _audit(tmp_path, 10**9)
    parted, _ = _audit(tmp_path, 1500)
    assert parted.dataset.inputs == whole.dataset.inputs
    assert parted.findings.equals(whole.findings)
    assert "骑手99" in parted.dataset.issues.get_column("value").to_list()  # D008, read right


def test_estimated_orders_reads_parquet_metadata_and_sizes_text(exports: Path, tmp_path) -> None:
    parquet = exports / "orders_2.parquet"
    assert estimated_orders([parquet]) == pl.read_parquet(parquet).height
    text = exports / "orders_1.csv"
    assert estimated_orders([text]) == text.stat().st_size // 90
    packed = tmp_path / "orders.csv.gz"
    packed.write_bytes(gzip.compress(text.read_bytes()))
    assert estimated_orders([packed]) == packed.stat().st_size * 8 // 90


def test_in_parts_ignored_headers_are_named_once_and_an_empty_range_stops(exports, tmp_path):
    for file in exports.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    orders = tmp_path / "orders_2.parquet"
    pl.read_parquet(orders).with_columns(costs=pl.lit("1")).write_parquet(orders)
    parted, _ = _audit(tmp_path, 1500)
    named = parted.dataset.issues.filter(pl.col("code") == "D011", pl.col("path") == str(orders))
    assert named.get_column("value").to_list() == ["`costs` (did you mean `cost`?)"]
    with pytest.raises(ConfigError, match=r"2024-01-01 to 2024-01-31 \(--from/--to\) holds no"):
        audit_files(
            [tmp_path], {}, Settings(), select_rules([], []), date_from=date(2024, 1, 1),
            date_to=date(2024, 1, 31), orders_at_once=1500, orders_per_part=1500,
        )  # fmt: skip


def test_a_rejected_row_outside_the_clean_span_makes_the_parts_audit_again(exports, tmp_path):
    """The range is drawn from the rows validation could keep before any part is validated:
    an order in March of a worker missing from the roster stretches it to March, until the
    clean rows' span (January) sets it back, and the parts are audited again."""
    for file in exports.iterdir():
        (tmp_path / file.name).write_bytes(file.read_bytes())
    march = {"order_id": "X-9", "worker_id": "W99998", "accepted_at": "2025-03-05 10:00:00",
             "completed_at": "2025-03-05 10:20:00", "pay": "5.00"}  # fmt: skip
    orders = tmp_path / "orders_1.csv"
    rows = pl.read_csv(orders, infer_schema=False)
    pl.concat([rows, pl.DataFrame([march])], how="diagonal").write_csv(orders)
    whole, _ = _audit(tmp_path, 10**9)
    parted, steps = _audit(tmp_path, 1500)
    assert steps.count("Auditing again in the range of the valid data…") == 1
    assert sum(step.startswith("Auditing part 1 of") for step in steps) == 2
    assert parted.manifest["period_to"] == whole.manifest["period_to"] == "2025-01-31"
    for name in ("findings", "workers", "daily"):
        assert getattr(parted, name).equals(getattr(whole, name)), name
