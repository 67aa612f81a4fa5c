"""Members and roles: managers manage people, only owners touch ownership, one owner remains."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.models import Membership, Project, Role
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def members_url(project: Project) -> str:
    return f"/api/projects/{project.pk}/members/"


def test_members_list_shows_users_and_roles(project: Project) -> None:
    owner = member(project, Role.OWNER)
    annotator = member(project, Role.ANNOTATOR)

    response = as_user(annotator).get(members_url(project))

    assert response.status_code == 200
    rows = [(m["user"]["username"], m["role"]) for m in response.json()["results"]]
    assert rows == [(owner.username, "owner"), (annotator.username, "annotator")]


@pytest.mark.parametrize(
    ("actor_role", "new_role", "status"),
    [
        ("owner", "owner", 201),
        ("owner", "annotator", 201),
        ("manager", "reviewer", 201),
        ("manager", "manager", 201),
        ("manager", "owner", 403),
        ("reviewer", "annotator", 403),
        ("annotator", "annotator", 403),
    ],
)
def test_who_may_add_whom(project: Project, actor_role: str, new_role: str, status: int) -> None:
    actor = member(project, actor_role)
    newcomer = new_user()

    response = as_user(actor).post(
        members_url(project), {"username": newcomer.username, "role": new_role}, format="json"
    )

    assert response.status_code == status, response.json()
    assert Membership.objects.filter(project=project, user=newcomer).exists() == (status == 201)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ghost", "role": "annotator"}, "username"),
        ({"username": "__existing__", "role": "annotator"}, "username"),
        ({"username": "__new__", "role": "admin"}, "role"),
        ({"role": "annotator"}, "username"),
    ],
)
def test_bad_member_bodies_get_400(project: Project, body: dict[str, str], field: str) -> None:
    owner = member(project, Role.OWNER)
    existing = member(project, Role.ANNOTATOR)
    names = {"__existing__": existing.username, "__new__": new_user().username}
    if "username" in body:
        body = {**body, "username": names.get(body["username"], body["username"])}
    before = Membership.objects.count()

    response = as_user(owner).post(members_url(project), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Membership.objects.count() == before


def test_manager_changes_a_role(project: Project) -> None:
    manager = member(project, Role.MANAGER)
    annotator = member(project, Role.ANNOTATOR)
    membership = Membership.objects.get(user=annotator)

    response = as_user(manager).patch(
        f"{members_url(project)}{membership.pk}/", {"role": "reviewer"}, format="json"
    )

    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.role == "reviewer"


def test_manager_cannot_demote_an_owner(project: Project) -> None:
    member(project, Role.OWNER)
    manager = member(project, Role.MANAGER)
    owner_membership = Membership.objects.get(project=project, role=Role.OWNER)

    response = as_user(manager).patch(
        f"{members_url(project)}{owner_membership.pk}/", {"role": "annotator"}, format="json"
    )

    assert response.status_code == 403


def test_the_last_owner_cannot_leave_or_be_demoted(project: Project) -> None:
    owner = member(project, Role.OWNER)
    mine = Membership.objects.get(user=owner)
    client = as_user(owner)

    demote = client.patch(f"{members_url(project)}{mine.pk}/", {"role": "manager"}, format="json")
    leave = client.delete(f"{members_url(project)}{mine.pk}/")

    assert demote.status_code == 400
    assert leave.status_code == 400
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_an_owner_can_leave_when_another_owner_remains(project: Project) -> None:
    first = member(project, Role.OWNER)
    member(project, Role.OWNER)
    mine = Membership.objects.get(user=first)

    response = as_user(first).delete(f"{members_url(project)}{mine.pk}/")

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=mine.pk).exists()


def test_a_membership_of_another_project_is_404(project: Project) -> None:
    owner = member(project, Role.OWNER)
    elsewhere = Membership.objects.create(
        project=Project.objects.create(name="other", questions=[]),
        user=new_user(),
        role=Role.ANNOTATOR,
    )

    response = as_user(owner).delete(f"{members_url(project)}{elsewhere.pk}/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()
