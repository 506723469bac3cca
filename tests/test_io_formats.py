"""Every format and encoding of docs/inputs.md loads the same canonical values."""

from __future__ import annotations

import gzip
import sys
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from payaudit.config import Settings
from payaudit.io import load_dataset

HEADER = ["order_id", "worker_id", "accepted_at", "completed_at", "pay", "district"]
ROWS = [
    ["A1", "W1", "2025-01-06 09:00:00", "2025-01-06 09:30:00", "12.50", "渝中区"],
    ["A2", "W2", "2025-01-06 23:50:00", "2025-01-07 00:20:00", "1234.5", "江北区"],
]
EXPECTED = {
    "order_id": ["A1", "A2"],
    "worker_id": ["W1", "W2"],
    "accepted_at": [datetime(2025, 1, 6, 9), datetime(2025, 1, 6, 23, 50)],
    "completed_at": [datetime(2025, 1, 6, 9, 30), datetime(2025, 1, 7, 0, 20)],
    "pay": [1250, 123450],
    "district": ["渝中区", "江北区"],
    "tip": [None, None],
}


def _csv(rows: list[list[str]], sep: str = ",") -> str:
    quoted = ([f'"{c}"' if sep in c else c for c in row] for row in rows)
    return "".join(sep.join(r) + "\n" for r in quoted)


def _strings() -> pl.DataFrame:
    return pl.DataFrame(ROWS, schema=HEADER, orient="row")


def load(path: Path, **explicit: Path) -> pl.DataFrame:
    ds = load_dataset([path] if not explicit else [], explicit, Settings())
    # D011 names the headers ignored (备注): a warning, the rows are all read
    assert ds.issues.filter(pl.col("code") != "D011").is_empty(), ds.issues.to_dicts()
    return ds.frame("orders")


def check(frame: pl.DataFrame, rows: tuple[int, ...] = (2, 3)) -> None:
    assert frame.select(*EXPECTED).to_dict(as_series=False) == EXPECTED
    assert frame.get_column("_row").to_list() == list(rows)
    assert frame.schema["accepted_at"] == pl.Datetime("us")
    assert frame.schema["pay"] == pl.Int64


def test_utf8_bom_tsv_and_gzip(tmp_path: Path) -> None:
    text = _csv([HEADER, *ROWS])
    (tmp_path / "orders.csv").write_text(text, encoding="utf-8")
    check(load(tmp_path / "orders.csv"))
    (tmp_path / "bom.csv").write_text(text, encoding="utf-8-sig")
    check(load(tmp_path, orders=tmp_path / "bom.csv"))
    (tmp_path / "o.tsv").write_text(_csv([HEADER, *ROWS], "\t"), encoding="utf-8")
    check(load(tmp_path, orders=tmp_path / "o.tsv"))
    (tmp_path / "orders.csv.gz").write_bytes(gzip.compress(text.encode("gb18030")))
    check(load(tmp_path / "orders.csv.gz"))
    (tmp_path / "utf16.csv").write_text(text, encoding="utf-16")  # with its BOM
    check(load(tmp_path, orders=tmp_path / "utf16.csv"))


def test_gb18030_export_with_chinese_headers(tmp_path: Path) -> None:
    """As a Chinese platform exports: GB18030, Chinese headers, 2025/1/6 9:00, ¥ amounts."""
    rows = [
        ["订单编号", "骑手ID", "接单时间", "送达时间", "订单收入", "区县", "小费", "备注"],
        ["A1", "W1", "2025/1/6 9:00", "2025/1/6 9:30", "¥12.50", "渝中区", "", "好评"],
        ["A2", "W2", "2025/1/6 23:50", "2025/1/7 0:20", "¥1,234.5", "江北区", "", "𠀀"],
    ]
    path = tmp_path / "订单.csv"
    path.write_bytes(_csv(rows).encode("gb18030"))  # 𠀀 exists in GB18030, not in GBK
    check(load(tmp_path))


def test_gb18030_whose_head_reads_as_utf8(tmp_path: Path, monkeypatch) -> None:
    """Only a file's head is checked for UTF-8: Chinese text after it in GB18030 makes the
    read fail as UTF-8, and the file is read again as GB18030 with the right values."""
    for name in ("HEAD", "CHUNK"):
        monkeypatch.setattr(sys.modules["payaudit.io.text"], name, 16)
    rows = [HEADER, ROWS[0], [*ROWS[1][:5], "江北区"]]
    (tmp_path / "orders.csv").write_bytes(_csv(rows).encode("gb18030"))
    check(load(tmp_path))


def test_gbk_detected_without_being_told(tmp_path: Path) -> None:
    rows = [["订单号", "骑手编号", "开始时间", "结束时间", "收入", "区域"]] + ROWS
    (tmp_path / "orders.csv").write_bytes(_csv(rows).encode("gbk"))
    check(load(tmp_path))


def test_excel_parquet_hive_json_ndjson(tmp_path: Path) -> None:
    frame = _strings()
    frame.write_excel(tmp_path / "orders.xlsx", worksheet="orders")
    check(load(tmp_path, orders=tmp_path / "orders.xlsx"))
    frame.write_parquet(tmp_path / "o.parquet")
    check(load(tmp_path, orders=tmp_path / "o.parquet"), rows=(1, 2))
    frame.write_json(tmp_path / "o.json")
    check(load(tmp_path, orders=tmp_path / "o.json"), rows=(1, 2))
    frame.write_ndjson(tmp_path / "o.ndjson")
    check(load(tmp_path, orders=tmp_path / "o.ndjson"), rows=(1, 2))
    hive = tmp_path / "hive" / "orders"
    for day, row in zip(("2025-01-06", "2025-01-07"), ROWS, strict=True):
        (hive / f"day={day}").mkdir(parents=True)
        pl.DataFrame([row], schema=HEADER, orient="row").write_parquet(
            hive / f"day={day}/p.parquet"
        )
    check(load(tmp_path / "hive"), rows=(1, 2))


def test_a_spark_written_parquet_folder_whose_files_disagree(tmp_path: Path) -> None:
    """Spark's folder: a .crc beside each part and _SUCCESS (not data), pay stored as integer
    yuan in one part and as floats in another, tip in the second part only: one table."""
    folder = tmp_path / "orders"
    first = pl.DataFrame(
        {"order_id": ["A1"], "worker_id": ["W1"], "accepted_at": [datetime(2025, 1, 6, 9)],
         "completed_at": [datetime(2025, 1, 6, 10)], "pay": [30]}
    )  # fmt: skip
    second = first.with_columns(order_id=pl.lit("A2"), pay=pl.lit(12.5), tip=pl.lit(2.0))
    for day, part in (("2025-01-06", first), ("2025-01-07", second)):
        (folder / f"day={day}").mkdir(parents=True)
        part.write_parquet(folder / f"day={day}/part-0000.snappy.parquet")
        (folder / f"day={day}/.part-0000.snappy.parquet.crc").write_bytes(b"crc")
    (folder / "_SUCCESS").write_bytes(b"")
    ds = load_dataset([], {"orders": folder}, Settings())
    orders = ds.frame("orders").sort("order_id")
    assert orders.select("order_id", "pay", "tip").rows() == [("A1", 3000, None), ("A2", 1250, 200)]
    [d011] = ds.issues.filter(code="D011").get_column("value").to_list()
    assert d011 == "`day`"  # the partition column nobody asked for, said


def test_excel_second_sheet_and_typed_cells(tmp_path: Path) -> None:
    typed = _strings().with_columns(
        pl.col("accepted_at", "completed_at").str.to_datetime(), pl.col("pay").cast(pl.Float64)
    )
    import xlsxwriter

    with xlsxwriter.Workbook(tmp_path / "orders.xlsx") as book:
        pl.DataFrame({"x": [1]}).write_excel(book, worksheet="cover")
        typed.write_excel(book, worksheet="data")
    ds = load_dataset([], {"orders": tmp_path / "orders.xlsx"}, Settings(), sheet="data")
    check(ds.frame("orders"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2025-01-06 09:00:00", datetime(2025, 1, 6, 9)),
        ("2025/1/6 9:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06T09:00:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06T01:00:00Z", datetime(2025, 1, 6, 9)),
        ("2025-01-06T09:00:00+08:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06T03:00:00+02:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06 03:00:00+02:00", datetime(2025, 1, 6, 9)),
        ("2025/1/6 3:00+02:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06 09:00:00.500", datetime(2025, 1, 6, 9, 0, 0, 500000)),
        ("45663.375", datetime(2025, 1, 6, 9)),  # Excel serial: 45663 is 2025-01-06
        ("1736125200", datetime(2025, 1, 6, 9)),  # epoch seconds of 01:00 UTC
        ("1736125200000", datetime(2025, 1, 6, 9)),
        ("2025年1月6日 9:00", datetime(2025, 1, 6, 9)),
        ("2025-01-06", datetime(2025, 1, 6)),
        ("20250106", datetime(2025, 1, 6)),
        ("20250106090000", datetime(2025, 1, 6, 9)),
    ],
)
def test_time_forms(tmp_path: Path, cell: str, expected: datetime) -> None:
    rows = [HEADER[:5], ["A1", "W1", cell, "2025-01-06 10:00", "1"]]
    (tmp_path / "orders.csv").write_text(_csv(rows), encoding="utf-8")
    assert load(tmp_path).item(0, "accepted_at") == expected


@pytest.mark.parametrize(
    ("cell", "fen"),
    [("1,234.50", 123450), ("¥12.5", 1250), ("12.50元", 1250), ("7", 700), ("￥0.05", 5),
     ("12.345", 1235), ("12.344", 1234), ("0.995", 100)],
)  # fmt: skip
def test_money_is_exact_fen_rounded_half_up(tmp_path: Path, cell: str, fen: int) -> None:
    rows = [HEADER[:5], ["A1", "W1", "2025-01-06 9:00", "2025-01-06 10:00", cell]]
    (tmp_path / "orders.csv").write_text(_csv(rows), encoding="utf-8")
    assert load(tmp_path).item(0, "pay") == fen


def test_booleans_enums_dates_numbers(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(_csv([HEADER, ROWS[0]]), encoding="utf-8")
    roster = [
        ["工号", "用工类型", "工伤保险", "职业伤害保障", "非全日制", "月工资"],
        ["W1", "劳动关系", "是", "无", "", "2,100"],
        ["W2", "众包", "YES", "0", "true", ""],
        ["W3", "Independent", "否", "有", "No", ""],
        ["W4", "劳动关系", "1.0", "×", "0.0", ""],  # 1/0 with blanks as pandas writes; ticks
        ["W5", "劳动关系", "√", "", "", ""],
    ]
    (tmp_path / "workers.csv").write_text(_csv(roster), encoding="utf-8")
    weather = [["日期", "最高气温"], ["2025/7/1", "38.5"], ["45839", "40℃"]]
    (tmp_path / "天气.csv").write_text(_csv(weather), encoding="utf-8")
    ds = load_dataset([tmp_path], {}, Settings())
    assert ds.issues.is_empty()
    w = ds.frame("workers")
    assert w["category"].to_list() == [
        "employee",
        "platform_managed",
        "independent",
        *2 * ["employee"],
    ]
    assert w["injury_insurance"].to_list() == [True, True, False, True, True]
    assert w["occupational_injury"].to_list() == [False, False, True, False, None]
    assert w["part_time"].to_list() == [None, True, False, False, None]
    assert w["monthly_wage"].to_list() == [210000, None, None, None, None]
    t = ds.frame("weather")
    assert t["date"].cast(pl.String).to_list() == ["2025-07-01", "2025-07-01"]
    assert t["max_temp_c"].to_list() == [38.5, 40.0]


def test_header_only_excel_and_input_digest(tmp_path: Path) -> None:
    import hashlib

    pl.DataFrame(schema=dict.fromkeys(HEADER, pl.String)).write_excel(tmp_path / "orders.xlsx")
    ds = load_dataset([tmp_path], {}, Settings())
    assert ds.frame("orders").height == 0
    (f,) = ds.inputs
    digest = hashlib.sha256((tmp_path / "orders.xlsx").read_bytes()).hexdigest()
    assert (f.table, f.sha256, f.rows_read, f.rows_audited, f.rows_rejected) == (
        "orders", digest, 0, 0, 0
    )  # fmt: skip


def test_typed_parquet_columns(tmp_path: Path) -> None:
    """Parquet keeps its types: aware times are converted, Decimal and integer money exact."""
    from decimal import Decimal

    pl.DataFrame(
        {
            "order_id": [1001, 1002],
            "worker_id": ["W1", "W2"],
            "accepted_at": [datetime(2025, 1, 6, 1), datetime(2025, 1, 6, 15, 50)],
            "completed_at": [datetime(2025, 1, 6, 9, 30), datetime(2025, 1, 7, 0, 20)],
            "pay": [Decimal("12.345"), Decimal("1234.5")],
            "tip": [3, None],
        }
    ).with_columns(pl.col("accepted_at").dt.replace_time_zone("UTC")).write_parquet(
        tmp_path / "orders.parquet"
    )
    frame = load(tmp_path)
    assert frame["order_id"].to_list() == ["1001", "1002"]
    assert frame["accepted_at"].to_list() == [datetime(2025, 1, 6, 9), datetime(2025, 1, 6, 23, 50)]
    assert frame["pay"].to_list() == [1235, 123450]
    assert frame["tip"].to_list() == [300, None]
