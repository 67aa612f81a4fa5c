"""A submitted annotation reaches an open dashboard through a real worker, without a reload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from annotator.models import Role
from tests.annotator.labeling import client_for, pick_first, project_with_items
from tests.factories import member
from tests.stack import worker_process
from tests.wsclient import project_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def label_one(project: Any, annotator: Any) -> int:
    client = client_for(annotator)
    handed = client.post(f"/api/projects/{project.pk}/next/").json()
    submitted = client.post(
        f"/api/assignments/{handed['assignment']['id']}/submit/",
        {"answers": pick_first(handed), "time_spent_ms": 1000},
        format="json",
    )
    return submitted.status_code


def metrics_of(project: Any, manager: Any) -> dict[str, Any]:
    return dict(client_for(manager).get(f"/api/projects/{project.pk}/metrics/").json())


async def next_update(socket: Any) -> dict[str, Any]:
    while True:
        event = await socket.receive_json_from(timeout=30)
        if event["type"] == "metrics.updated":
            return dict(event)


@pytest.mark.asyncio
async def test_a_submission_refreshes_the_managers_report(log_dir: Path) -> None:
    project = await sync_to_async(project_with_items)(3, overlap=2)
    manager = await sync_to_async(member)(project, Role.MANAGER)
    annotator = await sync_to_async(member)(project, Role.ANNOTATOR)
    watcher = project_socket(project.pk, await sync_to_async(session_cookie)(manager))
    bystander = project_socket(project.pk, await sync_to_async(session_cookie)(annotator))
    assert (await watcher.connect())[0]
    assert (await bystander.connect())[0]

    with worker_process(log_dir):
        first = await sync_to_async(metrics_of)(project, manager)
        await next_update(watcher)
        ready = await sync_to_async(metrics_of)(project, manager)
        assert await sync_to_async(label_one)(project, annotator) == 201
        event = await next_update(watcher)
        after = await sync_to_async(metrics_of)(project, manager)

    assert first["status"] == "computing"
    assert ready["report"]["progress"]["annotations"] == 0
    assert event["data"]["scope_key"] == ""
    assert after["status"] == "ready"
    assert after["report"]["progress"]["annotations"] == 1
    # Annotators are not sent dashboard events (they may not see others' answers).
    assert await bystander.receive_nothing(timeout=1)
    await watcher.disconnect()
    await bystander.disconnect()
