"""`payaudit params`, `calendar` and `rules` through the CLI, and `[params]` overrides."""

import re

import pytest
from typer.testing import CliRunner

from payaudit.cli import app
from payaudit.errors import ConfigError
from payaudit.rulepack import OVERRIDE_REFERENCE, load_pack

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "LC_ALL": "", "LANG": "C.UTF-8"})


def row(output: str, name: str) -> list[str]:
    """The cells of a parameter's row in the Rich table."""
    line = next(line for line in output.splitlines() if re.search(rf"│ {name}\s", line))
    return [cell.strip() for cell in line.strip("│ ").split("│")]


@pytest.mark.parametrize(
    ("on", "district", "area_class", "hourly", "monthly"),
    [
        ("2024-12-31", "渝中区", "1", "21", "2100"),
        ("2025-01-01", "渝中区", "1", "23", "2330"),
        ("2025-01-01", "城口县", "2", "22", "2200"),
        ("2025-01-01", "石柱土家族自治县", "2", "22", "2200"),
        # Short forms of the autonomous counties reach class 2 too.
        ("2025-01-01", "石柱自治县", "2", "22", "2200"),
        ("2025-01-01", "石柱县", "2", "22", "2200"),
        ("2025-01-01", "秀山县", "2", "22", "2200"),
        ("2025-01-01", "酉阳自治县", "2", "22", "2200"),
        ("2025-01-01", "彭水县", "2", "22", "2200"),
    ],
)
def test_params_of_a_district(on, district, area_class, hourly, monthly):
    result = run("params", "--date", on, "--district", district)
    assert result.exit_code == 0, result.output
    assert f"class {area_class}" in result.output
    assert row(result.output, "min_wage_hourly")[1] == f"{hourly} CNY/h"
    assert row(result.output, "min_wage_monthly")[1] == f"{monthly} CNY/month"


def test_params_without_district_shows_every_class_and_citations():
    result = run("params", "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert row(result.output, "min_wage_hourly")[1] == "class 1: 23, class 2: 22 CNY/h"
    fatigue = row(result.output, "max_continuous_hours")
    assert fatigue[1:3] == ["4 h", "2021-10-29"]
    assert fatigue[-1] == "no"  # [U]: verified = false


@pytest.mark.parametrize(("on", "verified"), [("2024-12-31", "yes"), ("2025-01-01", "no")])
def test_params_verified_only_when_the_citation_was_checked(on, verified):
    """The 2022 notice 渝人社发〔2021〕52号 is confirmed; the 2025 figures are, but not the
    number of their notice (文号未核实), so its citation is not verified."""
    result = run("params", "--date", on, "--district", "渝中区")
    assert result.exit_code == 0, result.output
    assert row(result.output, "min_wage_hourly")[-1] == verified


def test_params_unknown_district_is_exit_2_naming_it():
    result = run("params", "--district", "朝阳区")
    assert result.exit_code == 2
    assert "朝阳区" in result.output


def test_params_bad_date_is_exit_2():
    result = run("params", "--date", "2025-13-01")
    assert result.exit_code == 2
    assert "--date" in result.output


def test_params_override_from_config(tmp_path):
    config = tmp_path / "payaudit.toml"
    config.write_text('[params]\nmax_continuous_hours = "5 h"\n', "utf-8")
    result = run("params", "--date", "2025-01-01", "--config", str(config))
    assert result.exit_code == 0, result.output
    cells = row(result.output, "max_continuous_hours")
    assert cells[1:3] == ["5 h", "config"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("max_hours = 4", "max_hours"),
        ('max_continuous_hours = "240 min"', "max_continuous_hours"),
        ('max_continuous_hours = "four"', "max_continuous_hours"),
        ("max_continuous_hours = true", "max_continuous_hours"),
        ('max_continuous_hours = { value = 4, unit = "days" }', "max_continuous_hours"),
        ('heat_midday_start = "noon"', "heat_midday_start"),
        ("occupational_injury_pilot_industries = 1", "occupational_injury_pilot_industries"),
        ("min_wage_hourly = { 1 = 25 }", "min_wage_hourly"),
    ],
)
def test_bad_override_is_exit_2(tmp_path, body, named):
    config = tmp_path / "bad.toml"
    config.write_text(f"[params]\n{body}\n", "utf-8")
    result = run("params", "--config", str(config))
    assert result.exit_code == 2
    assert named in result.output
    assert "Traceback" not in result.output


def test_overrides_hold_for_all_dates():
    pack = load_pack(
        overrides={
            "max_continuous_hours": {"value": 3.5, "unit": "h"},
            "min_wage_hourly": 25,
            "heat_midday_end": "16:00",
            "occupational_injury_pilot_platforms": ["美团"],
        }
    )
    parameter = pack.parameter("max_continuous_hours")
    assert len(parameter.values) == 1
    assert parameter.values[0].reference == OVERRIDE_REFERENCE
    assert pack.value("max_continuous_hours", parameter.values[0].effective_from) == 3.5
    assert pack.value("min_wage_hourly", parameter.values[0].effective_from, 2) == 25
    assert pack.table("heat_midday_end")["value"].to_list() == [16.0]
    assert not pack.pilot_platform("饿了么", parameter.values[0].effective_from)
    assert load_pack().value("max_continuous_hours", parameter.values[0].effective_from) is None


def test_unknown_jurisdiction():
    with pytest.raises(ConfigError, match="cn-beijing"):
        load_pack("cn-beijing")


def test_calendar_2025():
    result = run("calendar", "2025")
    assert result.exit_code == 0, result.output
    kinds = {
        cells[0]: cells[2]
        for line in result.output.splitlines()
        if re.match(r"│ \d{4}-", line)
        for cells in [[c.strip() for c in line.strip("│ ").split("│")]]
    }
    for day in ("01-28", "01-29", "01-30", "01-31", "05-01", "05-02", "10-01", "10-02", "10-03"):
        assert kinds[f"2025-{day}"] == "Statutory holiday"
    assert kinds["2025-10-06"] == "Statutory holiday"
    assert kinds["2025-02-03"] == "Rest day"
    assert kinds["2025-01-26"] == "Adjusted working day"
    assert "2025-03-01" not in kinds  # an ordinary weekend is not listed
    assert "warning" not in result.output


def test_calendar_without_bridging_table_warns():
    result = run("calendar", "2027")
    assert result.exit_code == 0
    assert "no bridging table for 2027" in result.output
    assert "2027-02-06" in result.output  # 春节 computed


def test_calendar_outside_the_rules_is_exit_2():
    result = run("calendar", "1990")
    assert result.exit_code == 2
    assert "1990" in result.output


def test_rules_lists_registered_rules():
    result = run("rules", "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    from payaudit.rules import all_rules

    for code in all_rules():
        assert code in result.output


@pytest.mark.parametrize(
    ("on", "platform_managed"),
    [
        # Platform-managed workers have their rules from 渝人社发〔2021〕38号 of 2021-10-29.
        ("2021-10-28", "Platform-managed: not yet, from 2021-10-29"),
        ("2021-10-29", "Platform-managed: since 2021-10-29"),
    ],
)
def test_rules_shows_which_are_in_force_on_a_day(on, platform_managed):
    result = run("rules", "--date", on, "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = _rule_rows(result.output)
    assert platform_managed in rows["MW001"]
    # PY001: employees since the Labour Law of 1995, platform-managed workers from 2021-10-29.
    assert "Employee: since 1995-01-01" in rows["PY001"]
    assert platform_managed in rows["PY001"]


def _rule_rows(output: str) -> dict[str, str]:
    """Rule code -> the text of its table row's third column (applies to), wrapped lines joined."""
    rows: dict[str, list[str]] = {}
    code = None
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")]
        if len(cells) < 5:
            continue
        code = cells[1] or code
        rows.setdefault(code, []).append(cells[3])
    return {code: " ".join(" ".join(parts).split()) for code, parts in rows.items()}


def test_rule_says_from_when_it_is_in_force():
    result = run("rule", "MW001", "--lang", "en")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "In force for Platform-managed from 2021-10-29: 渝人社发〔2021〕38号 第（五）项" in text


def test_rules_shows_thresholds_in_force(monkeypatch):
    from payaudit.rules.base import REGISTRY, Rule

    class Example(Rule):
        code = "ZZ901"
        name = {"en": "Example rule", "zh": "示例规则"}
        severity = "warning"
        categories = ("platform_managed",)
        params = ("max_continuous_hours", "min_wage_hourly", "no_such_parameter")

    monkeypatch.setitem(REGISTRY, Example.code, Example)
    result = run("rules", "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert "ZZ901" in result.output and "示例规则" in result.output
    assert "max_continuous_hours = 4 h" in result.output
    assert "min_wage_hourly = class 1: 23, class 2: 22 CNY/h" in result.output
    assert "no_such_parameter: not in the rule pack" in result.output
