"""schemas/report.schema.json describes the JSON report as it is: real reports of the sample
data validate against it, under every option that changes the report's shape, and a report that
breaks the contract does not."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from payaudit.cli import app

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    # The installed copy: the one a user of the package gets.
    text = resources.files("payaudit.schemas").joinpath("report.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(validator: Draft202012Validator, doc: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]


@pytest.fixture(scope="module")
def with_issues(tmp_path_factory) -> Path:
    """The sample data plus rows that each make a data issue: an unreadable time, a repeated
    order id, an unknown district, an order of a worker missing from the roster."""
    folder = tmp_path_factory.mktemp("issues")
    for name in ("orders.csv", "workers.csv", "shifts.csv"):
        shutil.copy(SAMPLE / name, folder / name)
    header, first = (SAMPLE / "orders.csv").read_text("utf-8").splitlines()[:2]
    cells = dict(zip(header.split(","), first.split(","), strict=True))
    bad = [
        cells | {"order_id": "X1", "accepted_at": "not a time"},
        cells,  # repeats the first order's id
        cells | {"order_id": "X2", "district": "火星区"},
        cells | {"order_id": "X3", "worker_id": "NOBODY"},
    ]
    with (folder / "orders.csv").open("a", encoding="utf-8") as out:
        for row in bad:
            out.write(",".join(row[c] for c in header.split(",")) + "\n")
    return folder


def report(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["check", *args, "-f", "json", "-o", str(out), "--quiet", "--fail-on", "never"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text("utf-8"))


SHAPES = {
    "default": [],
    "redact": ["--redact"],
    "period day": ["--period", "day"],
    "period week": ["--period", "week"],
    "range": ["--from", "2025-01-10", "--to", "2025-01-20"],
    "lang zh": ["--lang", "zh"],
    "truncated": ["--max-findings", "2"],
    "no findings shown": ["--max-findings", "0"],
    "no findings": ["--select", "IN001"],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_sample_reports_validate(shape, tmp_path, validator):
    doc = report(tmp_path, str(SAMPLE), *SHAPES[shape])
    assert errors(validator, doc) == []
    if shape == "truncated":
        assert doc["summary"]["truncated"] and len(doc["findings"]) == 2
    if shape in ("no findings", "no findings shown"):
        assert doc["findings"] == []
    else:
        assert doc["findings"], "the sample data has findings to validate"


def test_report_with_data_issues_validates(with_issues, tmp_path, validator):
    doc = report(tmp_path, str(with_issues))
    assert {"D002", "D004", "D007", "D008"} <= {i["code"] for i in doc["data_issues"]}
    assert errors(validator, doc) == []


def test_a_report_that_breaks_the_contract_fails(tmp_path, validator):
    doc = report(tmp_path, str(SAMPLE), "--max-findings", "1")
    finding = doc["findings"][0]
    broken = [
        {k: v for k, v in doc.items() if k != "summary"},
        doc | {"findings": [{k: v for k, v in finding.items() if k != "basis"}]},
        doc | {"findings": [finding | {"severity": "fatal"}]},
        doc | {"findings": [finding | {"period_start": "2025-13-01"}]},
        doc | {"findings": [finding | {"shortfall_cny": "1.00"}]},
        doc | {"data_issues": [{"code": "D001", "severity": "error"}]},
    ]
    for bad in broken:
        assert errors(validator, bad), bad


def test_the_id_and_the_audited_range_are_required_and_typed(tmp_path, validator):
    doc = report(tmp_path, str(SAMPLE), "--max-findings", "1")
    assert doc["manifest"]["period_from"] == "2025-01-01"
    assert doc["manifest"]["period_to"] == "2025-01-31"
    without_id = {k: v for k, v in doc["findings"][0].items() if k != "id"}
    assert errors(validator, doc | {"findings": [without_id]})
    doc["summary"]["a_later_total"] = 1  # later versions may add totals
    assert errors(validator, doc) == []
    doc["manifest"]["period_to"] = "January"
    assert errors(validator, doc)
