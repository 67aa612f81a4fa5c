"""Benchmark: `next` + submit under concurrent annotators, beside a naive locking baseline.

Run against PostgreSQL (the database must exist; the script applies migrations to it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/moot_bench \\
    REDIS_URL=redis://127.0.0.1:6379/12 MOOT_DATA_DIR=/tmp/moot-bench \\
        .venv/bin/python bench/next_task.py [--items 1000,100000,1000000] [--annotators 16] \\
        [--rounds 60] [--think-ms 0,100]

(Redis carries the live events a submit sends, as in production.)

For each project size it creates a project of that many two-candidate items (overlap 3,
sequential order: every annotator wants the same first items, the worst case for contention) and
runs two strategies, one after the other, on the same data:

* ``skip_locked``: Moot's ``assignment_next`` (walks a partial index over open items with
  ``FOR UPDATE SKIP LOCKED``, re-counts slots under the row lock);
* ``naive``: "take the first open item I have not labeled, then lock it" — the same query
  without SKIP LOCKED and without the open-items index condition, so concurrent annotators
  queue on the same row and the scan grows with the labeled prefix.

``--annotators`` processes (each with its own database connection) call next then submit
``--rounds`` times, under each load of ``--think-ms``: the mean of an exponential pause before
each `next`. With 0 the annotators run back to back, so 16 processes plus PostgreSQL share the
machine's cores and latency is mostly time spent waiting for a CPU; 100 ms (still far faster
than people read) keeps the machine busy but not saturated, so latency shows the locking
itself. Between runs all assignments and annotations are deleted and the item counters reset.
It prints one JSON object: per size, load and strategy, p50/p95/p99 latency in milliseconds of
`next` and of submit, and submissions per second. Latencies are measured at the service layer
(the database work and the live event a submit sends), without HTTP. Everything it created is
deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (see the module docstring).")

import django  # noqa: E402

django.setup()

from channels.layers import get_channel_layer  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Exists, OuterRef, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from annotator import events  # noqa: E402
from annotator.items import NativeItem  # noqa: E402
from annotator.models import (  # noqa: E402
    Annotation,
    Assignment,
    AssignmentStatus,
    Item,
    Membership,
    Project,
    Role,
)
from annotator.services.distribution import (  # noqa: E402
    _display_order,
    _slots_taken,
    assignment_next,
    assignment_submit,
)
from annotator.services.items import items_add_native  # noqa: E402
from annotator.services.projects import project_create  # noqa: E402

QUESTIONS = [{"id": "pref", "kind": "pairwise"}]
BATCH = 5000


def naive_next(*, project: Project, user: User) -> Assignment | None:
    """The baseline: first open item this person has not labeled, locked with a plain FOR UPDATE."""
    now = timezone.now()
    with transaction.atomic():
        held = Assignment.objects.filter(
            project=project, annotator=user, status=AssignmentStatus.ACTIVE, expires_at__gt=now
        ).first()
        if held is not None:
            return held
        queue = (
            Item.objects.filter(project=project, annotation_count__lt=project.overlap)
            .filter(~Exists(Annotation.objects.filter(item=OuterRef("pk"), annotator=user)))
            .filter(
                ~Exists(
                    Assignment.objects.filter(
                        item=OuterRef("pk"),
                        annotator=user,
                        status=AssignmentStatus.ACTIVE,
                        expires_at__gt=now,
                    )
                )
            )
            .order_by("id")
        )
        passed: list[int] = []
        while True:
            item = queue.exclude(pk__in=passed).select_for_update(of=("self",)).first()
            if item is None:
                return None
            if _slots_taken(item, now) < project.overlap:
                return Assignment.objects.create(
                    project=project,
                    item=item,
                    annotator=user,
                    display_order=_display_order(project, item.pk, random.Random()),  # noqa: S311
                    expires_at=now + timedelta(seconds=project.lock_timeout_s),
                )
            passed.append(item.pk)


STRATEGIES: dict[str, Callable[..., Assignment | None]] = {
    "naive": naive_next,
    "skip_locked": assignment_next,
}


def build_project(size: int, owner: User) -> Project:
    project = project_create(
        user=owner, fields={"name": f"bench-next-{size}", "questions": QUESTIONS, "overlap": 3}
    )
    for start in range(0, size, BATCH):
        items_add_native(
            project=project,
            items=[
                NativeItem.model_validate(
                    {
                        "external_id": f"b{i}",
                        "prompt": f"Question {i}?",
                        "candidates": [
                            {"id": "a", "text": f"first answer {i}"},
                            {"id": "b", "text": f"second answer {i}"},
                        ],
                    }
                )
                for i in range(start, min(size, start + BATCH))
            ],
        )
    return project


def reset(project: Project) -> None:
    Annotation.objects.filter(project=project).delete()
    Assignment.objects.filter(project=project).delete()
    # Only the rows a run touched, so the reset itself leaves few dead rows behind.
    Item.objects.filter(project=project).filter(Q(annotation_count__gt=0) | Q(done=True)).update(
        annotation_count=0, done=False
    )
    with connection.cursor() as cursor:
        # Each reset rewrites every item row: vacuum so runs start from the same clean tables
        # (dead index entries from the previous run would slow the queue walk).
        for table in ("annotator_item", "annotator_assignment", "annotator_annotation"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


def _warm_up_events() -> None:
    """Open this process's channel-layer connection, as a running server already has.

    Without it the first submit in each process pays for starting the publisher thread and
    connecting to Redis (about 0.5 s), which alone is the p99 of 16 short runs.
    """
    layer = get_channel_layer()
    if layer is not None and not settings.EMBEDDED:
        warm = layer.group_send("bench-warm-up", {"type": "bench.warm_up"})
        asyncio.run_coroutine_threadsafe(warm, events._publisher.loop()).result(timeout=5)


def _annotator(job: tuple[int, int, int, str, float]) -> tuple[list[float], list[float], int]:
    """One annotator in its own process (no shared GIL): next then submit, ``rounds`` times."""
    project_id, user_id, rounds, strategy, think_ms = job
    connection.close()  # never reuse the parent's connection after fork
    pause = random.Random(user_id)  # noqa: S311  # timing jitter, not security
    _warm_up_events()
    take = STRATEGIES[strategy]
    project = Project.objects.get(pk=project_id)
    user = User.objects.get(pk=user_id)
    next_ms: list[float] = []
    submit_ms: list[float] = []
    done = 0
    for _ in range(rounds):
        if think_ms:
            # Reading and answering: exponential pauses, so arrivals are bursty, not in step.
            time.sleep(pause.expovariate(1 / think_ms) / 1000)
        started = time.perf_counter()
        assignment = take(project=project, user=user)
        next_ms.append((time.perf_counter() - started) * 1000)
        if assignment is None:
            break
        started = time.perf_counter()
        assignment_submit(
            assignment=assignment,
            user=user,
            answers={"pref": {"winner": assignment.display_order[0]}},
            time_spent_ms=1,
        )
        submit_ms.append((time.perf_counter() - started) * 1000)
        done += 1
    connection.close()
    return next_ms, submit_ms, done


def run(
    project: Project, people: list[User], rounds: int, strategy: str, think_ms: float
) -> dict[str, Any]:
    connection.close()
    jobs = [(project.pk, user.pk, rounds, strategy, think_ms) for user in people]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(len(people)) as pool:
        outcomes = pool.map(_annotator, jobs)
    elapsed = time.perf_counter() - started
    next_ms = [ms for outcome in outcomes for ms in outcome[0]]
    submit_ms = [ms for outcome in outcomes for ms in outcome[1]]
    submitted = sum(outcome[2] for outcome in outcomes)
    return {
        "next_ms": percentiles(next_ms),
        "submit_ms": percentiles(submit_ms),
        "submissions": submitted,
        "submissions_per_s": round(submitted / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", default="1000,100000", help="comma-separated project sizes")
    parser.add_argument("--annotators", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=60, help="next+submit per annotator")
    parser.add_argument(
        "--think-ms",
        default="0,100",
        help="comma-separated mean pauses before each next (exponential), one run each;"
        " 0 = back to back, which saturates the CPUs",
    )
    args = parser.parse_args()

    for alias in settings.DATABASES:
        call_command("migrate", database=alias, verbosity=0)
    stamp = int(time.time())
    owner = User.objects.create_user(f"bench-owner-{stamp}")
    people = [User.objects.create_user(f"bench-{stamp}-{i}") for i in range(args.annotators)]
    results: dict[str, Any] = {
        "annotators": args.annotators,
        "rounds": args.rounds,
        "think_ms": [float(t) for t in args.think_ms.split(",")],
        "database": connection.vendor,
        "sizes": {},
    }
    try:
        for size in (int(s) for s in args.items.split(",")):
            built = time.perf_counter()
            project = build_project(size, owner)
            Membership.objects.bulk_create(
                Membership(project=project, user=u, role=Role.ANNOTATOR) for u in people
            )
            setup_s = round(time.perf_counter() - built, 1)
            entry: dict[str, Any] = {"setup_s": setup_s}
            for think_ms in results["think_ms"]:
                load: dict[str, Any] = {}
                for name in STRATEGIES:
                    reset(project)
                    load[name] = run(project, people, args.rounds, name, think_ms)
                load["next_p99_ratio_naive_over_skip_locked"] = round(
                    load["naive"]["next_ms"]["p99"] / load["skip_locked"]["next_ms"]["p99"], 2
                )
                entry[f"think_{think_ms:g}ms"] = load
            results["sizes"][str(size)] = entry
            project.delete()
            print(json.dumps({str(size): entry}), file=sys.stderr)
    finally:
        Project.objects.filter(name__startswith="bench-next-", created_by=owner).delete()
        User.objects.filter(pk__in=[owner.pk, *(p.pk for p in people)]).delete()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
