"""The project websocket: members get typed events, everyone else is refused at the handshake."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async

from annotator.events import EVENT_TYPES, event_build, event_send, project_group
from annotator.models import Role
from annotator.services.projects import project_update
from tests.factories import member, new_project, new_user
from tests.wsclient import project_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


async def make_member(role: str) -> tuple[Any, Any, str]:
    project = await sync_to_async(new_project)()
    user = await sync_to_async(member)(project, role)
    return project, user, await sync_to_async(session_cookie)(user)


@pytest.mark.asyncio
async def test_a_member_receives_events_sent_to_the_project() -> None:
    project, _, cookie = await make_member(Role.ANNOTATOR)
    socket = project_socket(project.pk, cookie)
    connected, _ = await socket.connect()
    assert connected

    event = event_build("project.updated", project_id=project.pk, data={"fields": ["name"]})
    await sync_to_async(event_send)(event)

    received = await socket.receive_json_from(timeout=10)
    assert received == event
    await socket.disconnect()


@pytest.mark.asyncio
async def test_project_changes_are_pushed_after_commit() -> None:
    project, _, cookie = await make_member(Role.OWNER)
    socket = project_socket(project.pk, cookie)
    assert (await socket.connect())[0]

    await sync_to_async(project_update)(project=project, changes={"name": "renamed", "overlap": 3})

    received = await socket.receive_json_from(timeout=10)
    assert received["type"] == "project.updated"
    assert received["data"] == {"fields": ["name", "overlap"]}
    await socket.disconnect()


@pytest.mark.asyncio
async def test_events_for_a_higher_audience_are_not_delivered_to_annotators() -> None:
    project, _, cookie = await make_member(Role.ANNOTATOR)
    socket = project_socket(project.pk, cookie)
    assert (await socket.connect())[0]

    hidden = event_build("project.updated", project_id=project.pk, data={"fields": ["secret"]})
    shown = event_build("project.updated", project_id=project.pk, data={"fields": ["name"]})
    await sync_to_async(event_send)(hidden, audience=Role.MANAGER)
    await sync_to_async(event_send)(shown)

    assert (await socket.receive_json_from(timeout=10))["data"] == {"fields": ["name"]}
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


@pytest.mark.asyncio
async def test_non_members_are_refused() -> None:
    project = await sync_to_async(new_project)()
    outsider = await sync_to_async(new_user)()
    socket = project_socket(project.pk, await sync_to_async(session_cookie)(outsider))

    connected, _ = await socket.connect()

    assert not connected
    await socket.disconnect()


@pytest.mark.asyncio
async def test_anonymous_connections_are_refused() -> None:
    project = await sync_to_async(new_project)()

    socket = project_socket(project.pk, None)
    connected, _ = await socket.connect()

    assert not connected
    await socket.disconnect()  # let the consumer finish before the loop closes


@pytest.mark.asyncio
async def test_a_missing_project_is_refused() -> None:
    _, _, cookie = await make_member(Role.OWNER)

    socket = project_socket(987654, cookie)
    connected, _ = await socket.connect()

    assert not connected
    await socket.disconnect()


@pytest.mark.asyncio
async def test_clients_can_keep_the_socket_alive() -> None:
    project, _, cookie = await make_member(Role.ANNOTATOR)
    socket = project_socket(project.pk, cookie)
    assert (await socket.connect())[0]

    await socket.send_json_to({"type": "ping"})

    assert await socket.receive_json_from(timeout=5) == {"type": "pong"}
    await socket.disconnect()


def test_event_types_are_dotted_and_groups_are_per_project() -> None:
    assert all("." in name for name in EVENT_TYPES)
    assert project_group(42) == "project.42"
    with pytest.raises(ValueError, match="unknown event type"):
        event_build("nonsense", project_id=1, data={"fields": []})  # type: ignore[arg-type]
