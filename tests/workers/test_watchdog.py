"""The workers' watchdog: sweeps recover dead workers' jobs, and survive outages."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone

from annotator.models import Export
from tests.factories import new_project
from workers import watchdog

pytestmark = pytest.mark.django_db(transaction=True)


def stale_export() -> Export:
    return Export.objects.create(
        project=new_project(), options={}, format="preference", file_type="jsonl",
        status="running", attempts=1, lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip


def test_a_sweep_goes_on_when_one_kind_of_job_cannot_be_recovered(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    export = stale_export()

    def database_down(**kwargs: Any) -> int:
        raise OperationalError("connection refused")

    monkeypatch.setattr(watchdog, "judge_runs_recover", database_down)

    assert watchdog.sweep() == 1

    assert Export.objects.get(pk=export.pk).status == "queued"
    assert "recovery of judge batches failed, trying again later" in caplog.text


def test_the_watchdog_sweeps_at_once_then_regularly_until_stopped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sweeps: list[float] = []

    def counting() -> int:
        sweeps.append(time.monotonic())
        if len(sweeps) == 2:
            raise RuntimeError("a sweep that breaks must not stop the next")
        return 0

    monkeypatch.setattr(watchdog, "sweep", counting)
    dog = watchdog.Watchdog(every_s=0.05)
    dog.start()
    deadline = time.monotonic() + 5
    while len(sweeps) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    dog.stop()
    stopped_at = len(sweeps)
    time.sleep(0.2)

    assert stopped_at >= 4
    assert len(sweeps) == stopped_at
