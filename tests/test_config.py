"""payaudit.toml: its settings (README, Configuration), and a clear error for anything else."""

from decimal import Decimal

import pytest

from payaudit.config import load_config, parse_config
from payaudit.errors import ConfigError

FULL = """
jurisdiction = "cn-chongqing"
default_category = "employee"
district = "渝中区"
fail_on = "warning"
select = ["MW", "HP", "FT"]
ignore = ["FT002"]

[working_time]
basis = "online"
allowance_ratio = 0.15

[params]
max_continuous_hours = 4

[columns.orders]
"骑手编号" = "worker_id"
"""


def test_full_config_is_read(tmp_path):
    path = tmp_path / "payaudit.toml"
    path.write_text(FULL, encoding="utf-8")
    s = load_config(path)
    assert s.default_category == "employee"
    assert s.district == "渝中区"
    assert s.fail_on == "warning"
    assert s.select == ["MW", "HP", "FT"] and s.ignore == ["FT002"]
    assert s.basis == "online"
    assert s.allowance_ratio == Decimal("0.15")  # exact, not a binary float
    assert s.params == {"max_continuous_hours": 4}
    assert s.columns == {"orders": {"骑手编号": "worker_id"}}


def test_default_config_file_is_picked_up(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None).fail_on == "error"
    (tmp_path / "payaudit.toml").write_text('fail_on = "never"\n')
    assert load_config(None).fail_on == "never"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"working_time": {"basis": "online", "speed": 1}}, "working_time.speed"),
        ({"working_time": {"basis": "shifts"}}, "working_time.basis"),
        ({"working_time": {"allowance_ratio": -0.1}}, "allowance_ratio"),
        ({"fail_on": "sometimes"}, "fail_on"),
        ({"default_category": "contractor"}, "default_category"),
        ({"columns": {"trips": {"a": "b"}}}, "columns.trips"),
        ({"select": [1, 2]}, "select"),
    ],
)
def test_bad_config_names_the_key(raw, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        parse_config(raw, "payaudit.toml")


def test_unreadable_config_is_one_sentence(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("fail_on = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.toml")
