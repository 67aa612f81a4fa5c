"""Tasks. Thin: each calls a service or sends an event; routing is in ``workers.celery``."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime

from celery.signals import worker_ready
from django.conf import settings
from django.utils import timezone

from annotator.events import event_build, event_send
from annotator.services import exports, metrics
from judges import execution, priorities, services
from workers.celery import app

logger = logging.getLogger(__name__)


@app.task(name="workers.worker_ping")
def worker_ping(*, project_id: int, queued_at: str) -> None:
    """Answer a ping with a ``worker.pong`` event on the project's live channel."""
    latency = timezone.now() - datetime.fromisoformat(queued_at)
    event_send(
        event_build(
            "worker.pong",
            project_id=project_id,
            data={
                "hostname": socket.gethostname(),
                "latency_ms": max(0, round(latency.total_seconds() * 1000)),
                "queued_at": queued_at,
            },
        )
    )


@app.task(name="workers.judge_batch_run")
def judge_batch_run(*, batch_id: int) -> None:
    """Judge one batch of a run (``gpu`` queue); safe to deliver twice."""
    execution.judge_batch_run(batch_id=batch_id, worker=f"{socket.gethostname()}:{os.getpid()}")


@app.task(name="workers.judging_watch")
def judging_watch() -> None:
    """Queue again the batches whose worker died; repeat while runs are active."""
    recovered = services.judge_runs_recover()
    if recovered:
        logger.warning("queued %d judge batch(es) again after their worker died", recovered)
    if services.judge_runs_active():
        judging_watch.apply_async(countdown=max(1.0, settings.MOOT_JUDGE_LEASE_S / 2))


@app.task(name="workers.metrics_refresh")
def metrics_refresh(*, snapshot_id: int) -> None:
    """Recompute a project's dashboard report (``default`` queue); safe to deliver twice."""
    metrics.metrics_refresh(snapshot_id=snapshot_id)


@app.task(name="workers.export_build")
def export_build(*, export_id: int) -> None:
    """Build an export snapshot (``default`` queue); delivered again, it starts over."""
    exports.export_build(export_id=export_id)


@app.task(name="workers.head_train")
def head_train(*, judge_id: int, reason: str = "manual") -> None:
    """Retrain a preference head and run it over its project (``gpu`` queue)."""
    execution.head_train_run(judge_id=judge_id, reason=reason)


@app.task(name="workers.priorities_refresh")
def priorities_refresh(*, project_id: int) -> None:
    """Recompute a project's item priorities from its strategies (``default`` queue)."""
    priorities.priorities_refresh(project_id=project_id)


@worker_ready.connect
def _recover_on_start(**_: object) -> None:
    # A worker that starts after a crash picks up what the dead one held, without waiting for
    # another worker's watch; the watch keeps going while runs are active.
    judging_watch.delay()
