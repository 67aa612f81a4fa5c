"""Soak test: simulated annotators against a multi-process deployment, with judges running.

One command, on one machine with PostgreSQL and Redis on their default local ports::

    .venv/bin/python bench/soak.py [--minutes 10] [--annotators 64] [--seed 1] [--json out.json]

It builds a deployment from scratch and takes it down again:

1. drops and creates the PostgreSQL database ``--database`` (``moot_soak``; the server from
   ``--postgres``, by default ``postgres://postgres@127.0.0.1:5432/postgres``), flushes the Redis
   database ``--redis-url`` (``redis://127.0.0.1:6379/8``) and runs ``manage.py migrate``;
2. seeds a project with one pairwise question, enough items that the annotators never run out
   (``--items``; overlap ``--overlap``), the annotator accounts and a manager, each with an
   API token; and builds a tiny reward model with random weights in the data folder (the
   tests' own builder, so nothing is downloaded);
3. starts the deployment the way the README's "Production deployment" section does, with
   ``annotator.settings.production``: two ASGI web processes (uvicorn, one per port, so each
   one's memory can be followed), a Celery worker on the ``gpu`` queue (``--pool solo``) and
   one on ``default`` (prefork, ``--concurrency 4``). Everything listens on 127.0.0.1 only.
   The clients stand in for the TLS-terminating proxy: they send ``X-Forwarded-Proto: https``
   and keep idle connections for less time than uvicorn does (``--client-keepalive``).
   ``--set NAME=VALUE`` passes a setting to every process (``MOOT_DB_CONN_MAX_AGE=60``);
4. runs the load (``bench/soak_load.py``) for ``--minutes``: every annotator labels with a
   pause of 0.5-3 s per item, sometimes skipping, fetching ahead or retrying a submit, while the
   manager, with the project's live feed open, runs the reward-model judge every
   ``--judge-every`` seconds (over the eighth of the items where model-c answers), builds two
   exports and opens the dashboard; then it waits for the last judge run and export;
5. checks the database against what the clients were told (``bench/soak_db.py``): no
   acknowledged annotation lost, none duplicated (also by a retried submit), no item over its
   overlap, every judge run and export done. Also: every response was one the API promises,
   the live feed announced every annotation, every process is still alive, the deployment
   never held more database sessions than ``--max-db-sessions``, and each process's memory is
   flat: the median RSS over the last quarter of the load is within ``--memory-tolerance``
   (10%) or ``--memory-floor-mb`` (30 MB), whichever is larger, of the median over the second
   quarter (the first is warm-up).

It prints a summary (requests, errors, latency percentiles per endpoint, annotations, judge
runs, exports, each process's memory and database sessions) and exits 1 when a check fails.
``--json PATH`` writes the same figures. Whatever it started is stopped on exit, on failure
and on Ctrl-C or SIGTERM, and the database is dropped (``--keep`` keeps it and the data folder,
with every process's log; the folder is also kept when the run fails).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.soak_load import (
    KEEPALIVE_S,
    THINK_S,
    ManagerPlan,
    Recorder,
    percentiles,
    run_load,
)
from bench.soak_stack import (
    ROOT,
    MemorySampler,
    MemoryVerdict,
    Proc,
    database_drop,
    database_recreate,
    database_url,
    deployment_env,
    free_port,
    manage,
    memory_verdicts,
    redis_flush,
    web_start,
    worker_start,
)

BUILD_MODEL = (
    "import sys; from pathlib import Path;"
    "from tests.judges.tiny_models import build_reward_model;"
    "build_reward_model(Path(sys.argv[1]))"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--annotators", type=int, default=64)
    parser.add_argument("--seed", type=int, default=1, help="think times, skips, retries, answers")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--database", default="moot_soak", help="dropped and created")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8", help="flushed")
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary folder")
    parser.add_argument("--items", type=int, help="default: enough that nobody runs out")
    parser.add_argument("--overlap", type=int, default=2)
    parser.add_argument("--judge-every", type=float, default=60, help="seconds between runs")
    parser.add_argument("--sample-every", type=float, default=2, help="seconds between samples")
    parser.add_argument("--memory-tolerance", type=float, default=0.10)
    parser.add_argument("--memory-floor-mb", type=float, default=30)
    parser.add_argument(
        "--max-db-sessions",
        type=int,
        help="most sessions the deployment may hold; default: one per annotator, plus 10",
    )
    parser.add_argument(
        "--client-keepalive",
        type=float,
        default=KEEPALIVE_S,
        help="seconds a client keeps an idle connection (uvicorn closes them after 5)",
    )
    parser.add_argument("--drain-timeout", type=float, default=300, help="for the last jobs")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the deployment, e.g. MOOT_DB_CONN_MAX_AGE=60",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and data folder")
    return parser.parse_args(argv)


def items_needed(annotators: int, seconds: float, overlap: int) -> int:
    """Items for the annotators never to run out: a third more than the mean pace labels."""
    per_item_s = sum(THINK_S) / 2
    return max(100, math.ceil(annotators * seconds / per_item_s * 4 / 3 / overlap))


def _run_json(argv: list[str], given: object, env: dict[str, str], work: Path) -> Any:
    """Run ``python -m <module> ... IN OUT`` with ``given`` as IN; return OUT's JSON."""
    given_path, out_path = work / f"{argv[-1]}-in.json", work / f"{argv[-1]}-out.json"
    given_path.write_text(json.dumps(given))
    done = subprocess.run(  # noqa: S603  # fixed argv
        [sys.executable, "-m", *argv, str(given_path), str(out_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr[-4000:]}")
    return json.loads(out_path.read_text())


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops the soak as Ctrl-C does, so that everything it started is stopped."""
    raise KeyboardInterrupt


class Soak:
    """One soak run: the deployment it starts, the load, and the figures."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="moot-soak-"))
        self.log_dir = self.data_dir / "logs"
        self.procs: list[Proc] = []
        self.sampler: MemorySampler | None = None
        self.db_url = database_url(args.postgres, args.database)
        self.env = deployment_env(
            database_url=self.db_url,
            redis_url=args.redis_url,
            data_dir=self.data_dir,
            hosts="127.0.0.1",
        )
        self.env.update(pair.split("=", 1) for pair in args.set)

    def prepare(self) -> dict[str, Any]:
        """Database, Redis, migrations, seed data and the judge's model."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        database_recreate(self.args.postgres, self.args.database)
        redis_flush(self.args.redis_url)
        model_dir = self.data_dir / "tiny-reward-model"
        builder = subprocess.Popen(  # noqa: S603  # fixed argv
            [sys.executable, "-c", BUILD_MODEL, str(model_dir)],
            cwd=ROOT,
            env={**self.env, "OMP_NUM_THREADS": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            manage(["migrate", "--noinput"], self.env)
            seconds = self.args.minutes * 60
            items = self.args.items or items_needed(
                self.args.annotators, seconds, self.args.overlap
            )
            params = {
                "annotators": self.args.annotators,
                "items": items,
                "overlap": self.args.overlap,
            }
            seeded: dict[str, Any] = _run_json(
                ["bench.soak_db", "seed"], params, self.env, self.data_dir
            )
            output, _ = builder.communicate(timeout=600)
        finally:
            if builder.poll() is None:
                builder.kill()
                builder.wait()
        if builder.returncode != 0:
            raise RuntimeError(f"building the tiny reward model failed:\n{output.decode()}")
        seeded["model"] = str(model_dir)
        return seeded

    def start(self) -> list[str]:
        """Two web processes and two workers; their base URLs once all are ready."""
        ports = [free_port(), free_port()]
        # A GPU worker runs one process per device; on CPU it shares the machine with the rest,
        # and spinning OpenMP threads would starve everything else (tiny models gain nothing).
        gpu_env = {**self.env, "OMP_NUM_THREADS": "1"}
        webs = [web_start(port, self.env, self.log_dir) for port in ports]
        workers = [
            worker_start("gpu", gpu_env, self.log_dir, concurrency=1),
            worker_start("default", self.env, self.log_dir, concurrency=4),
        ]
        self.procs = [*webs, *workers]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for web, base in zip(webs, bases, strict=True):
            web.wait_for_http(f"{base}/api/health/", timeout=120)
        for worker in workers:
            worker.wait_for_text(" ready.", timeout=120)
        return bases

    def load(self, seeded: dict[str, Any], bases: list[str]) -> tuple[Recorder, float, float]:
        """The load, with memory sampled throughout; the load's start and end on its clock."""
        self.sampler = MemorySampler(
            procs=self.procs,
            every_s=self.args.sample_every,
            admin_url=self.args.postgres,
            database=self.args.database,
            redis_url=self.args.redis_url,
        )
        self.sampler.start()
        seconds = self.args.minutes * 60
        load_from = time.monotonic() - self.sampler.started
        plan = ManagerPlan(
            project_id=seeded["project"],
            model_path=seeded["model"],
            deadline=time.monotonic() + seconds,
            judge_every_s=self.args.judge_every,
            # The first export inside the warm-up quarter, the second in the second half.
            export_at_s=[seconds * 0.1, seconds * 0.6],
            metrics_every_s=min(30.0, seconds / 4),
            drain_timeout_s=self.args.drain_timeout,
        )
        recorder = asyncio.run(
            run_load(
                bases=bases,
                project_id=seeded["project"],
                annotators=seeded["annotators"],
                manager_token=seeded["manager_token"],
                manager_cookie=seeded["manager_cookie"],
                plan=plan,
                seed=self.args.seed,
                ramp_s=min(10.0, seconds / 10),
                keepalive_s=self.args.client_keepalive,
            )
        )
        self.sampler.stop()
        return recorder, load_from, load_from + seconds

    def stop(self) -> None:
        if self.sampler is not None:
            self.sampler.stop()
        for proc in reversed(self.procs):
            proc.stop()

    def clean_up(self, *, failed: bool) -> None:
        redis_flush(self.args.redis_url)
        if not self.args.keep:
            database_drop(self.args.postgres, self.args.database)
        if self.args.keep or failed:
            print(f"logs and data: {self.data_dir}", file=sys.stderr)
        elif self.args.data_dir is None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def check(self, seeded: dict[str, Any], recorder: Recorder) -> list[dict[str, Any]]:
        acknowledged = {
            "project": seeded["project"],
            "submitted": [[s.annotator, s.assignment, s.annotation] for s in recorder.submitted],
            "skipped": recorder.skipped,
            "retried": recorder.retried,
            "judge_runs": recorder.judge_runs,
            "exports": recorder.exports,
        }
        checks: list[dict[str, Any]] = _run_json(
            ["bench.soak_db", "check"], acknowledged, self.env, self.data_dir
        )
        dead = [p.name for p in self.procs if not p.alive()]
        held = max((n for _, _, n in self.sampler.connections), default=0) if self.sampler else 0
        # Without a pool, a web process opens a session per request in flight: one per person
        # at most (and the workers' few). More means sessions outlive their requests.
        budget = self.args.max_db_sessions or self.args.annotators + 10
        checks.append(
            {
                "name": "database sessions within budget",
                "ok": held <= budget,
                "detail": f"the deployment held at most {held} (budget {budget})",
            }
        )
        unannounced = {s.annotation for s in recorder.submitted} - recorder.announced
        checks.append(
            {
                "name": "the live feed announced every annotation",
                "ok": not unannounced,
                "detail": f"{len(recorder.announced)} annotation.created events, "
                f"{len(unannounced)} annotations never announced; "
                f"events by type {dict(sorted(recorder.events.items()))}",
            }
        )
        checks.append(
            {"name": "every process still running", "ok": not dead, "detail": f"exited: {dead}"}
        )
        checks.append(
            {
                "name": "every response as the API promises",
                "ok": recorder.error_count == 0,
                "detail": f"{recorder.error_count} errors; " + " | ".join(recorder.errors[:5]),
            }
        )
        return checks


def figures(
    *,
    args: argparse.Namespace,
    seeded: dict[str, Any],
    recorder: Recorder,
    memory: list[MemoryVerdict],
    checks: list[dict[str, Any]],
    sampler: MemorySampler,
) -> dict[str, Any]:
    """Everything the summary shows, as JSON."""
    by_kind: dict[str, dict[str, Any]] = {}
    for (kind, status), count in sorted(recorder.statuses.items()):
        entry = by_kind.setdefault(kind, {"requests": 0, "statuses": {}})
        entry["requests"] += count
        entry["statuses"][str(status)] = count
    for kind, entry in by_kind.items():
        entry["latency_ms"] = percentiles(recorder.latencies_ms.get(kind, []))
    connections = [n for _, n, _ in sampler.connections]
    deployment = [n for _, _, n in sampler.connections]
    sessions = {
        name: {"max": max(n for _, n in points), "last": points[-1][1]}
        for name, points in sorted(sampler.sessions.items())
    }
    keys = [n for _, n in sampler.redis_keys]
    return {
        "minutes": args.minutes,
        "annotators": args.annotators,
        "seed": args.seed,
        "items": seeded["items"],
        "overlap": args.overlap,
        "requests": recorder.requests(),
        "requests_per_s": round(recorder.requests() / (args.minutes * 60), 1),
        "errors": recorder.error_count,
        "error_samples": recorder.errors,
        "annotations": len(recorder.submitted),
        "skips": len(recorder.skipped),
        "retried_submits": recorder.retried,
        "waits_for_items": recorder.empty_queue,
        "judge_runs": len(recorder.judge_runs),
        "exports": len(recorder.exports),
        "events": dict(sorted(recorder.events.items())),
        "endpoints": by_kind,
        "memory_mb": [asdict(v) for v in memory],
        "database_connections": {
            "min": min(connections, default=0),
            "max": max(connections, default=0),
            "deployment_max": max(deployment, default=0),
        },
        "database_sessions": sessions,
        "redis_keys": {"first": keys[0] if keys else 0, "last": keys[-1] if keys else 0},
        "checks": checks,
        "passed": all(c["ok"] for c in checks) and all(v.flat for v in memory),
    }


def summary(report: dict[str, Any]) -> str:
    """The figures as a few plain tables."""
    lines = [
        f"soak: {report['annotators']} annotators x {report['minutes']:g} min, "
        f"{report['items']} items, overlap {report['overlap']}, seed {report['seed']}",
        f"requests {report['requests']} ({report['requests_per_s']}/s), "
        f"errors {report['errors']}, annotations {report['annotations']}, "
        f"skips {report['skips']}, retried submits {report['retried_submits']}, "
        f"waits for items {report['waits_for_items']}, judge runs {report['judge_runs']}, "
        f"exports {report['exports']}",
        "",
        f"{'endpoint':<16}{'requests':>9}  {'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}  statuses",
    ]
    for kind, entry in report["endpoints"].items():
        lat = entry["latency_ms"]
        lines.append(
            f"{kind:<16}{entry['requests']:>9}  {lat.get('p50', 0):>8}{lat.get('p95', 0):>8}"
            f"{lat.get('p99', 0):>8}  {entry['statuses']}"
        )
    lines += [
        "",
        f"{'process (RSS MB)':<30}{'start':>8}{'q2 med':>8}{'q4 med':>8}{'end':>8}{'peak':>8}"
        f"{'allowed':>9}  flat  db sessions max/last",
    ]
    sessions = report["database_sessions"]
    for m in report["memory_mb"]:
        held = sessions.get(m["name"], {"max": 0, "last": 0})
        lines.append(
            f"{m['name']:<30}{m['start_mb']:>8.1f}{m['q2_mb']:>8.1f}{m['q4_mb']:>8.1f}"
            f"{m['end_mb']:>8.1f}{m['peak_mb']:>8.1f}{m['allowed_mb']:>9.1f}  "
            f"{'yes ' if m['flat'] else 'NO  '}  "
            f"{held['max']}/{held['last']}"
        )
    conns, keys = report["database_connections"], report["redis_keys"]
    lines += [
        f"database sessions {conns['min']}-{conns['max']}, "
        f"held by the deployment at most {conns['deployment_max']}; "
        f"redis keys {keys['first']} -> {keys['last']}",
        "",
    ]
    for c in report["checks"]:
        lines.append(f"{'ok  ' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}")
    phases = ", ".join(f"{k} {v:g}s" for k, v in report["phases_s"].items())
    lines.append(f"{'PASSED' if report['passed'] else 'FAILED'} ({phases})")
    return "\n".join(lines)


@contextmanager
def phase(name: str, timings: dict[str, float], say: str = "") -> Iterator[None]:
    """Time one phase of the run, and say on stderr when it starts."""
    print(f"{time.strftime('%H:%M:%S')} {name} {say}", file=sys.stderr)
    started = time.monotonic()
    try:
        yield
    finally:
        timings[name] = round(time.monotonic() - started, 1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    soak = Soak(args)
    timings: dict[str, float] = {}
    failed = True
    try:
        with phase("prepare", timings, f"{args.database}, logs in {soak.log_dir}"):
            seeded = soak.prepare()
        with phase("start", timings):
            bases = soak.start()
        with phase("load", timings, f"{args.annotators} annotators, {args.minutes:g} min, {bases}"):
            recorder, load_from, load_to = soak.load(seeded, bases)
        with phase("check", timings):
            checks = soak.check(seeded, recorder)
        assert soak.sampler is not None
        memory = memory_verdicts(
            soak.sampler.series,
            load_from=load_from,
            load_to=load_to,
            tolerance=args.memory_tolerance,
            floor_mb=args.memory_floor_mb,
        )
        report = figures(
            args=args,
            seeded=seeded,
            recorder=recorder,
            memory=memory,
            checks=checks,
            sampler=soak.sampler,
        )
        report["phases_s"] = timings
        print(summary(report))
        if args.json:
            args.json.write_text(json.dumps(report, indent=2))
        failed = not report["passed"]
    finally:
        soak.stop()
        soak.clean_up(failed=failed)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted; everything it started is stopped", file=sys.stderr)
        sys.exit(130)
