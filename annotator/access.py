"""Authorisation: the one place that decides who may see and change what.

Every endpoint and the websocket consumer go through these helpers. A user who is not a member
of a project gets a 404 for it and for everything under it (its existence is not revealed); a
member whose role is too low for an action gets a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.request import Request

from annotator.models import Annotation, Assignment, Item, Membership, Project, Role

ROLE_RANK: dict[str, int] = {
    Role.ANNOTATOR: 0,
    Role.REVIEWER: 1,
    Role.MANAGER: 2,
    Role.OWNER: 3,
}


def request_user(request: Request) -> User:
    """The caller of an API view; every view requires authentication (the DRF default)."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def role_at_least(role: str, minimum: str) -> bool:
    """Whether ``role`` carries at least the rights of ``minimum``."""
    return ROLE_RANK[role] >= ROLE_RANK[minimum]


@dataclass(frozen=True)
class ProjectAccess:
    """A project together with the caller's role in it."""

    project: Project
    role: str

    def require(self, minimum: str) -> None:
        """Raise 403 unless the caller's role is at least ``minimum``."""
        if not role_at_least(self.role, minimum):
            raise PermissionDenied(f"This needs the {minimum} role or higher in this project.")


def projects_for_user(user: User | AnonymousUser) -> QuerySet[Project]:
    """Projects the user belongs to, each annotated with ``user_role``."""
    if not user.is_authenticated:
        return Project.objects.none()
    role = Membership.objects.filter(project=OuterRef("pk"), user=user).values("role")[:1]
    items = (
        Item.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Project.objects.filter(memberships__user=user).annotate(
        user_role=Subquery(role),
        item_count=Coalesce(Subquery(items, output_field=IntegerField()), Value(0)),
    )


def access_project(
    *,
    user: User | AnonymousUser,
    project_id: int | str,
    minimum: str = Role.ANNOTATOR,
    for_update: bool = False,
) -> ProjectAccess:
    """Return the project and the caller's role, or raise 404 (not a member) / 403 (role too low).

    ``for_update`` locks the project row; use it inside a transaction that changes the project.
    """
    try:
        pk = int(project_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("project").filter(project_id=pk, user=user).first()
    )
    if membership is None:
        raise Http404
    project = membership.project
    if for_update:
        project = Project.objects.select_for_update().get(pk=pk)
    access = ProjectAccess(project=project, role=membership.role)
    access.require(minimum)
    return access


def access_assignment(*, user: User | AnonymousUser, assignment_id: int) -> Assignment:
    """An assignment of the caller's own (404 otherwise, as for anything not theirs)."""
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.select_related("project")
        .filter(pk=assignment_id, annotator=user, project__memberships__user=user)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def access_annotation(
    *, user: User | AnonymousUser, annotation_id: int, write: bool = False
) -> tuple[Annotation, ProjectAccess]:
    """An annotation the caller may see: their own, or any in a project they review.

    With ``write``, only its author or a manager may change it.
    """
    annotation = (
        Annotation.objects.select_related("project", "annotator").filter(pk=annotation_id).first()
    )
    if annotation is None:
        raise Http404
    access = access_project(user=user, project_id=annotation.project_id)
    own = annotation.annotator_id == user.pk
    if not own and not role_at_least(access.role, Role.REVIEWER):
        raise Http404
    if write and not own:
        access.require(Role.MANAGER)
    return annotation, access
