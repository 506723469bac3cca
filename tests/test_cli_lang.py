"""Every command speaks --lang (default: the config, else the locale); the informational tables
read whole at 80 columns; help names its values PATH, CODE, DATE and shows the defaults."""

from __future__ import annotations

import json
from datetime import date

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.rulepack import load_pack
from payaudit.rules import all_rules

runner = CliRunner()
EN = {"COLUMNS": "80", "LC_ALL": "", "LANG": "C.UTF-8"}
ZH = {"COLUMNS": "80", "LC_ALL": "", "LANG": "zh_CN.UTF-8"}
DAY = date(2025, 1, 1)

# Each informational command and a heading it prints in Chinese and in English.
COMMANDS = [
    (["params", "--date", "2025-01-01"], "生效日期", "In force since"),
    (["rules", "--date", "2025-01-01"], "适用对象", "Applies to"),
    (["rule", "HP001"], "法律依据", "Legal basis"),
    (["calendar", "2025"], "法定节假日", "Statutory holiday"),
]


def run(args: list[str], env: dict[str, str]):
    return runner.invoke(app, args, env=env)


@pytest.mark.parametrize(("args", "zh", "en"), COMMANDS)
def test_lang_option_and_locale_default(args, zh, en):
    assert zh in run([*args, "--lang", "zh"], EN).output
    assert en in run([*args, "--lang", "en"], ZH).output
    assert zh in run(args, ZH).output  # LANG=zh_CN… → Chinese
    assert en in run(args, EN).output


def test_bad_lang_is_exit_2():
    result = run(["rules", "--lang", "fr"], EN)
    assert result.exit_code == 2 and "--lang" in result.output


def test_validate_in_chinese(tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\n"
        "O1,W1,2025-01-06 09:00,2025-01-06 10:00,20\n"
        "O1,W1,2025-01-06 11:00,2025-01-06 12:00,x\n",
        "utf-8",
    )
    result = run(["validate", str(tmp_path), "--lang", "zh"], EN)
    assert result.exit_code == 1
    for heading in ("输入文件", "按代码统计数据问题", "含义", "编号重复", "前若干条数据问题"):
        assert heading in result.output
    for english in ("Inputs", "Data issues by code", "meaning", "First data issues"):
        assert english not in result.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_params_and_rules_fit_80_columns_without_splitting_words(lang):
    env = ZH if lang == "zh" else EN
    params = run(["params", "--date", "2025-01-01"], env).output
    rules = run(["rules", "--date", "2025-01-01"], env).output
    for out in (params, rules):
        assert max(cell_len(line) for line in out.splitlines()) <= 80
    if lang == "en":  # every parameter and rule name whole on a line of its own table
        pack = load_pack()
        for row in pack.in_force(DAY):
            assert row["name"] in params
        for rule in all_rules().values():
            for word in rule.name["en"].split():
                assert word in rules, word
            for name in rule.params:
                assert name in rules, name
    else:
        assert "小时最低工资标准" in params and "min_wage_hourly" not in params
        assert "元/小时" in params


def test_params_json_has_full_citations():
    result = run(["params", "--date", "2025-01-01", "-f", "json"], EN)
    body = json.loads(result.output)
    rows = {p["name"]: p for p in body["parameters"]}
    reference = rows["min_wage_hourly"]["reference"]
    assert reference == load_pack().parameter("min_wage_hourly").at(DAY).reference
    table = run(["params", "--date", "2025-01-01"], EN).output
    assert reference not in table  # too long for the table: shortened there
    assert reference in run(["rule", "MW001"], {**EN, "COLUMNS": "300"}).output


def test_help_shows_metavars_and_defaults():
    check = run(["check", "--help"], EN).output
    assert "<list[Path]>" not in check and "<" not in check.split("Options:")[0]
    assert "[PATH]..." in check and "--from DATE" in check and "--statements DIR" in check
    assert "else table)" in check and "[default: error]" in check
    assert "{CODE}" in run(["rule", "--help"], EN).output
    assert "--date DATE" in run(["params", "--help"], EN).output
    assert "[default: today]" in run(["params", "--help"], EN).output


def test_every_rule_pack_parameter_has_a_chinese_name():
    """The Chinese reports name each parameter (a renamed one lost its name once)."""
    from payaudit.i18n import PARAM_NAMES
    from payaudit.rulepack import load_pack

    assert set(PARAM_NAMES) == set(load_pack("cn-chongqing", {}).parameters)
