"""docs/ stands alone: the generated pages match the code they come from, and every page the
README lists exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from payaudit import docs
from payaudit.contracts import TABLES, contract
from payaudit.rules import all_rules

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


@pytest.mark.parametrize("name", sorted(docs.PAGES))
def test_generated_page_is_up_to_date(name):
    page = DOCS / name
    assert page.exists(), f"docs/{name} is missing: run `make docs`"
    assert page.read_text("utf-8") == docs.PAGES[name](), (
        f"docs/{name} is stale (the contracts, rules or rule pack changed): run `make docs`"
    )


def test_generation_is_deterministic():
    for render in docs.PAGES.values():
        assert render() == render()


def test_rules_page_has_every_rule_with_its_docstring_and_parameters():
    page = docs.rules_page()
    for code, rule in all_rules().items():
        assert f"\n## {code} {rule.name['en']}" in page
        assert rule.doc().split("\n\n")[0] in page
        for name in rule.params:
            assert f"`{name}` (" in page, (code, name)
    # MW001's hourly minimum of 2025, class 1: 23 CNY/h, class 2: 22 CNY/h.
    assert "| 2025-01-01 | class 1: 23, class 2: 22 |" in page


def test_inputs_page_has_every_column_and_alias():
    page = docs.inputs_page()
    for table in TABLES:
        assert f"\n## {table}\n" in page
        for col in contract(table).columns:
            assert f"| `{col.name}` | {col.type} |" in page
            assert all(alias in page for alias in col.aliases)


def test_a_table_cell_stays_one_cell():
    assert docs.cell("a | b\n  c") == "a \\| b c"


def test_write_rewrites_only_what_changed(tmp_path):
    assert sorted(p.name for p in docs.write(tmp_path)) == sorted(docs.PAGES)
    (tmp_path / "rules.md").write_text("old", encoding="utf-8")
    assert [p.name for p in docs.write(tmp_path)] == ["rules.md"]
    assert docs.write(tmp_path) == []


def test_readme_lists_docs_pages_that_exist():
    readme = (ROOT / "README.md").read_text("utf-8")
    listed = re.findall(r"\(docs/([\w.-]+\.md)\)", readme)
    assert {"report.md", "inputs.md", "rules.md", "semantics.md", "architecture.md"} <= set(listed)
    assert all((DOCS / name).exists() for name in listed)
