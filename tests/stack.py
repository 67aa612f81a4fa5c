"""Real server and worker processes for tests, pointed at the test database.

Used by worker, websocket and browser tests: nothing is mocked. Each process gets the same
settings as the test process (PostgreSQL + Redis when the suite runs on services, the SQLite
files of the embedded stack otherwise) but the *test* database names.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stack_env() -> dict[str, str]:
    """Environment for a child process that must see the test databases."""
    env = dict(os.environ)
    default = connections["default"].settings_dict
    if default["ENGINE"].endswith("postgresql"):
        user = default.get("USER") or ""
        host = default.get("HOST") or "127.0.0.1"
        port = default.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{default['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{default['NAME']}"
        env["MOOT_CHANNELS_DB"] = str(connections["channels"].settings_dict["NAME"])
    env["MOOT_DATA_DIR"] = str(settings.DATA_DIR)
    env["DJANGO_SETTINGS_MODULE"] = "annotator.settings.base"
    env["PYTHONUNBUFFERED"] = "1"
    # Every client of a test server comes from 127.0.0.1, so the per-address sign-in limit would
    # refuse all but the first few of many simulated people; the per-username limit stays on.
    env["MOOT_LOGIN_RATE"] = ""
    return env


class Proc:
    """A child process whose output goes to a log file we can show when a test fails."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self._fh = self.log.open("wb")
        self.popen = subprocess.Popen(  # fixed argv
            argv, cwd=ROOT, env=env, stdout=self._fh, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not print {text!r}:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._fh.close()


@contextmanager
def worker_process(log_dir: Path, env: dict[str, str] | None = None) -> Iterator[Proc]:
    """A real ``celery worker`` consuming both queues."""
    argv = [
        sys.executable, "-m", "celery", "-A", "workers", "worker", "-Q", "default,gpu",
        "--pool", "solo", "--loglevel", "INFO", "--hostname", f"test-{os.getpid()}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    proc = Proc("worker", argv, env or stack_env(), log_dir)
    try:
        proc.wait_for(" ready.")
        yield proc
    finally:
        proc.stop()


@contextmanager
def web_process(log_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A real ASGI server (uvicorn); yields its base URL once it answers."""
    port = free_port()
    argv = [
        sys.executable, "-m", "uvicorn", "annotator.asgi:application",
        "--host", "127.0.0.1", "--port", str(port),
    ]  # fmt: skip
    proc = Proc("web", argv, env or stack_env(), log_dir)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"web server did not start:\n{proc.output()[-4000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.stop()
