"""The real ASGI server refuses the project websocket to non-members at the handshake."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import websockets
from rest_framework.test import APIClient

from annotator.models import Role
from tests.factories import member, new_project, new_user
from tests.stack import web_process

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def test_the_server_refuses_websockets_of_non_members(log_dir: Path) -> None:
    project = new_project()
    member(project, Role.OWNER)
    outsider = new_user()
    api = APIClient()
    api.force_login(outsider)
    cookie = f"sessionid={api.cookies['sessionid'].value}"

    async def handshake(base_url: str) -> int:
        url = base_url.replace("http", "ws") + f"/ws/projects/{project.pk}/"
        try:
            async with websockets.connect(
                url, additional_headers={"Cookie": cookie, "Origin": base_url}
            ):
                return 101
        except websockets.InvalidStatus as refused:
            return refused.response.status_code

    with web_process(log_dir) as base_url:
        assert asyncio.run(handshake(base_url)) == 403
