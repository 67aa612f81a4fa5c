"""Moot's processes (a web server and a worker) on the private services, each restartable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.faults.services import PrivatePostgres, PrivateRedis, private_services
from tests.stack import ROOT, Proc, free_port

SEED = """
import json
from knox.models import AuthToken
from annotator.items import NativeItem
from annotator.models import Membership, Project, Role
from annotator.questions import validate_questions
from annotator.services.items import items_add_native
from django.contrib.auth.models import User

project = Project.objects.create(
    name="faults", overlap=1,
    questions=validate_questions([{"id": "pref", "kind": "pairwise", "tie": True}]),
)
items_add_native(project=project, items=[
    NativeItem.model_validate({"external_id": f"i{i}", "prompt": f"p{i}", "candidates": [
        {"id": "a", "text": f"a{i}"}, {"id": "b", "text": f"b{i}"}]})
    for i in range(ITEMS)
])
manager = User.objects.create_user("manager", password="x" * 12)
Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
tokens = []
for n in range(PEOPLE):
    user = User.objects.create_user(f"annotator{n}", password="x" * 12)
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    tokens.append(AuthToken.objects.create(user=user)[1])
manager_token = AuthToken.objects.create(user=manager)[1]
print("SEEDED" + json.dumps({"project": project.pk, "tokens": tokens, "manager": manager_token}))
"""


class Stack:
    """The web process and the worker, on ``pg`` and ``cache``; ``url`` stays the same."""

    def __init__(self, root: Path, pg: PrivatePostgres, cache: PrivateRedis) -> None:
        self.root = root
        self.log_dir = root / "logs"
        self.log_dir.mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "annotator.settings.base",
            "DATABASE_URL": pg.url,
            "REDIS_URL": cache.url,
            "MOOT_DATA_DIR": str(root / "data"),
            "MOOT_DB_CONN_MAX_AGE": "0",
            "MOOT_LOGIN_RATE": "",
            "PYTHONUNBUFFERED": "1",
            # Short leases and sweeps, so a dead worker's job is taken over within seconds.
            "MOOT_JUDGE_LEASE_S": "3",
            "MOOT_EXPORT_LEASE_S": "3",
            "MOOT_RECOVERY_EVERY_S": "0.5",
        }
        self.pg, self.cache = pg, cache
        self.web: Proc | None = None
        self.worker: Proc | None = None
        self._starts = 0

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, input=stdin, capture_output=True, text=True, timeout=300,
            check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-4000:]}")
        return result.stdout

    def seed(self, *, items: int, people: int) -> dict[str, object]:
        self.manage("migrate", "--noinput")
        code = SEED.replace("ITEMS", str(items)).replace("PEOPLE", str(people))
        out = self.manage("shell", stdin=code)
        return dict(json.loads(out.split("SEEDED", 1)[1]))

    def _name(self, what: str) -> str:
        self._starts += 1
        return f"{what}-{self._starts}"

    def start_web(self) -> None:
        argv = [
            sys.executable, "-m", "uvicorn", "annotator.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port),
        ]  # fmt: skip
        self.web = Proc(self._name("web"), argv, self.env, self.log_dir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"web did not start:\n{self.web.output()[-4000:]}")

    def start_worker(self) -> None:
        argv = [
            sys.executable, "-m", "celery", "-A", "workers", "worker", "-Q", "default,gpu",
            "--pool", "solo", "--loglevel", "INFO", "--hostname", f"faults-{self._starts}@%h",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
        ]  # fmt: skip
        self.worker = Proc(self._name("worker"), argv, self.env, self.log_dir)
        self.worker.wait_for(" ready.")

    @staticmethod
    def kill(proc: Proc | None) -> None:
        """SIGKILL: no shutdown handler runs, as when a machine or the OOM killer takes it."""
        if proc is not None and proc.popen.poll() is None:
            proc.popen.kill()
            proc.popen.wait()

    def fault(self, service: str) -> tuple[Callable[[], None], Callable[[], None]]:
        """How to kill ``service`` (web, worker, redis, postgres) as a crash, and restart it."""
        return {
            "web": (lambda: self.kill(self.web), self.start_web),
            "worker": (lambda: self.kill(self.worker), self.start_worker),
            "redis": (self.cache.crash, self.cache.start),
            "postgres": (self.pg.crash, self.pg.start),
        }[service]

    def stop(self) -> None:
        for proc in (self.web, self.worker):
            if proc is not None:
                proc.stop()

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.log_dir.glob("*.log"))
        )


@contextmanager
def seeded_stack(
    *, items: int, people: int, worker: bool = True, env: dict[str, str] | None = None
) -> Iterator[tuple[Stack, dict[str, Any]]]:
    """Private services, a seeded project (see ``SEED``), the web process and the worker."""
    with private_services() as (pg, cache):
        stack = Stack(pg.root, pg, cache)
        stack.env.update(env or {})
        seeded = stack.seed(items=items, people=people)
        try:
            stack.start_web()
            if worker:
                stack.start_worker()
            yield stack, seeded
        finally:
            stack.stop()
