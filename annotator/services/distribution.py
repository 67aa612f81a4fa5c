"""Handing items to annotators: ``next``, submit and skip.

Correctness rests on one rule: every assignment of an item, and every submission for it, happens
while holding that item's row lock. ``next`` walks the queue with ``FOR UPDATE SKIP LOCKED`` (so
annotators never wait on each other, and there is no global lock), then re-counts the item's
slots under the lock before handing it out. On SQLite, whose transactions take the write lock up
front, the same code is correct because writers are serialised.

An item has ``overlap`` slots. A slot is taken by a submitted annotation that counts (not rejected
in review) or by an active assignment that has not expired; an expired assignment frees its slot
without any sweeper. Gold items are outside this accounting: each annotator may get each gold item
once, at the project's ``gold_rate``.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.answers import validate_answers
from annotator.events import event_build, event_send_on_commit
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Assignment,
    AssignmentOrder,
    AssignmentStatus,
    Item,
    Membership,
    Project,
    ReviewStatus,
    Role,
)

# How many locked-but-full items `next` may step over before giving up on this request.
MAX_CANDIDATES = 50
ORDERINGS: dict[str, tuple[str, ...]] = {
    AssignmentOrder.SEQUENTIAL: ("id",),
    AssignmentOrder.RANDOM: ("shuffle", "id"),
    AssignmentOrder.PRIORITY: ("-priority", "id"),
    AssignmentOrder.ACTIVE: ("-priority", "id"),
}


class AssignmentConflict(Exception):
    """The assignment can no longer be submitted (skipped, or expired and given to others)."""


@dataclass(frozen=True)
class Submitted:
    annotation: Annotation
    created: bool


def _active_assignments(now: datetime) -> Q:
    return Q(status=AssignmentStatus.ACTIVE, expires_at__gt=now)


def _slots_taken(item: Item, now: datetime, *, excluding: int | None = None) -> int:
    """Counted annotations plus live assignments of an item; call with the item row locked."""
    live = Assignment.objects.filter(_active_assignments(now), item=item)
    if excluding is not None:
        live = live.exclude(pk=excluding)
    return item.annotation_count + live.count()


def _queue(project: Project, user: User, now: datetime, *, gold: bool) -> QuerySet[Item]:
    items = Item.objects.filter(project=project).filter(
        ~Exists(Annotation.objects.filter(item=OuterRef("pk"), annotator=user)),
        # Not the item already on this person's screen (when fetching ahead).
        ~Exists(
            Assignment.objects.filter(_active_assignments(now), item=OuterRef("pk"), annotator=user)
        ),
    )
    if gold:
        return items.filter(gold__isnull=False)
    live = (
        Assignment.objects.filter(_active_assignments(now), item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A first, lock-free filter; the count is checked again under the row lock.
    return (
        items.filter(done=False, gold__isnull=True)
        .alias(live=Coalesce(Subquery(live), Value(0)))
        .filter(live__lt=project.overlap - F("annotation_count"))
    )


def _display_order(project: Project, item: Item, rng: random.Random) -> list[str]:
    """Candidates to show, in a fresh random order; one pair when pairwise needs a choice."""
    keys = list(item.candidates.order_by("position").values_list("key", flat=True))
    pairwise = next((q for q in project.questions if q["kind"] == "pairwise"), None)
    if pairwise is not None and len(keys) > 2:
        if pairwise.get("pairs") == "sampled":
            keys = rng.sample(keys, 2)
        else:
            # Cover every pair evenly: the pair judged least often so far, ties at random.
            seen = Counter(
                frozenset(order)
                for order in Annotation.objects.filter(
                    item=item, status=AnnotationStatus.SUBMITTED
                ).values_list("display_order", flat=True)
            )
            pairs = list(itertools.combinations(keys, 2))
            rng.shuffle(pairs)
            keys = list(min(pairs, key=lambda pair: seen[frozenset(pair)]))
    rng.shuffle(keys)
    return keys


def _take(
    project: Project, user: User, now: datetime, rng: random.Random, *, gold: bool
) -> Assignment | None:
    # Only what the decision needs: prompts and metadata can be large, and this row is locked.
    queue = (
        _queue(project, user, now, gold=gold)
        .order_by(*ORDERINGS[project.assignment])
        .only("id", "project_id", "annotation_count")
    )
    passed: list[int] = []
    for _ in range(MAX_CANDIDATES):
        item = (
            queue.exclude(pk__in=passed).select_for_update(skip_locked=True, of=("self",)).first()
        )
        if item is None:
            return None
        if gold or _slots_taken(item, now) < project.overlap:
            return Assignment.objects.create(
                project=project,
                item=item,
                annotator=user,
                display_order=_display_order(project, item, rng),
                is_gold=gold,
                expires_at=now + timedelta(seconds=project.lock_timeout_s),
            )
        passed.append(item.pk)
    return None


@transaction.atomic
def assignment_next(
    *,
    project: Project,
    user: User,
    after: int | None = None,
    rng: random.Random | None = None,
) -> Assignment | None:
    """The caller's next item: the one they already hold, else a new one; None when done.

    ``after`` fetches ahead: the item to show once assignment ``after`` is done. A person holds
    at most two assignments this way (the one on screen and the one behind it), and a plain
    request always returns the older one, so a reload resumes where they were.
    """
    rng = rng or random.Random()  # noqa: S311  # ordering, not security
    now = timezone.now()
    # Serialise one person's own requests (a double click must not take two items).
    Membership.objects.select_for_update().filter(project=project, user=user).first()
    holding = Assignment.objects.filter(_active_assignments(now), project=project, annotator=user)
    if after is not None:
        holding = holding.exclude(pk=after)
    held = holding.order_by("id").first()
    if held is not None:
        return held
    if project.gold_rate > 0 and rng.random() < project.gold_rate:
        regular_left = _queue(project, user, now, gold=False).exists()
        gold = _take(project, user, now, rng, gold=True) if regular_left else None
        if gold is not None:
            return gold
    return _take(project, user, now, rng, gold=False)


def _locked_assignment(assignment_id: int, user: User) -> Assignment | None:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("project")
        .filter(pk=assignment_id, annotator=user)
        .first()
    )


@transaction.atomic
def assignment_submit(
    *, assignment: Assignment, user: User, answers: object, time_spent_ms: int
) -> Submitted:
    """Store the answers for an assignment; a retried submit returns the first annotation.

    Raises ``AnswersInvalid`` (bad answers) or ``AssignmentConflict``.
    """
    locked = _locked_assignment(assignment.pk, user)
    if locked is None:
        raise AssignmentConflict("This assignment is not yours.")
    existing = Annotation.objects.filter(assignment=locked).first()
    if existing is not None:
        if existing.status != AnnotationStatus.SUBMITTED:
            raise AssignmentConflict("This assignment was skipped.")
        return Submitted(existing, created=False)
    if locked.status != AssignmentStatus.ACTIVE:
        raise AssignmentConflict(f"This assignment is {locked.status}.")
    project = locked.project
    item = Item.objects.select_for_update().get(pk=locked.item_id)
    cleaned = validate_answers(
        questions=project.questions,
        candidate_keys=locked.display_order,
        item_criteria=item.rubric,
        answers=answers,
    )
    now = timezone.now()
    if (
        locked.expires_at <= now
        and not locked.is_gold
        and _slots_taken(item, now, excluding=locked.pk) >= project.overlap
    ):
        raise AssignmentConflict("This assignment expired and the item was labeled by others.")
    annotation = _annotation_create(
        assignment=locked, item=item, user=user, status=AnnotationStatus.SUBMITTED,
        answers=cleaned, time_spent_ms=time_spent_ms,
    )  # fmt: skip
    if not locked.is_gold:
        item.annotation_count += 1
        item.done = item.annotation_count >= project.overlap
        item.save(update_fields=["annotation_count", "done", "updated_at"])
    event_send_on_commit(
        event_build(
            "annotation.created",
            project_id=project.pk,
            data={"annotation": annotation.pk, "item": item.pk, "annotator": user.get_username()},
        ),
        audience=Role.REVIEWER,
    )
    return Submitted(annotation, created=True)


@transaction.atomic
def assignment_skip(*, assignment: Assignment, user: User) -> Annotation:
    """Skip an item: it is not offered to this person again and frees their slot."""
    locked = _locked_assignment(assignment.pk, user)
    if locked is None:
        raise AssignmentConflict("This assignment is not yours.")
    existing = Annotation.objects.filter(assignment=locked).first()
    if existing is not None:
        if existing.status != AnnotationStatus.SKIPPED:
            raise AssignmentConflict("This assignment was already submitted.")
        return existing
    if locked.status != AssignmentStatus.ACTIVE:
        raise AssignmentConflict(f"This assignment is {locked.status}.")
    item = Item.objects.select_for_update().get(pk=locked.item_id)
    return _annotation_create(
        assignment=locked, item=item, user=user, status=AnnotationStatus.SKIPPED,
        answers={}, time_spent_ms=0,
    )  # fmt: skip


def _annotation_create(
    *,
    assignment: Assignment,
    item: Item,
    user: User,
    status: str,
    answers: dict[str, object],
    time_spent_ms: int,
) -> Annotation:
    try:
        with transaction.atomic():
            annotation = Annotation.objects.create(
                project_id=assignment.project_id,
                item=item,
                annotator=user,
                assignment=assignment,
                status=status,
                answers=answers,
                display_order=assignment.display_order,
                time_spent_ms=time_spent_ms,
                is_gold=assignment.is_gold,
                review_status=ReviewStatus.PENDING,
            )
    except IntegrityError:
        raise AssignmentConflict("You have already labeled this item.") from None
    AnnotationVersion.objects.create(
        annotation=annotation,
        version=1,
        answers=answers,
        time_spent_ms=time_spent_ms,
        edited_by=user,
    )
    assignment.status = (
        AssignmentStatus.SUBMITTED
        if status == AnnotationStatus.SUBMITTED
        else AssignmentStatus.SKIPPED
    )
    assignment.save(update_fields=["status"])
    return annotation
