"""Benchmark: the streaming preference export beside loading every row through the ORM.

Run against PostgreSQL (the database must exist; the script applies migrations to it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/moot_bench_export \\
        MOOT_DATA_DIR=/tmp/moot-bench-export .venv/bin/python bench/export.py \\
        [--sizes 10000,100000,1000000] [--file-types jsonl,parquet] [--repeat N] \\
        [--naive-max-rss-mb 8000] [--skip-naive] [--regenerate] [--tracemalloc] \\
        [--profile] [--json PATH]

Sizes count annotations. Each size is a project of its own (``bench-export-<size>``) with one
pairwise question (tie allowed, three strength levels) and ``size / 5`` items, each with two
candidates (a 200-600 character prompt, 300-1500 character completions, named models) and five
submitted, pending-review answers from a pool of 20 annotators. The rows are written with COPY
in one transaction and kept: a later run finds a complete project of the size and reuses it
(``--regenerate`` writes it again).

For each size and file type (JSONL, Parquet), each run is a fresh process (this script in a
worker mode), timed from the export's start to the closed file, Django's start-up excluded:

* ``ours``: ``plan`` then ``export_write`` (``annotator.exports``), a chunk of items at a time;
* ``naive``: ``list(Item.objects.filter(project=p).prefetch_related("candidates",
  "annotations"))``, then the same preference rows (majority of the votes, ties dropped, the
  same columns and lineage), then every row serialised at once (JSON lines; Parquet through
  ``pyarrow.Table.from_pylist``). Its JSONL file is checked byte for byte against ours (the
  content hash). The parent watches its resident memory and stops it past
  ``--naive-max-rss-mb``; a size whose projected peak (from the previous size) is over that is
  skipped, and the table says so.

Figures: rows/s is the median of ``--repeat`` runs (by default 3 at every size but the largest,
1 at the largest to keep the run bounded). Peak memory is the exporting process's own peak
resident set (``ru_maxrss``; ``VmHWM`` agrees, the parent stays small so nothing is inherited),
the largest over the runs, beside the same process's resident set once Django, pyarrow and the
database connection are up (``idle``). Targets: ours peaks under 300 MB at every size, at
least 5x the naive rows/s, and the same peak at every size (flat: within 10% of the smallest).

``--tracemalloc`` adds one traced run of ours per size and file type (Python-heap peak, and the
allocation sites at the highest chunk boundary). ``--profile`` runs ours once per size and file
type under cProfile instead of the comparison and prints the top functions.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")

ANNOTATORS_PER_ITEM = 5
ANNOTATOR_POOL = 20
PEAK_TARGET_MB = 300.0
RATIO_TARGET = 5.0
FLAT_TOLERANCE = 0.10
QUESTION = {
    "id": "pref",
    "kind": "pairwise",
    "tie": True,
    "strength": ["slightly", "clearly", "much"],
}
OPTIONS = {"format": "preference"}
MODELS = [
    "gpt-4o-2024-08-06",
    "claude-3-5-sonnet-20241022",
    "llama-3.1-70b-instruct",
    "mistral-large-2407",
    "qwen2.5-72b-instruct",
    "gemma-2-27b-it",
]
WORDS_TEXT = (
    "the a an of to in and or but for with on at by from about into over after before under "
    "model answer question data result value method system user people time year way day "
    "because however therefore although while since unless whether which that this these "
    "explain describe compare consider evaluate summarise improve reduce increase measure "
    "function variable memory process network protocol database index query cache latency "
    "energy climate river mountain history economy policy market language grammar poem story "
    "café naïve résumé coöperate façade — “quoted” 3.14 42 1,000 e.g. i.e. (see below) "
    "first second third finally moreover instance example evidence source claim argument "
    "clearly probably rarely often usually never always quickly carefully roughly exactly"
)
WORDS = WORDS_TEXT.split()


# ---- measurement helpers (no Django) ----------------------------------------------------


def proc_status_mb(field: str, pid: int | str = "self") -> float | None:
    """A memory field of /proc/<pid>/status (``VmRSS``, ``VmHWM``) in MB, if readable."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def maxrss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def project_name(size: int) -> str:
    return f"bench-export-{size}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---- workers (one process each) -----------------------------------------------------------


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the module docstring).")
    import django  # noqa: PLC0415

    django.setup()


def worker_generate(size: int, regenerate: bool) -> dict[str, Any]:
    """The project of ``size`` annotations: found complete, or written anew with COPY."""
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import connection, transaction  # noqa: PLC0415

    from annotator.models import Annotation, Item, Project  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    items = size // ANNOTATORS_PER_ITEM
    started = time.perf_counter()
    existing = Project.objects.filter(name=project_name(size)).first()
    reused = (
        existing is not None
        and not regenerate
        and Item.objects.filter(project=existing).count() == items
        and Annotation.objects.filter(project=existing).count() == size
    )
    if not reused:
        with transaction.atomic():
            if existing is not None:
                drop_project(existing.pk)
            generate(size)
        with connection.cursor() as cursor:
            for table in ("item", "candidate", "annotation", "membership", "project"):
                cursor.execute(f"ANALYZE annotator_{table}")
    project = Project.objects.get(name=project_name(size))
    # Read every row once so that no export pays for a cold cache.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), sum(length(i.prompt::text)) FROM annotator_item i "
            "WHERE i.project_id = %s",
            [project.pk],
        )
        cursor.execute(
            "SELECT count(*), sum(length(c.text)) FROM annotator_candidate c "
            "JOIN annotator_item i ON i.id = c.item_id WHERE i.project_id = %s",
            [project.pk],
        )
        cursor.execute(
            "SELECT count(*), sum(length(a.answers::text)) FROM annotator_annotation a "
            "WHERE a.project_id = %s",
            [project.pk],
        )
    return {
        "project": project.pk,
        "items": items,
        "annotations": size,
        "reused": reused,
        "seconds": round(time.perf_counter() - started, 1),
    }


def drop_project(project_id: int) -> None:
    """Delete a project with plain SQL (the ORM's cascade would load every row first)."""
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        for statement in (
            "DELETE FROM annotator_annotation WHERE project_id = %s",
            "DELETE FROM annotator_candidate WHERE item_id IN "
            "(SELECT id FROM annotator_item WHERE project_id = %s)",
            "DELETE FROM annotator_item WHERE project_id = %s",
            "DELETE FROM annotator_membership WHERE project_id = %s",
            "DELETE FROM annotator_project WHERE id = %s",
        ):
            cursor.execute(statement, [project_id])


def generate(size: int) -> None:
    """Items, candidates and answers of one project, written with COPY."""
    import numpy as np  # noqa: PLC0415
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from annotator.models import Membership, Project, Role  # noqa: PLC0415
    from annotator.questions import validate_questions  # noqa: PLC0415

    items = size // ANNOTATORS_PER_ITEM
    rng = np.random.default_rng(size)
    pool = " ".join(rng.choice(WORDS, size=400_000))
    owner, _ = User.objects.get_or_create(username="bench-export-owner")
    people = [
        User.objects.get_or_create(username=f"bench-export-{n}")[0].pk
        for n in range(ANNOTATOR_POOL)
    ]
    project = Project.objects.create(
        name=project_name(size),
        questions=validate_questions([QUESTION]),
        overlap=ANNOTATORS_PER_ITEM,
        created_by=owner,
    )
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    Membership.objects.bulk_create(
        Membership(project=project, user_id=pk, role=Role.ANNOTATOR) for pk in people
    )

    def text(low: int, high: int) -> str:
        length = int(rng.integers(low, high + 1))
        start = pool.index(" ", int(rng.integers(0, len(pool) - length - 100))) + 1
        return pool[start : pool.rindex(" ", start, start + length + 1)]

    # Per item: the better candidate (0, 1, or 2 for a tie), and its two models.
    truth = rng.choice(3, size=items, p=[0.45, 0.45, 0.10])
    model_of = rng.integers(0, len(MODELS), size=(items, 2))
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY annotator_item (project_id, external_id, prompt, meta, rubric, priority, "
            "shuffle, annotation_count, extra_overlap, done, created_at, updated_at) FROM STDIN"
        ) as copy:
            for n in range(items):
                prompt = f"Question {n}: {text(200, 600)}?"
                meta = json.dumps({"source": "bench", "topic": WORDS[n % len(WORDS)]})
                copy.write_row(
                    (project.pk, f"item-{n:07d}", json.dumps(prompt), meta, "[]", 0,
                     float(rng.random()), ANNOTATORS_PER_ITEM, 0, True, "now", "now")
                )  # fmt: skip
        cursor.execute(
            "SELECT id, external_id FROM annotator_item WHERE project_id = %s", [project.pk]
        )
        ids = [0] * items
        for pk, external_id in cursor.fetchall():
            ids[int(external_id.removeprefix("item-"))] = pk
        with raw.cursor().copy(
            "COPY annotator_candidate (item_id, key, text, model_name, meta, position) FROM STDIN"
        ) as copy:
            for n, item in enumerate(ids):
                for position, key in enumerate("ab"):
                    copy.write_row(
                        (item, key, text(300, 1500), MODELS[model_of[n, position]],
                         json.dumps({"temperature": 0.7}), position)
                    )  # fmt: skip
        agrees = rng.random((items, ANNOTATORS_PER_ITEM)) < 0.8
        other = rng.integers(0, 3, size=(items, ANNOTATORS_PER_ITEM))
        strength = rng.integers(0, 3, size=(items, ANNOTATORS_PER_ITEM))
        flipped = rng.random((items, ANNOTATORS_PER_ITEM)) < 0.5
        spent = rng.integers(5_000, 120_000, size=(items, ANNOTATORS_PER_ITEM))
        with raw.cursor().copy(
            "COPY annotator_annotation (project_id, item_id, annotator_id, status, answers, "
            "display_order, time_spent_ms, version, review_status, is_gold, is_reference, "
            "created_at, updated_at) FROM STDIN"
        ) as copy:
            for n, item in enumerate(ids):
                for a in range(ANNOTATORS_PER_ITEM):
                    said = int(truth[n] if agrees[n, a] else other[n, a])
                    pref: dict[str, Any] = {"winner": ("a", "b", "tie")[said]}
                    if said != 2:
                        pref["strength"] = int(strength[n, a])
                    order = ["b", "a"] if flipped[n, a] else ["a", "b"]
                    annotator = people[(n + 4 * a) % ANNOTATOR_POOL]
                    copy.write_row(
                        (project.pk, item, annotator, "submitted", json.dumps({"pref": pref}),
                         json.dumps(order), int(spent[n, a]), 1, "pending", False, False,
                         "now", "now")
                    )  # fmt: skip


def worker_ours(size: int, file_type: str, out: Path, mode: str) -> dict[str, Any]:
    """One export through ``annotator.exports``; ``mode`` is ``time``, ``trace`` or
    ``profile``."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415
    import tracemalloc  # noqa: PLC0415

    from annotator.exports.build import export_write, plan  # noqa: PLC0415
    from annotator.exports.options import ExportOptions  # noqa: PLC0415
    from annotator.models import Project  # noqa: PLC0415

    project = Project.objects.get(name=project_name(size))
    options = ExportOptions.parse(OPTIONS | {"file_type": file_type})
    ready_rss = ready(file_type, converts_python_values=False)
    result: dict[str, Any] = {}
    profiler = cProfile.Profile() if mode == "profile" else None
    progress = None
    if mode == "trace":
        tracemalloc.start(10)
        highest: dict[str, Any] = {"current": 0}

        def progress_traced(_: int) -> None:
            current = tracemalloc.get_traced_memory()[0]
            if current > highest["current"]:
                highest["current"] = current
                highest["snapshot"] = tracemalloc.take_snapshot()

        progress = progress_traced
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    built = plan(project, options)
    written = export_write(built, out, progress=progress)
    if profiler is not None:
        profiler.disable()
    seconds = time.perf_counter() - started
    if mode == "trace":
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["tracemalloc_peak_mb"] = round(peak / 2**20, 1)
        result["chunk_boundary_mb"] = round(highest["current"] / 2**20, 1)
        if "snapshot" in highest:
            top = highest["snapshot"].statistics("lineno")[:12]
            result["top_allocations"] = [
                f"{stat.size / 2**20:7.2f} MB {stat.count:8d} blocks  {stat.traceback[0]}"
                for stat in top
            ]
    if profiler is not None:
        for order in ("tottime", "cumulative"):
            log(f"--- cProfile, {size} annotations, {file_type}, by {order} ---")
            pstats.Stats(profiler, stream=sys.stderr).sort_stats(order).print_stats(30)
    return result | {
        "rows": written.counts.rows,
        "items": written.counts.items,
        "seconds": seconds,
        "sha256": written.content_sha256,
        "bytes": out.stat().st_size,
        "ready_rss_mb": ready_rss,
    }


def worker_naive(size: int, file_type: str, out: Path) -> dict[str, Any]:
    """Every item, candidate and annotation as model instances, then every row, then the file."""
    import hashlib  # noqa: PLC0415

    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    from annotator.exports.build import plan  # noqa: PLC0415
    from annotator.exports.options import ExportOptions  # noqa: PLC0415
    from annotator.exports.source import pseudonym  # noqa: PLC0415
    from annotator.models import Item, Project  # noqa: PLC0415

    project = Project.objects.get(name=project_name(size))
    options = ExportOptions.parse(OPTIONS | {"file_type": file_type})
    ready_rss = ready(file_type, converts_python_values=True)
    started = time.perf_counter()
    schema = plan(project, options).schema
    qid = project.questions[0]["id"]
    items = list(Item.objects.filter(project=project).prefetch_related("candidates", "annotations"))
    rows: list[dict[str, Any]] = []
    for item in items:
        first, second = sorted(item.candidates.all(), key=lambda c: c.position)[:2]
        votes = []
        for annotation in item.annotations.all():
            if annotation.status != "submitted" or annotation.review_status == "rejected":
                continue
            value = annotation.answers.get(qid)
            if not isinstance(value, dict):
                continue
            if {first.key, second.key} != set(annotation.display_order):
                continue
            winner = value.get("winner")
            outcome = "tie" if winner == "tie" else "first" if winner == first.key else "second"
            votes.append((annotation, outcome))
        if not votes:
            continue
        (top, top_count), *rest = [*Counter(o for _, o in votes).most_common(), ("", 0)]
        if top_count <= rest[0][1] or top == "tie":
            continue
        chosen, rejected = (first, second) if top == "first" else (second, first)
        labels = [annotation for annotation, _ in votes]
        rows.append(
            {
                "prompt": item.prompt,
                "chosen": chosen.text,
                "rejected": rejected.text,
                "chosen_id": chosen.key,
                "rejected_id": rejected.key,
                "chosen_model": chosen.model_name,
                "rejected_model": rejected.model_name,
                "item_id": item.external_id,
                "question": qid,
                "source": "human",
                "annotators": list(
                    dict.fromkeys(str(pseudonym(project.pk, a.annotator_id)) for a in labels)
                ),
                "votes": len(labels),
                "agreement": round(top_count / len(votes), 6),
                "judge": None,
                "chosen_shown_at": [a.display_order.index(chosen.key) for a in labels],
            }
        )
    if file_type == "jsonl":
        with out.open("wb") as fh:
            fh.write(
                "".join(
                    json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
                    for row in rows
                ).encode()
            )
    else:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), out, compression="zstd")
    seconds = time.perf_counter() - started
    digest = hashlib.sha256()
    with out.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return {
        "rows": len(rows),
        "items": len(items),
        "seconds": seconds,
        "sha256": digest.hexdigest() if file_type == "jsonl" else None,
        "bytes": out.stat().st_size,
        "ready_rss_mb": ready_rss,
    }


def ready(file_type: str, *, converts_python_values: bool) -> float:
    """The resident set once the process is ready to export (MB).

    pyarrow imports pandas the first time it converts Python values (about 45 MB and most of a
    second, once per process). The baseline's Parquet does (``Table.from_pylist``): that import
    is done here, before its clock starts. Ours builds Parquet from JSON lines and never
    imports pandas, so nothing is preloaded for it.
    """
    if file_type != "jsonl" and converts_python_values:
        import pyarrow as pa  # noqa: PLC0415

        pa.array([0])
    return proc_status_mb("VmRSS") or 0.0


def worker(args: argparse.Namespace) -> None:
    setup_django()
    setup_rss = proc_status_mb("VmRSS")
    if args.worker == "generate":
        result = worker_generate(args.size, args.regenerate)
    elif args.worker == "naive":
        result = worker_naive(args.size, args.file_type, Path(args.out))
    else:
        result = worker_ours(args.size, args.file_type, Path(args.out), args.worker_mode)
    result["setup_rss_mb"] = setup_rss
    result["peak_rss_mb"] = maxrss_mb()
    result["hwm_mb"] = proc_status_mb("VmHWM")
    print(json.dumps(result), flush=True)


# ---- the parent: runs the workers, watches them, prints the table -----------------------


def spawn(arguments: list[str], max_rss_mb: float | None = None) -> dict[str, Any]:
    """Run this script as a worker; watch its memory; its last line of output, parsed.

    Past ``max_rss_mb`` the worker is killed and ``{"killed": <MB seen>}`` returned.
    """
    command = [sys.executable, str(Path(__file__).resolve()), *arguments]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    sampled = 0.0
    while process.poll() is None:
        rss = proc_status_mb("VmRSS", process.pid) or 0.0
        sampled = max(sampled, rss)
        if max_rss_mb is not None and rss > max_rss_mb:
            process.kill()
            process.wait()
            return {"killed": round(rss)}
        time.sleep(0.1)
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        sys.exit(f"worker {arguments} failed with exit status {process.returncode}")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["sampled_rss_mb"] = sampled
    return result


def export_run(
    impl: str, size: int, file_type: str, tmp: Path, max_rss_mb: float | None, *, mode: str = "time"
) -> dict[str, Any]:
    out = tmp / f"{impl}-{size}.{file_type}"
    try:
        return spawn(
            [
                *("--worker", impl, "--worker-mode", mode, "--size", str(size)),
                *("--file-type", file_type, "--out", str(out)),
            ],
            max_rss_mb,
        )
    finally:
        out.unlink(missing_ok=True)


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "runs": len(runs),
        "rows": runs[0]["rows"],
        "seconds_median": round(seconds, 2),
        "seconds_all": [round(r["seconds"], 2) for r in runs],
        "rows_per_s": round(runs[0]["rows"] / seconds),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
        "peak_hwm_mb": round(max(r["hwm_mb"] or 0 for r in runs), 1),
        "sampled_rss_mb": round(max(r["sampled_rss_mb"] for r in runs), 1),
        "ready_rss_mb": round(statistics.median(r["ready_rss_mb"] for r in runs), 1),
        "setup_rss_mb": round(statistics.median(r["setup_rss_mb"] for r in runs), 1),
        "file_mb": round(runs[0]["bytes"] / 2**20, 1),
        "sha256": sorted({r["sha256"] for r in runs if r["sha256"]}),
    }


def compare(args: argparse.Namespace, sizes: list[int], file_types: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {"sizes": {}}
    # The baseline's peak from the last size: (resident when ready, MB per annotation above it).
    naive_growth: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        tmp = Path(folder)
        for size in sizes:
            repeat = args.repeat or (1 if size == max(sizes) and len(sizes) > 1 else 3)
            by_type: dict[str, Any] = {}
            results["sizes"][size] = {"repeat": repeat, "file_types": by_type}
            for file_type in file_types:
                ours: list[dict[str, Any]] = []
                naive: list[dict[str, Any]] = []
                entry: dict[str, Any] = {}
                ready_mb, per_annotation = naive_growth.get(file_type, (0.0, 0.0))
                projected = ready_mb + per_annotation * size
                skip_reason = None
                if args.skip_naive:
                    skip_reason = "--skip-naive"
                elif projected > args.naive_max_rss_mb:
                    skip_reason = (
                        f"projected peak {projected:.0f} MB > {args.naive_max_rss_mb:.0f} MB"
                    )
                for run in range(repeat):
                    ours.append(export_run("ours", size, file_type, tmp, None))
                    log(
                        f"{size:>8} {file_type:8} ours  run {run + 1}: "
                        f"{ours[-1]['seconds']:.2f} s, {ours[-1]['peak_rss_mb']:.0f} MB"
                    )
                    if skip_reason is None:
                        found = export_run("naive", size, file_type, tmp, args.naive_max_rss_mb)
                        if "killed" in found:
                            skip_reason = (
                                f"stopped at {found['killed']} MB resident "
                                f"(> {args.naive_max_rss_mb:.0f} MB)"
                            )
                            continue
                        naive.append(found)
                        log(
                            f"{size:>8} {file_type:8} naive run {run + 1}: "
                            f"{found['seconds']:.2f} s, {found['peak_rss_mb']:.0f} MB"
                        )
                entry["ours"] = summary(ours)
                if naive and skip_reason is None:
                    entry["naive"] = summary(naive)
                    entry["ratio"] = round(
                        entry["ours"]["rows_per_s"] / entry["naive"]["rows_per_s"], 2
                    )
                    ready_mb = entry["naive"]["ready_rss_mb"]
                    naive_growth[file_type] = (
                        ready_mb,
                        (entry["naive"]["peak_rss_mb"] - ready_mb) / size,
                    )
                    entry["naive_rows_match"] = entry["naive"]["rows"] == entry["ours"]["rows"]
                    if file_type == "jsonl":
                        entry["naive_bytes_match"] = (
                            entry["naive"]["sha256"] == entry["ours"]["sha256"]
                        )
                else:
                    entry["naive_skipped"] = skip_reason
                if args.tracemalloc:
                    entry["ours_traced"] = export_run(
                        "ours", size, file_type, tmp, None, mode="trace"
                    )
                by_type[file_type] = entry
    return results


def verdicts(results: dict[str, Any]) -> None:
    """Each size and file type against the targets, then whether the peak stays flat."""
    for sizes in results["sizes"].values():
        for entry in sizes["file_types"].values():
            memory_ok = entry["ours"]["peak_rss_mb"] < PEAK_TARGET_MB
            ratio_ok = entry.get("ratio") is None or entry["ratio"] >= RATIO_TARGET
            entry["pass"] = memory_ok and ratio_ok
            entry["ratio_checked"] = entry.get("ratio") is not None
    results["flat"] = {}
    first = next(iter(results["sizes"].values()))["file_types"]
    for file_type in first:
        peaks = [
            s["file_types"][file_type]["ours"]["peak_rss_mb"] for s in results["sizes"].values()
        ]
        spread = max(peaks) - min(peaks)
        results["flat"][file_type] = {
            "peaks_mb": peaks,
            "spread_mb": round(spread, 1),
            "flat": spread <= FLAT_TOLERANCE * min(peaks),
        }


def print_table(results: dict[str, Any]) -> None:
    header = (
        f"{'annotations':>11} {'file':7} {'rows':>7} {'rep':>3} {'ours rows/s':>11} "
        f"{'naive rows/s':>12} {'ratio':>6} {'ours peak MB':>12} {'setup':>6} {'ready':>6} "
        f"{'naive peak MB':>13}  verdict"
    )
    print(header)
    print("-" * len(header))
    for size, sizes in results["sizes"].items():
        for file_type, entry in sizes["file_types"].items():
            ours, naive = entry["ours"], entry.get("naive")
            ratio = f"{entry['ratio']:.1f}x" if naive else "n/a"
            naive_rate = f"{naive['rows_per_s']:,}" if naive else "skipped"
            naive_peak = f"{naive['peak_rss_mb']:.0f}" if naive else "skipped"
            verdict = "PASS" if entry["pass"] else "FAIL"
            if not entry["ratio_checked"]:
                verdict += " (memory only)"
            print(
                f"{size:>11,} {file_type:7} {ours['rows']:>7} {sizes['repeat']:>3} "
                f"{ours['rows_per_s']:>11,} "
                f"{naive_rate:>12} "
                f"{ratio:>6} {ours['peak_rss_mb']:>12.0f} {ours['setup_rss_mb']:>6.0f} "
                f"{ours['ready_rss_mb']:>6.0f} "
                f"{naive_peak:>13}  {verdict}"
            )
    print()
    print(
        f"Targets: ours peak RSS < {PEAK_TARGET_MB:.0f} MB, ours/naive rows/s >= "
        f"{RATIO_TARGET:.0f}x. rows/s: median of 'rep' runs (3 by default, 1 at the largest "
        "size); peak: largest ru_maxrss of the runs; setup: RSS right after django.setup(); "
        "ready: RSS when the export starts (export modules imported, database connected; "
        "for the naive Parquet, pyarrow's pandas import done)."
    )
    for size, sizes in results["sizes"].items():
        for file_type, entry in sizes["file_types"].items():
            ours = entry["ours"]
            hashes = ours["sha256"]
            same = "identical in every run" if len(hashes) == 1 else f"{len(hashes)} DIFFERENT"
            line = (
                f"{size:>11,} {file_type:7} ours sha256 {hashes[0][:16]}… ({same}); "
                f"seconds {ours['seconds_all']}, {ours['file_mb']} MB file"
            )
            if "naive_skipped" in entry:
                line += f"; naive skipped: {entry['naive_skipped']}"
            else:
                line += f"; naive seconds {entry['naive']['seconds_all']}"
                if "naive_bytes_match" in entry:
                    same_bytes = "yes" if entry["naive_bytes_match"] else "NO"
                    line += f"; naive JSONL byte-identical to ours: {same_bytes}"
                elif not entry["naive_rows_match"]:
                    line += "; naive row count DIFFERS"
            print(line)
            traced = entry.get("ours_traced")
            if traced:
                print(
                    f"{'':>11} {'':7} tracemalloc peak {traced['tracemalloc_peak_mb']} MB "
                    f"(highest at a chunk boundary {traced['chunk_boundary_mb']} MB)"
                )
                for allocation in traced.get("top_allocations", []):
                    print(f"{'':>19} {allocation}")
    for file_type, flat in results["flat"].items():
        print(
            f"Flat memory ({file_type}): peaks {flat['peaks_mb']} MB across sizes, spread "
            f"{flat['spread_mb']} MB: {'PASS' if flat['flat'] else 'FAIL'} "
            f"(within {FLAT_TOLERANCE:.0%} of the smallest)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="annotations, comma-separated"
    )
    parser.add_argument("--file-types", default="jsonl,parquet")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--naive-max-rss-mb", type=float, default=8000)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--worker", choices=["generate", "ours", "naive"], help=argparse.SUPPRESS)
    parser.add_argument("--worker-mode", default="time", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--file-type", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the module docstring).")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if any(s % ANNOTATORS_PER_ITEM or s <= 0 for s in sizes):
        sys.exit(f"Sizes count annotations: positive multiples of {ANNOTATORS_PER_ITEM}.")
    file_types = args.file_types.split(",")
    for size in sizes:
        data = spawn(
            ["--worker", "generate", "--size", str(size)] + ["--regenerate"] * args.regenerate
        )
        log(
            f"{size:>8} annotations: project {data['project']}, {data['items']} items, "
            f"{'reused' if data['reused'] else 'generated'} in {data['seconds']} s"
        )
    if args.profile:
        with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
            for size in sizes:
                for file_type in file_types:
                    found = export_run("ours", size, file_type, Path(folder), None, mode="profile")
                    log(f"{size} {file_type}: {found['rows']} rows in {found['seconds']:.2f} s")
        return
    load_before = os.getloadavg()[0]
    results = compare(args, sizes, file_types)
    results["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    verdicts(results)
    print_table(results)
    print(
        f"Load average (1 min) at the start and end: {results['load_average']} on "
        f"{os.cpu_count()} CPUs."
    )
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
