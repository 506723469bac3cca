"""Errors that stop a run are one plain sentence, whatever characters they quote."""

from typer.testing import CliRunner

from payaudit.cli import app


def test_error_quoting_markup_is_printed_as_text(tmp_path):
    missing = tmp_path / "[/x]" / "orders.csv"
    result = CliRunner().invoke(app, ["check", str(missing)])
    assert result.exit_code == 2
    assert "[/x]" in result.output
    assert "Traceback" not in result.output


def test_validate_speaks_the_language_asked_and_refuses_others(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\n"
        "1,W1,2025-01-06 09:00,2025-01-06 08:00,10\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    zh = runner.invoke(app, ["validate", str(tmp_path), "--lang", "zh", "-f", "json"])
    assert zh.exit_code == 1
    assert "早于" in zh.stdout
    fr = runner.invoke(app, ["validate", str(tmp_path), "--lang", "fr"])
    assert fr.exit_code == 2 and "--lang" in fr.output


def test_an_unknown_default_district_is_refused(tmp_path):
    (tmp_path / "orders.csv").write_text(
        "order_id,worker_id,accepted_at,completed_at,pay\n"
        "1,W1,2025-01-06 09:00,2025-01-06 10:00,30\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--district", "火星区"])
    assert result.exit_code == 2 and "火星区" in result.output
    fine = CliRunner().invoke(app, ["check", str(tmp_path), "--district", "城口"])
    assert fine.exit_code == 0, fine.output
