"""Creating, changing and deleting projects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q

from annotator.events import event_build, event_send_on_commit
from annotator.models import Item, Membership, Project, Role
from annotator.questions import validate_questions

EDITABLE_FIELDS = (
    "name",
    "guidelines",
    "questions",
    "overlap",
    "assignment",
    "blind",
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
                Q(annotation_count__gte=project.overlap), output_field=BooleanField()
            )
        )
    event_send_on_commit(
        event_build("project.updated", project_id=project.pk, data={"fields": sorted(changed)})
    )
    return project


@transaction.atomic
def project_delete(*, project: Project) -> None:
    """Delete a project and everything in it."""
    project.delete()
