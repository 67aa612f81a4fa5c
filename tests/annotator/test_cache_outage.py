"""When the shared cache (Redis) is down: labeling goes on, and sign-in says it is unavailable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIClient

from annotator.models import Role
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import PASSWORD, member

# Nothing listens on port 1: every cache call fails to connect at once.
DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_cache() -> Iterator[None]:
    # Django drops its cache connections when CACHES changes, so every call below goes here.
    with override_settings(CACHES=DEAD_CACHE):
        assert caches["default"]._servers == ["redis://127.0.0.1:1/0"]  # type: ignore[attr-defined]
        yield


def test_labeling_goes_on_without_the_cache(dead_cache: None) -> None:
    project = project_with_items(3)
    client = client_for(member(project, Role.ANNOTATOR))

    served = client.post(f"/api/projects/{project.pk}/next/")

    assert served.status_code == 200
    assert served.json()["progress"]["open_items"] == 3


def test_sign_in_is_refused_with_503_not_500(dead_cache: None) -> None:
    project = project_with_items(1)
    user = member(project, Role.ANNOTATOR)
    body = {"username": user.username, "password": PASSWORD}

    token = APIClient().post("/api/auth/token/", body, format="json")

    assert token.status_code == 503
    assert "unavailable" in token.json()["detail"]
