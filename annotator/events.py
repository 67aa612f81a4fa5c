"""Live events pushed to browsers over ``/ws/projects/{id}/``: every type is defined here.

An event is a JSON object ``{"type", "project", "at", "data"}`` with a dotted ``type``. Events go
to the Channels group ``project.<id>``; the consumer forwards each one to the connected members
whose role is at least the event's audience.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotator.models import Role

logger = logging.getLogger(__name__)

EventType = Literal[
    "worker.pong",
    "project.updated",
    "member.added",
    "member.changed",
    "member.removed",
    "annotation.created",
    "annotation.reviewed",
    "items.imported",
    "judge_run.progress",
    "judge.changed",
    "metrics.updated",
    "export.progress",
]
EVENT_TYPES: tuple[EventType, ...] = (
    "worker.pong",
    "project.updated",
    "member.added",
    "member.changed",
    "member.removed",
    "annotation.created",
    "annotation.reviewed",
    "items.imported",
    "judge_run.progress",
    "judge.changed",
    "metrics.updated",
    "export.progress",
)
# The message type the consumer handles (Channels maps "project.event" to project_event()).
GROUP_MESSAGE_TYPE = "project.event"


class WorkerPongData(TypedDict):
    hostname: str
    latency_ms: int
    queued_at: str


class ProjectUpdatedData(TypedDict):
    fields: list[str]


class MemberData(TypedDict):
    username: str
    role: str


class AnnotationData(TypedDict):
    annotation: int
    item: int
    annotator: str


class AnnotationReviewedData(TypedDict):
    annotation: int
    item: int
    decision: str


class ItemsImportedData(TypedDict):
    created: int
    updated: int
    unchanged: int


class JudgeRunData(TypedDict):
    run: int
    judge: int
    status: str
    total_items: int
    done_items: int
    failed_items: int
    items_per_s: float | None
    eta_s: float | None
    error: str
    started_at: str | None
    finished_at: str | None


class JudgeChangedData(TypedDict):
    judge: int
    action: Literal["created", "updated", "deleted"]


class MetricsUpdatedData(TypedDict):
    scope_key: str  # "" for the whole project
    computed_at: str
    duration_ms: int


class ExportProgressData(TypedDict):
    export: int
    status: str
    items_total: int
    items_done: int
    rows: int
    error: str


EventData = (
    WorkerPongData
    | ProjectUpdatedData
    | MemberData
    | AnnotationData
    | AnnotationReviewedData
    | ItemsImportedData
    | JudgeRunData
    | JudgeChangedData
    | MetricsUpdatedData
    | ExportProgressData
)


class ProjectEvent(TypedDict):
    type: EventType
    project: int
    at: str
    data: EventData


class GroupMessage(TypedDict):
    type: str
    event: ProjectEvent
    audience: str


def project_group(project_id: int) -> str:
    """The Channels group that carries one project's events."""
    return f"project.{project_id}"


def event_build(event_type: EventType, *, project_id: int, data: EventData) -> ProjectEvent:
    """Build a typed event stamped with the current time."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    return {
        "type": event_type,
        "project": project_id,
        "at": timezone.now().isoformat(),
        "data": data,
    }


class _Publisher:
    """One event loop per process, on a daemon thread, that sends every event (Redis layer).

    ``async_to_sync`` would start a fresh loop for each event, and channels_redis keeps its
    connections per loop, so each event would also open a new Redis connection. Reusing one
    loop keeps one connection. A forked child (e.g. a Celery worker process) starts its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="moot-events", daemon=True).start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop


_publisher = _Publisher()
SEND_TIMEOUT_S = 5


def event_send(event: ProjectEvent, *, audience: str = Role.ANNOTATOR) -> None:
    """Send an event now to the members of its project whose role is at least ``audience``.

    Live events are best-effort: a channel layer that is down is logged, never raised, so
    the write that produced the event still succeeds.
    """
    message: GroupMessage = {"type": GROUP_MESSAGE_TYPE, "event": event, "audience": audience}
    layer = get_channel_layer()
    if layer is None:
        logger.warning("no channel layer configured; %s event dropped", event["type"])
        return
    group = project_group(event["project"])
    try:
        if settings.EMBEDDED:
            # The SQLite layer runs ORM calls that must stay on this thread: async_to_sync
            # allows that, a loop on another thread would deadlock waiting for it.
            async_to_sync(layer.group_send)(group, dict(message))
        else:
            sent = asyncio.run_coroutine_threadsafe(
                layer.group_send(group, dict(message)), _publisher.loop()
            )
            sent.result(timeout=SEND_TIMEOUT_S)
    except Exception:
        logger.exception("could not send %s event for project %s", event["type"], event["project"])


def event_send_on_commit(event: ProjectEvent, *, audience: str = Role.ANNOTATOR) -> None:
    """Send the event once the current transaction commits (and never if it rolls back)."""
    transaction.on_commit(lambda: event_send(event, audience=audience))
