"""Database sessions and latency with and without a connection pool, under the soak's load.

One command, on one machine with PostgreSQL and Redis on their default local ports::

    .venv/bin/python bench/db_pool.py [--minutes 2] [--annotators 32] [--pool-size 8] [--repeat 1]

Runs the soak (``bench/soak.py``: two web processes, two workers, PostgreSQL, Redis, simulated
annotators, judges and exports) first as the baseline, with a connection per request
(``MOOT_DB_CONN_MAX_AGE=0``, the default), then with ``MOOT_DB_POOL_MAX_SIZE=--pool-size`` on
every process; ``--repeat`` alternates them that many times. Prints, for each, the database
sessions each process held at most, and the median and 95th percentile latency of the
labeling calls, with the ratios pool / baseline (medians over the repeats).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CALLS = ("next", "submit")


def soak(args: argparse.Namespace, settings: list[str], out: Path) -> dict[str, Any]:
    argv = [
        sys.executable, str(ROOT / "bench" / "soak.py"), "--minutes", str(args.minutes),
        "--annotators", str(args.annotators), "--json", str(out),
        "--max-db-sessions", str(10 * args.annotators),  # measured here, not judged
    ]  # fmt: skip
    for setting in settings:
        argv += ["--set", setting]
    result = subprocess.run(argv, cwd=ROOT, check=False, capture_output=True, text=True)  # noqa: S603
    if not out.exists():
        raise SystemExit(
            f"the soak did not finish:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def figures(report: dict[str, Any]) -> dict[str, float]:
    row: dict[str, float] = {
        "errors": report["errors"],
        "requests_per_s": report["requests_per_s"],
        "deployment_sessions_max": report["database_connections"]["deployment_max"],
    }
    # Per kind of process (names carry ports and pids that differ between runs): the most any
    # one process held, and the sum of each process's most.
    by_kind: dict[str, list[int]] = {}
    for name, held in report["database_sessions"].items():
        by_kind.setdefault(re.sub(r"([-/][0-9]+)+$", "", name), []).append(held["max"])
    for kind, maxima in by_kind.items():
        row[f"sessions_max_per_process:{kind}"] = max(maxima)
        row[f"sessions_max_summed:{kind}"] = sum(maxima)
    for call in CALLS:
        latency = report["endpoints"].get(call, {}).get("latency_ms", {})
        row[f"{call}_p50_ms"] = latency.get("p50", float("nan"))
        row[f"{call}_p95_ms"] = latency.get("p95", float("nan"))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--annotators", type=int, default=32)
    parser.add_argument("--pool-size", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    variants = {"baseline": [], "pool": [f"MOOT_DB_POOL_MAX_SIZE={args.pool_size}"]}
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    with tempfile.TemporaryDirectory(prefix="moot-db-pool-") as folder:
        for n in range(args.repeat):
            for name, settings in variants.items():
                report = soak(args, settings, Path(folder) / f"{name}-{n}.json")
                rows[name].append(figures(report))
                print(f"run {n + 1}/{args.repeat} {name}: done", flush=True)

    keys = sorted({key for runs in rows.values() for run in runs for key in run})
    medians = {
        name: {key: statistics.median(run.get(key, float("nan")) for run in runs) for key in keys}
        for name, runs in rows.items()
    }
    print(
        f"\n{args.annotators} annotators x {args.minutes:g} min, pool of {args.pool_size} per "
        f"process, medians of {args.repeat} run(s)\n"
    )
    print(f"{'figure':<36} {'baseline':>10} {'pool':>10} {'pool/base':>10}")
    for key in keys:
        base, pool = medians["baseline"][key], medians["pool"][key]
        ratio = f"{pool / base:.2f}" if base else "-"
        print(f"{key:<36} {base:>10.1f} {pool:>10.1f} {ratio:>10}")


if __name__ == "__main__":
    main()
