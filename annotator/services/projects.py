"""Creating, changing and deleting projects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q

from annotator.answers import AnswersInvalid, validate_answers
from annotator.events import event_build, event_send_on_commit
from annotator.models import Annotation, AnnotationStatus, Item, Membership, Project, Role
from annotator.questions import QuestionsInvalid, validate_questions
from annotator.services.exports import export_files_remove_on_commit

EDITABLE_FIELDS = (
    "name",
    "guidelines",
    "questions",
    "overlap",
    "assignment",
    "blind",
    "suggestions",
    "lock_timeout_s",
    "gold_rate",
)


@transaction.atomic
def project_create(*, user: User, fields: dict[str, Any]) -> Project:
    """Create a project from validated fields; the creator becomes its owner."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    values = dict(fields)
    values["questions"] = validate_questions(values.get("questions"))
    project = Project.objects.create(created_by=user, **values)
    Membership.objects.create(project=project, user=user, role=Role.OWNER)
    return project


@transaction.atomic
def project_update(*, project: Project, changes: dict[str, Any]) -> Project:
    """Apply validated changes and tell connected members which fields changed."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not project fields: {sorted(unknown)}")
    if "questions" in changes:
        changes = {**changes, "questions": validate_questions(changes["questions"])}
        _check_answers_still_fit(project, changes["questions"])
    changed = [name for name, value in changes.items() if getattr(project, name) != value]
    if not changed:
        return project
    for name in changed:
        setattr(project, name, changes[name])
    project.save(update_fields=[*changed, "updated_at"])
    if "overlap" in changed:
        # The queue indexes cover open items only, so `done` must follow the new overlap.
        Item.objects.filter(project=project).update(
            done=ExpressionWrapper(
                Q(annotation_count__gte=project.overlap + F("extra_overlap")),
                output_field=BooleanField(),
            )
        )
    event_send_on_commit(
        event_build("project.updated", project_id=project.pk, data={"fields": sorted(changed)})
    )
    return project


def _check_answers_still_fit(project: Project, questions: list[dict[str, Any]]) -> None:
    """Refuse a questions change that would leave stored answers meaningless.

    Removing a question that has answers, or changing one so that an existing answer no longer
    validates (another kind, a narrower scale, a dropped level or label), is refused with the
    number of annotations it would break; changes that keep every answer valid (new questions,
    wording, help, a wider scale) go through. Only the changed questions' answers are checked.
    """
    old = {q["id"]: q for q in project.questions}
    new = {q["id"]: q for q in questions}
    touched = [qid for qid, q in old.items() if new.get(qid) != q]
    if not touched:
        return
    broken: dict[str, int] = dict.fromkeys(touched, 0)
    rows = (
        Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
        .values_list("answers", "display_order", "item__rubric")
        .iterator(chunk_size=2000)
    )
    for answers, shown, rubric in rows:
        for qid in touched:
            if qid not in (answers or {}):
                continue
            if qid not in new:
                broken[qid] += 1
                continue
            try:
                validate_answers(
                    questions=[{**new[qid], "required": False}],
                    candidate_keys=shown,
                    item_criteria=rubric or [],
                    answers={qid: answers[qid]},
                )
            except AnswersInvalid:
                broken[qid] += 1
    position = {q["id"]: str(n) for n, q in enumerate(questions)}
    errors: dict[str, Any] = {}
    for qid, count in broken.items():
        if not count:
            continue
        if qid in position:
            message = (
                f"{count} existing annotation(s) would no longer fit this question; "
                "change it so that what they answered stays valid."
            )
            errors[position[qid]] = {"non_field_errors": [message]}
        else:
            errors.setdefault("non_field_errors", []).append(
                f"Question {qid!r} has {count} answer(s) and cannot be removed."
            )
    if errors:
        raise QuestionsInvalid(errors)


@transaction.atomic
@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project and everything in it, its export snapshots' files too."""
    export_files_remove_on_commit(project.exports.all())
    project.delete()
