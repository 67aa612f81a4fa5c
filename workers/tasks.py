"""Tasks for the ``default`` queue. Thin: each calls a service or sends an event."""

from __future__ import annotations

import socket
from datetime import datetime

from django.utils import timezone

from annotator.events import event_build, event_send
from workers.celery import app


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
