"""Helpers to open the project websocket through the real ASGI application with a session."""

from __future__ import annotations

from typing import Any

from channels.testing import WebsocketCommunicator
from django.test import Client

from annotator.asgi import application


def session_cookie(user: Any) -> str:
    """A real Django session for ``user``, as a Cookie header value."""
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def project_socket(project_id: int, cookie: str | None) -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/projects/{project_id}/", headers=headers)
