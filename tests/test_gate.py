"""Finding ids, baselines and waivers: the CI gate over a run's findings."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import polars as pl
import pytest

from helpers import audit, dataset
from payaudit.config import Waiver, load_config, parse_config
from payaudit.engine.gate import apply_gate, baseline_document, glob_pattern, read_baseline
from payaudit.errors import ConfigError

ROSTER = [("W1", "platform_managed", "渝中区"), ("W2", "platform_managed", "渝中区")]
# W1: 4 h for 80.00 → 20.00/h, under 23.00 (渝中区, class 1): MW001 owes 4 × 23 − 80 = 12.00.
# W2: orders 09:00-13:01 with no break → a 4.02 h stretch over 4 h: FT001 on 2025-01-06.
ORDERS = [
    ("o1", "W1", "2025-01-06 09:00", "2025-01-06 13:00", 80),
    ("o2", "W2", "2025-01-06 09:00", "2025-01-06 13:01", 100),
]
TODAY = date(2025, 3, 1)


@pytest.fixture(scope="module")
def result():
    return audit(dataset(orders=ORDERS, workers=ROSTER), select=["MW001", "FT001"])


def test_a_finding_id_is_a_short_sha256_of_rule_worker_and_period(result):
    mw = result.findings.filter(pl.col("rule") == "MW001").row(0, named=True)
    key = "MW001\x1fW1\x1f2025-01-01\x1f2025-01-31"  # the month, as the report shows it
    assert mw["id"] == hashlib.sha256(key.encode()).hexdigest()[:16]
    again = audit(dataset(orders=ORDERS[::-1], workers=ROSTER), select=["MW001", "FT001"])
    assert again.findings["id"].sort().to_list() == result.findings["id"].sort().to_list()


def test_findings_are_located_at_their_first_evidence_row(result):
    # helpers number rows as a spreadsheet does: o1 is row 2, o2 row 3 of orders.csv.
    places = result.findings.select("rule", "path", "row").rows()
    assert sorted(places) == [("FT001", "orders.csv", 3), ("MW001", "orders.csv", 2)]


def baseline_of(result, rules: list[str]) -> pl.DataFrame:
    chosen = result.findings.filter(pl.col("rule").is_in(rules))
    return chosen.select("id", "rule", "severity", "worker_id", "period_start", "period_end")


def test_baseline_marks_known_and_lists_resolved(result):
    old = baseline_of(result, ["MW001"])
    gone = pl.DataFrame(
        [("0123456789abcdef", "FT002", "warning", "W9", date(2024, 12, 2), date(2024, 12, 2))],
        schema=old.schema,
        orient="row",
    )
    gated = apply_gate(result, pl.concat([old, gone]), [], TODAY)
    status = dict(gated.findings.select("rule", "baseline").rows())
    assert status == {"MW001": "known", "FT001": "new"}
    assert gated.resolved["id"].to_list() == ["0123456789abcdef"]
    # Only the FT001 warning counts now: the MW001 error is known.
    assert gated.exit_code("error") == 0 and gated.exit_code("warning") == 1
    assert result.exit_code("error") == 1  # the ungated result is untouched


def test_waivers_by_rule_prefix_worker_glob_and_period(result):
    def waived(*waivers: Waiver) -> dict[str, str | None]:
        gated = apply_gate(result, None, list(waivers), TODAY)
        return dict(gated.findings.select("rule", "waiver").rows())

    assert waived(Waiver("MW", "W*", "negotiated")) == {"MW001": "negotiated", "FT001": None}
    assert waived(Waiver("FT001", "W?", "pilot")) == {"MW001": None, "FT001": "pilot"}
    assert waived(Waiver("MW001", "W2", "other worker"))["MW001"] is None
    # The MW001 finding covers January whole: a waiver for part of it does not cover it.
    part = Waiver("MW001", "W1", "part", date_from=date(2025, 1, 10))
    whole = Waiver("MW001", "W1", "whole", date(2025, 1, 1), date(2025, 1, 31))
    assert waived(part)["MW001"] is None and waived(whole)["MW001"] == "whole"
    both = apply_gate(result, None, [Waiver("", "*", "all")], TODAY)
    assert both.exit_code("warning") == 0


def test_an_expired_waiver_waives_nothing_and_warns(result):
    old = Waiver("MW001", "W1", "until fixed", expires=date(2025, 2, 28))
    gated = apply_gate(result, None, [old], TODAY)
    assert gated.findings["waiver"].null_count() == gated.findings.height
    assert gated.exit_code("error") == 1
    assert any("expired on 2025-02-28" in w for w in gated.warnings)
    last_day = apply_gate(result, None, [old], date(2025, 2, 28))  # still in force that day
    assert last_day.exit_code("error") == 0 and not last_day.warnings


def test_glob_pattern_matches_only_what_the_glob_says():
    ids = pl.Series(["W-1.a", "W-12.a", "W-1xa", "XW-1.a"])
    assert ids.str.contains(glob_pattern("W-?.a")).to_list() == [True, False, False, False]
    assert ids.str.contains(glob_pattern("W-*")).to_list() == [True, True, True, False]


def test_baseline_file_round_trip_and_bad_files(result, tmp_path):
    report = tmp_path / "report.json"
    rows = baseline_of(result, ["MW001", "FT001"]).with_columns(
        pl.col("period_start", "period_end").cast(pl.String)
    )
    report.write_text(json.dumps({"summary": {}, "findings": rows.to_dicts()}), "utf-8")
    written = tmp_path / "baseline.json"
    written.write_text(baseline_document(read_baseline(report), report), "utf-8")
    assert json.loads(written.read_text("utf-8"))["payaudit_baseline"] == 1
    assert read_baseline(written).equals(read_baseline(report).sort("id"))
    for text in ("not json", '{"findings": [{"rule": "MW001"}]}', "[1]"):
        report.write_text(text, "utf-8")
        with pytest.raises(ConfigError, match="Baseline"):
            read_baseline(report)
    report.write_text('{"summary": {"truncated": true}, "findings": []}', "utf-8")
    with pytest.raises(ConfigError, match="max-findings"):
        read_baseline(report)
    redacted = {"summary": {}, "findings": [{"id": "P-0123456789ab", "rule": "MW001"}]}
    report.write_text(json.dumps(redacted), "utf-8")
    with pytest.raises(ConfigError, match="written with --redact"):
        read_baseline(report)
    with pytest.raises(ConfigError, match="does not exist"):
        read_baseline(tmp_path / "missing.json")


def test_waive_entries_are_parsed_strictly():
    raw = {
        "waive": [
            {"rule": "mw001", "worker": "W1", "reason": "agreed", "from": date(2025, 1, 1)},
            {"rule": "FT", "worker": "W*", "reason": "pilot", "expires": "2025-06-30"},
        ]
    }
    first, second = parse_config(raw, "payaudit.toml").waivers
    assert first == Waiver("MW001", "W1", "agreed", date_from=date(2025, 1, 1))
    assert second.expires == date(2025, 6, 30)
    for bad, says in (
        ({"rule": "MW001", "worker": "W1"}, "'reason' is required"),
        ({"rule": "MW001", "worker": "W1", "reason": "  "}, "'reason' is required"),
        ({"rule": "MW001", "reason": "x"}, "'worker' is required"),
        ({"rule": "MW001", "worker": "W1", "reason": "x", "until": 1}, "unknown key 'until'"),
        ({"rule": "MW001", "worker": "W1", "reason": "x", "expires": "soon"}, "'expires'"),
        (
            {
                "rule": "MW001",
                "worker": "W1",
                "reason": "x",
                "from": "2025-02-01",
                "to": "2025-01-01",
            },
            "'from' 2025-02-01 is after 'to' 2025-01-01",
        ),
    ):
        with pytest.raises(ConfigError, match=says):
            parse_config({"waive": [bad]}, "payaudit.toml")


def test_config_is_found_in_a_parent_folder_or_pyproject(tmp_path, monkeypatch):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    (tmp_path / "pyproject.toml").write_text('[tool.payaudit]\nfail_on = "never"\n', "utf-8")
    assert load_config(None).fail_on == "never"
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.ruff]\n", "utf-8")  # not payaudit's
    assert load_config(None).fail_on == "never"
    (tmp_path / "a" / "payaudit.toml").write_text('fail_on = "warning"\n', "utf-8")
    assert load_config(None).fail_on == "warning"  # the nearest wins
    assert load_config(tmp_path / "pyproject.toml").fail_on == "never"


def test_a_waiver_of_no_rule_stops_the_run(tmp_path):
    """[[waive]] rule = "MW01" (a typo) would waive nothing without a word: exit 2."""
    from typer.testing import CliRunner

    from payaudit.cli import app

    (tmp_path / "orders.csv").write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\nA1,W1,2025-01-06 09:00,"
        "2025-01-06 10:00,30\n",
        "utf-8",
    )
    config = tmp_path / "payaudit.toml"
    config.write_text('[[waive]]\nrule = "MW01"\nworker = "*"\nreason = "x"\n', "utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--config", str(config), "-q"])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "waiver 1 names rule 'MW01', which is no rule code or prefix" in said
    config.write_text('[[waive]]\nrule = "MW"\nworker = "*"\nreason = "x"\n', "utf-8")
    ok = CliRunner().invoke(app, ["check", str(tmp_path), "--config", str(config), "-q"])
    assert ok.exit_code in (0, 1)  # a prefix is a rule
