"""The project websocket: members receive the project's live events.

A connection keeps the role its user had when it opened, and is checked again whenever that
user's membership changes: a removed member's socket is closed at once, and a changed role
takes effect for the next event, so nobody keeps receiving what their new role may not see.
"""

from __future__ import annotations

from typing import Any, cast

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404
from rest_framework.exceptions import PermissionDenied

from annotator.access import ProjectAccess, access_project, role_at_least
from annotator.events import GroupMessage, project_group

MEMBERSHIP_EVENTS = frozenset({"member.changed", "member.removed"})
# Close code for a socket whose user is no longer a member (4000-4999 are the application's).
MEMBERSHIP_ENDED = 4403


class ProjectEventsConsumer(AsyncJsonWebsocketConsumer):
    """``/ws/projects/{id}/``: refused (403 at the handshake) unless the user is a member."""

    group: str | None = None
    role: str = ""
    username: str = ""

    async def connect(self) -> None:
        # AuthMiddlewareStack puts the session's user (or AnonymousUser) in the scope.
        user = cast("User | AnonymousUser", self.scope.get("user") or AnonymousUser())
        project_id = self.scope["url_route"]["kwargs"]["project_id"]
        try:
            access: ProjectAccess = await database_sync_to_async(access_project)(
                user=user, project_id=project_id
            )
        except (Http404, PermissionDenied):
            await self.close()  # before accept: the handshake is rejected with 403
            return
        self.role = access.role
        self.username = user.get_username()
        self.group = project_group(access.project.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The channel is one-way; clients may send ``{"type": "ping"}`` to keep it alive."""
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def project_event(self, message: GroupMessage) -> None:
        event = message["event"]
        about_me = (
            event["type"] in MEMBERSHIP_EVENTS and event["data"].get("username") == self.username
        )
        if about_me and not await self._recheck():
            return
        if role_at_least(self.role, message["audience"]):
            await self.send_json(event)

    async def _recheck(self) -> bool:
        """Reload the caller's role; close the socket (and say False) if they left the project."""
        user = cast("User | AnonymousUser", self.scope.get("user") or AnonymousUser())
        try:
            access: ProjectAccess = await database_sync_to_async(access_project)(
                user=user, project_id=self.scope["url_route"]["kwargs"]["project_id"]
            )
        except (Http404, PermissionDenied):
            await self.close(code=MEMBERSHIP_ENDED)
            return False
        self.role = access.role
        return True
