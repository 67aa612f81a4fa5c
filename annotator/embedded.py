"""Run the web server and a Celery worker side by side: ``manage.py serve`` and ``demo``.

The worker is a real ``celery worker`` process consuming both queues. In embedded mode it talks to
the web process through the SQLite broker and the SQLite channel layer in the data folder; with
``REDIS_URL`` set it uses Redis like any production worker. If either process exits, the other is
stopped too, so the command never leaves half a stack running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
STOP_GRACE_S = 10


def database_prepare() -> None:
    """Apply migrations to every configured database (idempotent)."""
    for alias in settings.DATABASES:
        call_command("migrate", database=alias, interactive=False, verbosity=0)


def stack_commands(*, host: str, port: int) -> dict[str, list[str]]:
    """The two processes of the stack, as argument lists."""
    python = sys.executable
    return {
        "web": [
            python, "-m", "uvicorn", "annotator.asgi:application",
            "--host", host, "--port", str(port), "--no-access-log",
        ],
        "worker": [
            python, "-m", "celery", "-A", "workers", "worker",
            "-Q", "default,gpu", "--pool", "solo", "--loglevel", "INFO",
            "--hostname", f"embedded-{os.getpid()}@%h",
        ],
    }  # fmt: skip


def stack_run(*, host: str, port: int, announce: Callable[[str], None]) -> int:
    """Start the web server and the worker; return when either exits or on SIGINT/SIGTERM."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    procs: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for name, argv in stack_commands(host=host, port=port).items():
            procs[name] = subprocess.Popen(argv, cwd=ROOT, env=env)  # noqa: S603  # our argv
        announce(f"Moot is running at http://{host}:{port}/  (Ctrl+C to stop)")
        while not stopping:
            for name, proc in procs.items():
                if proc.poll() is not None:
                    announce(f"The {name} process exited with code {proc.returncode}; stopping.")
                    stopping = True
            time.sleep(0.5)
    finally:
        _terminate(procs)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return max((p.returncode or 0) for p in procs.values()) if procs else 0


def _terminate(procs: dict[str, subprocess.Popen[bytes]]) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for proc in procs.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
