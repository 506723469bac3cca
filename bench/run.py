"""`make bench`: time `payaudit check` against a hand-written DuckDB baseline (issue 7).

Generates (once, cached in bench/data/ by size and seed) synthetic exports of about 1M and 10M
orders as Parquet and CSV with `payaudit.sample.write_sample`, runs `payaudit check` on each as a
subprocess and bench/baseline.sql (MW001, FT001, FT002 in DuckDB) likewise, measures wall time and
peak RSS of each child, checks the baseline against the truth file, prints the ratios and writes
bench/results.md.

    python bench/run.py [--sizes 1M,10M] [--quick] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
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
SIZES = {"100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
BASELINE_RULES = ("MW001", "FT001", "FT002")
TARGETS = "10M Parquet ≤ 1.5 × baseline and < 4 GiB peak RSS; 10M CSV ≤ 2 × the Parquet run"


def dataset(label: str, fmt: str, seed: int) -> tuple[Path, dict]:
    """The cached folder of exports for a size and format, generated when missing."""
    from payaudit.sample import write_sample

    workers = math.ceil(SIZES[label] / ORDERS_PER_WORKER)
    folder = DATA / f"{label}-w{workers}-d{DAYS}-s{seed}" / fmt
    done = folder / "summary.json"
    if not done.exists():
        print(f"generating {label} orders as {fmt} in {folder} …", flush=True)
        summary = write_sample(folder, workers, DAYS, seed, date(2025, 1, 1), fmt)
        done.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return folder, json.loads(done.read_text())


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


def run_payaudit(folder: Path) -> dict:
    report = folder.parent / f"report-{folder.name}.json"
    payaudit = Path(sys.executable).with_name("payaudit")
    command = [str(payaudit), "check", str(folder), "--format", "json", "--output", str(report)]
    return measure([*command, "--fail-on", "never", "--quiet"], report.with_suffix(".log"))


def run_baseline(folder: Path, fmt: str) -> dict:
    command = [sys.executable, __file__, "--baseline", str(folder), "--format", fmt]
    result = measure(command, folder.parent / f"baseline-{fmt}.log")
    result["findings"] = pl.read_csv(folder.parent / f"baseline-{fmt}.csv", try_parse_dates=True)
    return result


def baseline(folder: Path, fmt: str) -> None:
    """The DuckDB baseline, in this (child) process: findings to baseline-FMT.csv."""
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
    read = {
        "parquet": "read_parquet('{}')",
        "csv": "read_csv('{}', header = true, types = {{'pay': 'DECIMAL(12,2)', "
        "'cost': 'DECIMAL(12,2)', 'tip': 'DECIMAL(12,2)'}})",
    }[fmt]
    tables = {t: read.format(folder / f"{t}.{fmt}") for t in ("orders", "shifts", "workers")}
    if fmt == "csv":  # only the orders carry money; the other files are read as they come
        tables |= {
            t: f"read_csv('{folder / f'{t}.csv'}', header = true)" for t in ("shifts", "workers")
        }
    script = (BENCH / "baseline.sql").read_text().format(**tables)
    statements = [s for s in script.split(";") if s.strip()]
    for statement in statements[:-1]:
        con.execute(statement)
    con.sql(statements[-1]).pl().write_csv(folder.parent / f"baseline-{fmt}.csv")


def agreement(found: pl.DataFrame, folder: Path) -> str:
    """Whether the baseline's findings are exactly the truth file's, for its three rules."""
    truth = pl.read_csv(folder / "truth.csv", try_parse_dates=True)
    keys = ["rule", "worker_id", "period_start", "period_end"]
    truth = truth.filter(pl.col("rule").is_in(BASELINE_RULES)).select(keys)
    missing = truth.join(found, on=keys, how="anti").height
    extra = found.select(keys).join(truth, on=keys, how="anti").height
    return "exact" if missing == extra == 0 else f"{missing} missing, {extra} unlabelled"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M", help="comma-separated: 100k, 1M, 10M")
    parser.add_argument("--quick", action="store_true", help="100k orders only (a smoke run)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--format", default="parquet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        baseline(args.baseline, args.format)
        return
    labels = ["100k"] if args.quick else [s.strip() for s in args.sizes.split(",")]
    unknown = [label for label in labels if label not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]}; choose from {', '.join(SIZES)}")
    rows = []
    for label in labels:
        for fmt in ("parquet", "csv"):
            folder, summary = dataset(label, fmt, args.seed)
            orders = summary["rows"]["orders"]
            print(f"{label} {fmt}: payaudit check …", flush=True)
            ours = run_payaudit(folder)
            print(f"{label} {fmt}: DuckDB baseline …", flush=True)
            base = run_baseline(folder, fmt)
            rows.append(
                {
                    "size": label,
                    "format": fmt,
                    "orders": orders,
                    "payaudit_s": ours["wall"],
                    "payaudit_rss_mib": ours["rss_mib"],
                    "orders_per_s": orders / ours["wall"],
                    "baseline_s": base["wall"],
                    "baseline_rss_mib": base["rss_mib"],
                    "ratio": ours["wall"] / base["wall"],
                    "baseline_vs_truth": agreement(base["findings"], folder),
                }
            )
            print(_line(rows[-1]), flush=True)
    write_results(rows)


def _line(row: dict) -> str:
    return (
        f"{row['size']:>4} {row['format']:<7} {row['orders']:>11,} orders  payaudit "
        f"{row['payaudit_s']:7.1f} s {row['payaudit_rss_mib']:7.0f} MiB "
        f"{row['orders_per_s']:>10,.0f} orders/s  baseline {row['baseline_s']:6.1f} s "
        f"{row['baseline_rss_mib']:6.0f} MiB  ratio {row['ratio']:5.2f}  "
        f"baseline vs truth: {row['baseline_vs_truth']}"
    )


def write_results(rows: list[dict]) -> None:
    parquet = {r["size"]: r["payaudit_s"] for r in rows if r["format"] == "parquet"}
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {date.today()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, polars {pl.__version__}. Data: `payaudit sample`, "
        f"{DAYS} days from 2025-01-01 (春节 included), seed as given. Times are wall clock of "
        "the whole process; RSS is the child's peak.",
        "",
        f"Targets (issue 7): {TARGETS}.",
        "",
        "| size | format | orders | payaudit s | payaudit peak RSS MiB | orders/s | "
        "DuckDB baseline s | baseline peak RSS MiB | payaudit / baseline | CSV / Parquet | "
        "baseline vs truth |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        csv_ratio = (
            f"{r['payaudit_s'] / parquet[r['size']]:.2f}"
            if r["format"] == "csv" and r["size"] in parquet
            else ""
        )
        lines.append(
            f"| {r['size']} | {r['format']} | {r['orders']:,} | {r['payaudit_s']:.1f} | "
            f"{r['payaudit_rss_mib']:.0f} | {r['orders_per_s']:,.0f} | {r['baseline_s']:.1f} | "
            f"{r['baseline_rss_mib']:.0f} | {r['ratio']:.2f} | {csv_ratio} | "
            f"{r['baseline_vs_truth']} |"
        )
    (BENCH / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {BENCH / 'results.md'}")


if __name__ == "__main__":
    main()
