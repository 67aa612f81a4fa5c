"""Configuring judges and starting runs through the API (no worker: the queue is inspected)."""

from __future__ import annotations

from typing import Any

import pytest
from celery import current_app
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError

from annotator.models import Project, Role
from judges.models import BatchStatus, Judge, JudgeBatch, JudgeRun, RunStatus
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    {"id": "pref", "kind": "pairwise"},
    {"id": "rank", "kind": "ranking"},
    {"id": "rub", "kind": "rubric", "criteria": [{"id": "c", "text": "Correct"}]},
    {"id": "note", "kind": "text", "required": False},
]


@pytest.fixture
def project() -> Project:
    return project_with_items(5, questions=QUESTIONS)


def manager_of(project: Project) -> Any:
    return client_for(member(project, Role.MANAGER))


def create(project: Project, **body: Any) -> Any:
    payload = {"name": "rm", "kind": "reward_model", "config": {"model": "/models/rm"}}
    payload["questions"] = ["pref"]
    payload.update(body)
    return manager_of(project).post(f"/api/projects/{project.pk}/judges/", payload, format="json")


def test_a_manager_adds_each_kind_of_judge_with_defaults_filled_in(project: Project) -> None:
    rm = create(project, questions=["pref", "rank"])
    llm = create(project, name="llm", kind="local_llm", questions=["pref", "rub"])
    api = create(
        project,
        name="api",
        kind="api",
        config={"base_url": "http://127.0.0.1:8001/v1", "model": "m", "api_key_env": "JUDGE_KEY"},
    )

    assert (rm.status_code, llm.status_code, api.status_code) == (201, 201, 201), api.json()
    assert rm.json()["config"]["dtype"] == "auto"
    assert llm.json()["config"]["position_swap"] is True
    assert api.json()["config"]["max_concurrency"] == 8


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"config": {}}, "config", "model"),
        ({"config": {"model": "m", "dtype": "int3"}}, "config", "dtype"),
        (
            {"kind": "api", "config": {"base_url": "http://x/v1", "model": "m", "api_key": "sk-1"}},
            "config",
            "Keys are not stored",
        ),
        (
            {"kind": "local_llm", "config": {"model": "m", "templates": {"pairwise": "{nope}"}}},
            "config",
            "unknown field {nope}",
        ),
        ({"questions": ["missing"]}, "questions", "no such question"),
        ({"questions": ["rub"]}, "questions", "cannot answer rubric"),
        ({"kind": "api", "questions": ["note"]}, "questions", "cannot answer text"),
        ({"questions": []}, "questions", "at least one"),
        ({"kind": "oracle"}, "kind", "not a valid choice"),
    ],
)
def test_bad_judges_are_refused_naming_the_field(
    project: Project, body: dict[str, Any], field: str, message: str
) -> None:
    response = create(project, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert message in str(response.json()[field])
    assert not Judge.objects.filter(project=project).exists()


def test_keys_never_reach_the_database(project: Project) -> None:
    create(
        project,
        kind="api",
        config={"base_url": "http://x/v1", "model": "m", "api_key": "sk-secret-123"},
    )

    assert "sk-secret-123" not in str(list(Judge.objects.values()))


def test_names_are_unique_per_project(project: Project) -> None:
    assert create(project).status_code == 201
    assert create(project).status_code == 400


def test_who_may_see_and_change_judges(project: Project) -> None:
    judge_id = create(project).json()["id"]
    annotator = client_for(member(project, Role.ANNOTATOR))
    reviewer = client_for(member(project, Role.REVIEWER))
    stranger = client_for(new_user())

    assert annotator.get(f"/api/projects/{project.pk}/judges/").status_code == 403
    assert reviewer.get(f"/api/projects/{project.pk}/judges/").status_code == 200
    assert reviewer.get(f"/api/judges/{judge_id}/").status_code == 200
    assert reviewer.post(f"/api/judges/{judge_id}/runs/", {}, format="json").status_code == 403
    assert reviewer.delete(f"/api/judges/{judge_id}/").status_code == 403
    assert stranger.get(f"/api/judges/{judge_id}/").status_code == 404
    assert stranger.get(f"/api/projects/{project.pk}/judges/").status_code == 404


def test_a_judge_is_changed_and_checked_again(project: Project) -> None:
    judge_id = create(project).json()["id"]
    client = manager_of(project)

    ok = client.patch(f"/api/judges/{judge_id}/", {"questions": ["pref", "rank"]}, format="json")
    bad = client.patch(f"/api/judges/{judge_id}/", {"questions": ["rub"]}, format="json")

    assert ok.status_code == 200
    assert ok.json()["questions"] == ["pref", "rank"]
    assert bad.status_code == 400
    assert Judge.objects.get(pk=judge_id).questions == ["pref", "rank"]


@override_settings(MOOT_JUDGE_BATCH_ITEMS=2)
@pytest.mark.parametrize(
    ("scope", "expected_items"),
    [
        (None, 5),
        ({"kind": "all"}, 5),
        ({"kind": "unlabeled"}, 4),
        ({"kind": "filter", "filter": {"external_id": "item-00003"}}, 1),
        ({"kind": "filter", "filter": {"min_annotations": 1}}, 1),
    ],
)
def test_a_run_is_planned_in_batches_over_its_scope(
    project: Project, scope: dict[str, Any] | None, expected_items: int
) -> None:
    first = project.items.order_by("id").first()
    assert first is not None
    first.annotation_count = 1
    first.save()
    judge_id = create(project).json()["id"]
    body = {} if scope is None else {"scope": scope}

    response = manager_of(project).post(f"/api/judges/{judge_id}/runs/", body, format="json")

    assert response.status_code == 201, response.json()
    run = JudgeRun.objects.get(pk=response.json()["id"])
    batches = list(JudgeBatch.objects.filter(run=run))
    assert run.total_items == expected_items == response.json()["total_items"]
    assert len(batches) == (expected_items + 1) // 2
    assert sorted(pk for b in batches for pk in b.item_ids) == sorted(
        pk for b in batches for pk in set(b.item_ids)
    )
    assert all(b.status == BatchStatus.PENDING for b in batches)
    assert run.status == RunStatus.QUEUED
    assert run.questions == ["pref"]


@pytest.mark.parametrize(
    "scope",
    [
        {"kind": "everything"},
        {"kind": "filter"},
        {"kind": "filter", "filter": {"colour": "red"}},
        {"kind": "filter", "filter": {"status": "half"}},
        "all",
    ],
)
def test_bad_scopes_are_refused(project: Project, scope: Any) -> None:
    judge_id = create(project).json()["id"]

    response = manager_of(project).post(
        f"/api/judges/{judge_id}/runs/", {"scope": scope}, format="json"
    )

    assert response.status_code == 400
    assert "scope" in response.json()
    assert not JudgeRun.objects.exists()


def test_an_empty_scope_finishes_at_once(project: Project) -> None:
    judge_id = create(project).json()["id"]

    response = manager_of(project).post(
        f"/api/judges/{judge_id}/runs/",
        {"scope": {"kind": "filter", "filter": {"external_id": "nothing"}}},
        format="json",
    )

    assert response.json()["status"] == "done"
    assert response.json()["total_items"] == 0


def test_a_broker_that_is_down_fails_the_run_with_503(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    judge_id = create(project).json()["id"]

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(current_app, "send_task", refuse)
    response = manager_of(project).post(f"/api/judges/{judge_id}/runs/", {}, format="json")

    assert response.status_code == 503
    run = JudgeRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "unreachable" in run.error


def test_cancel_stops_a_queued_run_and_is_idempotent(project: Project) -> None:
    judge_id = create(project).json()["id"]
    client = manager_of(project)
    run_id = client.post(f"/api/judges/{judge_id}/runs/", {}, format="json").json()["id"]

    first = client.post(f"/api/judge-runs/{run_id}/cancel/")
    again = client.post(f"/api/judge-runs/{run_id}/cancel/")

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == "cancelled"
    assert client.get(f"/api/judges/{judge_id}/runs/").json()["results"][0]["id"] == run_id


def test_the_default_templates_are_served_with_their_fields(project: Project) -> None:
    response = manager_of(project).get("/api/judge-templates/")

    assert response.status_code == 200
    body = response.json()
    assert set(body["templates"]) == {"pairwise", "rating", "rubric", "rationale"}
    assert "{response_a}" in body["templates"]["pairwise"]
    assert "response_a" in body["template_fields"]["pairwise"]


def test_judges_list_their_latest_run(project: Project) -> None:
    judge_id = create(project).json()["id"]
    client = manager_of(project)
    assert client.get(f"/api/judges/{judge_id}/").json()["latest_run"] is None
    client.post(f"/api/judges/{judge_id}/runs/", {}, format="json")
    newest = client.post(f"/api/judges/{judge_id}/runs/", {}, format="json").json()

    listed = client.get(f"/api/projects/{project.pk}/judges/").json()

    assert listed[0]["latest_run"]["id"] == newest["id"]


def test_listing_judges_takes_the_same_queries_however_many_there_are(project: Project) -> None:
    client = manager_of(project)

    def queries_to_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/projects/{project.pk}/judges/").status_code == 200
        return len(captured)

    for n in range(3):
        judge_id = create(project, name=f"rm{n}").json()["id"]
        client.post(f"/api/judges/{judge_id}/runs/", {}, format="json")
        if n == 0:
            one = queries_to_list()

    assert queries_to_list() == one
