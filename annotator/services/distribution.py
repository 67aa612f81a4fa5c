"""Handing items to annotators: ``next``, submit and skip.

Correctness rests on one rule: every assignment of an item, and every submission for it, happens
while holding that item's row lock. ``next`` walks the queue with ``FOR UPDATE SKIP LOCKED`` (so
annotators never wait on each other, and there is no global lock), then re-counts the item's
slots under the lock before handing it out. On SQLite, whose transactions take the write lock up
front, the same code is correct because writers are serialised.

An item has ``overlap`` slots (the project's, plus the item's ``extra_overlap`` when active
learning asks one more person to label an item people disagree on). A slot is taken by a
submitted annotation that counts (not rejected in review) or by an active assignment that has
not expired; an expired assignment frees its slot without any sweeper. Gold items are outside
this accounting: each annotator may get each gold item once, at the project's ``gold_rate``.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.answers import validate_answers
from annotator.events import event_build, event_send_on_commit
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Assignment,
    AssignmentStatus,
    Item,
    Project,
    ReviewStatus,
    Role,
)
from annotator.services.metrics import metrics_touch_on_commit
from annotator.services.queue import (
    queue_candidate_keys,
    queue_live_count,
    queue_lock_member,
    queue_pick,
)
from annotator.signals import labels_changed_on_commit

# How many locked-but-full items `next` may step over before giving up on this request.
MAX_CANDIDATES = 50


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


def _display_order(project: Project, item_id: int, rng: random.Random) -> list[str]:
    """Candidates to show, in a fresh random order; one pair when pairwise needs a choice."""
    keys = queue_candidate_keys(item_id=item_id)
    pairwise = next((q for q in project.questions if q["kind"] == "pairwise"), None)
    if pairwise is not None and len(keys) > 2:
        if pairwise.get("pairs") == "sampled":
            keys = rng.sample(keys, 2)
        else:
            # Cover every pair evenly: the pair judged least often so far, ties at random.
            seen = Counter(
                frozenset(order)
                for order in Annotation.objects.filter(
                    item_id=item_id, status=AnnotationStatus.SUBMITTED
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
    passed: list[int] = []
    waited = False
    for _ in range(MAX_CANDIDATES):
        pick = partial(
            queue_pick,
            project_id=project.pk,
            user_id=user.pk,
            order=project.assignment,
            overlap=project.overlap,
            now=now,
            gold=gold,
            passed=passed,
        )
        picked = pick()
        if picked is None and not waited and pick(lock=False) is not None:
            # Every item left is locked by another transaction for a moment (someone else
            # taking it, or item priorities being rewritten): wait for one rather than answer
            # "nothing left".
            waited = True
            picked = pick(wait=True)
        if picked is None:
            return None
        item_id, wanted = picked
        if gold or queue_live_count(item_id=item_id, now=now) < wanted:
            return Assignment.objects.create(
                project=project,
                item_id=item_id,
                annotator=user,
                display_order=_display_order(project, item_id, rng),
                is_gold=gold,
                expires_at=now + timedelta(seconds=project.lock_timeout_s),
            )
        passed.append(item_id)
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
    queue_lock_member(project_id=project.pk, user_id=user.pk)
    holding = Assignment.objects.filter(_active_assignments(now), project=project, annotator=user)
    if after is not None:
        holding = holding.exclude(pk=after)
    held = holding.order_by("id").first()
    if held is not None:
        return held
    if project.gold_rate > 0 and rng.random() < project.gold_rate:
        regular_left = queue_pick(
            project_id=project.pk, user_id=user.pk, order=project.assignment,
            overlap=project.overlap, now=now, gold=False, passed=[], lock=False,
        ) is not None  # fmt: skip
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


def _locked_item(item_id: int) -> Item:
    # Only what a submit reads: prompts and candidates can be large.
    return (
        Item.objects.select_for_update()
        .only("id", "project_id", "rubric", "annotation_count", "done")
        .get(pk=item_id)
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
    if locked.status != AssignmentStatus.ACTIVE:
        existing = Annotation.objects.filter(assignment=locked).first()
        if existing is None:
            raise AssignmentConflict(f"This assignment is {locked.status}.")
        if existing.status != AnnotationStatus.SUBMITTED:
            raise AssignmentConflict("This assignment was skipped.")
        return Submitted(existing, created=False)
    project = locked.project
    item = _locked_item(locked.item_id)
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
        and _slots_taken(item, now, excluding=locked.pk) >= project.overlap + item.extra_overlap
    ):
        raise AssignmentConflict("This assignment expired and the item was labeled by others.")
    annotation = _annotation_create(
        assignment=locked, item=item, user=user, status=AnnotationStatus.SUBMITTED,
        answers=cleaned, time_spent_ms=time_spent_ms,
    )  # fmt: skip
    if not locked.is_gold:
        item.annotation_count += 1
        item.done = item.annotation_count >= project.overlap + item.extra_overlap
        item.save(update_fields=["annotation_count", "done", "updated_at"])
    event_send_on_commit(
        event_build(
            "annotation.created",
            project_id=project.pk,
            data={"annotation": annotation.pk, "item": item.pk, "annotator": user.get_username()},
        ),
        audience=Role.REVIEWER,
    )
    metrics_touch_on_commit(project_id=project.pk)
    labels_changed_on_commit(project_id=project.pk)
    return Submitted(annotation, created=True)


@transaction.atomic
def assignment_skip(*, assignment: Assignment, user: User) -> Annotation:
    """Skip an item: it is not offered to this person again and frees their slot."""
    locked = _locked_assignment(assignment.pk, user)
    if locked is None:
        raise AssignmentConflict("This assignment is not yours.")
    if locked.status != AssignmentStatus.ACTIVE:
        existing = Annotation.objects.filter(assignment=locked).first()
        if existing is None:
            raise AssignmentConflict(f"This assignment is {locked.status}.")
        if existing.status != AnnotationStatus.SKIPPED:
            raise AssignmentConflict("This assignment was already submitted.")
        return existing
    item = _locked_item(locked.item_id)
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
    # Every annotation of an item is created under its row lock (held by the caller), so this
    # check cannot race; the unique constraint stays as the last line of defence.
    if Annotation.objects.filter(item=item, annotator=user).exists():
        raise AssignmentConflict("You have already labeled this item.")
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
