"""Suite-wide set-up: which stack the tests run on, and what could not run without services."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD, new_project, new_user

_not_run: list[str] = []


def on_services() -> bool:
    """True when the suite runs on PostgreSQL and Redis rather than the embedded stack."""
    return (not settings.EMBEDDED) and connections["default"].vendor == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if on_services():
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(
            "CI=true but the suite is not on PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)."
        )
    skip = pytest.mark.skip(reason="needs PostgreSQL and Redis")
    for item in items:
        if item.get_closest_marker("services"):
            item.add_marker(skip)
            _not_run.append(item.nodeid)


def pytest_report_header(config: pytest.Config) -> str:
    db = connections["default"]
    broker = "Redis" if not settings.EMBEDDED else "embedded (SQLite broker and channel layer)"
    return f"moot stack: database={db.vendor} ({db.settings_dict['NAME']}), broker={broker}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _not_run:
        terminalreporter.section("not run without PostgreSQL and Redis")
        for nodeid in _not_run:
            terminalreporter.write_line(nodeid)


@pytest.fixture(scope="session", autouse=True)
def _clean_broker() -> None:
    """Start from empty queues and channels so a previous aborted run cannot leak in."""
    if settings.REDIS_URL:
        redis.Redis.from_url(settings.REDIS_URL).flushdb()
    else:
        broker = Path(settings.DATA_DIR) / "broker.sqlite3"
        broker.unlink(missing_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing() -> Iterator[None]:
    """Hash the test users' passwords quickly (see tests/hashers.py)."""
    with override_settings(
        PASSWORD_HASHERS=["tests.hashers.QuickPBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Cached figures and sign-in counters must not leak from one test into the next.

    With services the cache shares its Redis database with the Celery broker and the channel
    layer, and ``cache.clear()`` there is FLUSHDB: it would drop queued tasks and the channel
    layer's groups under a test that relies on them. So only the cache's own keys are deleted,
    matched by the prefix every cache key carries (``cache.make_key("*")``: "moot:1:*"). Scanning
    is exact whichever database the cache is given, where a separate database for the cache would
    hold only while every deployment and test run configured one.
    """
    backend = caches["default"]  # `cache` is a proxy: isinstance cannot see through it
    if not isinstance(backend, RedisCache):
        backend.clear()
        return
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=backend.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def api() -> APIClient:
    """An API client with no credentials."""
    return APIClient()


@pytest.fixture
def user(db: None) -> object:
    return new_user()


@pytest.fixture
def owner_api(user: object) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def project(db: None) -> object:
    return new_project()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path
