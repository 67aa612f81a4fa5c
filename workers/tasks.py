"""Tasks. Thin: each calls a service or sends an event; routing is in ``workers.celery``."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime
from typing import Any

from celery.signals import worker_ready, worker_shutdown
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from annotator.events import event_build, event_send
from annotator.services import exports, metrics
from judges import execution, priorities
from workers.celery import app
from workers.watchdog import Watchdog

logger = logging.getLogger(__name__)

# A task that cannot reach the database before it has taken its job (PostgreSQL restarting,
# failing over) is tried again later rather than dropped: its message is already consumed.
# Failures after that are the services' to handle (see annotator.leases).
DATABASE_RETRY: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": True,
    "max_retries": 40,
}


def _worker_id() -> str:
    """Who holds a lease, as the jobs' ``worker`` field shows it: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


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


@app.task(name="workers.judge_batch_run", **DATABASE_RETRY)
def judge_batch_run(*, batch_id: int) -> None:
    """Judge one batch of a run (``gpu`` queue); safe to deliver twice."""
    execution.judge_batch_run(batch_id=batch_id, worker=_worker_id())


@app.task(name="workers.metrics_refresh", **DATABASE_RETRY)
def metrics_refresh(*, snapshot_id: int) -> None:
    """Recompute a project's dashboard report (``default`` queue); safe to deliver twice."""
    metrics.metrics_refresh(snapshot_id=snapshot_id)


@app.task(name="workers.export_build", **DATABASE_RETRY)
def export_build(*, export_id: int) -> None:
    """Build an export snapshot (``default`` queue); safe to deliver twice."""
    exports.export_build(export_id=export_id, worker=_worker_id())


@app.task(name="workers.head_train")
def head_train(*, judge_id: int, reason: str = "manual") -> None:
    """Retrain a preference head and run it over its project (``gpu`` queue)."""
    execution.head_train_run(judge_id=judge_id, reason=reason)


@app.task(name="workers.priorities_refresh", **DATABASE_RETRY)
def priorities_refresh(*, project_id: int) -> None:
    """Recompute a project's item priorities from its strategies (``default`` queue)."""
    priorities.priorities_refresh(project_id=project_id)


_watchdog: Watchdog | None = None


@worker_ready.connect
def _watchdog_start(**_: object) -> None:
    global _watchdog  # noqa: PLW0603 - one per worker process
    _watchdog = Watchdog()
    _watchdog.start()


@worker_shutdown.connect
def _watchdog_stop(**_: object) -> None:
    if _watchdog is not None:
        _watchdog.stop()
