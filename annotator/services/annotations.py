"""Editing and reviewing annotations. An edit never destroys an earlier version."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.exceptions import ValidationError

from annotator.answers import validate_answers
from annotator.events import event_build, event_send_on_commit
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Item,
    Review,
    ReviewDecision,
    ReviewStatus,
    Role,
)
from annotator.services.metrics import metrics_touch_on_commit
from annotator.signals import labels_changed_on_commit


@transaction.atomic
def annotation_edit(
    *, annotation: Annotation, user: User, answers: object, time_spent_ms: int
) -> Annotation:
    """Replace the answers, keeping the previous ones as a version. Raises ``AnswersInvalid``."""
    locked = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("project", "item")
        .get(pk=annotation.pk)
    )
    if locked.status != AnnotationStatus.SUBMITTED:
        raise ValidationError({"status": ["A skipped item has no answers to edit."]})
    cleaned = validate_answers(
        questions=locked.project.questions,
        candidate_keys=locked.display_order,
        item_criteria=locked.item.rubric,
        answers=answers,
    )
    locked.version += 1
    locked.answers = cleaned
    locked.time_spent_ms += time_spent_ms
    locked.save(update_fields=["version", "answers", "time_spent_ms", "updated_at"])
    AnnotationVersion.objects.create(
        annotation=locked,
        version=locked.version,
        answers=cleaned,
        time_spent_ms=time_spent_ms,
        edited_by=user,
    )
    metrics_touch_on_commit(project_id=locked.project_id)
    labels_changed_on_commit(project_id=locked.project_id)
    return locked


def _counts_toward_overlap(annotation: Annotation) -> bool:
    return (
        annotation.status == AnnotationStatus.SUBMITTED
        and not annotation.is_gold
        and not annotation.is_reference
        and annotation.review_status != ReviewStatus.REJECTED
    )


@transaction.atomic
def annotation_review(
    *, annotation: Annotation, reviewer: User, decision: str, comment: str
) -> Review:
    """Accept or reject. A rejection frees the item's slot, so one more annotation is asked for."""
    locked = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=annotation.pk)
    )
    if locked.status != AnnotationStatus.SUBMITTED:
        raise ValidationError({"decision": ["A skipped item cannot be reviewed."]})
    if decision == ReviewDecision.REJECT and not comment.strip():
        raise ValidationError({"comment": ["Say why the annotation is rejected."]})
    item = Item.objects.select_for_update().get(pk=locked.item_id)
    counted_before = _counts_toward_overlap(locked)
    locked.review_status = (
        ReviewStatus.ACCEPTED if decision == ReviewDecision.ACCEPT else ReviewStatus.REJECTED
    )
    locked.save(update_fields=["review_status", "updated_at"])
    delta = int(_counts_toward_overlap(locked)) - int(counted_before)
    if delta:
        item.annotation_count += delta
        item.done = item.annotation_count >= locked.project.overlap + item.extra_overlap
        item.save(update_fields=["annotation_count", "done", "updated_at"])
    review = Review.objects.create(
        annotation=locked, reviewer=reviewer, decision=decision, comment=comment
    )
    event_send_on_commit(
        event_build(
            "annotation.reviewed",
            project_id=locked.project_id,
            data={"annotation": locked.pk, "item": item.pk, "decision": decision},
        ),
        audience=Role.REVIEWER,
    )
    metrics_touch_on_commit(project_id=locked.project_id)
    labels_changed_on_commit(project_id=locked.project_id)
    return review
