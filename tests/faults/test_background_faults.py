"""Killing the web process, the worker, Redis or PostgreSQL during a judge run or an export
loses nothing.

A judge run (an API judge answering slowly, so the run lasts seconds) and an export build
(held mid-build by a lock on the annotations table) are interrupted by a SIGKILL of the web
process, the worker or Redis, or an immediate shutdown of PostgreSQL, and the service restarted
a few seconds later. Afterwards the run is done with exactly one prediction per item and no
failure, and the snapshot is done with the same content as one built without a fault.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
import pytest
import redis

from tests.faults.stack import Stack, seeded_stack
from tests.judges.fake_openai import FakeOpenAI, slow, with_logprobs

pytestmark = [pytest.mark.services, pytest.mark.timeout(600)]

ITEMS = 24
DOWN_S = 3.0
FINISH_WITHIN_S = 120.0


@dataclass
class World:
    stack: Stack
    project: int
    manager: httpx.Client


def label_everything(stack: Stack, project: int, tokens: list[str]) -> None:
    """Each person labels every item, so exports have rows to write."""
    for token in tokens:
        with httpx.Client(
            base_url=stack.url, headers={"Authorization": f"Token {token}"}, timeout=10
        ) as client:
            while (served := client.post(f"/api/projects/{project}/next/")).status_code == 200:
                body = served.json()
                answer = {"answers": {"pref": {"winner": body["candidates"][0]["id"]}}}
                submit = f"/api/assignments/{body['assignment']['id']}/submit/"
                assert client.post(submit, json=answer).status_code in (200, 201)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    batches = {"MOOT_JUDGE_BATCH_ITEMS": "2"}
    with seeded_stack(items=ITEMS, people=2, env=batches) as (stack, seeded):
        label_everything(stack, seeded["project"], seeded["tokens"])
        headers = {"Authorization": f"Token {seeded['manager']}"}
        with httpx.Client(base_url=stack.url, headers=headers, timeout=10) as manager:
            yield World(stack, seeded["project"], manager)


def query(world: World, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(world.stack.pg.url, connect_timeout=3) as conn:
        return conn.execute(sql, params).fetchall()


def wait_until(world: World, check: Callable[[], bool], what: str) -> None:
    """Poll ``check`` through outages (a failed poll is a "not yet")."""
    deadline = time.monotonic() + FINISH_WITHIN_S
    while time.monotonic() < deadline:
        with contextlib.suppress(psycopg.Error):
            if check():
                return
        time.sleep(0.2)
    raise AssertionError(f"{what} within {FINISH_WITHIN_S} s\n{world.stack.logs()}")


# --- judge runs ------------------------------------------------------------------------------


@pytest.mark.parametrize("service", ["web", "worker", "redis", "postgres"])
def test_a_judge_run_completes_when_a_service_dies_mid_run(world: World, service: str) -> None:
    fault, restart = world.stack.fault(service)
    with FakeOpenAI(slow(with_logprobs({"A": 0.7, "B": 0.3}), 0.25)) as server:
        config = {
            "base_url": server.url, "model": "judge", "max_concurrency": 1, "position_swap": False
        }  # fmt: skip
        judge = world.manager.post(
            f"/api/projects/{world.project}/judges/",
            json={"name": f"api-{service}", "kind": "api", "config": config, "questions": ["pref"]},
        )
        assert judge.status_code == 201, judge.text
        started = world.manager.post(f"/api/judges/{judge.json()['id']}/runs/", json={})
        assert started.status_code == 201, started.text
        run = started.json()["id"]

        def in_hand() -> bool:
            (done, running), = query(
                world,
                "SELECT (SELECT done_items FROM judges_judgerun WHERE id = %s),"
                " (SELECT count(*) FROM judges_judgebatch WHERE run_id = %s"
                "  AND status = 'running')",
                run, run,
            )  # fmt: skip
            return bool(done >= 2 and running)

        wait_until(world, in_hand, "no batch was in hand")
        fault()
        time.sleep(DOWN_S)
        restart()
        wait_until(
            world,
            lambda: (
                query(world, "SELECT status FROM judges_judgerun WHERE id = %s", run)[0][0]
                in ("done", "failed", "cancelled")
            ),
            "the run did not finish",
        )

    ((status, error, done, failed),) = query(
        world,
        "SELECT status, error, done_items, failed_items FROM judges_judgerun WHERE id = %s",
        run,
    )
    assert (status, error) == ("done", ""), world.stack.logs()
    assert (done, failed) == (ITEMS, 0)
    predictions = query(
        world,
        "SELECT item_id, count(*), max(error) FROM judges_prediction WHERE run_id = %s"
        " GROUP BY item_id",
        run,
    )
    assert len(predictions) == ITEMS
    assert {(count, error) for _, count, error in predictions} == {(1, "")}
    attempts = query(world, "SELECT max(attempts) FROM judges_judgebatch WHERE run_id = %s", run)
    if service in ("worker", "postgres"):  # the batch in hand was handed out again
        assert attempts[0][0] >= 2


# --- exports ---------------------------------------------------------------------------------


@contextlib.contextmanager
def annotations_locked(world: World) -> Iterator[None]:
    """Hold the annotations table so the build waits there, mid-build, until released."""
    holder = psycopg.connect(world.stack.pg.url)
    holder.execute("LOCK TABLE annotator_annotation IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        with contextlib.suppress(psycopg.Error):  # gone with PostgreSQL, in that scenario
            holder.rollback()
        with contextlib.suppress(psycopg.Error):
            holder.close()


def queues_clear(world: World) -> None:
    """Drop whatever waits in the queues (dashboard refreshes left by earlier tests)."""
    redis.Redis.from_url(world.stack.cache.url).delete("default", "gpu")


def export_status(world: World, export: int) -> str:
    return str(query(world, "SELECT status FROM annotator_export WHERE id = %s", export)[0][0])


def export_create(world: World) -> int:
    created = world.manager.post(f"/api/projects/{world.project}/exports/", json={})
    assert created.status_code == 202, created.text
    return int(created.json()["id"])


def export_download(world: World, export: int) -> tuple[dict[str, Any], bytes]:
    body = world.manager.get(f"/api/exports/{export}/")
    assert body.status_code == 200, body.text
    return body.json(), world.manager.get(f"/api/exports/{export}/download/").content


@pytest.mark.parametrize("service", ["web", "worker", "redis", "postgres"])
def test_an_export_completes_when_a_service_dies_mid_build(world: World, service: str) -> None:
    stack = world.stack
    fault, restart = world.stack.fault(service)
    # The build must start while the table is held: queue it with no worker, then start one.
    # Nothing may wait before it: a dashboard refresh would wait on the lock, and the worker
    # with it (a dropped refresh is queued again when it is found lost; nothing here needs it).
    stack.worker.stop()  # type: ignore[union-attr]
    queues_clear(world)
    export = export_create(world)
    with annotations_locked(world):
        stack.start_worker()
        wait_until(world, lambda: export_status(world, export) == "running", "no build started")
        fault()
        if service == "redis":
            time.sleep(0.5)  # the build goes on without the broker once the table is free
    time.sleep(DOWN_S)
    restart()
    wait_until(
        world, lambda: export_status(world, export) in ("done", "failed"), "the build did not end"
    )

    body, content = export_download(world, export)
    assert (body["status"], body["error"]) == ("done", ""), stack.logs()
    control = export_create(world)  # the same snapshot, built without a fault
    wait_until(world, lambda: export_status(world, control) == "done", "no control build")
    control_body, control_content = export_download(world, control)
    assert body["manifest"]["content_sha256"] == control_body["manifest"]["content_sha256"]
    assert body["manifest"]["counts"]["rows"] == control_body["manifest"]["counts"]["rows"] > 0
    assert content == control_content
    ((attempts,),) = query(world, "SELECT attempts FROM annotator_export WHERE id = %s", export)
    if service in ("worker", "postgres"):  # taken over after the first worker lost it
        assert attempts >= 2
    leftovers = list((stack.root / "data" / "exports").glob("*.partial"))
    assert leftovers == []
