"""Active learning on the web side: settings, and when to retrain the head and reorder the queue.

The loop: people label → every ``retrain_every`` new labels a ``workers.head_train`` task (``gpu``
queue) retrains the project's preference head and starts a run of it over the items → when
that run (or any judge run) finishes, a ``workers.priorities_refresh`` task (``default`` queue)
recomputes every open item's priority from the strategies' mix → ``next`` serves by priority.

Both tasks are claimed on the project's ``ActiveLearning`` row before they are queued (as the
dashboard refresh is), so a burst of labels or of finishing runs queues one task, not hundreds.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.jobs import QueueUnavailable, enqueue
from annotator.models import Annotation, AnnotationStatus, AssignmentOrder, Project, ReviewStatus
from judges.acquisition import parse_weights
from judges.models import ActiveLearning, HeadVersion, Judge, JudgeKind

logger = logging.getLogger(__name__)

TRAIN_TASK = "workers.head_train"
PRIORITIES_TASK = "workers.priorities_refresh"
# What the simulation (bench/active_learning.py) found best on generated data: uncertainty
# alone; diversity, alone or as a fifth of a mix, did no better than random order there.
DEFAULT_STRATEGIES = {"uncertainty": 1.0}
SETTINGS_FIELDS = ("head", "strategies", "retrain_every", "extra_labels", "seed")


class ActiveLearningInvalid(ValueError):
    """Raised with ``errors``: field -> messages (for a 400)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid active-learning settings")
        self.errors = errors


def active_learning_get(*, project: Project) -> ActiveLearning:
    """The project's settings, created with defaults on first use."""
    found, _ = ActiveLearning.objects.get_or_create(
        project=project,
        defaults={
            "strategies": dict(DEFAULT_STRATEGIES),
            "head": Judge.objects.filter(project=project, kind=JudgeKind.PREFERENCE_HEAD)
            .order_by("id")
            .first(),
        },
    )
    return found


@transaction.atomic
def active_learning_update(*, project: Project, changes: dict[str, Any]) -> ActiveLearning:
    """Change the strategy mix, the head, or when it retrains; priorities follow at once.

    ``changes`` are checked values (the API's serializer checks types and ranges): ``head`` a
    ``Judge`` or None, ``strategies`` a mapping the acquisition module accepts.
    """
    active = ActiveLearning.objects.select_for_update().get(
        pk=active_learning_get(project=project).pk
    )
    unknown = sorted(set(changes) - set(SETTINGS_FIELDS))
    if unknown:
        raise ActiveLearningInvalid({"non_field_errors": [f"Unknown setting {unknown[0]!r}."]})
    if "strategies" in changes:
        try:
            changes["strategies"] = parse_weights(changes["strategies"])
        except ValueError as exc:
            raise ActiveLearningInvalid({"strategies": [str(exc)]}) from None
    head = changes.get("head")
    if head is not None and (
        head.project_id != project.pk or head.kind != JudgeKind.PREFERENCE_HEAD
    ):
        raise ActiveLearningInvalid({"head": ["Choose a preference head judge of this project."]})
    for name, value in changes.items():
        setattr(active, name, value)
    active.save()
    transaction.on_commit(lambda: priorities_touch(project_id=project.pk, countdown=0))
    return active


def _lost(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.MOOT_ACTIVE_LOST_AFTER_S)


def _claim(project_id: int, field: str, now: datetime) -> bool:
    """Mark a task as queued on the project's row unless one already is (and is not lost)."""
    free = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": _lost(now)})
    return bool(ActiveLearning.objects.filter(free, project_id=project_id).update(**{field: now}))


def _enqueue(task: str, owner: int, field: str, *, countdown: float, **kwargs: Any) -> bool:
    """Publish ``task``; when the broker is down, release the claim on project ``owner``."""
    try:
        enqueue(task, countdown=countdown, **kwargs)
    except QueueUnavailable:
        logger.warning("could not queue %s for project %s", task, owner)
        ActiveLearning.objects.filter(project_id=owner).update(**{field: None})
        return False
    return True


def human_label_count(project_id: int) -> int:
    """Submitted annotations that count as labels (not rejected in review)."""
    return (
        Annotation.objects.filter(project_id=project_id, status=AnnotationStatus.SUBMITTED)
        .exclude(review_status=ReviewStatus.REJECTED)
        .count()
    )


def labels_since_training(active: ActiveLearning) -> int:
    latest = (
        HeadVersion.objects.filter(judge_id=active.head_id).order_by("-number").first()
        if active.head_id
        else None
    )
    # Never negative: labels rejected in review after a training leave fewer than it saw.
    return max(0, human_label_count(active.project_id) - (latest.labels if latest else 0))


def labels_touch(*, project_id: int) -> bool:
    """New human labels: queue a retraining when ``retrain_every`` of them have come in.

    Costs one count query per call when active learning is on, nothing when it is off.
    """
    active = ActiveLearning.objects.filter(project_id=project_id).first()
    if active is None or active.head_id is None or active.retrain_every == 0:
        return False
    if labels_since_training(active) < active.retrain_every:
        return False
    return head_train_request(active=active, reason="labels")


def head_train_request(*, active: ActiveLearning, reason: str) -> bool:
    """Queue a training of the project's head unless one is queued or running already."""
    if active.head_id is None:
        raise ActiveLearningInvalid({"head": ["The project has no preference head to train."]})
    if not _claim(active.project_id, "train_queued_at", timezone.now()):
        return False
    return _enqueue(
        TRAIN_TASK,
        active.project_id,
        "train_queued_at",
        countdown=0,
        judge_id=active.head_id,
        reason=reason,
    )


def head_train_done(*, project_id: int, error: str = "") -> None:
    """A training ended (``error`` says why it failed); labels that came in meanwhile count."""
    ActiveLearning.objects.filter(project_id=project_id).update(
        train_queued_at=None, last_error=error
    )
    labels_touch(project_id=project_id)


def priorities_touch(*, project_id: int, countdown: float | None = None) -> bool:
    """Queue a recomputation of the project's priorities (one for a burst of calls)."""
    if not ActiveLearning.objects.filter(project_id=project_id).exists():
        return False
    if not _claim(project_id, "priorities_queued_at", timezone.now()):
        return False
    delay = settings.MOOT_PRIORITIES_DEBOUNCE_S if countdown is None else countdown
    return _enqueue(
        PRIORITIES_TASK, project_id, "priorities_queued_at", countdown=delay, project_id=project_id
    )


def priorities_touch_on_commit(*, project_id: int) -> None:
    transaction.on_commit(lambda: priorities_touch(project_id=project_id))


def uses_priorities(project: Project) -> bool:
    """Whether ``next`` follows the priorities (the project's assignment order)."""
    return project.assignment in {AssignmentOrder.ACTIVE, AssignmentOrder.PRIORITY}
