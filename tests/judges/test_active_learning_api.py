"""The active-learning endpoints: who may do what, and bad input answered with 400s."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from annotator.jobs import QueueUnavailable
from annotator.models import Role
from judges.models import ActiveLearning, HeadVersion, Judge
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db


def url(project_id: int, tail: str = "") -> str:
    return f"/api/projects/{project_id}/active-learning/{tail}"


def head(project: Any, name: str = "head") -> Judge:
    return Judge.objects.create(
        project=project, name=name, kind="preference_head", config={}, questions=["pref"]
    )


def test_reviewers_read_and_managers_change() -> None:
    project = project_with_items(2)
    judge = head(project)
    reviewer = client_for(member(project, Role.REVIEWER))

    page = reviewer.get(url(project.pk))
    assert page.status_code == 200
    body = page.json()
    assert body["head"] == judge.pk
    assert body["strategies"] == {"uncertainty": 1.0}
    assert (body["labels"], body["history"], body["queue"], body["training"]) == (0, [], [], False)
    assert body["uses_priorities"] is False  # the project hands out items sequentially

    assert reviewer.patch(url(project.pk), {"retrain_every": 5}, format="json").status_code == 403
    assert reviewer.post(url(project.pk, "retrain/")).status_code == 403
    annotator = client_for(member(project, Role.ANNOTATOR))
    assert annotator.get(url(project.pk)).status_code == 403
    assert client_for(new_user()).get(url(project.pk)).status_code == 404

    manager = client_for(member(project, Role.MANAGER))
    changed = manager.patch(
        url(project.pk),
        {"strategies": {"uncertainty": 0.5, "human_disagreement": 0.5}, "retrain_every": 25},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    active = ActiveLearning.objects.get(project=project)
    assert active.strategies == {"uncertainty": 0.5, "human_disagreement": 0.5}
    assert active.retrain_every == 25


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strategies": {"telepathy": 1}}, "strategies"),
        ({"strategies": {"uncertainty": -1}}, "strategies"),
        ({"strategies": {"uncertainty": 0, "random": 0}}, "strategies"),
        ({"strategies": "uncertainty"}, "strategies"),
        ({"retrain_every": -1}, "retrain_every"),
        ({"retrain_every": "often"}, "retrain_every"),
        ({"extra_labels": 11}, "extra_labels"),
        ({"seed": 2**40}, "seed"),
        ({"head": 999_999}, "head"),
    ],
)
def test_bad_settings_are_400s_naming_the_field(body: dict[str, Any], field: str) -> None:
    project = project_with_items(1)
    manager = client_for(member(project, Role.MANAGER))
    assert manager.get(url(project.pk)).status_code == 200
    answer = manager.patch(url(project.pk), body, format="json")
    assert answer.status_code == 400, answer.json()
    assert field in answer.json()
    assert ActiveLearning.objects.get(project=project).retrain_every == 50  # nothing written


def test_the_head_must_be_a_preference_head_of_this_project() -> None:
    project, other = project_with_items(1), project_with_items(1)
    manager = client_for(member(project, Role.MANAGER))
    foreign = head(other)
    assert manager.patch(url(project.pk), {"head": foreign.pk}, format="json").status_code == 400
    llm = Judge.objects.create(project=project, name="llm", kind="local_llm", config={})
    answer = manager.patch(url(project.pk), {"head": llm.pk}, format="json")
    assert answer.status_code == 400
    assert "head" in answer.json()


def test_retraining_needs_a_head_and_a_broker() -> None:
    project = project_with_items(1)
    manager = client_for(member(project, Role.MANAGER))
    answer = manager.post(url(project.pk, "retrain/"))
    assert answer.status_code == 400
    assert "head" in answer.json()

    head(project)
    ActiveLearning.objects.filter(project=project).delete()
    with mock.patch("judges.active.enqueue", side_effect=QueueUnavailable("down")):
        answer = manager.post(url(project.pk, "retrain/"))
    assert answer.status_code == 503
    assert ActiveLearning.objects.get(project=project).train_queued_at is None
    with mock.patch("judges.active.enqueue") as enqueue:
        first = manager.post(url(project.pk, "retrain/"))
        again = manager.post(url(project.pk, "retrain/"))
    assert (first.status_code, first.json()) == (202, {"queued": True})
    assert (again.status_code, again.json()) == (202, {"queued": False})  # one is queued
    enqueue.assert_called_once()


def test_history_lists_versions_oldest_first() -> None:
    project = project_with_items(1)
    judge = head(project)
    for number, accuracy in ((1, 0.6), (2, 0.7), (3, 0.75)):
        HeadVersion.objects.create(
            judge=judge, project=project, number=number, encoder="x", model=b"",
            labels=10 * number, pairs=10 * number, cv_accuracy=accuracy,
        )  # fmt: skip
    page = client_for(member(project, Role.REVIEWER)).get(url(project.pk)).json()
    assert [(v["number"], v["labels"], v["cv_accuracy"]) for v in page["history"]] == [
        (1, 10, 0.6), (2, 20, 0.7), (3, 30, 0.75),
    ]  # fmt: skip


def test_a_head_judge_is_created_with_its_defaults_and_limited_to_comparisons() -> None:
    project = project_with_items(
        1,
        questions=[
            {"id": "pref", "kind": "pairwise"},
            {"id": "score", "kind": "rating", "dimensions": [{"id": "overall"}]},
        ],
    )
    manager = client_for(member(project, Role.MANAGER))
    made = manager.post(
        f"/api/projects/{project.pk}/judges/",
        {"name": "head", "kind": "preference_head", "config": {}, "questions": ["pref"]},
        format="json",
    )
    assert made.status_code == 201, made.json()
    config = made.json()["config"]
    assert (config["encoder"], config["features"], config["folds"]) == (
        "all-MiniLM-L6-v2", "candidate_prompt", 5,
    )  # fmt: skip
    rating = manager.post(
        f"/api/projects/{project.pk}/judges/",
        {"name": "h2", "kind": "preference_head", "config": {"l2": -1}, "questions": ["score"]},
        format="json",
    )
    assert rating.status_code == 400
    assert "cannot answer rating" in str(rating.json()["questions"])
    assert "l2" in rating.json()["config"]
    untrained = manager.post(f"/api/judges/{made.json()['id']}/runs/", {}, format="json")
    assert untrained.status_code == 400
    assert "not been trained" in str(untrained.json())
