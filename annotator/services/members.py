"""Project membership: adding people, changing roles, removing them.

Rules: a manager may add, change and remove reviewers and annotators (and other managers), but
only an owner may grant, change or remove the owner role; a project always keeps an owner.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from rest_framework.exceptions import PermissionDenied, ValidationError

from annotator.access import ProjectAccess
from annotator.events import event_build, event_send_on_commit
from annotator.models import Membership, Role


def _require_can_manage(access: ProjectAccess, *, roles: tuple[str, ...]) -> None:
    access.require(Role.MANAGER)
    if Role.OWNER in roles and access.role != Role.OWNER:
        raise PermissionDenied("Only an owner can grant, change or remove the owner role.")


def _ensure_owner_left(membership: Membership) -> None:
    others = Membership.objects.filter(project=membership.project, role=Role.OWNER).exclude(
        pk=membership.pk
    )
    if membership.role == Role.OWNER and not others.exists():
        raise ValidationError({"role": ["A project must keep at least one owner."]})


@transaction.atomic
def member_add(*, access: ProjectAccess, username: str, role: str) -> Membership:
    """Add an existing user to the project with a role."""
    _require_can_manage(access, roles=(role,))
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError({"username": [f"No user named {username!r}."]})
    try:
        with transaction.atomic():
            membership = Membership.objects.create(project=access.project, user=user, role=role)
    except IntegrityError:
        raise ValidationError({"username": [f"{username!r} is already a member."]}) from None
    event_send_on_commit(
        event_build(
            "member.added", project_id=access.project.pk, data={"username": username, "role": role}
        )
    )
    return membership


@transaction.atomic
def member_change_role(*, access: ProjectAccess, membership: Membership, role: str) -> Membership:
    """Change a member's role."""
    _require_can_manage(access, roles=(role, membership.role))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != membership.role:
        if role != Role.OWNER:
            _ensure_owner_left(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        event_send_on_commit(
            event_build(
                "member.changed",
                project_id=access.project.pk,
                data={"username": membership.user.get_username(), "role": role},
            )
        )
    return membership


@transaction.atomic
def member_remove(*, access: ProjectAccess, membership: Membership) -> None:
    """Remove a member from the project."""
    _require_can_manage(access, roles=(membership.role,))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _ensure_owner_left(membership)
    username = membership.user.get_username()
    membership.delete()
    event_send_on_commit(
        event_build(
            "member.removed",
            project_id=access.project.pk,
            data={"username": username, "role": membership.role},
        )
    )
