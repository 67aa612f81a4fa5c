"""The active-learning loop through a real Celery worker: labels → training → run → priorities."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.models import AssignmentOrder, Item, Role
from judges.models import ActiveLearning, HeadVersion, JudgeRun, Prediction, RunStatus
from tests.annotator.labeling import client_for
from tests.factories import member
from tests.judges.preference_fixtures import head_judge, preference_project
from tests.stack import worker_process

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(check: Callable[[], Any], *, timeout: float = 120, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def label_through_api(project_id: int, client: Any, better: dict[str, str], count: int) -> None:
    for _ in range(count):
        body = client.post(f"/api/projects/{project_id}/next/", {}, format="json")
        assert body.status_code == 200, body.content
        data = body.json()
        winner = better[data["item"]["external_id"]]
        sent = client.post(
            f"/api/assignments/{data['assignment']['id']}/submit/",
            {"answers": {"pref": {"winner": winner}}, "time_spent_ms": 10},
            format="json",
        )
        assert sent.status_code in {200, 201}, sent.content


def settled(project_id: int, versions: int) -> ActiveLearning | None:
    """The settings once ``versions`` trainings ran, their runs finished and priorities followed."""
    active = ActiveLearning.objects.get(project_id=project_id)
    latest = HeadVersion.objects.filter(project_id=project_id).order_by("-number").first()
    if latest is None or latest.number < versions:
        return None
    run = JudgeRun.objects.filter(head_version=latest).first()
    if run is None or run.status != RunStatus.DONE:
        return None
    finished = run.finished_at
    if active.refreshed_at is None or finished is None or active.refreshed_at < finished:
        return None
    return active


def test_new_labels_retrain_the_head_and_reorder_the_queue(
    log_dir: Path, tiny_encoder: Path
) -> None:
    project, better = preference_project(24, assignment=AssignmentOrder.ACTIVE)
    head = head_judge(project, tiny_encoder, folds=2, min_pairs=4)
    manager = client_for(member(project, Role.MANAGER))
    changed = manager.patch(
        f"/api/projects/{project.pk}/active-learning/",
        {"head": head.pk, "strategies": {"uncertainty": 1}, "retrain_every": 6},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    annotator = client_for(member(project, Role.ANNOTATOR))

    with worker_process(log_dir) as worker:
        label_through_api(project.pk, annotator, better, 5)
        time.sleep(1)
        assert not HeadVersion.objects.exists()  # 5 of 6: not yet
        label_through_api(project.pk, annotator, better, 1)
        active = wait_until(lambda: settled(project.pk, 1), what="the first retraining")

        version = HeadVersion.objects.get(project=project)
        assert (version.reason, version.labels, version.pairs) == ("labels", 6, 6)
        run = JudgeRun.objects.get(head_version=version)
        assert Prediction.objects.filter(run=run, error="").count() == 24
        # Every open item got the head's uncertainty as its priority, highest first in `next`.
        open_items = Item.objects.filter(project=project, done=False)
        assert open_items.count() == 18
        assert len(set(open_items.values_list("priority", flat=True))) > 1
        assert active.queue[0]["priority"] == max(open_items.values_list("priority", flat=True))
        assert active.train_queued_at is None
        assert active.last_error == ""
        served = annotator.post(f"/api/projects/{project.pk}/next/", {}, format="json").json()
        assert served["item"]["id"] == active.queue[0]["item"]

        # On demand, whatever the count.
        queued = manager.post(f"/api/projects/{project.pk}/active-learning/retrain/")
        assert queued.status_code == 202
        assert queued.json() == {"queued": True}
        wait_until(lambda: settled(project.pk, 2), what="the manual retraining")
        assert HeadVersion.objects.get(project=project, number=2).reason == "manual"
        page = manager.get(f"/api/projects/{project.pk}/active-learning/").json()
        assert [v["number"] for v in page["history"]] == [1, 2]
        assert page["labels"] == 6
        assert page["labels_since_training"] == 0
        assert "Traceback" not in worker.output()


def test_too_few_labels_are_reported_not_crashed(log_dir: Path, tiny_encoder: Path) -> None:
    project, _ = preference_project(6)
    head_judge(project, tiny_encoder, min_pairs=50)
    manager = client_for(member(project, Role.MANAGER))
    with worker_process(log_dir):
        assert (
            manager.post(f"/api/projects/{project.pk}/active-learning/retrain/").status_code == 202
        )
        active = wait_until(
            lambda: (
                ActiveLearning.objects.filter(project=project, train_queued_at=None)
                .exclude(last_error="")
                .first()
            ),
            what="the training to give up",
        )
    assert "No human label" in active.last_error
    assert not HeadVersion.objects.exists()
