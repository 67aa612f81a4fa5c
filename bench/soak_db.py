"""The soak test's database side: seed the project, and check the data once the load is over.

Run by ``bench/soak.py`` in a process of its own, with the deployment's environment (the soak
process itself never imports Django)::

    python -m bench.soak_db seed PARAMS.json OUT.json
    python -m bench.soak_db check ACKNOWLEDGED.json OUT.json

``seed`` creates the project (one pairwise question), its items, the annotators and a manager,
each with an API token (and the manager a browser session, for the live feed). ``check``
compares what the clients were told with what the database holds: nothing lost, nothing
duplicated, no item over its overlap, every judge run and export finished.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from annotator.items import NativeItem  # noqa: E402
from annotator.models import (  # noqa: E402
    Annotation,
    AnnotationStatus,
    Export,
    ExportStatus,
    Item,
    Membership,
    Project,
    Role,
)
from annotator.services.items import items_add_native  # noqa: E402
from annotator.services.projects import project_create  # noqa: E402
from bench.soak_load import JUDGED_MODEL  # noqa: E402
from judges.models import JudgeRun, Prediction, RunStatus  # noqa: E402

QUESTIONS = [
    {
        "id": "pref",
        "kind": "pairwise",
        "prompt": "Which answer is more helpful?",
        "tie": True,
        "strength": ["slightly", "clearly", "much"],
    }
]
BATCH = 2000
_WORDS = str.split(
    "the model answer explains why a question about python lists sorting is stable and when "
    "dictionaries keep order because insertion matters for readers who compare two responses"
)


def _text(i: int, n: int) -> str:
    words = [_WORDS[(i * 7 + k * 3) % len(_WORDS)] for k in range(n)]
    return " ".join(words)


def _second_model(i: int) -> str:
    """Every eighth item pits model-a against the model each judge run looks at."""
    return JUDGED_MODEL if i % 8 == 0 else "model-b"


def seed(*, annotators: int, items: int, overlap: int) -> dict[str, Any]:
    """The project, its items and people; their tokens, for the simulated clients."""
    owner = User.objects.create_user("soak-owner")
    manager = User.objects.create_user("soak-manager")
    project = project_create(
        user=owner,
        fields={
            "name": "soak",
            "guidelines": "Pick the more helpful answer.",
            "questions": QUESTIONS,
            "overlap": overlap,
            "assignment": "random",
        },
    )
    for start in range(0, items, BATCH):
        items_add_native(
            project=project,
            items=[
                NativeItem.model_validate(
                    {
                        "external_id": f"soak-{i:06d}",
                        "prompt": f"Question {i}: {_text(i, 12)}?",
                        "candidates": [
                            {"id": "a", "text": _text(i + 1, 30), "model": "model-a"},
                            {"id": "b", "text": _text(i + 2, 30), "model": _second_model(i)},
                        ],
                    }
                )
                for i in range(start, min(items, start + BATCH))
            ],
        )
    people = User.objects.bulk_create(
        [User(username=f"soak-annotator-{i:03d}") for i in range(annotators)]
    )
    Membership.objects.bulk_create(
        [Membership(project=project, user=u, role=Role.ANNOTATOR) for u in people]
        + [Membership(project=project, user=manager, role=Role.MANAGER)]
    )
    browser = Client()
    browser.force_login(manager)
    return {
        "project": project.pk,
        "manager_cookie": browser.cookies[settings.SESSION_COOKIE_NAME].value,
        "items": items,
        "manager_token": AuthToken.objects.create(manager)[1],
        "annotators": {u.username: AuthToken.objects.create(u)[1] for u in people},
    }


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _sample(values: object, limit: int = 5) -> str:
    shown = sorted(values)[:limit] if isinstance(values, set | list) else values
    return str(shown)


def check(*, project: int, acknowledged: dict[str, Any]) -> list[Check]:
    """What the clients were told, against what the database holds."""
    submitted = {(a, int(s), int(n)) for a, s, n in acknowledged["submitted"]}
    skipped = {(a, int(s)) for a, s in acknowledged["skipped"]}
    rows = Annotation.objects.filter(project_id=project)
    stored = {
        (a, int(s), int(n))
        for a, s, n in rows.filter(status=AnnotationStatus.SUBMITTED).values_list(
            "annotator__username", "assignment_id", "id"
        )
    }
    stored_skips = set(
        rows.filter(status=AnnotationStatus.SKIPPED).values_list(
            "annotator__username", "assignment_id"
        )
    )
    lost = submitted - stored
    unheard = stored - submitted
    skips_lost = skipped - stored_skips
    per_pair = (
        rows.values("item_id", "annotator_id").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    per_assignment = rows.values("assignment_id").annotate(n=Count("id")).filter(n__gt=1).count()
    by_item = Counter(
        rows.filter(status=AnnotationStatus.SUBMITTED, is_gold=False).values_list(
            "item_id", flat=True
        )
    )
    overlap = Project.objects.get(pk=project).overlap
    counts = list(
        Item.objects.filter(project_id=project).values_list(
            "pk", "annotation_count", "extra_overlap"
        )
    )
    over = [pk for pk, _, extra in counts if by_item[pk] > overlap + extra]
    miscounted = [pk for pk, count, _ in counts if by_item[pk] != count]
    runs = list(JudgeRun.objects.filter(project_id=project).order_by("id"))
    runs_wanted = set(acknowledged["judge_runs"])
    runs_bad = [
        f"{r.pk}: {r.status} {r.done_items}/{r.total_items} failed {r.failed_items} {r.error}"
        for r in runs
        if r.status != RunStatus.DONE or r.failed_items or r.done_items != r.total_items
    ]
    predictions_failed = Prediction.objects.filter(run__in=runs).exclude(error="").count()
    exports = list(Export.objects.filter(project_id=project).order_by("id"))
    exports_bad = [
        f"{e.pk}: {e.status} {e.error}"
        for e in exports
        if e.status != ExportStatus.DONE or e.rows <= 0
    ]
    return [
        Check(
            "no acknowledged submit lost",
            not lost,
            f"{len(submitted)} acknowledged, {len(lost)} without their row {_sample(lost)}",
        ),
        Check(
            "no submitted row the clients were not told of",
            not unheard,
            f"{len(stored)} stored, {len(unheard)} unacknowledged {_sample(unheard)}",
        ),
        Check(
            "no acknowledged skip lost",
            not skips_lost,
            f"{len(skipped)} acknowledged, {len(skips_lost)} lost {_sample(skips_lost)}",
        ),
        Check(
            "one annotation per (item, annotator)",
            per_pair == 0,
            f"{per_pair} pairs with two or more",
        ),
        Check(
            "one annotation per assignment (retries included)",
            per_assignment == 0,
            f"{per_assignment} assignments with two or more; "
            f"{acknowledged['retried']} submits were retried",
        ),
        Check(
            "no item over its overlap",
            not over,
            f"{len(over)} items over {overlap} {_sample(over)}; most on one item: "
            f"{max(by_item.values(), default=0)}",
        ),
        Check(
            "item counters match their annotations",
            not miscounted,
            f"{len(miscounted)} items miscounted {_sample(miscounted)}",
        ),
        Check(
            "every judge run done, no item failed",
            bool(runs) and not runs_bad and {r.pk for r in runs} == runs_wanted,
            f"{len(runs)} runs, {sum(r.done_items for r in runs)} items judged, "
            f"{predictions_failed} failed predictions; {runs_bad[:3]}",
        ),
        Check(
            "every export done",
            bool(exports) and not exports_bad,
            f"{len(exports)} exports, rows {[e.rows for e in exports]}; {exports_bad[:3]}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["seed", "check"])
    parser.add_argument("given", type=Path, help="JSON: seed parameters, or what clients saw")
    parser.add_argument("out", type=Path, help="JSON written here")
    args = parser.parse_args()
    given = json.loads(args.given.read_text())
    if args.command == "seed":
        out: Any = seed(
            annotators=given["annotators"], items=given["items"], overlap=given["overlap"]
        )
    else:
        out = [asdict(c) for c in check(project=given["project"], acknowledged=given)]
    args.out.write_text(json.dumps(out))


if __name__ == "__main__":
    main()
