"""The package's layout holds: no import cycle between its modules, no module family hiding
behind a name prefix, and nothing in the repository points outside it."""

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in (SRC / "payaudit").rglob("*.py")}
    found["payaudit.schemas"] = ROOT / "schemas" / "__init__.py"
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every payaudit module `name` imports, anywhere in the file: at the top, inside a function
    or under TYPE_CHECKING alike, since each is a dependency a reader has to follow."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports the module pkg.mod; `from mod import name`, mod.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    assert graph["payaudit.engine.run"], "the import graph was not read"
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_family_behind_a_name_prefix():
    top = [p.stem for p in (SRC / "payaudit").glob("*.py") if "_" in p.stem.strip("_")]
    prefixes = [stem.split("_")[0] for stem in top]
    assert len(prefixes) == len(set(prefixes)), top


def test_nothing_points_outside_the_repository():
    tracked = subprocess.run(
        ["git", "grep", "-l", "-F", "../" + "shared", "--", ":!.ci/*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if tracked.returncode > 1:  # not a git checkout (e.g. an sdist): nothing to check
        return
    assert tracked.stdout.split() == []
