"""Header matching (aliases, [columns.TABLE]) and discovery of tables by file stem."""

from __future__ import annotations

from pathlib import Path

import pytest

from payaudit.config import Settings
from payaudit.errors import ConfigError, InputError
from payaudit.io import load_dataset
from payaudit.io.discovery import table_of

ORDER = "A1,W1,2025-01-06 09:00,2025-01-06 09:30,12.5\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_aliases_case_and_spaces_and_extra_columns(tmp_path: Path) -> None:
    write(
        tmp_path / "orders.csv",
        " Order_ID ,RIDER_ID,start_time,delivered_at,Earnings,备注\n" + ORDER,
    )
    frame = load_dataset([tmp_path], {}, Settings()).frame("orders")
    assert frame.row(0, named=True)["worker_id"] == "W1"
    assert frame.item(0, "pay") == 1250
    assert "备注" not in frame.columns and frame.item(0, "district") is None


def test_alias_of_a_column_holds_in_every_table(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", "order_id,worker_id,accepted_at,completed_at,pay\n" + ORDER)
    write(
        tmp_path / "shifts.csv",
        "司机编号,上线时间,下线时间,类型\nW1,2025-01-06 9:00,2025-01-06 10:00,排班\n",
    )
    shifts = load_dataset([tmp_path], {}, Settings()).frame("shifts")
    assert shifts.row(0, named=True)["worker_id"] == "W1"
    assert shifts.item(0, "kind") == "required"


def test_config_mapping_wins_over_an_alias(tmp_path: Path) -> None:
    write(
        tmp_path / "orders.csv",
        "单号,人,接单,完成,收入,配送费\n" + "A1,W1,2025-01-06 09:00,2025-01-06 09:30,1,12.5\n",
    )
    settings = Settings(
        columns={
            "orders": {
                "单号": "order_id", " 人 ": "worker_id", "接单": "accepted_at",
                "完成": "completed_at", "收入": "tip", "配送费": "pay",
            }
        }
    )  # fmt: skip
    frame = load_dataset([tmp_path], {}, settings).frame("orders")
    assert (frame.item(0, "order_id"), frame.item(0, "pay"), frame.item(0, "tip")) == (
        "A1",
        1250,
        100,
    )


def test_config_mapping_to_an_unknown_column_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "orders.csv", "order_id,worker_id,accepted_at,completed_at,pay\n" + ORDER)
    with pytest.raises(ConfigError, match="salary"):
        load_dataset([tmp_path], {}, Settings(columns={"orders": {"x": "salary"}}))


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "orders.csv", "order_id,worker_id,accepted_at,completed_at\nA1,W1,x,y\n"
    )
    with pytest.raises(InputError, match=r"orders\.csv has no column 'pay'"):
        load_dataset([path], {}, Settings())
    typo = write(tmp_path / "orders.csv", "order_id,worker_id,accepted_at,completed_at,payy\n")
    with pytest.raises(
        InputError, match=r"no column 'pay' required in orders \(did you mean `payy`\? "
    ):
        load_dataset([typo], {}, Settings())


@pytest.mark.parametrize(
    ("name", "table"),
    [("orders_2.csv", "orders"), ("2025-01_orders", "orders"), ("订单明细", "orders"),
     ("美团骑手订单导出", "orders"), ("骑手工资", "payouts"), ("结算单", "payouts"),
     ("在线时长", "shifts"), ("工时", "shifts"), ("花名册", "workers"), ("人员", "workers"),
     ("天气", "weather"), ("roster", "workers"), ("readme", None), ("reorders", None)],
)  # fmt: skip
def test_table_of_a_file_stem(name: str, table: str | None) -> None:
    assert table_of(name) == table


def test_folder_files_concatenated_and_explicit_overrides(tmp_path: Path) -> None:
    header = "order_id,worker_id,accepted_at,completed_at,pay\n"
    write(tmp_path / "orders_1.csv", header + ORDER)
    write(tmp_path / "orders_2.csv", header + ORDER.replace("A1", "A2"))
    write(tmp_path / "notes.txt", "not a table")
    ds = load_dataset([tmp_path], {}, Settings())
    assert ds.frame("orders")["order_id"].to_list() == ["A1", "A2"]
    assert [(Path(f.path).name, f.rows_read) for f in ds.inputs] == [
        ("orders_1.csv", 1), ("orders_2.csv", 1)
    ]  # fmt: skip
    again = load_dataset([tmp_path, tmp_path / "orders_1.csv"], {}, Settings())
    assert again.frame("orders")["order_id"].to_list() == ["A1", "A2"]  # read once
    other = write(tmp_path.parent / "mine.csv", header + ORDER.replace("A1", "X9"))
    ds = load_dataset([tmp_path], {"orders": other}, Settings())
    assert ds.frame("orders")["order_id"].to_list() == ["X9"]


def test_no_orders_table(tmp_path: Path) -> None:
    write(tmp_path / "workers.csv", "worker_id\nW1\n")
    with pytest.raises(InputError, match="No orders table"):
        load_dataset([tmp_path], {}, Settings())
