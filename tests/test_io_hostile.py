"""Files as people and broken systems make them: nothing passes silently, nothing crashes.
Rejected rows fail the run, ignored headers are named, a column named twice or an empty audit
range stops it with one sentence, Excel title and blank rows keep the sheet's numbers, bad
bytes and implausible values are data issues of their rows only."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.config import Settings
from payaudit.errors import InputError
from payaudit.io import load_dataset

HEADER = "order_id,worker_id,accepted_at,completed_at,pay"
runner = CliRunner()


def _orders(folder: Path, *rows: str, header: str = HEADER, data: bytes | None = None) -> Path:
    path = folder / "orders.csv"
    path.write_bytes(data if data is not None else "\n".join([header, *rows, ""]).encode())
    return path


def _issues(ds) -> list[tuple]:
    return ds.issues.select("code", "row", "column", "value").rows()


def _said(result) -> str:
    return " ".join(result.stderr.split())  # the sentence, unwrapped


def test_a_typo_in_an_optional_header_is_named_and_fails_at_warning(tmp_path: Path) -> None:
    """`costs` for `cost`: the cost is ignored, which changes the money owed, so it is said."""
    _orders(
        tmp_path,
        "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30,5,nice",
        header=HEADER + ",costs,备注",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D011", 1, None, "`costs` (did you mean `cost`?), `备注`")]
    assert ds.issues.item(0, "severity") == "warning"
    zh = load_dataset([tmp_path], {}, Settings(lang="zh")).issues.item(0, "value")
    assert zh == "`costs`（是否应为 `cost`？）, `备注`"  # no English in a Chinese report
    assert runner.invoke(app, ["check", str(tmp_path), "-q"]).exit_code == 0
    at_warning = runner.invoke(app, ["check", str(tmp_path), "-q", "--fail-on", "warning"])
    assert at_warning.exit_code == 1


def test_a_file_whose_every_row_is_rejected_fails_the_run(tmp_path: Path) -> None:
    _orders(tmp_path, "A1,W1,soon,2025-01-06 10:00,30", "A2,W1,2025-01-06 09:00,later,30")
    result = runner.invoke(app, ["check", str(tmp_path), "-q", "-f", "json"])
    assert result.exit_code == 1
    [inputs] = json.loads(result.stdout)["manifest"]["inputs"]
    assert (inputs["rows_read"], inputs["rows_audited"], inputs["rows_rejected"]) == (2, 0, 2)
    never = runner.invoke(app, ["check", str(tmp_path), "-q", "--fail-on", "never"])
    assert never.exit_code == 0


def test_inputs_of_headers_alone_are_nothing_to_audit(tmp_path: Path) -> None:
    """An orders file with its header and no row: exit 2 (an empty data drop must not pass a
    CI gate as clean); validate still finds it clean."""
    _orders(tmp_path)
    result = runner.invoke(app, ["check", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert _said(result) == (
        f"error: {tmp_path / 'orders.csv'}: no row of orders, shifts or payouts to audit, "
        "only headers."
    )
    assert runner.invoke(app, ["validate", str(tmp_path)]).exit_code == 0


def test_an_audit_range_without_data_exits_2_naming_both_spans(tmp_path: Path) -> None:
    _orders(tmp_path, "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30")
    result = runner.invoke(app, ["check", str(tmp_path), "--from", "2025-03-01", "-q"])
    assert result.exit_code == 2
    assert _said(result) == (
        "error: The audit range from 2025-03-01 (--from/--to) holds no data: "
        "the data spans 2025-01-06 to 2025-01-06."
    )
    before = runner.invoke(app, ["check", str(tmp_path), "--to", "2024-12-31", "-q"])
    assert _said(before).startswith("error: The audit range up to 2024-12-31 (--from/--to)")
    far = runner.invoke(app, ["check", str(tmp_path), "--to", "9999-12-31", "-q"])
    assert far.exit_code == 2 and "--to must be a date from 2000 to 2100" in _said(far)


@pytest.mark.parametrize(
    ("header", "config", "named"),
    [
        (HEADER + ",pay", "", "'pay' and 'pay'"),
        (HEADER + ",收入", "", "'pay' and '收入'"),
        (HEADER + ",fee2", '[columns.orders]\n"fee2" = "pay"\n', "'pay' and 'fee2'"),
    ],
)
def test_a_column_named_twice_exits_2_naming_both(tmp_path, header, config, named) -> None:
    _orders(tmp_path, "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30,31", header=header)
    (tmp_path / "payaudit.toml").write_text(config, encoding="utf-8")
    args = ["check", str(tmp_path / "orders.csv"), "--config", str(tmp_path / "payaudit.toml")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert f"names column 'pay' twice: {named}" in _said(result)


def _wide(folder: Path, extra: int, rows: int = 300) -> Path:
    folder.mkdir()
    names = "".join(f",x{n}" for n in range(extra))
    pad = ",1" * extra
    lines = [f"A{n},W1,2025-01-06 09:00,2025-01-06 10:00,30{pad}" for n in range(rows)]
    return _orders(folder, *lines, header=HEADER + names)


def test_ten_thousand_columns_load_about_as_fast_as_five(tmp_path: Path) -> None:
    """Only the mapped columns are parsed: 10,000 more cost the bytes read, little more."""
    narrow, wide = _wide(tmp_path / "narrow", 0), _wide(tmp_path / "wide", 10_000)
    seconds = []
    for path in (narrow, wide):
        start = time.perf_counter()
        ds = load_dataset([path], {}, Settings())
        seconds.append(time.perf_counter() - start)
        assert ds.inputs[0].rows_audited == 300
    assert "(10,000 in all)" in ds.issues.item(0, "value")  # named, but not all 10,000
    assert seconds[1] < 3 * seconds[0] + 3, seconds


def _sheet(path: Path) -> None:
    """As people export: a merged title, a blank row, the header on row 3, blank rows between
    data rows, a bad cell on row 13, a 合计 row and a 注： note, and a second sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "订单"
    sheet["A1"] = "美团骑手订单 2025年1月"
    sheet.merge_cells("A1:E1")
    for column, name in enumerate(["订单号", "骑手ID", "接单时间", "完成时间", "订单收入"], 1):
        sheet.cell(3, column, name)
    sheet.append(["A1", "W1", "2025-01-06 09:00", "2025-01-06 10:00", 30])
    for column, value in enumerate(["A2", "W1", "soon", "2025-01-06 10:00", 3], 1):
        sheet.cell(13, column, value)
    sheet["A15"], sheet["E15"] = "合计", 33
    sheet["A16"] = "注：数据仅供参考"
    book.create_sheet("说明")
    book.save(path)


def test_excel_as_people_export_it(tmp_path: Path) -> None:
    _sheet(tmp_path / "orders.xlsx")
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [
        ("D002", 13, "accepted_at", "soon"),  # the row the sheet shows
        ("D012", 15, "row", "合计"),
        ("D013", 16, "row", "注：数据仅供参考"),
    ]
    messages = ds.issues.get_column("message").to_list()
    assert messages[1] == "The row is a total ('合计'), not a record: rejected."
    assert messages[2] == "The row is a note ('注：数据仅供参考'), not a record: rejected."
    [counts] = ds.inputs
    assert (counts.rows_read, counts.rows_audited, counts.rows_rejected) == (4, 1, 3)
    assert ds.frame("orders").get_column("_row").to_list() == [4]


def test_an_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    _sheet(tmp_path / "orders.xlsx")
    with pytest.raises(
        InputError, match=r"has no sheet 'data' \(--sheet\); its sheets: 订单, 说明"
    ):
        load_dataset([tmp_path], {}, Settings(), sheet="data")


def test_bytes_in_no_encoding_reject_their_row_only(tmp_path: Path) -> None:
    """A UTF-8 export with Chinese text, one GBK row pasted in (decoded as GBK) and one row of
    stray bytes: that row alone is rejected, its value shown with U+FFFD."""
    good = "A1,骑手一,2025-01-06 09:00,2025-01-06 10:00,30".encode()
    gbk = "A2,骑手二,2025-01-06 09:00,2025-01-06 10:00,30".encode("gbk")
    stray = b"A3,W\xff\xfe1,2025-01-06 09:00,2025-01-06 10:00,30"
    data = b"\xef\xbb\xbf" + b"\n".join([HEADER.encode(), good, gbk, stray, b""])
    _orders(tmp_path, data=data)
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D015", 4, "worker_id", "W\ufffd\ufffd1")]
    assert ds.frame("orders").get_column("worker_id").to_list() == ["骑手一", "骑手二"]


def test_a_bad_byte_in_a_gbk_export_marks_its_cell_only(tmp_path: Path) -> None:
    """A GBK export whose third row has one byte in no encoding in its optional platform
    cell: the row stays (D016 on platform), its worker id and district read as written."""
    header = HEADER + ",platform,district"
    first = "A1,骑手甲,2025-01-06 09:00,2025-01-06 10:00,30,饿了么,渝中区"
    second = "A2,骑手丙,2025-01-06 11:00,2025-01-06 12:00,30,饿了{},渝中区"
    lines = [header.encode("gbk"), first.encode("gbk"), second.encode("gbk")]
    lines[2] = lines[2].replace(b"{}", b"\xff")
    _orders(tmp_path, data=b"\n".join([*lines, b""]))
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D016", 3, "platform", "饿了\ufffd")]
    orders = ds.frame("orders")
    assert orders.get_column("worker_id").to_list() == ["骑手甲", "骑手丙"]
    assert orders.get_column("district").to_list() == ["渝中区", "渝中区"]


def test_u_fffd_is_found_in_the_cells_that_hold_it_whatever_the_column(tmp_path: Path) -> None:
    """U+FFFD in a required text column rejects its row (D015); in an optional one it warns
    (D016) and the row stays; a column without one raises nothing."""
    header = HEADER + ",platform,district"
    _orders(
        tmp_path,
        "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30,美团,渝中区",
        "A\ufffd2,W1,2025-01-06 11:00,2025-01-06 12:00,30,美\ufffd,渝中区",
        "A3,W1,2025-01-06 13:00,2025-01-06 14:00,30,美团,渝中区",
        "A4,W1,2025-01-06 15:00,2025-01-06 16:00,30,\ufffd,渝中区",
        header=header,
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [
        ("D015", 3, "order_id", "A\ufffd2"),
        ("D016", 3, "platform", "美\ufffd"),
        ("D016", 5, "platform", "\ufffd"),
    ]
    assert ds.frame("orders").get_column("order_id").to_list() == ["A1", "A3", "A4"]


def test_implausible_values_are_data_issues(tmp_path: Path) -> None:
    _orders(
        tmp_path,
        "A1,W1,0000-00-00,2025-01-06 10:00,30,",
        "A2,W1,9999-12-31 00:00,9999-12-31 01:00,30,",
        "A3,W1,1999-12-31 23:00,2000-01-01 01:00,30,",
        "A4,W1,2025-01-06 09:00,2025-01-07 09:01,30,",  # 24 h 1 min
        "A5,W1,2025-01-06 09:00,2025-01-06 10:00,99999999999999999999999,-5",
        "A6,W1,2025-01-06 09:00,2025-01-07 09:00,30,",  # exactly 24 h: plausible
        header=HEADER + ",tip",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [
        ("D002", 2, "accepted_at", "0000-00-00"),
        ("D003", 3, "accepted_at", "9999-12-31 00:00:00"),
        ("D003", 3, "completed_at", "9999-12-31 01:00:00"),
        ("D003", 4, "accepted_at", "1999-12-31 23:00:00"),
        ("D017", 5, "completed_at", "2025-01-07 09:01:00"),
        ("D002", 6, "pay", "99999999999999999999999"),
        ("D003", 6, "tip", "-5.00"),
    ]
    assert ds.frame("orders").get_column("order_id").to_list() == ["A6"]


def test_a_shift_longer_than_24_hours_is_implausible(tmp_path: Path) -> None:
    """A 49-hour required shift (a worker who forgot to log off) is D017, not 49 hours of
    work; exactly 24 hours is plausible."""
    _orders(tmp_path, "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30")
    (tmp_path / "shifts.csv").write_text(
        "worker_id,start,end,kind\n"
        "W1,2025-01-06 08:00,2025-01-08 09:00,required\n"
        "W1,2025-01-09 08:00,2025-01-10 08:00,required\n",
        encoding="utf-8",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D017", 2, "end", "2025-01-08 09:00:00")]
    assert ds.frame("shifts").get_column("_row").to_list() == [3]


def test_a_worker_whose_roster_row_is_rejected_is_audited_as_unlisted(tmp_path: Path) -> None:
    _orders(tmp_path, "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30")
    (tmp_path / "workers.csv").write_text("worker_id,category\nW1,boss\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "-q", "-f", "json"])
    report = json.loads(result.stdout)
    issues = [(i["code"], i["row"], i["value"]) for i in report["data_issues"]]
    assert ("D006", 2, "boss") in issues and ("D018", 2, "W1") in issues
    assert result.exit_code == 1
    assert report["summary"]["workers_by_category"] == {"platform_managed": 1}  # the default


def test_json_wrapped_in_an_object_and_ndjson_with_a_bad_line(tmp_path: Path) -> None:
    record = {"order_id": "A1", "worker_id": "W1", "accepted_at": "2025-01-06 09:00",
              "completed_at": "2025-01-06 10:00", "pay": 30}  # fmt: skip
    wrapped = tmp_path / "orders.json"
    wrapped.write_text(json.dumps({"total": 1, "data": [record]}), encoding="utf-8")
    ds = load_dataset([], {"orders": wrapped}, Settings())
    assert ds.frame("orders").get_column("order_id").to_list() == ["A1"]
    lines = tmp_path / "orders.ndjson"
    lines.write_text(json.dumps(record) + "\n{broken\n", encoding="utf-8")
    ds = load_dataset([], {"orders": lines}, Settings())
    assert _issues(ds) == [("D014", 2, "row", "{broken")]
    assert (ds.inputs[0].rows_read, ds.inputs[0].rows_rejected) == (2, 1)


def test_typed_cells_of_the_wrong_type_are_data_issues(tmp_path: Path) -> None:
    path = tmp_path / "orders.parquet"
    pl.DataFrame(
        {"order_id": [1, 2], "worker_id": ["W1", "W1"], "accepted_at": [True, False],
         "completed_at": ["2025-01-06 10:00"] * 2, "pay": [30.5, 12.0]}
    ).write_parquet(path)  # fmt: skip
    ds = load_dataset([path], {}, Settings())
    assert _issues(ds) == [("D002", 1, "accepted_at", "true"), ("D002", 2, "accepted_at", "false")]


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    lines = [f"A{n},W{n % 7},2025-01-06 09:00,2025-01-06 13:30,1" for n in range(3000)]
    _orders(tmp_path, *lines)
    command = [sys.executable, "-c", "from payaudit.cli import main; main()"]
    run = subprocess.Popen(
        [*command, "check", str(tmp_path), "-f", "csv", "-q", "--period", "day"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    run.stdout.readline()
    run.stdout.close()  # as `| head -1` does
    stderr = run.stderr.read().decode()
    assert run.wait(timeout=300) in (0, 1)
    assert stderr == ""


def test_the_whole_report_reaches_a_pipe_before_the_process_ends(tmp_path: Path) -> None:
    """The entry point leaves without the interpreter's teardown: what is buffered for a pipe
    is flushed first, and the exit code is the run's."""
    lines = [f"A{n},W{n % 7},2025-01-06 09:00,2025-01-06 13:30,1" for n in range(3000)]
    _orders(tmp_path, *lines)
    command = [sys.executable, "-c", "from payaudit.cli import main; main()"]
    run = subprocess.run(
        [*command, "check", str(tmp_path), "-f", "json", "--fail-on", "warning"],
        capture_output=True,
        timeout=300,
    )
    report = json.loads(run.stdout)
    assert run.returncode == 1  # FT001 warnings, failing under --fail-on warning
    assert len(report["findings"]) == report["summary"]["new"] > 0
    assert run.stderr.decode().rstrip().endswith("0 waived.")


def test_a_csv_with_a_title_line_reads_from_its_header(tmp_path: Path) -> None:
    """A title and a blank line above the header, as some CSV exports have: skipped, and the
    rows keep the numbers a spreadsheet shows."""
    text = "美团骑手订单（2025年1月）\n\n" + "\n".join(
        ["订单号,骑手ID,接单时间,完成时间,订单收入", "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30",
         "", "A2,W1,soon,2025-01-06 10:00,30", "合计,,,,60", ""]
    )  # fmt: skip
    _orders(tmp_path, data=text.encode("gb18030"))
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D002", 6, "accepted_at", "soon"), ("D012", 7, "row", "合计")]
    assert ds.frame("orders").get_column("_row").to_list() == [4]


def test_old_mac_line_ends_and_a_header_named_like_a_bookkeeping_column(tmp_path: Path) -> None:
    """Lines ended by \\r alone are rows (not one long header); a Parquet column named `_row`
    is a header like any other, ignored and named."""
    rows = [HEADER, *(f"A{n},W1,2025-01-06 09:00,2025-01-06 10:00,30" for n in (1, 2))]
    _orders(tmp_path, data="\r".join(rows).encode())
    assert load_dataset([tmp_path], {}, Settings()).inputs[0].rows_audited == 2
    path = tmp_path / "typed.parquet"
    pl.DataFrame(
        {"_row": [7], "order_id": ["A1"], "worker_id": ["W1"], "accepted_at": ["2025-01-06 09:00"],
         "completed_at": ["2025-01-06 10:00"], "pay": [30]}
    ).write_parquet(path)  # fmt: skip
    ds = load_dataset([], {"orders": path}, Settings())
    assert _issues(ds) == [("D011", None, None, "`_row`")]
    assert ds.frame("orders").get_column("_row").to_list() == [1]


def test_a_cell_longer_than_the_csv_modules_limit_reads(tmp_path: Path) -> None:
    note = "x" * 200_000  # Python's csv stops at 128 KiB by default; Polars reads on
    _orders(tmp_path, f"A1,W1,2025-01-06 09:00,2025-01-06 10:00,30,{note}", header=HEADER + ",备注")
    assert load_dataset([tmp_path], {}, Settings()).inputs[0].rows_audited == 1


def test_spaces_around_times_and_money_and_rows_of_spaces_alone(tmp_path: Path) -> None:
    """Times and money are read as they are and trimmed only when they do not parse so: cells
    with spaces (ASCII, tab, U+3000) read as without; a cell of spaces is empty; a row of
    spaces alone is blank, left out; a cell that does not parse shows its trimmed text."""
    _orders(
        tmp_path,
        "A1,W1, 2025-01-06 09:00:00 ,2025-01-06 10:00:00,\u300030.5\u3000",
        "A2,W1,2025-01-06 11:00:00,\t2025/01/06 12:00\t, 12 ",
        " , ,  ,\u3000,\t",
        "A3,W1,  ,2025-01-06 13:00:00,8",
        "A4,W1,2025-01-06 14:00:00,2025-01-06 15:00:00,  abc  ",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D001", 5, "accepted_at", None), ("D002", 6, "pay", "abc")]
    orders = ds.frame("orders").select("order_id", "accepted_at", "completed_at", "pay", "_row")
    assert orders.rows() == [
        ("A1", datetime(2025, 1, 6, 9), datetime(2025, 1, 6, 10), 3050, 2),
        ("A2", datetime(2025, 1, 6, 11), datetime(2025, 1, 6, 12), 1200, 3),
    ]


def test_files_of_a_folder_that_name_no_table_are_named(tmp_path: Path) -> None:
    """A misnamed export in the folder is not read, and the run says which files it left."""
    _orders(tmp_path, "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30")
    (tmp_path / "truth.csv").write_text("rule\nMW001\n", encoding="utf-8")
    (tmp_path / ".hidden.csv").write_text("x\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "-q", "-f", "json"])
    [note] = [w for w in json.loads(result.stdout)["warnings"] if "truth.csv" in w]
    assert note.startswith("Not read, as their names name no table: truth.csv (name them")
    assert "hidden" not in note
    validated = runner.invoke(app, ["validate", str(tmp_path)])
    assert "Not read, as their names name no table: truth.csv" in " ".join(validated.output.split())


def test_a_quote_inside_a_field_is_text_and_one_that_never_closes_names_its_row(tmp_path):
    """W"><b>1: a quote inside an unquoted field stopped Polars' reader for the whole file;
    the file is read record by record instead (D019), every row accounted for. A quote that
    opens a field and never closes swallows the rest of the file: exit 2 naming its row."""
    _orders(
        tmp_path,
        "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30",
        'A2,W"><b>1,2025-01-06 11:00,2025-01-06 12:00,30',
        "A3,W1,2025-01-06 13:00,2025-01-06 14:00,30",
    )
    ds = load_dataset([tmp_path], {}, Settings())
    assert _issues(ds) == [("D019", None, None, None)]
    assert ds.frame("orders").get_column("worker_id").to_list() == ["W1", 'W"><b>1', "W1"]
    assert ds.frame("orders").get_column("_row").to_list() == [2, 3, 4]
    _orders(
        tmp_path,
        "A1,W1,2025-01-06 09:00,2025-01-06 10:00,30",
        'A2,"W1,2025-01-06 11:00,2025-01-06 12:00,30',
        "A3,W1,2025-01-06 13:00,2025-01-06 14:00,30",
    )
    result = runner.invoke(app, ["check", str(tmp_path), "-q"])
    assert result.exit_code == 2
    assert _said(result) == (
        f"error: {tmp_path / 'orders.csv'} row 3: a quote opens a field that never closes; "
        "close it or remove it."
    )
