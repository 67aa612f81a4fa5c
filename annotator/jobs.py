"""Enqueue background work by task name.

The core never imports ``workers`` (and so never torch): it publishes a task by its registered
name through the configured Celery app, and routing to the ``gpu`` or ``default`` queue is
decided in ``workers/celery.py``.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


class QueueUnavailable(Exception):
    """The broker could not be reached, so the job was not queued."""


def enqueue(task_name: str, *, countdown: float | None = None, **kwargs: Any) -> None:
    """Publish ``task_name`` with keyword arguments now; raise ``QueueUnavailable`` on failure.

    ``countdown``: seconds before a worker may run it.
    """
    try:
        current_app.send_task(task_name, kwargs=kwargs, countdown=countdown)
    except Exception as exc:  # kombu raises several transport-specific errors
        raise QueueUnavailable(str(exc)) from exc


def enqueue_on_commit(task_name: str, *, countdown: float | None = None, **kwargs: Any) -> None:
    """Publish once the current transaction commits, so the worker sees the rows it needs."""
    transaction.on_commit(lambda: enqueue(task_name, countdown=countdown, **kwargs))
