"""Snapshots built by a real Celery worker, with progress reaching managers live."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from rest_framework.test import APIClient

from annotator.exports import source, writers
from annotator.exports.build import export_rows, export_write, plan
from annotator.exports.options import ExportOptions
from annotator.exports.writers import json_line
from annotator.models import Annotation, Candidate, Export, Item, Role
from annotator.services.exports import export_path, export_verify
from tests.annotator.exports.builders import PAIRWISE, people, project_with
from tests.factories import PASSWORD, member
from tests.stack import stack_env, web_process, worker_process
from tests.wsclient import project_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def labelled_project() -> tuple[Any, Any, Any]:
    project = project_with(PAIRWISE)
    u1, u2 = people(2)
    items = Item.objects.bulk_create(
        Item(project=project, external_id=f"q{i}", prompt="?") for i in range(1200)
    )  # more than two chunks of items
    Candidate.objects.bulk_create(
        Candidate(item=item, key=key, text=f"{key}{i}", position=p)
        for i, item in enumerate(items)
        for p, key in enumerate("ab")
    )
    Annotation.objects.bulk_create(
        Annotation(
            project=project,
            item=item,
            annotator=user,
            status="submitted",
            answers={"pref": {"winner": "a" if user == u1 or i % 2 else "b"}},
            display_order=["a", "b"],
        )
        for i, item in enumerate(items)
        for user in (u1, u2)
    )
    return project, member(project, Role.MANAGER), member(project, Role.ANNOTATOR)


def create(user: Any, project: Any, **options: Any) -> dict[str, Any]:
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(f"/api/projects/{project.pk}/exports/", options, format="json")
    assert response.status_code == 202, response.json()
    return dict(response.json())


def wait_done(export_id: int, timeout: float = 120) -> Export:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        export = Export.objects.get(pk=export_id)
        if export.status in ("done", "failed"):
            return export
        time.sleep(0.2)
    raise AssertionError(f"export {export_id} is still {Export.objects.get(pk=export_id).status}")


@pytest.mark.asyncio
async def test_a_worker_builds_the_snapshot_and_managers_watch_it(log_dir: Path) -> None:
    project, manager, annotator = await sync_to_async(labelled_project)()
    watching = project_socket(project.pk, await sync_to_async(session_cookie)(manager))
    bystander = project_socket(project.pk, await sync_to_async(session_cookie)(annotator))
    assert (await watching.connect())[0]
    assert (await bystander.connect())[0]

    with worker_process(log_dir):
        created = await sync_to_async(create)(manager, project, file_type="parquet")
        export = await sync_to_async(wait_done)(created["id"])
        events = []
        while True:
            event = await watching.receive_json_from(timeout=10)
            if event["type"] == "export.progress":
                events.append(event["data"])
                if event["data"]["status"] == "done":
                    break

    assert export.status == "done", export.error
    # Odd items: both chose a; even items split 1-1 and have no majority.
    assert export.manifest is not None
    assert export.rows == export.manifest["counts"]["rows"] == 600
    assert events[0]["status"] == "running"
    assert events[0]["items_total"] == 1200
    assert events[-1] == {
        "export": export.pk,
        "status": "done",
        "items_total": 1200,
        "items_done": 1200,
        "rows": export.rows,
        "error": "",
    }
    # Annotators never hear about exports.
    assert await bystander.receive_nothing(timeout=1)
    await watching.disconnect()
    await bystander.disconnect()


def test_records_and_downloads_stream_through_the_asgi_server(log_dir: Path) -> None:
    """Under uvicorn the streams take the asynchronous path (Django would otherwise read a
    synchronous iterator whole before sending anything)."""
    project, manager, _ = labelled_project()
    with web_process(log_dir) as url, worker_process(log_dir):
        token = httpx.post(
            f"{url}/api/auth/token/", json={"username": manager.username, "password": PASSWORD}
        ).json()["token"]
        headers = {"Authorization": f"Token {token}"}
        records = f"{url}/api/projects/{project.pk}/records/"
        with httpx.stream("GET", records, headers=headers, params={"limit": 500}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/x-ndjson"
            rows = [json.loads(line) for line in response.iter_lines() if line]
        assert len(rows) == 500
        rest = httpx.get(records, headers=headers, params={"cursor": rows[-1]["_cursor"]})
        assert len(rest.text.splitlines()) == 100
        created = httpx.post(
            f"{url}/api/projects/{project.pk}/exports/", headers=headers, json={}
        ).json()
        export = wait_done(created["id"])
        download = f"{url}/api/exports/{export.pk}/download/"
        whole = httpx.get(download, headers=headers)
        assert hashlib.sha256(whole.content).hexdigest() == export.file_sha256
        part = httpx.get(download, headers=headers | {"Range": "bytes=10-19"})
        assert part.status_code == 206
        assert part.content == whole.content[10:20]
    # Django warns when it has to read a streaming response whole first.
    assert "must consume synchronous iterators" not in (log_dir / "web.log").read_text()


def wait_until(check: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@contextmanager
def annotations_locked() -> Iterator[None]:
    """Hold the annotations table so a build that reaches it waits there, mid-build."""
    db = connections["default"].settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
        dbname=db["NAME"], autocommit=False,
    ) as holder:  # fmt: skip
        holder.execute(f"LOCK TABLE {Annotation._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        yield
        holder.rollback()


def test_a_worker_killed_mid_build_is_replaced_and_the_snapshot_completes(log_dir: Path) -> None:
    """SIGKILL the worker in the middle of a build: another worker's watchdog takes it over
    once its lease runs out, without waiting for the broker to hand the message back (Redis
    does that only after an hour)."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("holds a table lock with PostgreSQL's LOCK TABLE")
    project, manager, _ = labelled_project()
    env = {**stack_env(), "MOOT_EXPORT_LEASE_S": "2", "MOOT_RECOVERY_EVERY_S": "0.5"}
    (log_dir / "first").mkdir()
    (log_dir / "second").mkdir()
    with annotations_locked():
        created = create(manager, project, file_type="parquet")
        with worker_process(log_dir / "first", env) as first:
            wait_until(lambda: Export.objects.get(pk=created["id"]).status == "running")
            os.kill(first.popen.pid, signal.SIGKILL)
            first.popen.wait()
    killed = Export.objects.get(pk=created["id"])
    assert (killed.status, killed.attempts) == ("running", 1)

    with worker_process(log_dir / "second", env) as second:
        export = wait_done(created["id"])

    assert export.status == "done", export.error
    assert export.attempts == 2
    assert export.rows == 600
    assert export.lease_until is None
    assert export_verify(export) == "ok"
    path = export_path(export)
    assert sorted(p.name for p in path.parent.glob(f"{path.name}*")) == [path.name]
    assert "queued 1 of exports again after their worker died" in second.output()


def test_reading_ahead_on_a_thread_gives_the_same_rows(tmp_path: Path) -> None:
    """Outside a transaction the export reads the next chunk on a thread of its own."""
    project, _, _ = labelled_project()
    built = plan(project, ExportOptions.parse({}))
    written = export_write(built, tmp_path / "ahead.jsonl")
    lines = b"".join(json_line(row) for _, rows in export_rows(built) for row in rows)
    assert written.content_sha256 == hashlib.sha256(lines).hexdigest()
    assert written.counts.items == 1200


def test_a_failure_while_reading_ahead_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = labelled_project()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(source, "_candidates", broken)
    with pytest.raises(RuntimeError, match="went away"):
        export_write(plan(project, ExportOptions.parse({})), tmp_path / "broken.jsonl")
    assert not [t for t in threading.enumerate() if t.name == "moot-export-read"]


def test_a_failure_while_writing_stops_the_reading_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, _ = labelled_project()
    written: list[int] = []

    def full_disk(self: Any, rows: Any) -> None:
        written.append(len(rows))
        if len(written) > 3:
            raise OSError("No space left on device")

    monkeypatch.setattr(writers.RowWriter, "write", full_disk)
    with pytest.raises(OSError, match="No space"):
        export_write(plan(project, ExportOptions.parse({})), tmp_path / "full.jsonl")
    assert not [t for t in threading.enumerate() if t.name == "moot-export-read"]
