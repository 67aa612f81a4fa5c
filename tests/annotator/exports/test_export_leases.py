"""A build's lease: delivered twice, taken over from a dead worker, retried after an outage."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from annotator.exports.build import export_write
from annotator.jobs import QueueUnavailable
from annotator.models import Export, ExportStatus, Project
from annotator.services import exports as exports_service
from annotator.services.exports import (
    export_build,
    export_path,
    export_verify,
    exports_recover,
)
from tests.annotator.exports.builders import PAIRWISE, add_item, annotate, people, project_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    project = project_with(PAIRWISE)
    (person,) = people(1)
    for i in range(20):
        annotate(
            add_item(project, f"q{i}", {"a": f"A{i}", "b": f"B{i}"}),
            person,
            {"pref": {"winner": "a"}},
        )
    return project


def snapshot(project: Project, **fields: Any) -> Export:
    return Export.objects.create(
        project=project, options={"format": "preference"}, format="preference",
        file_type="jsonl", **fields,
    )  # fmt: skip


def ago(seconds: float) -> Any:
    return timezone.now() - timedelta(seconds=seconds)


def partials(export: Export) -> list[Path]:
    path = export_path(export)
    return sorted(path.parent.glob(f"{path.name}*.partial"))


def test_a_build_records_its_worker_and_clears_its_lease(project: Project) -> None:
    export = snapshot(project)

    export_build(export_id=export.pk, worker="host:1")

    export.refresh_from_db()
    assert (export.status, export.worker, export.attempts) == ("done", "host:1", 1)
    assert export.lease_until is None
    assert export_verify(export) == "ok"
    assert partials(export) == []


def test_a_second_delivery_leaves_a_live_build_alone(project: Project) -> None:
    lease = timezone.now() + timedelta(seconds=60)
    export = snapshot(project, status="running", worker="host:1", attempts=1, lease_until=lease)

    export_build(export_id=export.pk, worker="host:2")

    export.refresh_from_db()
    assert (export.status, export.worker, export.attempts) == ("running", "host:1", 1)
    assert not export_path(export).exists()


def test_a_build_whose_worker_died_is_built_again_from_the_start(project: Project) -> None:
    export = snapshot(
        project, status="running", worker="host:1", attempts=1, lease_until=ago(1), items_done=7
    )
    dead = export_path(export).with_name(export_path(export).name + ".1.partial")
    dead.write_bytes(b'{"half a row')  # what the dead worker left

    export_build(export_id=export.pk, worker="host:2")

    export.refresh_from_db()
    assert (export.status, export.worker, export.attempts) == ("done", "host:2", 2)
    assert export.items_done == export.items_total == 20
    assert export_verify(export) == "ok"
    assert partials(export) == []


def test_recovery_queues_only_builds_whose_lease_ran_out(project: Project) -> None:
    stale = snapshot(project, status="running", attempts=1, lease_until=ago(1))
    live = snapshot(project, status="running", attempts=1, lease_until=ago(-60))
    queued, done = snapshot(project), snapshot(project, status="done")

    assert exports_recover() == 1

    statuses = dict(Export.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: "queued",
        live.pk: "running",
        queued.pk: "queued",
        done.pk: "done",
    }
    assert Export.objects.get(pk=stale.pk).lease_until is None
    assert exports_recover() == 0


def test_recovery_with_the_broker_down_leaves_the_build_for_the_next_try(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = snapshot(project, status="running", attempts=1, lease_until=ago(1))

    def down(*args: Any, **kwargs: Any) -> None:
        raise QueueUnavailable("connection refused")

    monkeypatch.setattr(exports_service, "enqueue", down)
    with pytest.raises(QueueUnavailable):
        exports_recover()

    stale.refresh_from_db()
    assert stale.status == "running"  # rolled back with the failed publish
    monkeypatch.undo()
    assert exports_recover() == 1


def test_a_database_outage_mid_build_is_retried_not_failed(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = snapshot(project)

    def lost_connection(built: Any, target: Path, **kwargs: Any) -> Any:
        target.write_bytes(b"partial rows")
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(exports_service, "export_write", lost_connection)
    export_build(export_id=export.pk, worker="host:1")

    export.refresh_from_db()
    assert (export.status, export.error) == ("running", "")
    assert export.lease_until is not None
    assert export.lease_until <= timezone.now()  # given up: the next sweep takes it
    assert partials(export) == []
    monkeypatch.setattr(exports_service, "export_write", export_write)
    assert exports_recover() == 1
    export_build(export_id=export.pk, worker="host:2")
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("done", 2)


def test_an_error_in_the_data_fails_the_build_with_its_reason(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = snapshot(project)

    def broken(built: Any, target: Path, **kwargs: Any) -> Any:
        raise ValueError("a row the writer cannot encode")

    monkeypatch.setattr(exports_service, "export_write", broken)
    export_build(export_id=export.pk, worker="host:1")

    export.refresh_from_db()
    assert (export.status, export.error) == ("failed", "a row the writer cannot encode")
    assert export.lease_until is None
    assert exports_recover() == 0


@override_settings(MOOT_TASK_MAX_ATTEMPTS=3)
def test_a_build_interrupted_too_often_fails_with_a_reason(project: Project) -> None:
    export = snapshot(project, status="running", worker="host:1", attempts=3, lease_until=ago(1))

    export_build(export_id=export.pk, worker="host:2")

    export.refresh_from_db()
    assert export.status == "failed"
    assert "interrupted 3 times" in export.error
    assert not export_path(export).exists()


def test_a_build_taken_over_while_it_was_slow_leaves_the_file_to_the_new_one(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first worker stalled past its lease; another took the build over meanwhile."""
    export = snapshot(project)

    def stalled(built: Any, target: Path, **kwargs: Any) -> Any:
        written = export_write(built, target, **kwargs)
        Export.objects.filter(pk=export.pk).update(
            attempts=2, worker="host:2", lease_until=ago(-60)
        )  # the new owner, still at work
        return written

    monkeypatch.setattr(exports_service, "export_write", stalled)
    export_build(export_id=export.pk, worker="host:1")

    export.refresh_from_db()
    assert (export.status, export.worker, export.attempts) == ("running", "host:2", 2)
    assert not export_path(export).exists()
    assert partials(export) == []  # the first worker's file is gone; the new one's is its own


def test_a_failure_after_a_take_over_does_not_fail_the_new_build(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = snapshot(project)

    def stalled_then_broken(built: Any, target: Path, **kwargs: Any) -> Any:
        Export.objects.filter(pk=export.pk).update(attempts=2, lease_until=ago(-60))
        raise ValueError("disk full")

    monkeypatch.setattr(exports_service, "export_write", stalled_then_broken)
    export_build(export_id=export.pk, worker="host:1")

    export.refresh_from_db()
    assert (export.status, export.error) == (ExportStatus.RUNNING, "")
