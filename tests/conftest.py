"""Suite-wide set-up: which stack the tests run on, and what could not run without services."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
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


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Cached figures (e.g. open item counts) must not leak from one test into the next."""
    cache.clear()


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
