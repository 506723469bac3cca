"""Which file holds which table: explicit files first, then files and folders found by stem
(docs/inputs.md). English stems start a word of the name (orders_1.csv, 2025_orders.csv); Chinese
stems may sit anywhere (美团订单导出.xlsx). When stems of several tables occur, the last one
names the table, as the head noun comes last in Chinese (骑手订单 are orders, 骑手工资 payouts)."""

from __future__ import annotations

import re
from pathlib import Path

from payaudit.contracts import TABLES, contract
from payaudit.errors import InputError
from payaudit.io.readers import SUFFIXES


def table_of(name: str) -> str | None:
    """The table a file or folder name stands for, None when no stem occurs in it."""
    low = name.lower()
    best: tuple[int, int, str] | None = None  # (end of the stem, its length, table)
    for table in TABLES:
        for stem in contract(table).stems:
            ascii_stem = stem.isascii()
            pattern = rf"(?<![a-z]){re.escape(stem)}" if ascii_stem else re.escape(stem)
            for match in re.finditer(pattern, low):
                found = (match.end(), len(stem), table)
                best = max(best, found) if best else found
    return best[2] if best else None


def _stem(path: Path) -> str:
    name = path.name
    for suffix in reversed(path.suffixes):  # orders.csv.gz → orders
        if suffix.lower() in SUFFIXES:
            name = name[: -len(suffix)]
    return name


def _is_table_file(path: Path) -> bool:
    if path.is_dir():  # a hive-partitioned Parquet table
        return any(path.rglob("*.parquet"))
    return (
        path.is_file() and not path.name.startswith((".", "~$")) and path.suffix.lower() in SUFFIXES
    )


def _add(found: dict[str, list[Path]], table: str, path: Path) -> None:
    """A file named twice (a folder and a file in it) is read once."""
    if path.resolve() not in (p.resolve() for p in found.setdefault(table, [])):
        found[table].append(path)


def skipped(paths: list[Path], explicit: dict[str, Path]) -> list[Path]:
    """The files of the folders given in a format payaudit reads that discover() does not
    read, their names naming no table (a misnamed export), so that none is passed over
    without a word; other files (README.md, a PDF) are no data."""
    named = {p.resolve() for p in explicit.values() if p.exists()}
    left = []
    for path in paths:
        if not path.is_dir() or (table_of(_stem(path)) and _is_table_file(path)):
            continue
        left += [
            child
            for child in sorted(path.iterdir())
            if child.is_file() and _is_table_file(child) and not table_of(_stem(child))
            and child.resolve() not in named
        ]  # fmt: skip
    return left


def discover(paths: list[Path], explicit: dict[str, Path]) -> dict[str, list[Path]]:
    """Table → its files, in a stable order; explicit files override what folders hold."""
    found: dict[str, list[Path]] = {}
    for path in paths:
        if not path.exists():
            raise InputError(f"{path} does not exist.")
        table = table_of(_stem(path))
        if path.is_dir() and not (table and _is_table_file(path)):
            for child in sorted(path.iterdir()):
                child_table = table_of(_stem(child))
                if child_table and _is_table_file(child):
                    _add(found, child_table, child)
            continue
        if table is None:
            raise InputError(
                f"Cannot tell which table {path} holds from its name; name it with --orders, "
                "--payouts, --shifts, --workers or --weather."
            )
        _add(found, table, path)
    for table, path in explicit.items():
        if not path.exists():
            raise InputError(f"{path} (--{table}) does not exist.")
        found[table] = [path]
    if "orders" not in found:
        where = ", ".join(str(p) for p in paths) or "the command line"
        raise InputError(f"No orders table in {where}: name a file orders*.csv or use --orders.")
    return {t: found[t] for t in TABLES if t in found}
