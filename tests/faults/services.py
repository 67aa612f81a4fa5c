"""A PostgreSQL and a Redis of the tests' own, on free ports of 127.0.0.1, that a test may kill.

The fault tests stop and start these, never the machine's shared services (the rest of the
suite, and anything else on the machine, keeps using those). PostgreSQL is a fresh cluster made
with ``initdb`` (as the ``postgres`` user when the tests run as root, which PostgreSQL
requires); Redis keeps an append-only file, as a production broker should, so its queues
survive a crash.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

from tests.stack import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _wait(check: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up in {timeout} s")


class PrivatePostgres:
    """A throwaway cluster; ``crash`` is an immediate shutdown (recovery runs at ``start``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "pg"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/moot"

    def init(self) -> None:
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        subprocess.run(
            _as_postgres([*initdb, "--no-sync", "-E", "UTF8"]), check=True, capture_output=True
        )
        self.start()
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE moot")

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        argv = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options]
        argv += ["-l", str(self.root / "pg.log"), "-w", *args]
        subprocess.run(_as_postgres(argv), check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self._ctl("start")
        _wait(self._answers, "PostgreSQL")

    def _answers(self) -> bool:
        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", connect_timeout=2):
            return True

    def crash(self) -> None:
        """As a crash: no checkpoint, connections cut; the next start replays the WAL."""
        self._ctl("stop", "-m", "immediate")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "fast")


class PrivateRedis:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.root), "--save", "", "--appendonly", "yes",
            "--appendfsync", "always", "--logfile", str(self.root / "redis.log"),
        ]  # fmt: skip
        self.popen = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: redis.Redis.from_url(self.url).ping(), "Redis")

    def crash(self) -> None:
        if self.popen is not None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=10)


@contextmanager
def private_services() -> Iterator[tuple[PrivatePostgres, PrivateRedis]]:
    # Not pytest's tmp_path: its parents are private to root, and PostgreSQL runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="moot-faults-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    pg, cache = PrivatePostgres(root), PrivateRedis(root)
    try:
        pg.init()
        cache.start()
        yield pg, cache
    finally:
        cache.stop()
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
