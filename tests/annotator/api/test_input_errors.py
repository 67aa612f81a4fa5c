"""Inputs the schema fuzzing found answered with a 500 or accepted against the schema: each is a
400 naming the field now (or a JSON 404 for a path no route matches)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.models import Project, Role
from judges.models import Judge, JudgeKind, JudgeRun, RunStatus
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    return project_with_items(2)


@pytest.fixture
def manager(project: Project) -> APIClient:
    return client_for(member(project, Role.MANAGER))


def test_a_path_no_route_matches_gets_the_apis_json_404(manager: APIClient) -> None:
    response = manager.get("/api/projects/not-a-number/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def schema_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation with an id in its path."""
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if "{" in path and method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.parametrize("digits", [19, 30])
def test_an_id_too_large_for_any_database_is_a_404_everywhere(
    manager: APIClient, project: Project, digits: int
) -> None:
    """On every backend: SQLite once raised OverflowError (a 500) for ids past 64 bits."""
    huge = "9" * digits
    operations = schema_operations()
    assert len(operations) > 30
    answers = {}
    for method, template in operations:
        path = re.sub(r"\{[^}]+\}", huge, template)
        answers[(method, template)] = manager.generic(method, path).status_code
        # With the project real and the other ids huge, too.
        path = template.replace("{project_id}", str(project.pk))
        path = re.sub(r"\{[^}]+\}", huge, path)
        if "{" in template.replace("{project_id}", ""):
            answers[(method, f"{template} (real project)")] = manager.generic(
                method, path
            ).status_code

    assert {key: status for key, status in answers.items() if status != 404} == {}


def test_pages_outside_the_api_keep_djangos_404(manager: APIClient) -> None:
    response = manager.get("/static/nothing-here.css")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('{"name": "a\\u0000b", "questions": [{"id": "q", "kind": "text"}]}', "NUL"),
        ('{"name": "a\\ud800b", "questions": [{"id": "q", "kind": "text"}]}', "surrogates"),
        ('{"name": "x", "questions": [{"id": "q", "kind": "text", "help": "\\u0000"}]}', "NUL"),
    ],
)
def test_json_text_the_database_cannot_store_is_refused(
    owner_api: APIClient, body: str, problem: str
) -> None:
    response = owner_api.post("/api/projects/", data=body, content_type="application/json")

    assert response.status_code == 400
    assert problem in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_question_field_of_the_wrong_json_type_is_refused(owner_api: APIClient) -> None:
    questions = [{"id": "q", "kind": "text", "required": 0}]

    response = owner_api.post(
        "/api/projects/", {"name": "p", "questions": questions}, format="json"
    )

    assert response.status_code == 400
    assert "required" in response.json()["questions"]["0"]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("items/", {"gold": "maybe"}, "gold"),
        ("items/", {"status": ""}, "status"),
        ("items/", {"min_annotations": ""}, "min_annotations"),
        ("annotations/", {"status": "AAA"}, "status"),
        ("annotations/", {"review_status": "later"}, "review_status"),
        ("records/", {"aggregation": ""}, "aggregation"),
        ("metrics/", {"until": ""}, "until"),
        ("metrics/", {"since": "2024-02-30T00:00:00"}, "since"),
        ("metrics/", {"since": "0001-01-01T00:00:00+23:59"}, "since"),
        ("metrics/items/", {"part": "pref", "disagree": "yes"}, "disagree"),
    ],
)
def test_a_query_parameter_that_is_not_a_documented_value_is_named(
    manager: APIClient, project: Project, path: str, query: dict[str, Any], field: str
) -> None:
    response = manager.get(f"/api/projects/{project.pk}/{path}", query)

    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_time_offset_postgresql_cannot_store_is_read_in_utc(
    manager: APIClient, project: Project
) -> None:
    response = manager.get(
        f"/api/projects/{project.pk}/metrics/", {"since": "2024-10-17T16:29:38-19:14"}
    )

    assert response.status_code in {200, 202}, response.content
    assert response.json()["scope"]["since"].startswith("2024-10-18T11:43:38")


def test_a_prediction_filter_that_is_not_a_boolean_is_named(
    manager: APIClient, project: Project
) -> None:
    judge = Judge.objects.create(
        project=project, name="rm", kind=JudgeKind.REWARD_MODEL, questions=["pref"]
    )
    run = JudgeRun.objects.create(judge=judge, project=project, status=RunStatus.DONE)

    response = manager.get(f"/api/judge-runs/{run.pk}/predictions/", {"failed": "null"})

    assert response.status_code == 400
    assert "failed" in response.json()


@pytest.mark.django_db
def test_an_empty_page_number_is_refused_like_any_unreadable_one() -> None:
    client = client_for(new_user())

    assert client.get("/api/projects/?page=").status_code == 404
    assert client.get("/api/projects/?page=abc").status_code == 404
    assert client.get("/api/projects/?page=1").status_code == 200
