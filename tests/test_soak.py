"""The soak test (bench/soak.py), short: a real multi-process deployment under simulated people.

The soak makes its own database (moot_soak_test, on the suite's PostgreSQL server) and uses
Redis database 8 on the suite's Redis server; it drops and flushes them.

A one-minute run with 16 annotators and a judge run every 20 s: two web processes, two Celery
workers, PostgreSQL and Redis, each started and stopped by the soak itself. It fails on any
lost or duplicated annotation, any response the API does not promise, a judge run or export
that does not finish, a process that dies or whose memory grows, or a pile-up of database
sessions. It takes about 100 s on two cores.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connections

from bench.soak_stack import memory_verdicts

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 240

MB = 1024 * 1024


def _series(rss_mb: Sequence[float]) -> dict[str, list[tuple[float, int]]]:
    """One process sampled once a second over a 100 s load."""
    step = 100 / (len(rss_mb) - 1)
    return {"web": [(i * step, int(mb * MB)) for i, mb in enumerate(rss_mb)]}


def test_memory_that_grows_after_warm_up_is_not_flat() -> None:
    # Warm-up to 200 MB, then 1 MB more a second: the last quarter's median is 50 MB above the
    # second's, more than the 30 MB allowed.
    growing = [100 + 4 * i for i in range(25)] + [200 + i for i in range(76)]

    (verdict,) = memory_verdicts(
        _series(growing), load_from=0, load_to=100, tolerance=0.10, floor_mb=30
    )

    assert verdict.flat is False
    assert verdict.q4_mb - verdict.q2_mb == pytest.approx(50, abs=1)
    assert verdict.allowed_mb == pytest.approx(30)


def test_memory_that_settles_after_warm_up_is_flat_within_the_tolerance() -> None:
    # Tripled during warm-up (the first quarter is not judged), then up and down by 20 MB.
    settled = [100 + 8 * i for i in range(25)] + [300 + 20 * (i % 2) for i in range(76)]

    (verdict,) = memory_verdicts(
        _series(settled), load_from=0, load_to=100, tolerance=0.10, floor_mb=5
    )

    assert verdict.flat is True
    assert verdict.allowed_mb == pytest.approx(verdict.q2_mb * 0.10)
    assert verdict.peak_mb == pytest.approx(320, abs=0.1)


def _admin_url() -> str:
    """The test database's server, through its maintenance database."""
    db = connections["default"].settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"{url}/postgres"


def _soak_redis_url() -> str:
    """Redis database 8 on the suite's Redis server (the soak flushes it)."""
    return urlunsplit(urlsplit(settings.REDIS_URL)._replace(path="/8"))


@pytest.mark.services
def test_a_short_soak_loses_nothing_and_leaks_nothing(tmp_path: Path) -> None:
    report = tmp_path / "soak.json"
    argv = [
        sys.executable, "bench/soak.py", "--minutes", "1", "--annotators", "16",
        "--judge-every", "20", "--database", "moot_soak_test",
        "--postgres", _admin_url(), "--redis-url", _soak_redis_url(),
        "--data-dir", str(tmp_path / "data"), "--json", str(report),
    ]  # fmt: skip
    # A new session, so a timeout can stop the soak with SIGTERM (it then stops what it started).
    soak = subprocess.Popen(  # fixed argv
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        output, _ = soak.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(soak.pid, signal.SIGTERM)
        output, _ = soak.communicate(timeout=60)
        pytest.fail(f"the soak ran past {TIMEOUT_S}s:\n{output[-6000:]}")

    print(output)  # the soak's summary, shown with -rP or on failure
    assert soak.returncode == 0, output[-6000:]
    figures = json.loads(report.read_text())
    assert figures["passed"] is True
    assert figures["errors"] == 0
    assert figures["annotations"] > 100  # 16 people labeled for a minute
    assert figures["judge_runs"] >= 2
    assert figures["exports"] == 2
    assert {m["name"].split("/")[0] for m in figures["memory_mb"]} >= {
        "worker-default",
        "worker-gpu",
    }
    assert sum(m["name"].startswith("web-") for m in figures["memory_mb"]) == 2
