"""Projects API: membership decides visibility, roles decide changes, bad bodies write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.models import Annotation, AnnotationStatus, Membership, Project, Role
from tests.annotator.labeling import project_with_items
from tests.factories import member, new_project, new_user

pytestmark = pytest.mark.django_db

BODY: dict[str, Any] = {
    "name": "helpfulness-v3",
    "guidelines": "# Be kind",
    "overlap": 3,
    "assignment": "random",
    "blind": True,
    "lock_timeout_s": 900,
    "questions": [
        {"id": "pref", "kind": "pairwise", "tie": True, "strength": ["slightly", "much"]},
        {
            "id": "quality",
            "kind": "rating",
            "dimensions": [{"id": "helpfulness", "min": 1, "max": 5}],
        },
    ],
}


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_makes_the_caller_owner(owner_api: APIClient, user: Any) -> None:
    response = owner_api.post("/api/projects/", BODY, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"] == "owner"
    assert body["overlap"] == 3
    assert body["questions"][0]["strength"] == ["slightly", "much"]
    assert body["questions"][1]["per"] == "candidate"  # defaults filled in
    assert Membership.objects.get(project_id=body["id"]).user == user


def test_list_shows_only_the_callers_projects_with_their_role(user: Any) -> None:
    mine = new_project()
    Membership.objects.create(project=mine, user=user, role=Role.REVIEWER)
    new_project()  # someone else's

    response = as_user(user).get("/api/projects/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(p["id"], p["role"], p["item_count"]) for p in results] == [(mine.pk, "reviewer", 0)]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/projects/{id}/"),
        ("patch", "/api/projects/{id}/"),
        ("delete", "/api/projects/{id}/"),
        ("get", "/api/projects/{id}/members/"),
        ("post", "/api/projects/{id}/members/"),
        ("post", "/api/projects/{id}/worker-ping/"),
    ],
)
def test_non_members_get_404_for_the_project_and_everything_under_it(
    owner_api: APIClient, project: Project, method: str, path: str
) -> None:
    response = getattr(owner_api, method)(path.format(id=project.pk), {}, format="json")

    assert response.status_code == 404


def test_missing_project_is_404(owner_api: APIClient) -> None:
    assert owner_api.get("/api/projects/999999/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("annotator", 403), ("reviewer", 403), ("manager", 200), ("owner", 200)],
)
def test_only_managers_and_owners_change_a_project(
    project: Project, role: str, status: int
) -> None:
    client = as_user(member(project, role))

    response = client.patch(f"/api/projects/{project.pk}/", {"overlap": 2}, format="json")

    assert response.status_code == status
    project.refresh_from_db()
    assert project.overlap == (2 if status == 200 else 1)


@pytest.mark.parametrize(("role", "status"), [("manager", 403), ("owner", 204)])
def test_only_owners_delete(project: Project, role: str, status: int) -> None:
    response = as_user(member(project, role)).delete(f"/api/projects/{project.pk}/")

    assert response.status_code == status
    assert Project.objects.filter(pk=project.pk).exists() == (status != 204)


@pytest.mark.parametrize(
    ("change", "error_path"),
    [
        ({"questions": [{"id": "q", "kind": "poll"}]}, ["questions", "0", "kind"]),
        (
            {"questions": [{"id": "q", "kind": "text"}, {"id": "q", "kind": "ranking"}]},
            ["questions", "1", "id"],
        ),
        (
            {
                "questions": [
                    {"id": "q", "kind": "rating", "dimensions": [{"id": "d", "min": 5, "max": 1}]}
                ]
            },
            ["questions", "0", "dimensions", "0", "max"],
        ),
        ({"questions": []}, ["questions"]),
        ({"questions": "pairwise"}, ["questions"]),
        ({"name": ""}, ["name"]),
        ({"overlap": 0}, ["overlap"]),
        ({"overlap": "three"}, ["overlap"]),
        ({"lock_timeout_s": 5}, ["lock_timeout_s"]),
        ({"assignment": "whenever"}, ["assignment"]),
    ],
)
def test_invalid_bodies_get_400_naming_the_field_and_write_nothing(
    owner_api: APIClient, change: dict[str, Any], error_path: list[str]
) -> None:
    response = owner_api.post("/api/projects/", {**BODY, **change}, format="json")

    assert response.status_code == 400
    node: Any = response.json()
    for key in error_path:
        assert key in node, (key, response.json())
        node = node[key]
    assert Project.objects.count() == 0
    assert Membership.objects.count() == 0


def test_invalid_patch_changes_nothing(project: Project) -> None:
    client = as_user(member(project, "owner"))
    before = project.questions

    response = client.patch(
        f"/api/projects/{project.pk}/",
        {"name": "renamed", "questions": [{"id": "x", "kind": "nope"}]},
        format="json",
    )

    assert response.status_code == 400
    project.refresh_from_db()
    assert (project.name, project.questions) != ("renamed", before)
    assert project.questions == before


def test_malformed_json_is_400(owner_api: APIClient) -> None:
    response = owner_api.generic(
        "POST", "/api/projects/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400


def test_members_can_read_a_project(project: Project) -> None:
    response = as_user(member(project, "annotator")).get(f"/api/projects/{project.pk}/")

    assert response.status_code == 200
    assert response.json()["role"] == "annotator"


def test_non_integer_ids_are_404(owner_api: APIClient) -> None:
    assert owner_api.get("/api/projects/abc/").status_code == 404


def test_user_with_no_projects_sees_an_empty_list() -> None:
    response = as_user(new_user()).get("/api/projects/")

    assert response.json()["count"] == 0


RATED: list[dict[str, Any]] = [
    {"id": "pref", "kind": "pairwise"},
    {"id": "quality", "kind": "rating", "dimensions": [{"id": "h", "min": 1, "max": 5}]},
]


def labeled_project() -> tuple[Project, APIClient]:
    """A project with one submitted annotation that rated candidate a 5 and preferred b."""
    project = project_with_items(1, questions=RATED)
    item = project.items.get()
    Annotation.objects.create(
        project=project, item=item, annotator=new_user(), status=AnnotationStatus.SUBMITTED,
        display_order=["a", "b"],
        answers={"pref": {"winner": "b"}, "quality": {"scores": {"a": {"h": 5}, "b": {"h": 2}}}},
    )  # fmt: skip
    return project, as_user(member(project, Role.MANAGER))


def with_changed_quality(**dimension: Any) -> list[dict[str, Any]]:
    return [RATED[0], {**RATED[1], "dimensions": [{"id": "h", "min": 1, "max": 5, **dimension}]}]


@pytest.mark.parametrize(
    ("questions", "where"),
    [
        (with_changed_quality(max=4), "1"),  # the stored 5 is off the new scale
        ([RATED[0], {"id": "quality", "kind": "labels", "options": ["x"]}], "1"),  # another kind
        ([RATED[1], {"id": "pref", "kind": "pairwise", "tie": False}], None),  # fine: no tie given
        ([RATED[0]], "non_field_errors"),  # removing a question that has answers
    ],
)
def test_questions_cannot_change_under_existing_answers(
    questions: list[dict[str, Any]], where: str | None
) -> None:
    project, manager = labeled_project()

    response = manager.patch(
        f"/api/projects/{project.pk}/", {"questions": questions}, format="json"
    )

    if where is None:
        assert response.status_code == 200, response.json()
        return
    assert response.status_code == 400
    errors = response.json()["questions"][where]
    assert "1 existing annotation" in str(errors) or "cannot be removed" in str(errors)
    project.refresh_from_db()
    assert [q["id"] for q in project.questions] == ["pref", "quality"]
    assert project.questions[1]["dimensions"][0]["max"] == 5


def test_changes_that_keep_answers_valid_go_through() -> None:
    project, manager = labeled_project()
    questions = [
        {**RATED[0], "prompt": "Which is better?"},
        with_changed_quality(max=10)[1],
        {"id": "note", "kind": "text", "required": False},
    ]

    response = manager.patch(
        f"/api/projects/{project.pk}/", {"questions": questions}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert [q["id"] for q in response.json()["questions"]] == ["pref", "quality", "note"]
