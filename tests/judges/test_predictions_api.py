"""Reading predictions: per run, per item (item browser) and as labeling suggestions."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.models import Item, Project, Role
from judges.models import Judge, JudgeRun, Prediction, RunStatus
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db


def judged(project: Project, name: str, *, winner: str, error: str = "") -> JudgeRun:
    judge, _ = Judge.objects.get_or_create(
        project=project, name=name, defaults={"kind": "reward_model", "questions": ["pref"]}
    )
    run = JudgeRun.objects.create(judge=judge, project=project, status=RunStatus.DONE)
    for item in project.items.all():
        Prediction.objects.create(
            run=run, judge=judge, project=project, item=item, question_id="pref",
            value=None if error else {"winner": winner}, probability=None if error else 0.8,
            error=error,
        )  # fmt: skip
    return run


def first_item(project: Project) -> Item:
    item = project.items.order_by("id").first()
    assert item is not None
    return item


def test_the_item_browser_gets_each_judges_latest_prediction() -> None:
    project = project_with_items(2)
    judged(project, "rm", winner="a")
    judged(project, "rm", winner="b")  # a later run of the same judge
    judged(project, "llm", winner="a")
    judged(project, "llm", winner="b", error="too long")  # the newest, even though it failed
    reviewer = client_for(member(project, Role.REVIEWER))

    response = reviewer.get(
        f"/api/projects/{project.pk}/items/{first_item(project).pk}/predictions/"
    )

    assert response.status_code == 200
    got = {(p["judge_name"], (p["value"] or {}).get("winner"), p["error"]) for p in response.json()}
    assert got == {("rm", "b", ""), ("llm", None, "too long")}


def test_item_predictions_are_for_reviewers_of_that_project() -> None:
    project = project_with_items(1)
    other = project_with_items(1)
    item = first_item(project)
    annotator = client_for(member(project, Role.ANNOTATOR))
    reviewer_elsewhere = client_for(member(other, Role.REVIEWER))
    reviewer = client_for(member(project, Role.REVIEWER))

    assert (
        annotator.get(f"/api/projects/{project.pk}/items/{item.pk}/predictions/").status_code == 403
    )
    assert (
        reviewer_elsewhere.get(
            f"/api/projects/{project.pk}/items/{item.pk}/predictions/"
        ).status_code
        == 404
    )
    assert reviewer.get(f"/api/projects/{other.pk}/items/{item.pk}/predictions/").status_code == 404


@pytest.mark.parametrize(
    ("settings", "shown"),
    [
        ({"suggestions": True, "blind": False}, True),
        ({"suggestions": True, "blind": True}, False),
        ({"suggestions": False, "blind": False}, False),
    ],
)
def test_suggestions_follow_the_project_settings(settings: dict[str, Any], shown: bool) -> None:
    project = project_with_items(1, **settings)
    judged(project, "rm", winner="a")
    annotator = member(project, Role.ANNOTATOR)
    client = client_for(annotator)
    assignment = client.post(f"/api/projects/{project.pk}/next/").json()["assignment"]["id"]

    response = client.get(f"/api/assignments/{assignment}/suggestions/")

    assert response.status_code == 200
    body = response.json()
    assert body["enabled"] is shown
    if shown:
        assert body["suggestions"] == [
            {
                "judge": Judge.objects.get().pk,
                "judge_name": "rm",
                "question_id": "pref",
                "value": {"winner": "a"},
                "probability": 0.8,
            }
        ]
    else:
        assert body["suggestions"] == []


def test_suggestions_skip_failed_predictions() -> None:
    project = project_with_items(1, suggestions=True, blind=False)
    judged(project, "llm", winner="a")
    judged(project, "llm", winner="b", error="too long")
    client = client_for(member(project, Role.ANNOTATOR))
    assignment = client.post(f"/api/projects/{project.pk}/next/").json()["assignment"]["id"]

    body = client.get(f"/api/assignments/{assignment}/suggestions/").json()

    assert [s["value"] for s in body["suggestions"]] == [{"winner": "a"}]


def test_suggestions_are_only_for_the_assignments_owner() -> None:
    project = project_with_items(1, suggestions=True, blind=False)
    client = client_for(member(project, Role.ANNOTATOR))
    assignment = client.post(f"/api/projects/{project.pk}/next/").json()["assignment"]["id"]

    assert (
        client_for(new_user()).get(f"/api/assignments/{assignment}/suggestions/").status_code == 404
    )
    assert (
        client_for(member(project, Role.ANNOTATOR))
        .get(f"/api/assignments/{assignment}/suggestions/")
        .status_code
        == 404
    )


def test_run_predictions_filter_by_item_question_and_failure() -> None:
    project = project_with_items(3)
    run = judged(project, "rm", winner="a")
    Prediction.objects.filter(run=run, item=first_item(project)).update(value=None, error="boom")
    client = client_for(member(project, Role.REVIEWER))

    everything = client.get(f"/api/judge-runs/{run.pk}/predictions/").json()
    failed = client.get(f"/api/judge-runs/{run.pk}/predictions/?failed=true").json()
    one = client.get(f"/api/judge-runs/{run.pk}/predictions/?item={first_item(project).pk}").json()
    bad = client.get(f"/api/judge-runs/{run.pk}/predictions/?item=abc")

    assert everything["count"] == 3
    assert [p["error"] for p in failed["results"]] == ["boom"]
    assert one["count"] == 1
    assert bad.status_code == 400
