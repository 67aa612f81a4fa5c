"""Benchmark: streaming item import against a read-it-all, row-by-row baseline.

Run against PostgreSQL (the database must exist; the script applies migrations to it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/moot_bench MOOT_DATA_DIR=/tmp/moot-bench \\
        .venv/bin/python bench/import.py [--items 100000] [--baseline-items 5000]

It writes a JSONL file of ``--items`` conversational TRL rows to a temporary folder and:

1. imports it with ``items_import`` (streamed, ``bulk_create`` in batches, one transaction),
   timed without tracing;
2. imports it again into a second project under ``tracemalloc`` to measure peak Python memory;
3. baseline: reads the whole file into a list (``json.loads`` of every line, peak memory
   measured), then inserts the first ``--baseline-items`` rows one by one with
   ``Item.objects.create`` and ``Candidate.objects.create`` in one transaction (timed).

It prints one JSON object: items/second for both, the speedup, peak memory (tracemalloc) for
the streaming import and for the read-it-all baseline, and the process's ru_maxrss after each
phase. Everything it created (its user and projects) is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (see the module docstring).")

import django  # noqa: E402  # settings come from the environment set above

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from annotator.importers import ImportSource  # noqa: E402
from annotator.models import Candidate, Item, Project  # noqa: E402
from annotator.services.imports import ImportResult, items_import  # noqa: E402
from annotator.services.projects import project_create  # noqa: E402

BENCH_USER = "bench-import"
QUESTIONS = [{"id": "pref", "kind": "pairwise"}]


def write_rows(path: Path, count: int) -> None:
    """Conversational TRL rows, about 600 bytes each."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            question = f"Question {i}: explain item {i} in a few sentences, please. " * 2
            row = {
                "id": f"bench-{i}",
                "prompt": [{"role": "user", "content": question}],
                "chosen": [{"role": "assistant", "content": f"A careful answer to {i}. " * 6}],
                "rejected": [{"role": "assistant", "content": f"A sloppy answer to {i}. " * 4}],
            }
            out.write(json.dumps(row) + "\n")


def maxrss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_import(project: Project, path: Path) -> ImportResult:
    with path.open("rb") as fh:
        return items_import(project=project, files=[ImportSource(path.name, fh)])


def measure_streaming(
    user: User, path: Path, count: int, projects: list[Project]
) -> dict[str, Any]:
    """Items/second without tracing, then peak memory of a second, traced import."""
    projects.append(
        project_create(user=user, fields={"name": "bench: streaming", "questions": QUESTIONS})
    )
    started = time.perf_counter()
    outcome = stream_import(projects[-1], path)
    elapsed = time.perf_counter() - started
    assert outcome.created == count, outcome
    rss = maxrss_mb()
    projects.append(
        project_create(user=user, fields={"name": "bench: traced", "questions": QUESTIONS})
    )
    tracemalloc.start()
    stream_import(projects[-1], path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": round(elapsed, 2),
        "items_per_s": round(count / elapsed),
        "tracemalloc_peak_mb": round(peak / 2**20, 1),
        "ru_maxrss_mb": round(rss, 1),
    }


def measure_baseline(user: User, path: Path, count: int, projects: list[Project]) -> dict[str, Any]:
    """The whole file read into a list, then ``count`` rows inserted one ``create`` at a time."""
    tracemalloc.start()
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    project = project_create(user=user, fields={"name": "bench: baseline", "questions": QUESTIONS})
    projects.append(project)
    started = time.perf_counter()
    with transaction.atomic():
        for row in rows[:count]:
            item = Item.objects.create(project=project, external_id=row["id"], prompt=row["prompt"])
            for position, (key, side) in enumerate((("a", "chosen"), ("b", "rejected"))):
                Candidate.objects.create(
                    item=item, key=key, text=row[side][-1]["content"], position=position
                )
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 2),
        "items_per_s": round(count / elapsed),
        "read_all_tracemalloc_peak_mb": round(peak / 2**20, 1),
        "ru_maxrss_mb": round(maxrss_mb(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Streaming import against a baseline.")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--baseline-items", type=int, default=5_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    users = get_user_model()
    user = users.objects.filter(username=BENCH_USER).first() or users.objects.create_user(
        username=BENCH_USER, password=None
    )
    projects: list[Project] = []
    results: dict[str, Any] = {"items": args.items, "baseline_items": args.baseline_items}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench.jsonl"
            write_rows(path, args.items)
            results["file_mb"] = round(path.stat().st_size / 2**20, 1)
            results["streaming"] = measure_streaming(user, path, args.items, projects)
            results["baseline"] = measure_baseline(user, path, args.baseline_items, projects)
            results["speedup"] = round(
                results["streaming"]["items_per_s"] / results["baseline"]["items_per_s"], 1
            )
    finally:
        started = time.perf_counter()
        for project in projects:
            project.delete()
        users.objects.filter(username=BENCH_USER).delete()
        results["cleanup_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
