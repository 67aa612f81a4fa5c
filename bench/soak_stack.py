"""The soak test's deployment: its database, its Redis database, and the processes it starts.

Every process is started in a session (and so a process group) of its own, so that stopping it
reaches its children too (a prefork Celery worker's pool), and a Ctrl-C typed at the soak's
terminal reaches only the soak, which then stops them in order. On Linux each child is also
asked to die with the soak (``PR_SET_PDEATHSIG``), should the soak itself be killed outright.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import redis
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` (any database on the server) with its database name replaced."""
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_recreate(admin_url: str, name: str) -> None:
    """Drop ``name`` if it exists (closing its connections) and create it empty."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_sessions(admin_url: str, name: str) -> list[int]:
    """The client ports of the sessions open on database ``name`` now."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT client_port FROM pg_stat_activity WHERE datname = %s", (name,)
        ).fetchall()
    return [int(port) for (port,) in rows if port is not None]


def _socket_ports() -> dict[int, int]:
    """Local TCP port of every socket on the machine, by the socket's inode."""
    ports: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                ports[int(fields[9])] = int(fields[1].rsplit(":", 1)[1], 16)
    return ports


def ports_of(pids: dict[str, int]) -> dict[int, str]:
    """Which of ``pids`` (by name) holds each local TCP port."""
    by_inode = _socket_ports()
    owners: dict[int, str] = {}
    for name, pid in pids.items():
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        port = by_inode.get(int(target[8:-1]))
                        if port is not None:
                            owners[port] = name
    return owners


def redis_flush(url: str) -> None:
    """Empty the soak's Redis database (only that one: others may be in use)."""
    redis.Redis.from_url(url).flushdb()


def redis_keys(url: str) -> int:
    return int(redis.Redis.from_url(url, socket_timeout=5).dbsize())


def _die_with_parent() -> None:
    """In the child, before exec: get SIGKILL when the soak dies, however it dies."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


class Proc:
    """A deployment process in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log = log_dir / f"{name}.log"
        self._fh = self.log.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603  # fixed argv
            argv,
            cwd=ROOT,
            env=env,
            stdout=self._fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509  # no threads run yet in the soak
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_for_text(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if not self.alive():
                break
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not print {text!r}:\n{self.output()[-3000:]}")

    def wait_for_http(self, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            if not self.alive():
                break
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer {url}:\n{self.output()[-3000:]}")

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM to the whole group (a warm shutdown for Celery), then SIGKILL."""
        try:
            if self.alive():
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.popen.wait(timeout=timeout)
            # The group may outlive its leader (pool children): make sure nothing is left.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=5)
        finally:
            self._fh.close()


def deployment_env(
    *, database_url: str, redis_url: str, data_dir: Path, hosts: str
) -> dict[str, str]:
    """Production settings over plain HTTP on 127.0.0.1, as behind a TLS-terminating proxy.

    The soak's clients send ``X-Forwarded-Proto: https`` as that proxy would, so the HTTPS
    redirect stays on. Variables of the calling shell that would change the deployment (a test
    run's ``MOOT_*`` settings, its database) are left out.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MOOT_") and k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="annotator.settings.production",
        SECRET_KEY=f"soak-{os.urandom(24).hex()}",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ALLOWED_HOSTS=hosts,
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        MOOT_DATA_DIR=str(data_dir),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(args: list[str], env: dict[str, str], timeout: float = 600) -> None:
    """``manage.py <args>`` in a fresh process; its output shown only when it fails."""
    done = subprocess.run(  # noqa: S603  # fixed argv
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def web_start(port: int, env: dict[str, str], log_dir: Path) -> Proc:
    """One ASGI web process, as the README's deployment runs it (one process per port here)."""
    argv = [
        sys.executable, "-m", "uvicorn", "annotator.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--proxy-headers",
    ]  # fmt: skip
    return Proc(f"web-{port}", argv, env, log_dir)


def worker_start(queue: str, env: dict[str, str], log_dir: Path, concurrency: int) -> Proc:
    """A Celery worker as the README runs it: ``gpu`` with a solo pool, ``default`` prefork."""
    argv = [sys.executable, "-m", "celery", "-A", "workers", "worker", "-Q", queue]
    if queue == "gpu":
        argv += ["--pool", "solo", "-n", "gpu0@%h"]
    else:
        argv += ["--concurrency", str(concurrency), "-n", f"{queue}@%h"]
    # INFO, for the "ready." line we wait for (and the task log when something goes wrong).
    argv += ["--loglevel", "INFO"]
    return Proc(f"worker-{queue}", argv, env, log_dir)


# --- Memory --------------------------------------------------------------------------------------


def rss_bytes(pid: int) -> int | None:
    """Resident set size of ``pid`` (VmRSS), or None once it has exited."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_SIZE
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid`` (a prefork pool's processes)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    return sorted(set(found))


@dataclass
class MemorySampler:
    """Samples every deployment process's RSS (and a pool's children) every ``every_s`` seconds.

    Each series is keyed by a name that says which process it is (``worker-default/4711``, a
    pool child by its pid): a child that is replaced shows as a new series, and the one it
    replaced stops.
    """

    procs: list[Proc]
    every_s: float
    admin_url: str
    database: str
    redis_url: str
    started: float = field(default_factory=time.monotonic)
    series: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    # (when, sessions on the database, of which the deployment's processes hold)
    connections: list[tuple[float, int, int]] = field(default_factory=list)
    sessions: dict[str, list[tuple[float, int]]] = field(default_factory=dict)
    redis_keys: list[tuple[float, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.started = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _names(self) -> dict[str, int]:
        named = {proc.name: proc.pid for proc in self.procs}
        for proc in self.procs:
            for child in child_pids(proc.pid):
                named[f"{proc.name}/{child}"] = child
        return named

    def sample(self) -> None:
        at = time.monotonic() - self.started
        named = self._names()
        for name, pid in named.items():
            rss = rss_bytes(pid)
            if rss is not None:
                self.series.setdefault(name, []).append((at, rss))
        with contextlib.suppress(psycopg.Error):
            ports = database_sessions(self.admin_url, self.database)
            owners = ports_of(named)
            held = Counter(owners.get(port, "other") for port in ports)
            self.connections.append((at, len(ports), len(ports) - held["other"]))
            for name in {*named, *held}:
                self.sessions.setdefault(name, []).append((at, held.get(name, 0)))
        with contextlib.suppress(redis.RedisError):
            self.redis_keys.append((at, redis_keys(self.redis_url)))

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every_s)


@dataclass(frozen=True)
class MemoryVerdict:
    """One process's RSS over the load: "flat" compares the last quarter with the second."""

    name: str
    start_mb: float
    q2_mb: float
    q4_mb: float
    end_mb: float
    peak_mb: float
    allowed_mb: float
    flat: bool


def memory_verdicts(
    series: dict[str, list[tuple[float, int]]],
    *,
    load_from: float,
    load_to: float,
    tolerance: float,
    floor_mb: float,
) -> list[MemoryVerdict]:
    """Median RSS of the second quarter of the load against that of the last quarter.

    The first quarter is warm-up (models load, code paths run for the first time). A process
    is flat when its last-quarter median is at most ``tolerance`` (a share) or ``floor_mb``
    above its second-quarter median, whichever is larger. A process without samples in both
    quarters (it started or stopped in between) is reported but cannot be judged flat.
    """
    span = load_to - load_from
    q2 = (load_from + span / 4, load_from + span / 2)
    q4 = (load_from + span * 3 / 4, load_to)
    verdicts: list[MemoryVerdict] = []
    for name, points in sorted(series.items()):
        during = [rss for at, rss in points if load_from <= at <= load_to] or [points[0][1]]
        second = [rss for at, rss in points if q2[0] <= at < q2[1]]
        last = [rss for at, rss in points if q4[0] <= at <= q4[1]]
        q2_mb = statistics.median(second) / MB if second else float("nan")
        q4_mb = statistics.median(last) / MB if last else float("nan")
        allowed = max(q2_mb * tolerance, floor_mb)
        verdicts.append(
            MemoryVerdict(
                name=name,
                start_mb=during[0] / MB,
                q2_mb=q2_mb,
                q4_mb=q4_mb,
                end_mb=during[-1] / MB,
                peak_mb=max(during) / MB,
                allowed_mb=allowed,
                flat=bool(second) and bool(last) and q4_mb - q2_mb <= allowed,
            )
        )
    return verdicts
