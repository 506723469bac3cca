"""Every D0xx code at its spreadsheet row, counts that add up, and `payaudit validate` exit
codes; no input of any kind produces a traceback."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.config import Settings
from payaudit.io import load_dataset
from payaudit.schema import ISSUES, repeated_hashes

HEADER = "order_id,worker_id,accepted_at,completed_at,pay,district\n"
GOOD = "A{n},W1,2025-01-06 09:00,2025-01-06 09:30,12.50,渝中区\n"
runner = CliRunner()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def bad_orders(tmp_path: Path) -> Path:
    lines = [
        HEADER,
        GOOD.format(n=1),  # row 2: clean
        "A2,,2025-01-06 09:00,2025-01-06 09:30,1,\n",  # row 3: D001 worker_id
        "A3,W1,soon,2025-01-06 09:30,1,\n",  # row 4: D002 accepted_at
        "A4,W1,2025-01-06 09:00,2025-01-06 09:30,-0.01,\n",  # row 5: D003 pay
        "\n",  # row 6: a blank line is no row
        GOOD.format(n=1),  # row 7: D004 order_id
        "A8,W1,2025-01-06 09:00,2025-01-06 08:59,1,\n",  # row 8: D005 completed_at
        "A9,W1,2025-01-06 09:00,2025-01-06 09:30,1,火星区\n",  # row 9: D007 (kept)
        "A10,W9,2025-01-06 09:00,2025-01-06 09:30,1,\n",  # row 10: D008 worker_id
        "A11,,oops,2025-01-06 09:30,,\n",  # row 11: D001 twice and D002, one rejected row
    ]
    write(tmp_path / "orders.csv", "".join(lines))
    write(tmp_path / "workers.csv", "worker_id,category\nW1,众包\nW2,boss\n")  # row 3: D006
    return tmp_path


def test_every_code_at_its_row(tmp_path: Path) -> None:
    ds = load_dataset([bad_orders(tmp_path)], {}, Settings())
    got = ds.issues.select("code", "table", "row", "column", "value").rows()
    assert got == [
        ("D001", "orders", 3, "worker_id", None),
        ("D002", "orders", 4, "accepted_at", "soon"),
        ("D003", "orders", 5, "pay", "-0.01"),
        ("D004", "orders", 7, "order_id", "A1"),
        ("D005", "orders", 8, "completed_at", "2025-01-06 08:59:00"),
        ("D007", "orders", 9, "district", "火星区"),
        ("D008", "orders", 10, "worker_id", "W9"),
        ("D001", "orders", 11, "worker_id", None),
        ("D001", "orders", 11, "pay", None),
        ("D002", "orders", 11, "accepted_at", "oops"),
        ("D006", "workers", 3, "category", "boss"),
        ("D018", "workers", 3, "worker_id", "W2"),  # its only roster row was rejected
    ]
    assert ds.frame("orders")["_row"].to_list() == [2, 9]
    counts = {Path(f.path).name: (f.rows_read, f.rows_audited, f.rows_rejected) for f in ds.inputs}
    assert counts == {"orders.csv": (9, 2, 7), "workers.csv": (2, 1, 1)}
    assert all(len(m.split(". ")) == 1 for m in ds.issues["message"])  # one sentence each
    assert set(ds.issues["code"]) <= set(ISSUES)


def test_pandera_validates_without_importing_pandas_or_hypothesis(tmp_path: Path) -> None:
    """Installed (the Spark extra, the tests), they are hidden from Pandera, which validates
    as before, and importable by anything else afterwards."""
    if not all(importlib.util.find_spec(name) for name in ("pandas", "hypothesis")):
        pytest.skip("pandas or hypothesis is not installed")
    script = f"""
import sys
from payaudit.config import Settings
from payaudit.io import load_dataset
ds = load_dataset([{str(bad_orders(tmp_path))!r}], {{}}, Settings())
print(sorted(set(ds.issues["code"])), "pandas" in sys.modules, "hypothesis" in sys.modules)
import pandas
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    codes = "['D001', 'D002', 'D003', 'D004', 'D005', 'D006', 'D007', 'D008', 'D018']"
    assert done.stdout.strip() == f"{codes} False False"


def test_messages_in_chinese(tmp_path: Path) -> None:
    ds = load_dataset([bad_orders(tmp_path)], {}, Settings(lang="zh"))
    first = ds.issues.unique("code", keep="first", maintain_order=True)
    messages = dict(first.select("code", "message").rows())
    assert messages["D002"] == "accepted_at 的值 'soon' 无法解析（应为时间）。"
    assert messages["D003"] == "pay 的值 -0.01 超出范围（≥ 0）。"


def test_catalogue_is_complete() -> None:
    assert list(ISSUES) == [f"D{n:03}" for n in range(1, 20)]
    assert {i.severity for i in ISSUES.values()} == {"error", "warning"}


def test_validate_exit_codes_and_outputs(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    write(clean / "orders.csv", HEADER + GOOD.format(n=1) + GOOD.format(n=2))
    result = runner.invoke(app, ["validate", str(clean)])
    assert result.exit_code == 0, result.output
    (tmp_path / "bad").mkdir()
    bad = bad_orders(tmp_path / "bad")
    result = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert len(body["data_issues"]) == 12 and body["inputs"][0]["rows_rejected"] == 7
    out = tmp_path / "issues.csv"
    result = runner.invoke(app, ["validate", str(bad), "--output", str(out)])
    assert result.exit_code == 1 and out.read_text().startswith("code,severity,table,path,row")


def test_warning_only_exits_zero_unless_failing_on_warnings(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", HEADER + GOOD.format(n=1).replace("渝中区", "火星区"))
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 0
    strict = runner.invoke(app, ["validate", str(tmp_path), "--fail-on", "warning", "-q"])
    assert strict.exit_code == 1 and strict.output == ""  # -q: no summary
    never = runner.invoke(app, ["validate", str(bad_orders(tmp_path)), "--fail-on", "never"])
    assert never.exit_code == 0


def test_missing_column_exits_2_naming_it(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", "order_id,worker_id,accepted_at,completed_at\n")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "has no column 'pay'" in result.output and "orders.csv" in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("orders.csv", b""),
        ("orders.csv", b"\x00\xff\xfe\x9c\x80garbage\x00" * 50),
        ("orders.xlsx", b"order_id,worker_id\n"),
        ("orders.parquet", b"PAR1 not really"),
        ("orders.xlsx", b"PK\x03\x04 broken zip"),
        ("orders.csv.gz", b"\x1f\x8b broken gzip"),
        ("orders.json", b"[{broken"),
        ("orders.docx", b"hello"),
        ("workers.csv", b"worker_id\nW1\n"),
    ],
)
def test_garbage_exits_2_without_traceback(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    target = tmp_path / name if name.startswith("orders") else tmp_path
    result = runner.invoke(app, ["validate", str(target)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert "error:" in result.output


def test_a_row_with_more_fields_than_the_header_is_rejected(tmp_path: Path) -> None:
    """An unquoted 1,234.50 must not shift into the next column unnoticed."""
    row = "A1,W1,2025-01-06 09:00,2025-01-06 09:30,1,234.50,渝中区\n"
    write(tmp_path / "orders.csv", HEADER + GOOD.format(n=2) + row)
    ds = load_dataset([tmp_path], {}, Settings())
    assert ds.issues.select("code", "row", "column", "value").rows() == [
        ("D002", 3, "fields", "渝中区"),
        ("D007", 3, "district", "234.50"),  # what the shift put there
    ]
    assert ds.frame("orders")["order_id"].to_list() == ["A2"]


def test_config_maps_columns_and_a_bad_key_exits_2(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", HEADER.replace("pay", "单价") + GOOD.format(n=1))
    config = write(tmp_path / "payaudit.toml", '[columns.orders]\n"单价" = "pay"\n')
    assert runner.invoke(app, ["validate", str(tmp_path), "--config", str(config)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 2  # no pay column
    write(config, "colums = 1\n")
    result = runner.invoke(app, ["validate", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 2 and "colums" in result.output


def test_values_are_never_markup(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", HEADER + "[/x],W1,[bold]soon,2025-01-06 09:30,1,\n")
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "'[bold]soon'" in result.output


def test_header_only_is_clean(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", HEADER)
    result = runner.invoke(app, ["validate", str(tmp_path), "-f", "csv"])
    assert result.exit_code == 0 and result.stdout.strip() == (
        "code,severity,table,path,row,column,value,message"
    )


def test_uniqueness_is_proven_by_distinct_hashes_and_checked_exactly_otherwise() -> None:
    """Distinct hashes prove a column unique and spare Pandera's exact check; equal hashes (a
    duplicate) leave the column to that check, which reports every later occurrence."""
    import polars as pl

    from payaudit.engine.inputs import canonical_schema
    from payaudit.schema import _distinct_hashes, validate

    base = {"worker_id": ["W1"] * 4, "_path": "o.csv", "_row": [2, 3, 4, 5]}
    unique = pl.DataFrame(base | {"order_id": ["A", "B", None, "C"]})
    assert _distinct_hashes(unique, "orders") == {"order_id"}
    repeated = pl.DataFrame(base | {"order_id": ["A", "B", "A", "A"]})
    assert _distinct_hashes(repeated, "orders") == frozenset()
    schema = canonical_schema("orders")
    frame = repeated.with_columns(
        pl.lit(None, dtype).alias(name) for name, dtype in schema.items() if name not in repeated
    ).with_columns(
        accepted_at=pl.datetime(2025, 1, 6, 9),
        completed_at=pl.datetime(2025, 1, 6, 10),
        pay=pl.lit(1000, pl.Int64),
    )
    _, issues = validate("orders", frame)
    dup = issues.filter(pl.col("code") == "D004")
    assert dup.get_column("row").to_list() == [4, 5]


@given(st.lists(st.integers(min_value=0, max_value=2**64 - 1) | st.integers(0, 5), max_size=60))
def test_repeated_hashes_are_the_values_seen_more_than_once(values: list[int]) -> None:
    hashes = pl.Series("h", values, dtype=pl.UInt64)
    repeated = {v for v in values if values.count(v) > 1}
    found = repeated_hashes(hashes)
    assert sorted(found.to_list()) == sorted(repeated)
    assert found.dtype == pl.UInt64 and found.name == "h"


def test_net_pay_below_zero_is_a_record_gross_below_zero_is_not(tmp_path: Path) -> None:
    """Deductions over gross leave net below zero: the payout stays (its deposit is owed
    back); a negative gross is out of range (D003)."""
    write(tmp_path / "orders.csv", HEADER + GOOD.format(n=1))
    write(
        tmp_path / "payouts.csv",
        "payout_id,worker_id,period_start,period_end,gross,net,deposit\n"
        "p1,W1,2025-01-01,2025-01-31,100,-205,300\n"
        "p2,W1,2025-02-01,2025-02-28,-1,0,0\n",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    issues = ds.issues.select("code", "table", "row", "column").rows()
    assert issues == [("D003", "payouts", 3, "gross")]
    assert ds.frame("payouts").select("payout_id", "net").rows() == [("p1", -20500)]


@pytest.mark.parametrize(
    ("name", "kind"), [("orders.xlsx", "Excel"), ("orders.parquet", "Parquet")]
)
def test_a_file_named_as_a_binary_format_that_is_not_one_says_so(
    tmp_path: Path, name: str, kind: str
) -> None:
    (tmp_path / name).write_bytes(b"order_id,worker_id\n")
    result = runner.invoke(app, ["validate", str(tmp_path / name)])
    assert result.exit_code == 2
    assert f"is not a valid {kind} file, though its name says it is." in " ".join(
        result.output.split()
    )


def test_a_folder_of_csv_given_for_one_table_says_what_a_folder_is(tmp_path: Path) -> None:
    folder = tmp_path / "odir"
    folder.mkdir()
    write(folder / "orders.csv", HEADER + GOOD.format(n=1))
    result = runner.invoke(app, ["validate", "--orders", str(folder)])
    assert result.exit_code == 2
    assert "is a folder without .parquet files" in " ".join(result.output.split())
