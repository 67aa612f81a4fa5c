"""Judge batches' leases: recovery of dead workers' batches, database outages, endless retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from annotator.jobs import QueueUnavailable
from annotator.models import Project
from judges import execution
from judges import services as judge_services
from judges.models import BatchStatus, JudgeBatch, JudgeRun, Prediction, RunStatus
from judges.services import judge_runs_recover
from tests.annotator.labeling import project_with_items
from tests.judges.fake_openai import FakeOpenAI, with_logprobs
from tests.judges.test_judge_workers import slow_judge

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(with_logprobs({"A": 0.7, "B": 0.3})) as fake:
        yield fake


@pytest.fixture
def project() -> Project:
    return project_with_items(4, questions=[{"id": "pref", "kind": "pairwise", "tie": True}])


def a_run(server: FakeOpenAI, project: Project) -> tuple[JudgeRun, list[JudgeBatch]]:
    with override_settings(MOOT_JUDGE_BATCH_ITEMS=2):
        run = JudgeRun.objects.get(pk=slow_judge(server, project))
    return run, list(run.batches.order_by("index"))


def held(batch: JudgeBatch, *, lease_s: float, attempts: int = 1) -> None:
    """As if a worker had claimed ``batch``, with a lease ending ``lease_s`` from now."""
    batch.status, batch.worker, batch.attempts = BatchStatus.RUNNING, "host:1", attempts
    batch.lease_until = timezone.now() + timedelta(seconds=lease_s)
    batch.save()
    JudgeRun.objects.filter(pk=batch.run_id).update(status=RunStatus.RUNNING)


def test_recovery_queues_only_batches_whose_lease_ran_out(
    server: FakeOpenAI, project: Project
) -> None:
    run, (stale, live) = a_run(server, project)
    held(stale, lease_s=-1)
    held(live, lease_s=60)

    assert judge_runs_recover() == 1

    statuses = dict(JudgeBatch.objects.filter(run=run).values_list("pk", "status"))
    assert statuses == {stale.pk: "pending", live.pk: "running"}
    assert judge_runs_recover() == 0


def test_a_cancelled_runs_batches_are_not_recovered(server: FakeOpenAI, project: Project) -> None:
    run, (stale, _) = a_run(server, project)
    held(stale, lease_s=-1)
    JudgeRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED)

    assert judge_runs_recover() == 0


def test_recovery_with_the_broker_down_leaves_the_batch_for_the_next_try(
    server: FakeOpenAI, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (stale, _) = a_run(server, project)
    held(stale, lease_s=-1)

    def down(*args: Any, **kwargs: Any) -> None:
        raise QueueUnavailable("connection refused")

    monkeypatch.setattr(judge_services, "enqueue", down)
    with pytest.raises(QueueUnavailable):
        judge_runs_recover()

    stale.refresh_from_db()
    assert stale.status == "running"
    monkeypatch.undo()
    assert judge_runs_recover() == 1


def test_a_database_outage_mid_batch_hands_it_back_without_failing_the_run(
    server: FakeOpenAI, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, (first, _) = a_run(server, project)
    real_store = execution._store

    def lost_connection(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(execution, "_store", lost_connection)
    execution.judge_batch_run(batch_id=first.pk, worker="host:1")

    first.refresh_from_db()
    run.refresh_from_db()
    assert (first.status, run.status, run.error) == ("running", "running", "")
    assert first.lease_until is not None
    assert first.lease_until <= timezone.now()

    monkeypatch.setattr(execution, "_store", real_store)
    assert judge_runs_recover() == 1
    execution.judge_batch_run(batch_id=first.pk, worker="host:2")
    first.refresh_from_db()
    assert (first.status, first.attempts, first.done_items) == ("done", 2, 2)
    assert Prediction.objects.filter(run=run).count() == 2


def test_an_error_of_the_judge_still_fails_the_run(
    server: FakeOpenAI, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    run, (first, _) = a_run(server, project)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ValueError("the model answered nonsense")

    monkeypatch.setattr(execution, "_store", broken)
    execution.judge_batch_run(batch_id=first.pk, worker="host:1")

    run.refresh_from_db()
    assert run.status == "failed"
    assert "nonsense" in run.error


@override_settings(MOOT_TASK_MAX_ATTEMPTS=3)
def test_a_batch_interrupted_too_often_fails_the_run_with_a_reason(
    server: FakeOpenAI, project: Project
) -> None:
    run, (first, _) = a_run(server, project)
    held(first, lease_s=-1, attempts=3)

    execution.judge_batch_run(batch_id=first.pk, worker="host:2")

    run.refresh_from_db()
    assert run.status == "failed"
    assert "Batch 0 was interrupted 3 times" in run.error
    assert not Prediction.objects.filter(run=run).exists()
