"""`make bench`: time `payaudit check` against a hand-written DuckDB baseline (issues 7, 17).

Generates (once, cached in bench/data/ by size and seed) synthetic exports of about 1M and 10M
orders as Parquet and CSV, and 100M as Parquet, with `payaudit sample`'s generator (100M takes
about 3 minutes and 1 GB of disk; 100M orders are audited in parts by worker, see
src/payaudit/engine/parts.py), plus a harder variant of the Parquet exports ("hard": HARD_SHARE %
of the orders end 30 to 150 minutes later, so they reach over the next ones: long stretches and
days, many findings). Runs `payaudit check --timings` (every rule, the JSON report) on each as a
subprocess and bench/baseline.sql (MW001, FT001, FT002 in DuckDB) likewise, one after the other
in each repetition so that both see the same load; measures wall time and peak RSS of each child
and the phases payaudit reports; checks both against the truth file (the hard variant has none:
there they are checked against each other), takes a checksum of the findings, prints the ratios
against the targets and writes bench/results.md.

    python bench/run.py [--sizes 1M,10M,100M] [--quick] [--seed 1]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import re
import shutil
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
VARIANTS = ("parquet", "csv", "hard")
FORMATS = {"100M": ("parquet",)}  # as CSV, 100M orders would take 10 GB of disk
# 10M: the targets' size, where one run can be off by a tenth: five repetitions steady the
# median of their ratios; 100M: minutes a run
RUNS = {"100k": 3, "1M": 3, "10M": 5, "100M": 2}
SPARK_SECTION = "## Spark, local mode"
HARD_SHARE = 15  # percent of the orders made to end later in the hard variant
# Checksums of the findings on the 1M exports (polars 2.1.0, which makes the hard variant): a
# faster audit must find exactly the same; a change of a rule or of the report changes them.
# Taken after the speed-ups of issue 17, the findings ids (issue 14) and the midnight split of
# pay (issue 12: 2 more HP001 findings in the hard variant, FT002 evidence naming orders that
# cross into the day); the plain exports' findings were otherwise those of commit ad9be27.
# Taken again in session 11 (commit after 2096907): FT001 one finding per worker-day (the hard
# variant: 14,168 findings, was 14,534 over 14,168 ids), evidence.stretches and payout_ids, and
# day counts in messages as whole numbers; every finding's rule, worker, period, observed,
# threshold and shortfall otherwise as before (compared with 439fe89's reports).
FINDINGS_BEFORE = {("1M", "parquet"): "f2ea6d870d7a56c5", ("1M", "hard"): "16cd929f7056a2d2"}
_TIMING = re.compile(r"^timing: (.+?)\s+([\d.]+) s\s+(\d+) MiB peak$", re.M)
AUDITED = ("MW001", "HP001", "FT001", "FT002")
BASELINE = ("MW001", "FT001", "FT002")
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


def side_by_side(
    label: str, ours: list[str], base: list[str], logs: tuple[Path, Path], parquet=None
) -> dict:
    """RUNS[label] repetitions of payaudit then the baseline, back to back so that both see
    the same load on this shared machine (one run can be off by a third): the median wall
    time of each, the median of the per-repetition ratios, the largest peak RSS of each, and
    the median seconds and largest peak of each phase payaudit reported. `parquet`: payaudit
    on the same exports as Parquet (command, log), run in each repetition too, for the median
    of the per-repetition ratios of this run's time to it (CSV against Parquet)."""
    pairs, phases, against = [], {}, []
    for _ in range(RUNS.get(label, 1)):
        pairs.append((measure(ours, logs[0], (0, 1)), measure(base, logs[1])))
        for name, seconds, mib in _TIMING.findall(logs[0].read_text(errors="replace")):
            phases.setdefault(name, []).append((float(seconds), int(mib)))
        if parquet:
            against.append(pairs[-1][0]["wall"] / measure(*parquet, (0, 1))["wall"])
    return {
        "vs_parquet": statistics.median(against) if against else math.nan,
        "payaudit_s": statistics.median(o["wall"] for o, _ in pairs),
        "payaudit_rss_mib": max(o["rss_mib"] for o, _ in pairs),
        "baseline_s": statistics.median(b["wall"] for _, b in pairs),
        "baseline_rss_mib": max(b["rss_mib"] for _, b in pairs),
        "ratio": statistics.median(o["wall"] / b["wall"] for o, b in pairs),
        "phases": {
            name: (statistics.median(s for s, _ in runs), max(m for _, m in runs))
            for name, runs in phases.items()
        },
    }


def dataset(label: str, fmt: str, seed: int) -> tuple[Path, dict]:
    """The cached folder of exports for a size and format, generated (and timed) when missing."""
    if fmt == "hard":
        return harder(label, seed)
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
    summary = json.loads(done.read_text())
    if "overlapping" not in summary:  # data made before it was measured
        summary["overlapping"] = overlapping(folder / f"orders.{fmt}")
        done.write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return folder, summary


def harder(label: str, seed: int) -> tuple[Path, dict]:
    """The Parquet exports with HARD_SHARE % of the orders (chosen by a hash of their id) ending
    30 to 150 minutes later: they reach over the orders after them, fill the breaks and make
    long stretches and days, so findings of FT001, FT002 and MW001 are many."""
    source, summary = dataset(label, "parquet", seed)
    folder = source.parent / "hard"
    done = folder / "summary.json"
    if not done.exists():
        print(f"making the hard variant of {label} in {folder} …", flush=True)
        folder.mkdir(parents=True, exist_ok=True)
        for table in ("shifts", "payouts", "workers", "weather"):
            shutil.copyfile(source / f"{table}.parquet", folder / f"{table}.parquet")
        order = pl.col("order_id")
        chosen = order.hash(seed) % 100 < HARD_SHARE
        later = pl.duration(minutes=30 + (order.hash(seed + 1) % 121).cast(pl.Int64))
        end = pl.when(chosen).then(pl.col("completed_at") + later).otherwise("completed_at")
        orders = pl.scan_parquet(source / "orders.parquet").with_columns(completed_at=end)
        orders.sink_parquet(folder / "orders.parquet")
        made = {"rows": summary["rows"], "overlapping": overlapping(folder / "orders.parquet")}
        done.write_text(json.dumps(made, ensure_ascii=False, indent=1))
    return folder, json.loads(done.read_text())


def overlapping(orders: Path) -> float:
    """The share of orders accepted before the worker's previous order (by acceptance) ends."""
    if orders.suffix != ".parquet":
        return float("nan")
    previous = pl.col("completed_at").shift(1).over("worker_id", order_by="accepted_at")
    share = pl.scan_parquet(orders).select((pl.col("accepted_at") < previous).mean())
    return share.collect().item()


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
    }["csv" if fmt == "csv" else "parquet"]
    tables = {t: read(t) for t in ("orders", "shifts", "workers")}
    script = (BENCH / "baseline.sql").read_text().format(**tables)
    statements = [s for s in script.split(";") if s.strip()]
    for statement in statements[:-1]:
        con.execute(statement)
    con.sql(statements[-1]).pl().write_csv(folder.parent / f"baseline-{fmt}.csv")


def agreement(found: pl.DataFrame, expected: pl.DataFrame, rules: tuple[str, ...]) -> str:
    """Whether the findings of the given rules are exactly the expected set (MW001 periods
    widened to whole months, as truth.csv labels them)."""
    from payaudit.sample import whole_months

    found, expected = (
        whole_months(f.filter(pl.col("rule").is_in(rules)).select(KEYS)) for f in (found, expected)
    )
    missing = expected.join(found, on=KEYS, how="anti").height
    extra = found.join(expected, on=KEYS, how="anti").height
    return "exact" if missing == extra == 0 else f"{missing} missing, {extra} unexpected"


def checksum(findings: list[dict]) -> str:
    """The findings as reported, every field but `path` (the file as the command named it):
    equal checksums, equal findings. Taken over the sorted findings: before issue 17 two
    findings of one worker, day and rule could come in either order."""
    lines = sorted(
        json.dumps({k: v for k, v in f.items() if k != "path"}, sort_keys=True, ensure_ascii=False)
        for f in findings
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def run(label: str, fmt: str, seed: int) -> dict:
    folder, summary = dataset(label, fmt, seed)
    orders = summary["rows"]["orders"]
    print(f"{label} {fmt}: payaudit check and the DuckDB baseline …", flush=True)
    report = folder.parent / f"report-{fmt}.json"
    payaudit = Path(sys.executable).with_name("payaudit")
    check = [str(payaudit), "check", str(folder), "--format", "json", "--output", str(report)]
    check += ["--fail-on", "never", "--quiet", "--timings"]
    base = [sys.executable, __file__, "--baseline", str(folder), "--format", fmt]
    logs = (report.with_suffix(".log"), folder.parent / f"baseline-{fmt}.log")
    parquet = None
    if fmt == "csv":  # CSV against Parquet, measured in the same repetitions
        plain = [*check[:2], str(folder.with_name("parquet")), *check[3:]]
        plain[plain.index(str(report))] = str(report.with_name("report-csv-parquet.json"))
        parquet = (plain, report.with_name("report-csv-parquet.log"))
    timed = side_by_side(label, check, base, logs, parquet)
    findings = json.loads(report.read_text())["findings"]
    found = pl.from_dicts(findings, schema=dict.fromkeys(KEYS, pl.String))
    found = found.with_columns(pl.col("period_start", "period_end").str.to_date())
    base_found = pl.read_csv(folder.parent / f"baseline-{fmt}.csv", try_parse_dates=True)
    truth = folder / "truth.csv"
    truth = pl.read_csv(truth, try_parse_dates=True) if truth.exists() else None
    made = summary.get("generate", {})
    return {
        "size": label,
        "format": fmt,
        "orders": orders,
        "overlapping": summary.get("overlapping", float("nan")),
        "findings": len(findings),
        "checksum": checksum(findings),
        **timed,
        "orders_per_s": orders / timed["payaudit_s"],
        "payaudit_vs_truth": agreement(found, truth, AUDITED) if truth is not None else "—",
        "baseline_vs_truth": agreement(base_found, truth, BASELINE) if truth is not None else "—",
        "payaudit_vs_baseline": agreement(found, base_found, BASELINE),
        "generate_s": made.get("wall", float("nan")),
        "generate_rss_mib": made.get("rss_mib", float("nan")),
        "disk_mib": sum(p.stat().st_size for p in folder.iterdir()) / 2**20,
    }


def verdicts(rows: list[dict]) -> list[str]:
    """The targets of issue 17, each met or missed."""
    by = {(r["size"], r["format"]): r for r in rows}
    lines = []
    for fmt in ("parquet", "hard"):
        if ("10M", fmt) in by:
            r = by["10M", fmt]
            lines.append(_verdict(f"10M {fmt}: payaudit / baseline", r["ratio"], 1.0))
            lines.append(_verdict(f"10M {fmt}: peak RSS GiB", r["payaudit_rss_mib"] / 1024, 3))
    if ("10M", "csv") in by:
        ratio = by["10M", "csv"]["vs_parquet"]
        lines.append(_verdict("10M CSV / Parquet wall time (same repetitions)", ratio, 1.5))
    if ("100M", "parquet") in by:
        r = by["100M", "parquet"]
        lines.append(_verdict("100M parquet: payaudit / baseline", r["ratio"], 1.2))
        lines.append(_verdict("100M parquet: peak RSS GiB", r["payaudit_rss_mib"] / 1024, 4))
    for (size, fmt), before in FINDINGS_BEFORE.items():
        if (size, fmt) in by:
            now = by[size, fmt]["checksum"]
            same = "identical" if now == before else "DIFFERENT"
            lines.append(f"{size} {fmt}: findings checksum {now}, before {before}: {same}")
    return lines


def _verdict(what: str, value: float, limit: float) -> str:
    return f"{what}: {value:.2f} (target ≤ {limit:g}): {'met' if value <= limit else 'MISSED'}"


def _line(r: dict) -> str:
    return (
        f"{r['size']:>4} {r['format']:<7} {r['orders']:>11,} orders {r['findings']:>8,} findings"
        f"  payaudit {r['payaudit_s']:7.1f} s {r['payaudit_rss_mib']:6.0f} MiB"
        f"  baseline {r['baseline_s']:6.1f} s {r['baseline_rss_mib']:5.0f} MiB  ratio "
        f"{r['ratio']:5.2f}  vs truth: payaudit {r['payaudit_vs_truth']}, baseline "
        f"{r['baseline_vs_truth']}; payaudit vs baseline {r['payaudit_vs_baseline']}"
    )


def _share(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0%}"


def _phases(rows: list[dict]) -> list[str]:
    """Seconds and peak MiB per phase (medians of the runs' seconds), a column per run."""
    names = list(dict.fromkeys(name for r in rows for name in r["phases"]))

    def cell(r: dict, name: str) -> str:
        seconds, mib = r["phases"].get(name, (math.nan, 0))
        return "—" if math.isnan(seconds) else f"{seconds:.2f} s, {mib} MiB"

    return [
        "| phase | " + " | ".join(f"{r['size']} {r['format']}" for r in rows) + " |",
        "|---|" + "---:|" * len(rows),
        *(f"| {n} | " + " | ".join(cell(r, n) for r in rows) + " |" for n in names),
    ]


def write_results(rows: list[dict], seed: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {date.today()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, polars {pl.__version__}. Data: `payaudit sample`, "
        f"{DAYS} days from 2025-01-01 (元旦 and 春节 included), seed {seed}; `hard`: the Parquet "
        f"exports with {HARD_SHARE} % of the orders ending 30–150 minutes later. `payaudit check` "
        "runs every rule, validation and the JSON report; the baseline MW001, FT001 and FT002. "
        "Wall time of the whole process (start-up and loading included); in each of "
        f"{RUNS['10M']} repetitions at 10M ({RUNS['1M']} at 1M, {RUNS['100M']} at 100M) payaudit "
        "and the baseline run back to back: the "
        "median of each, the median of the repetitions' ratios; peak RSS of each process, the "
        "largest of the runs. CSV against Parquet: in each repetition of the CSV exports, "
        "payaudit on the same exports as Parquet runs too, and the target takes the median of "
        "the repetitions' ratios (the machine's speed drifts between one block of runs and the "
        "next). Other work on the machine at the same time makes the times noisy.",
        "",
        "| size | format | orders | accepted before the previous ends | findings "
        "| payaudit s | peak RSS MiB | orders/s | DuckDB baseline s | baseline RSS MiB "
        "| payaudit / baseline | payaudit vs truth | baseline vs truth | payaudit vs baseline "
        "(MW001, FT001, FT002) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
        *(
            f"| {r['size']} | {r['format']} | {r['orders']:,} | {_share(r['overlapping'])} | "
            f"{r['findings']:,} | {r['payaudit_s']:.1f} | {r['payaudit_rss_mib']:.0f} | "
            f"{r['orders_per_s']:,.0f} | {r['baseline_s']:.1f} | {r['baseline_rss_mib']:.0f} | "
            f"{r['ratio']:.2f} | {r['payaudit_vs_truth']} | {r['baseline_vs_truth']} | "
            f"{r['payaudit_vs_baseline']} |"
            for r in rows
        ),
        "",
        "Targets (issue 17):",
        "",
        *(f"- {line}" for line in verdicts(rows) or ["10M was not run"]),
        "",
        "Findings checksums (sha256 of the reported findings, every field but `path`):",
        "",
        *(f"- {r['size']} {r['format']}: {r['checksum']}" for r in rows),
        "",
        "Phases (`payaudit check --timings`: median seconds, largest peak RSS):",
        "",
        *_phases(rows),
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
            if r["format"] != "hard"
        ),
    ]
    results = BENCH / "results.md"
    # bench/spark.py's section (make bench-spark) stays as it is, after this run's.
    before = results.read_text(encoding="utf-8") if results.exists() else ""
    spark = before[before.index(SPARK_SECTION) :] if SPARK_SECTION in before else ""
    results.write_text("\n".join(lines) + "\n" + ("\n" + spark if spark else ""), "utf-8")
    print(f"\nwrote {BENCH / 'results.md'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1M,10M,100M", help=f"comma-separated: {', '.join(SIZES)}"
    )
    parser.add_argument("--quick", action="store_true", help="100k orders only (a smoke run)")
    parser.add_argument(
        "--formats", default=",".join(VARIANTS), help="comma-separated: parquet, csv, hard"
    )
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
        chosen = [f.strip() for f in args.formats.split(",")]
        for fmt in [f for f in FORMATS.get(label, VARIANTS) if f in chosen]:
            rows.append(run(label, fmt, args.seed))
            print(_line(rows[-1]), flush=True)
    print("", *verdicts(rows), sep="\n")
    write_results(rows, args.seed)


if __name__ == "__main__":
    main()
