"""`make bench-spark`: `payaudit check --engine spark` in Spark's local mode next to the audit on
one machine, on the Parquet exports of bench/run.py (about 1M and 10M orders, cached in
bench/data/). For each: the start-up of a local Spark session alone, the wall time of the whole
command, the peak RSS of its process tree (Python, the JVM and Spark's Python workers, summed,
sampled every 0.2 s) and of its largest Python worker (one part's audit), the parts, and
whether the findings of both are the same. Writes the "Spark, local
mode" section of bench/results.md.

    python bench/spark.py [--sizes 1M,10M]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from run import dataset  # noqa: E402  (bench/run.py: the cached exports)

from payaudit.engine.spark import ORDERS_PER_TASK, part_count  # noqa: E402

RESULTS = BENCH / "results.md"
HEADING = "## Spark, local mode"
START = "from payaudit.engine.spark import session; session().stop()"


def _tree_rss(root: int) -> tuple[int, int]:
    """KiB resident in `root` and all its descendants now, and in the largest of Spark's
    Python workers among them (the task auditing a part)."""
    parents, rss, workers = {}, {}, set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            parents[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            status = (proc / "status").read_text()
            rss[int(proc.name)] = int(status.split("VmRSS:")[1].split()[0])
            if b"pyspark.daemon" in (proc / "cmdline").read_bytes():
                workers.add(int(proc.name))
        except (OSError, IndexError, ValueError):  # gone, or a kernel thread
            continue
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sum(rss.get(pid, 0) for pid in tree), max(rss.get(p, 0) for p in tree & workers | {0})


def measure(command: list[str], log: Path) -> dict:
    """Wall time and peak RSS of the process tree of one command, and of its largest Python
    worker of Spark's."""
    began, peak, worker = time.perf_counter(), 0, 0
    with log.open("wb") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        while child.poll() is None:
            total, largest = _tree_rss(child.pid)
            peak, worker = max(peak, total), max(worker, largest)
            time.sleep(0.2)
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{log.read_text(errors='replace')[-2000:]}")
    return {
        "wall": time.perf_counter() - began,
        "rss_mib": peak / 1024,
        "worker_mib": worker / 1024,
    }


def run(label: str, seed: int) -> dict:
    folder, summary = dataset(label, "parquet", seed)
    payaudit = str(Path(sys.executable).with_name("payaudit"))
    figures = {"label": label, "orders": summary["rows"]["orders"]}
    figures["parts"] = part_count(figures["orders"], os.cpu_count() or 1, ORDERS_PER_TASK)
    findings = []
    for engine in ("local", "spark"):
        print(f"{label}: payaudit check --engine {engine} …", flush=True)
        report = folder.parent / f"report-{engine}.json"
        command = [payaudit, "check", str(folder), "--engine", engine, "--format", "json"]
        command += ["--output", str(report), "--fail-on", "never", "--quiet"]
        figures[engine] = measure(command, report.with_suffix(".log"))
        findings.append(json.loads(report.read_text())["findings"])
    figures["same"] = findings[0] == findings[1]
    figures["findings"] = len(findings[0])
    return figures


def write(rows: list[dict], start: dict) -> None:
    import pyspark

    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    text, _, section = text.partition(f"\n{HEADING}\n")
    text = text.rstrip("\n")
    kept = [line for line in section.splitlines() if line.startswith("| ") and "|---" not in line]
    kept = [line for line in kept if not line.startswith("| size")]  # sizes measured before
    lines = [
        "",
        HEADING,
        "",
        f"`make bench-spark` on {date.today()}: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, pyspark {pyspark.__version__}, Spark in local "
        "mode on every core (`local[*]`), Parquet exports of the table above. Start-up: a local "
        f"Spark session started and stopped, alone ({start['wall']:.1f} s, "
        f"{start['rss_mib']:.0f} MiB). Wall time of the whole `payaudit check` (start-up "
        "included), one run; peak RSS of its process tree (Python, the JVM, Spark's Python "
        f"workers), summed. Parts: about {ORDERS_PER_TASK:,} orders each, at least one per core; "
        "largest Python worker: the peak RSS of the largest of Spark's Python workers (a task "
        "auditing a part).",
        "",
        "| size | orders | one machine s | RSS MiB | Spark local s | RSS MiB | parts | largest "
        "Python worker MiB | Spark / one machine | findings | same findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    done = {r["label"] for r in rows}
    lines += [line for line in kept if line.split(" | ")[0].lstrip("| ") not in done]
    for r in rows:
        local, spark = r["local"], r["spark"]
        lines.append(
            f"| {r['label']} | {r['orders']:,} | {local['wall']:.1f} | {local['rss_mib']:.0f} | "
            f"{spark['wall']:.1f} | {spark['rss_mib']:.0f} | {r['parts']} | "
            f"{spark['worker_mib']:.0f} | {spark['wall'] / local['wall']:.1f} | "
            f"{r['findings']:,} | {'yes' if r['same'] else 'NO'} |"
        )
    RESULTS.write_text(text + "\n" + "\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    (BENCH / "data").mkdir(exist_ok=True)
    start = measure([sys.executable, "-c", START], BENCH / "data" / "spark-start.log")
    rows = []
    for label in args.sizes.split(","):
        rows.append(run(label, args.seed))
        write(rows, start)  # each size as soon as it is done: 10M takes long
    print(RESULTS.read_text().split(f"\n{HEADING}\n")[1])


if __name__ == "__main__":
    main()
