"""The stored report: debounced refreshes, staleness, scopes, and the API that serves it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotator.analytics.extract import Scope
from annotator.analytics.schema import ModelLeaderboards, Report
from annotator.models import MetricsSnapshot, Role
from annotator.services import metrics
from annotator.services.metrics import metrics_get, metrics_refresh, metrics_touch
from tests.annotator.analytics.builders import answer, full_answer, labelled_project
from tests.annotator.labeling import client_for
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Tasks the service publishes (the broker itself is exercised by the worker tests)."""
    published: list[dict[str, Any]] = []

    def record(name: str, *, countdown: float | None = None, **kwargs: Any) -> None:
        published.append({"name": name, "countdown": countdown, **kwargs})

    monkeypatch.setattr(metrics, "enqueue", record)
    return published


def test_a_burst_of_changes_queues_one_refresh(queued: list[dict[str, Any]]) -> None:
    project, _, _ = labelled_project()

    for _ in range(5):
        metrics_touch(project_id=project.pk)

    assert len(queued) == 1
    assert queued[0]["name"] == "workers.metrics_refresh"
    snapshot = MetricsSnapshot.objects.get(project=project, scope_key="")
    assert queued[0]["snapshot_id"] == snapshot.pk
    assert snapshot.queued_at is not None


def test_refresh_stores_the_report_and_frees_the_queue(queued: list[dict[str, Any]]) -> None:
    project, (i0, _, _), (p0, p1, _) = labelled_project()
    answer(project, i0, p0, full_answer("a", (5, 2), "yes", []))
    answer(project, i0, p1, full_answer("a", (5, 2), "yes", []))
    metrics_touch(project_id=project.pk)

    metrics_refresh(snapshot_id=queued[0]["snapshot_id"])

    snapshot = MetricsSnapshot.objects.get(project=project, scope_key="")
    assert snapshot.queued_at is None
    assert snapshot.computed_at is not None
    assert snapshot.report is not None
    assert snapshot.report["progress"] == {
        "items": 3, "items_done": 0, "annotations": 2, "annotators": 2,
    }  # fmt: skip
    assert snapshot.report["parts"][0]["values"] == 2
    metrics_touch(project_id=project.pk)  # the next change queues the next refresh
    assert len(queued) == 2


def test_a_change_during_a_refresh_queues_another(
    queued: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = labelled_project()
    metrics_touch(project_id=project.pk)
    compute = metrics.metrics_compute

    def compute_while_someone_submits(**kwargs: Any) -> dict[str, Any]:
        metrics_touch(project_id=project.pk)  # queued already: no new task yet
        return compute(**kwargs)

    monkeypatch.setattr(metrics, "metrics_compute", compute_while_someone_submits)
    metrics_refresh(snapshot_id=queued[0]["snapshot_id"])

    assert len(queued) == 2
    snapshot = MetricsSnapshot.objects.get(project=project, scope_key="")
    assert snapshot.queued_at is not None
    assert snapshot.computed_at is not None
    assert snapshot.requested_at > snapshot.computed_at


def test_a_lost_refresh_is_queued_again(queued: list[dict[str, Any]]) -> None:
    project, _, _ = labelled_project()
    metrics_touch(project_id=project.pk)
    MetricsSnapshot.objects.update(queued_at=timezone.now() - timedelta(hours=1))

    metrics_touch(project_id=project.pk)

    assert len(queued) == 2


def test_a_failed_refresh_is_recorded(
    queued: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = labelled_project()
    metrics_touch(project_id=project.pk)

    def broken(**_: Any) -> dict[str, Any]:
        raise ArithmeticError("bad data")

    monkeypatch.setattr(metrics, "metrics_compute", broken)
    metrics_refresh(snapshot_id=queued[0]["snapshot_id"])

    snapshot = MetricsSnapshot.objects.get(project=project, scope_key="")
    assert snapshot.error == "ArithmeticError: bad data"
    assert snapshot.queued_at is None
    assert snapshot.report is None


def test_each_scope_has_its_own_report(queued: list[dict[str, Any]]) -> None:
    project, _, (p0, _, _) = labelled_project()

    everyone = metrics_get(project=project, scope=Scope())
    one = metrics_get(project=project, scope=Scope(annotators=(p0.pk,)))
    again = metrics_get(project=project, scope=Scope(annotators=(p0.pk,)))

    assert everyone.pk != one.pk
    assert one.pk == again.pk
    assert one.scope == {"annotators": [p0.pk]}
    assert [task["snapshot_id"] for task in queued] == [everyone.pk, one.pk]


def test_metrics_api_answers_computing_then_the_report(queued: list[dict[str, Any]]) -> None:
    project, (i0, _, _), (p0, _, _) = labelled_project()
    answer(project, i0, p0, full_answer("a", (5, 2), "yes", []))
    client = client_for(member(project, Role.MANAGER))

    first = client.get(f"/api/projects/{project.pk}/metrics/")
    metrics_refresh(snapshot_id=queued[-1]["snapshot_id"])
    second = client.get(f"/api/projects/{project.pk}/metrics/")
    board = client.get(f"/api/projects/{project.pk}/leaderboard/")

    assert first.status_code == 202
    assert first.json()["status"] == "computing"
    assert first.json()["report"] is None
    assert second.status_code == 200
    assert second.json()["status"] == "ready"
    assert second.json()["report"]["progress"]["annotations"] == 1
    Report.model_validate(second.json()["report"])  # the documented shape
    assert board.status_code == 200
    ModelLeaderboards.model_validate(board.json()["leaderboards"])
    assert board.json()["leaderboards"][0]["question"] == "pref"


def test_metrics_api_marks_a_report_stale_after_a_change(queued: list[dict[str, Any]]) -> None:
    project, _, _ = labelled_project()
    client = client_for(member(project, Role.MANAGER))
    client.get(f"/api/projects/{project.pk}/metrics/")
    metrics_refresh(snapshot_id=queued[-1]["snapshot_id"])
    metrics_touch(project_id=project.pk)

    body = client.get(f"/api/projects/{project.pk}/metrics/").json()

    assert body["status"] == "stale"
    assert body["report"] is not None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=yesterday", "since"),
        ("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until"),
        ("annotator=me", "annotator"),
        ("meta=novalue", "meta"),
        ("meta=bad key:1", "meta"),
    ],
)
def test_metrics_api_refuses_bad_filters(
    query: str, field: str, queued: list[dict[str, Any]]
) -> None:
    project, _, _ = labelled_project()
    client = client_for(member(project, Role.MANAGER))

    response = client.get(f"/api/projects/{project.pk}/metrics/?{query}")

    assert response.status_code == 400
    assert field in response.json()
    assert queued == []


def test_metrics_api_scopes_by_filters(queued: list[dict[str, Any]]) -> None:
    project, (i0, _, _), (p0, p1, _) = labelled_project()
    project.items.filter(pk=i0.pk).update(meta={"domain": "code"})
    answer(project, i0, p0, full_answer("a", (5, 2), "yes", []))
    answer(project, i0, p1, full_answer("b", (5, 2), "yes", []))
    client = client_for(member(project, Role.MANAGER))
    url = f"/api/projects/{project.pk}/metrics/?annotator={p1.pk}&meta=domain:code"

    client.get(url)
    metrics_refresh(snapshot_id=queued[-1]["snapshot_id"])
    body = client.get(url).json()

    assert body["scope"] == {"annotators": [p1.pk], "meta": [["domain", "code"]]}
    assert body["report"]["progress"]["annotators"] == 1


@pytest.mark.parametrize("role", [Role.ANNOTATOR, Role.REVIEWER])
def test_metrics_are_for_managers(role: str, queued: list[dict[str, Any]]) -> None:
    project, _, _ = labelled_project()
    client = client_for(member(project, role))

    assert client.get(f"/api/projects/{project.pk}/metrics/").status_code == 403
    assert client.get(f"/api/projects/{project.pk}/leaderboard/").status_code == 403


def test_metrics_of_another_project_are_not_found(queued: list[dict[str, Any]]) -> None:
    project, _, _ = labelled_project()
    other, _, _ = labelled_project()
    client = client_for(member(other, Role.OWNER))

    assert client.get(f"/api/projects/{project.pk}/metrics/").status_code == 404


def test_drilldown_lists_the_items_behind_a_figure(queued: list[dict[str, Any]]) -> None:
    project, (i0, i1, i2), (p0, p1, p2) = labelled_project()
    for item, winners in ((i0, "aab"), (i1, "aaa"), (i2, "bb")):
        for person, winner in zip((p0, p1, p2), winners, strict=False):
            answer(project, item, person, full_answer(winner, (4, 2), "yes", []))
    client = client_for(member(project, Role.MANAGER))
    url = f"/api/projects/{project.pk}/metrics/items/?part=pref"

    everything = client.get(url).json()
    dissent = client.get(f"{url}&member={p2.pk}&disagree=true").json()
    pair = client.get(f"{url}&member={p0.pk}&other={p2.pk}&disagree=true").json()

    assert everything["count"] == 3
    assert [row["external_id"] for row in everything["items"]] == [
        i0.external_id, i1.external_id, i2.external_id,
    ]  # fmt: skip
    assert [row["id"] for row in dissent["items"]] == [i0.pk]  # b against the others' a
    assert [row["id"] for row in pair["items"]] == [i0.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "part"),
        ("part=nope", "part"),
        ("part=pref&member=x", "member"),
        ("part=pref&annotator=x", "annotator"),
    ],
)
def test_drilldown_refuses_bad_parameters(query: str, field: str) -> None:
    project, _, _ = labelled_project()
    client = client_for(member(project, Role.MANAGER))

    response = client.get(f"/api/projects/{project.pk}/metrics/items/?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_reports_of_filters_nobody_opens_are_dropped(queued: list[dict[str, Any]]) -> None:
    project, _, (p0, p1, _) = labelled_project()
    metrics_get(project=project, scope=Scope(annotators=(p0.pk,)))
    kept = metrics_get(project=project, scope=Scope(annotators=(p1.pk,)))
    MetricsSnapshot.objects.exclude(pk=kept.pk).update(
        viewed_at=timezone.now() - timedelta(days=2), queued_at=None
    )
    MetricsSnapshot.objects.filter(pk=kept.pk).update(queued_at=None)
    metrics_touch(project_id=project.pk)

    metrics_refresh(snapshot_id=queued[-1]["snapshot_id"])

    left = MetricsSnapshot.objects.filter(project=project).values_list("scope_key", flat=True)
    assert sorted(left) == sorted(["", kept.scope_key])  # p0's view, unopened for 2 days, is gone
