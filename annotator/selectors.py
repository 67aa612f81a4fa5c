"""Read-side queries shared by the API."""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import QuerySet

from annotator.models import Annotation, AnnotationStatus, Item, Project, ReviewStatus

logger = logging.getLogger(__name__)


class Progress(TypedDict):
    submitted_by_me: int
    open_items: int


class GoldAccuracy(TypedDict):
    annotator: str
    answered: int
    correct: int
    accuracy: float | None


class ItemFilter(TypedDict, total=False):
    """Item browser filters, also used to pick the items of a judge run."""

    status: str  # "open" | "done"
    gold: bool
    min_annotations: int
    max_annotations: int
    model: str  # a candidate's source model
    external_id: str


def items_filtered(*, project: Project, filters: ItemFilter) -> QuerySet[Item]:
    """The project's items that match every given filter (unchecked values raise ValueError)."""
    items = Item.objects.filter(project=project)
    status = filters.get("status")
    if status is not None:
        if status not in {"open", "done"}:
            raise ValueError("status: use open or done.")
        items = items.filter(done=status == "done")
    if filters.get("gold") is not None:
        items = items.filter(gold__isnull=not filters["gold"])
    if filters.get("min_annotations") is not None:
        items = items.filter(annotation_count__gte=filters["min_annotations"])
    if filters.get("max_annotations") is not None:
        items = items.filter(annotation_count__lte=filters["max_annotations"])
    if filters.get("model"):
        items = items.filter(candidates__model_name=filters["model"]).distinct()
    if filters.get("external_id"):
        items = items.filter(external_id=filters["external_id"])
    return items


# Counting open items scans an index of every open item; on a big project that would dominate
# `next`, so the figure is cached for a few seconds (shared by every web process with services)
# instead of exact per request.
OPEN_ITEMS_TTL_S = 5


def progress_for(*, project: Project, user: User) -> Progress:
    """How much the caller has labeled, and (within a few seconds) how many items are open."""

    def count() -> int:
        return Item.objects.filter(project=project, done=False, gold__isnull=True).count()

    try:
        open_items = cache.get_or_set(f"moot:open-items:{project.pk}", count, OPEN_ITEMS_TTL_S)
    except Exception:  # the shared cache is down: labeling goes on, counting each time
        logger.warning("cache unavailable; counting open items directly", exc_info=True)
        open_items = count()
    return {
        "submitted_by_me": Annotation.objects.filter(
            project=project, annotator=user, status=AnnotationStatus.SUBMITTED, is_gold=False
        ).count(),
        "open_items": int(open_items or 0),
    }


def gold_matches(gold: dict[str, Any], answers: dict[str, Any]) -> bool:
    """True when every field the gold answer gives is answered the same way.

    A gold answer may give only part of a value (e.g. ``{"pref": {"winner": "a"}}`` ignores
    strength), so the comparison is over the fields the gold answer names.
    """
    for question_id, expected in gold.items():
        given = answers.get(question_id)
        if isinstance(expected, dict):
            if not isinstance(given, dict):
                return False
            if any(given.get(field) != value for field, value in expected.items()):
                return False
        elif given != expected:
            return False
    return True


def gold_accuracy(*, project: Project, annotator: User | None = None) -> list[GoldAccuracy]:
    """Each annotator's accuracy on the gold items they answered."""
    rows: QuerySet[Annotation] = (
        Annotation.objects.filter(project=project, is_gold=True, status=AnnotationStatus.SUBMITTED)
        .exclude(review_status=ReviewStatus.REJECTED)
        .select_related("item", "annotator")
        .order_by("annotator__username", "id")
    )
    if annotator is not None:
        rows = rows.filter(annotator=annotator)
    tally: dict[str, list[int]] = {}
    for row in rows:
        counts = tally.setdefault(row.annotator.username, [0, 0])
        counts[0] += 1
        counts[1] += int(gold_matches(row.item.gold or {}, row.answers))
    return [
        {
            "annotator": name,
            "answered": answered,
            "correct": correct,
            "accuracy": correct / answered if answered else None,
        }
        for name, (answered, correct) in tally.items()
    ]
