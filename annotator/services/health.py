"""Round-trip checks that the background workers are alive."""

from __future__ import annotations

from celery import current_app
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from annotator.access import ProjectAccess
from annotator.jobs import enqueue

WORKER_PING_TASK = "workers.worker_ping"


def worker_ping_request(*, access: ProjectAccess) -> None:
    """Ask a worker to answer with a ``worker.pong`` event on the project's live channel.

    Raises ``QueueUnavailable`` when the broker is down. A worker that is down is not an
    error here: the task waits in the queue and the pong arrives when a worker starts.
    """
    enqueue(
        WORKER_PING_TASK,
        project_id=access.project.pk,
        queued_at=timezone.now().isoformat(),
    )


def dependencies_check(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Probe the database and the broker; map each name to "ok" or the error seen."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:
        checks["broker"] = f"error: {type(exc).__name__}"
    return checks
