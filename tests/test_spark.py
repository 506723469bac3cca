"""The audit on Spark gives exactly the audit on one machine: findings, data issues, row counts."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

import payaudit.engine
from payaudit.cli import app
from payaudit.config import Settings
from payaudit.engine.parts import audit_files
from payaudit.engine.result import DAILY_SCHEMA
from payaudit.errors import ConfigError
from payaudit.rules import select_rules
from test_partition import _exports

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'payaudit[spark]'")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs a Java runtime (17 or later), none is here", allow_module_level=True)

from payaudit.engine.spark import audit_spark  # noqa: E402  (after the skips: imports pyspark)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable  # the tasks import payaudit from this venv
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("warehouse")))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    _exports(folder)
    (folder / "truth.csv").unlink()
    return folder


def _same(spark_run, whole) -> None:
    for name in ("findings", "workers", "daily", "parameters"):
        assert getattr(spark_run, name).equals(getattr(whole, name)), name
    assert spark_run.dataset.inputs == whole.dataset.inputs
    assert spark_run.dataset.issues.equals(whole.dataset.issues)


def test_spark_gives_the_one_machine_audit_in_parts(spark, exports: Path) -> None:
    """Orders in a CSV (bad rows among them) and a Parquet file, ids repeated across parts."""
    rules = select_rules([], [])
    whole = audit_files([exports], {}, Settings(), rules)
    steps: list[str] = []
    run = audit_spark(
        [exports], {}, {}, Settings(), rules, orders_per_part=1500, spark=spark,
        status=steps.append,
    )  # fmt: skip
    assert "Auditing in 6 parts on Spark…" in steps  # ~8,300 orders estimated, 1,500 a part
    _same(run, whole)
    assert run.findings.height > 0
    codes = set(run.dataset.issues.get_column("code"))
    assert {"D002", "D004", "D008"} <= codes
    repeats = run.dataset.issues.filter(pl.col("code") == "D004").select("path", "row").rows()
    assert sorted((Path(p).name, row) for p, row in repeats) == [
        ("orders_1.csv", 3731 - 4 + 2), ("orders_2.parquet", 4), ("payouts.csv", 32)
    ]  # fmt: skip  # order 6 again after the CSV's good rows; the 4th Parquet row; a payout


def test_a_catalog_table_is_audited_with_its_files_rows(spark, exports: Path) -> None:
    spark.sql("CREATE DATABASE IF NOT EXISTS dwd")
    spark.read.parquet(str(exports / "orders_2.parquet")).write.saveAsTable("dwd.orders")
    rules = select_rules([], [])
    whole = audit_files([], {"orders": exports / "orders_2.parquet"}, Settings(), rules)
    run = audit_spark([], {}, {"orders": "dwd.orders"}, Settings(), rules, spark=spark)
    # The same findings; each one's first evidence row is in the file the table is stored in.
    assert run.findings.drop("path").equals(whole.findings.drop("path"))
    assert run.findings.height > 0
    [counts] = run.dataset.inputs  # the one file saveAsTable wrote, named by Spark
    assert run.findings.get_column("path").drop_nulls().unique().to_list() == [counts.path]
    [whole_counts] = whole.dataset.inputs
    assert (counts.rows_read, counts.rows_audited) == (whole_counts.rows_read, 3727)
    issues = run.dataset.issues
    assert issues.drop("path").equals(whole.dataset.issues.drop("path"))
    assert issues.get_column("path").drop_nulls().unique().to_list() in ([], [counts.path])


def test_check_on_spark_without_optional_tables_reports_as_local(spark, exports, tmp_path) -> None:
    exported, out = tmp_path / "in", tmp_path / "out"  # reports apart from the exports
    exported.mkdir(), out.mkdir()
    for name in ("orders_1.csv", "orders_2.parquet", "workers.csv"):
        shutil.copy(exports / name, exported / name)  # no shifts, payouts or weather
    runner = CliRunner()
    args = ["check", str(exported), "-f", "json", "--fail-on", "never", "-q"]
    local = runner.invoke(app, [*args, "-o", str(out / "local.json")])
    on_spark = runner.invoke(app, [*args[:-1], "--engine", "spark", "-o", str(out / "s.json")])
    assert local.exit_code == on_spark.exit_code == 0, on_spark.output
    reports = [json.loads((out / f).read_text()) for f in ("local.json", "s.json")]
    for report in reports:
        report.pop("manifest", None)  # when and how it ran
    assert reports[0] == reports[1]
    assert reports[0]["findings"] and reports[0]["data_issues"]
    daily = pl.read_parquet(out / "s-daily" / "*.parquet")  # beside the report, by Spark
    assert daily.columns == list(DAILY_SCHEMA) and daily.height > 0
    assert "s-daily" in on_spark.output  # told, without -q
    local_daily = runner.invoke(app, [*args, "--daily", str(tmp_path / "d")])
    assert local_daily.exit_code == 2 and "--engine spark" in local_daily.output


def test_without_pyspark_the_spark_engine_says_how_to_install_it(monkeypatch, exports) -> None:
    for name in [m for m in sys.modules if m.split(".")[0] == "pyspark"]:
        monkeypatch.setitem(sys.modules, name, None)  # import pyspark fails
    monkeypatch.delitem(sys.modules, "payaudit.engine.spark")
    monkeypatch.delattr(payaudit.engine, "spark")
    result = CliRunner().invoke(app, ["check", str(exports), "--engine", "spark"])
    assert result.exit_code == 2
    assert "pip install 'payaudit[spark]'" in " ".join(result.output.split())  # unwrapped


def test_on_spark_3_5_parts_are_audited_by_apply_in_pandas(spark, exports, monkeypatch, tmp_path):
    """The grouped applyInArrow came with Spark 4; before it, applyInPandas (forced here). The
    per-day figures go to Parquet; the driver keeps those of the workers with findings."""
    monkeypatch.setattr(payaudit.engine.spark, "ARROW_GROUPS", False)
    rules = select_rules([], [])
    whole = audit_files([exports], {}, Settings(), rules)
    daily_to = tmp_path / "daily"
    run = audit_spark(
        [exports], {}, {}, Settings(), rules, orders_per_part=1500, spark=spark,
        daily_to=str(daily_to), keep_daily="findings",
    )  # fmt: skip
    _same(dataclasses.replace(run, daily=whole.daily), whole)
    assert pl.read_parquet(daily_to / "*.parquet").sort("worker_id", "date").equals(whole.daily)
    found = whole.findings.get_column("worker_id").unique().implode()
    assert run.daily.equals(whole.daily.filter(pl.col("worker_id").is_in(found)))
    assert 0 < run.daily.height < whole.daily.height


def test_a_rejected_row_beyond_the_data_is_not_in_the_audit_range(spark, exports, tmp_path):
    """The range is first taken from dates as read; a part's validation finds the order of
    2025-03-10 rejected (its pay is no amount), so the parts are audited again in January."""
    for source in exports.iterdir():
        shutil.copy(source, tmp_path / source.name)
    with (tmp_path / "orders_1.csv").open("a") as out:
        out.write("X-9,W00003,2025-03-10 10:00:00,2025-03-10 10:20:00,abc,美团,沙坪坝区,0,0\n")
    rules = select_rules([], [])
    whole = audit_files([tmp_path], {}, Settings(), rules)
    steps: list[str] = []
    run = audit_spark([tmp_path], {}, {}, Settings(), rules, spark=spark, status=steps.append)
    assert "Auditing again in the range of the valid data…" in steps
    _same(run, whole)
    assert run.manifest["period_to"] == whole.manifest["period_to"] == "2025-01-31"


def test_an_audit_range_without_data_stops_naming_the_datas_span(spark, exports) -> None:
    rules = select_rules([], [])
    with pytest.raises(ConfigError) as local:
        audit_files([exports], {}, Settings(), rules, date_from=date(2026, 1, 1))
    with pytest.raises(ConfigError) as on_spark:
        audit_spark([exports], {}, {}, Settings(), rules, date_from=date(2026, 1, 1), spark=spark)
    assert str(on_spark.value) == str(local.value)
    assert "the data spans 2025-01-01 to 2025-01-31" in str(on_spark.value)
