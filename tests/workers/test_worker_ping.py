"""A task in a real Celery worker process pushes an event to a websocket in the web process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from rest_framework.test import APIClient

from annotator.models import Role
from tests.factories import member, new_project
from tests.stack import worker_process
from tests.wsclient import project_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


async def member_socket(role: str = Role.ANNOTATOR) -> tuple[Any, Any, Any]:
    project = await sync_to_async(new_project)()
    user = await sync_to_async(member)(project, role)
    socket = project_socket(project.pk, await sync_to_async(session_cookie)(user))
    connected, _ = await socket.connect()
    assert connected
    return project, user, socket


def ping(project: Any, user: Any) -> int:
    client = APIClient()
    client.force_authenticate(user)
    return client.post(f"/api/projects/{project.pk}/worker-ping/").status_code


@pytest.mark.asyncio
async def test_worker_pong_reaches_a_connected_member(log_dir: Path) -> None:
    project, user, socket = await member_socket()

    with worker_process(log_dir):
        assert await sync_to_async(ping)(project, user) == 202
        event = await socket.receive_json_from(timeout=30)

    assert event["type"] == "worker.pong"
    assert event["project"] == project.pk
    assert event["data"]["latency_ms"] >= 0
    assert event["data"]["hostname"]
    await socket.disconnect()


@pytest.mark.asyncio
async def test_jobs_wait_in_the_queue_while_no_worker_runs(log_dir: Path) -> None:
    project, user, socket = await member_socket()

    # No worker yet: the request still succeeds, and nothing answers.
    assert await sync_to_async(ping)(project, user) == 202
    assert await socket.receive_nothing(timeout=2)

    with worker_process(log_dir):
        event = await socket.receive_json_from(timeout=30)

    assert event["type"] == "worker.pong"
    assert event["data"]["latency_ms"] >= 1000  # it waited for the worker
    await socket.disconnect()
