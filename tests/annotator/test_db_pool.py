"""A web process with MOOT_DB_POOL_MAX_SIZE holds no more database sessions than that."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest
from django.db import connections

from tests.stack import stack_env, web_process

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NAME = "moot-pool-test"


def sessions(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        ((count,),) = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (NAME,)
        ).fetchall()
    return int(count)


def test_a_burst_of_requests_shares_the_pool(log_dir: Path) -> None:
    if connections["default"].vendor != "postgresql":
        pytest.skip("a PostgreSQL connection pool")
    env = stack_env()
    dsn = env["DATABASE_URL"]
    env["DATABASE_URL"] = f"{dsn}?application_name={NAME}"
    env["MOOT_DB_POOL_MAX_SIZE"] = "3"
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(sessions(dsn))
            time.sleep(0.02)

    with web_process(log_dir, env) as url:
        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with httpx.Client(base_url=url, timeout=30) as client, ThreadPoolExecutor(16) as pool:
                statuses = list(
                    pool.map(lambda _: client.get("/api/ready/").status_code, range(200))
                )
        finally:
            done.set()
            watcher.join()
        after = sessions(dsn)

    assert statuses == [200] * 200
    assert max(seen) <= 3
    assert 1 <= after <= 3  # kept open for the next requests, not one per request
