"""`make bench`: time `payaudit check` against a hand-written DuckDB baseline (issue 7).

Generates (once, cached in bench/data/ by size and seed) synthetic exports of about 1M and 10M
orders as Parquet and CSV, and 100M as Parquet, with `payaudit sample`'s generator (100M takes
about 3 minutes and 1 GB of disk; 100M orders are audited in parts by worker, see
src/payaudit/partition.py), runs `payaudit check` on each as a
subprocess and bench/baseline.sql (MW001, FT001, FT002 in DuckDB) likewise, measures wall time and
peak RSS of each child, checks both against the truth file, prints the ratios against the targets
and writes bench/results.md.

    python bench/run.py [--sizes 1M,10M,100M] [--quick] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import polars as pl

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
DAYS = 30
ORDERS_PER_WORKER = 227  # measured: orders per worker over 30 days from 2025-01-01
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000, "100M": 100_000_000}
FORMATS = {"100M": ("parquet",)}  # as CSV, 100M orders would take 10 GB of disk
RUNS = {"100k": 3, "1M": 3, "10M": 3}  # 100M once: it takes minutes
AUDITED = ("MW001", "HP001", "FT001", "FT002")
BASELINE_RULES = ("MW001", "FT001", "FT002")
KEYS = ["rule", "worker_id", "period_start", "period_end"]


def measure(command: list[str], log: Path, ok: tuple[int, ...] = (0,)) -> dict:
    """Wall time and peak RSS of one child process: its own rusage, from wait4."""
    began = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        tail = log.read_text(errors="replace")[-2000:]
        raise SystemExit(f"{' '.join(command)} failed with exit code {code}:\n{tail}")
    return {"wall": wall, "rss_mib": usage.ru_maxrss / 1024}


def repeated(label: str, command: list[str], log: Path, ok: tuple[int, ...] = (0,)) -> dict:
    """The median wall time and the largest peak RSS of RUNS[label] runs: one run on this
    shared 2-core machine can be off by a third."""
    runs = [measure(command, log, ok) for _ in range(RUNS.get(label, 1))]
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "rss_mib": max(r["rss_mib"] for r in runs),
    }


def dataset(label: str, fmt: str, seed: int) -> tuple[Path, dict]:
    """The cached folder of exports for a size and format, generated (and timed) when missing."""
    workers = math.ceil(SIZES[label] / ORDERS_PER_WORKER)
    folder = DATA / f"{label}-w{workers}-d{DAYS}-s{seed}" / fmt
    done = folder / "summary.json"
    if not done.exists():
        print(f"generating {label} orders as {fmt} in {folder} …", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, __file__, "--generate", str(folder), "--format", fmt]
        took = measure([*command, "--workers", str(workers), "--seed", str(seed)],
                       folder.parent / f"generate-{fmt}.log")  # fmt: skip
        summary = json.loads(done.read_text()) | {"generate": took}
        done.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return folder, json.loads(done.read_text())


def generate(folder: Path, workers: int, fmt: str, seed: int) -> None:
    """In the child: write the exports and their summary.json."""
    from payaudit.sample import write_sample

    summary = write_sample(folder, workers, DAYS, seed, date(2025, 1, 1), fmt)
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))


def baseline(folder: Path, fmt: str) -> None:
    """In the child: the DuckDB baseline, findings to baseline-FMT.csv beside the folder."""
    import duckdb

    from payaudit.rulepack import load_pack

    pack = load_pack()
    con = duckdb.connect()
    classes = pack.areas.epochs[-1].classes
    areas = pl.DataFrame({"district": list(classes), "area_class": list(classes.values())})
    wages = pack.table("min_wage_hourly").select(
        "effective_from", "area_class", fen=(pl.col("value") * 100).round().cast(pl.Int64)
    )
    con.register("area_class_frame", areas)
    con.register("min_wage_frame", wages)
    con.execute("CREATE TABLE area_class AS SELECT * FROM area_class_frame")
    con.execute("CREATE TABLE min_wage AS SELECT * FROM min_wage_frame ORDER BY effective_from")
    money = "{'pay': 'DECIMAL(12,2)', 'cost': 'DECIMAL(12,2)', 'tip': 'DECIMAL(12,2)'}"
    read = {
        "parquet": lambda t: f"read_parquet('{folder / f'{t}.parquet'}')",
        "csv": lambda t: (
            f"read_csv('{folder / f'{t}.csv'}', header = true"
            + (f", types = {money})" if t == "orders" else ")")
        ),
    }[fmt]
    tables = {t: read(t) for t in ("orders", "shifts", "workers")}
    script = (BENCH / "baseline.sql").read_text().format(**tables)
    statements = [s for s in script.split(";") if s.strip()]
    for statement in statements[:-1]:
        con.execute(statement)
    con.sql(statements[-1]).pl().write_csv(folder.parent / f"baseline-{fmt}.csv")


def agreement(found: pl.DataFrame, folder: Path, rules: tuple[str, ...]) -> str:
    """Whether findings of the given rules are exactly the truth file's labelled set."""
    from payaudit.sample import whole_months

    truth = pl.read_csv(folder / "truth.csv", try_parse_dates=True)
    truth = truth.filter(pl.col("rule").is_in(rules)).select(KEYS)
    found = whole_months(found.filter(pl.col("rule").is_in(rules)).select(KEYS))
    missing = truth.join(found, on=KEYS, how="anti").height
    extra = found.join(truth, on=KEYS, how="anti").height
    return "exact" if missing == extra == 0 else f"{missing} missing, {extra} unlabelled"


def run(label: str, fmt: str, seed: int) -> dict:
    folder, summary = dataset(label, fmt, seed)
    orders = summary["rows"]["orders"]
    print(f"{label} {fmt}: payaudit check …", flush=True)
    report = folder.parent / f"report-{fmt}.json"
    payaudit = Path(sys.executable).with_name("payaudit")
    check = [str(payaudit), "check", str(folder), "--format", "json", "--output", str(report)]
    check += ["--fail-on", "never", "--quiet"]
    ours = repeated(label, check, report.with_suffix(".log"), (0, 1))
    findings = json.loads(report.read_text())["findings"]
    found = pl.from_dicts(findings, schema=dict.fromkeys(KEYS, pl.String))
    found = found.with_columns(pl.col("period_start", "period_end").str.to_date())
    print(f"{label} {fmt}: DuckDB baseline …", flush=True)
    command = [sys.executable, __file__, "--baseline", str(folder), "--format", fmt]
    base = repeated(label, command, folder.parent / f"baseline-{fmt}.log")
    base_found = pl.read_csv(folder.parent / f"baseline-{fmt}.csv", try_parse_dates=True)
    made = summary.get("generate", {})
    return {
        "size": label,
        "format": fmt,
        "orders": orders,
        "payaudit_s": ours["wall"],
        "payaudit_rss_mib": ours["rss_mib"],
        "orders_per_s": orders / ours["wall"],
        "baseline_s": base["wall"],
        "baseline_rss_mib": base["rss_mib"],
        "ratio": ours["wall"] / base["wall"],
        "payaudit_vs_truth": agreement(found, folder, AUDITED),
        "baseline_vs_truth": agreement(base_found, folder, BASELINE_RULES),
        "generate_s": made.get("wall", float("nan")),
        "generate_rss_mib": made.get("rss_mib", float("nan")),
        "disk_mib": sum(p.stat().st_size for p in folder.iterdir()) / 2**20,
    }


def verdicts(rows: list[dict]) -> list[str]:
    """The issue's targets (on 10M orders), each met or missed."""
    by = {(r["size"], r["format"]): r for r in rows}
    lines = []
    if ("10M", "parquet") in by:
        p = by["10M", "parquet"]
        lines.append(_verdict("10M Parquet: payaudit / baseline", p["ratio"], 1.5))
        lines.append(_verdict("10M Parquet: peak RSS GiB", p["payaudit_rss_mib"] / 1024, 4))
        if ("10M", "csv") in by:
            ratio = by["10M", "csv"]["payaudit_s"] / p["payaudit_s"]
            lines.append(_verdict("10M CSV / Parquet wall time", ratio, 2))
    if ("100M", "parquet") in by:
        big = by["100M", "parquet"]["payaudit_rss_mib"] / 1024
        lines.append(_verdict("100M Parquet (in parts by worker): peak RSS GiB", big, 4))
    return lines


def _verdict(what: str, value: float, limit: float) -> str:
    return f"{what}: {value:.2f} (target ≤ {limit:g}): {'met' if value <= limit else 'MISSED'}"


def _line(r: dict) -> str:
    return (
        f"{r['size']:>4} {r['format']:<7} {r['orders']:>11,} orders  payaudit "
        f"{r['payaudit_s']:7.1f} s {r['payaudit_rss_mib']:6.0f} MiB {r['orders_per_s']:>9,.0f}/s"
        f"  baseline {r['baseline_s']:6.1f} s {r['baseline_rss_mib']:5.0f} MiB  ratio "
        f"{r['ratio']:5.2f}  vs truth: payaudit {r['payaudit_vs_truth']}, baseline "
        f"{r['baseline_vs_truth']}"
    )


def write_results(rows: list[dict], seed: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {date.today()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, polars {pl.__version__}. Data: `payaudit sample`, "
        f"{DAYS} days from 2025-01-01 (元旦 and 春节 included), seed {seed}. Wall time of the "
        "whole process (start-up and loading included), the median of 3 runs up to 10M; peak RSS "
        "of that process, the largest of the runs. Other work on "
        "the machine at the same time makes the times noisy.",
        "",
        "| size | format | orders | payaudit s | peak RSS MiB | orders/s | DuckDB baseline s "
        "| baseline RSS MiB | payaudit / baseline | payaudit vs truth | baseline vs truth |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        *(
            f"| {r['size']} | {r['format']} | {r['orders']:,} | {r['payaudit_s']:.1f} | "
            f"{r['payaudit_rss_mib']:.0f} | {r['orders_per_s']:,.0f} | {r['baseline_s']:.1f} | "
            f"{r['baseline_rss_mib']:.0f} | {r['ratio']:.2f} | {r['payaudit_vs_truth']} | "
            f"{r['baseline_vs_truth']} |"
            for r in rows
        ),
        "",
        "Targets (issue 7):",
        "",
        *(f"- {line}" for line in verdicts(rows) or ["10M was not run"]),
        "",
        "Generation (`write_sample`, when the data was first made; cached since):",
        "",
        "| size | format | orders | seconds | orders/s | peak RSS MiB | on disk MiB |",
        "|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r['size']} | {r['format']} | {r['orders']:,} | {r['generate_s']:.1f} | "
            f"{r['orders'] / r['generate_s']:,.0f} | {r['generate_rss_mib']:.0f} | "
            f"{r['disk_mib']:.0f} |"
            for r in rows
        ),
    ]
    (BENCH / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {BENCH / 'results.md'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1M,10M,100M", help=f"comma-separated: {', '.join(SIZES)}"
    )
    parser.add_argument("--quick", action="store_true", help="100k orders only (a smoke run)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", default="parquet", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        return generate(args.generate, args.workers, args.format, args.seed)
    if args.baseline:
        return baseline(args.baseline, args.format)
    labels = ["100k"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    unknown = [label for label in labels if label not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]}; choose from {', '.join(SIZES)}")
    rows = []
    for label in labels:
        for fmt in FORMATS.get(label, ("parquet", "csv")):
            rows.append(run(label, fmt, args.seed))
            print(_line(rows[-1]), flush=True)
    print("", *verdicts(rows), sep="\n")
    write_results(rows, args.seed)


if __name__ == "__main__":
    main()
