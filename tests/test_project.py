"""The README's promises hold: its two commands exist in the Makefile and CI runs the tests."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][\w-]*):", text, flags=re.M))


def test_readme_commands_are_makefile_targets():
    readme = (ROOT / "README.md").read_text()
    commands = set(re.findall(r"^make (\w+)", readme, flags=re.M))
    assert {"demo", "test"} <= commands
    assert commands <= make_targets()


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_demo_audits_the_bundled_sample():
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "payaudit check sample_data" in demo
