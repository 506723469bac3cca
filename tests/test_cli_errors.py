"""Errors that stop a run are one plain sentence, whatever characters they quote."""

from typer.testing import CliRunner

from payaudit.cli import app


def test_error_quoting_markup_is_printed_as_text(tmp_path):
    missing = tmp_path / "[/x]" / "orders.csv"
    result = CliRunner().invoke(app, ["check", str(missing)])
    assert result.exit_code == 2
    assert "[/x]" in result.output
    assert "Traceback" not in result.output
