"""Killing the web process, the worker, Redis or PostgreSQL while people label loses nothing.

Simulated annotators label through the API as the browser does: an answer, once entered, is
sent until the server acknowledges it (the labeling screen keeps it and retries the same way).
Midway one service is killed (SIGKILL, or PostgreSQL's immediate shutdown) and restarted a few
seconds later. Afterwards every entered answer is acknowledged and stored exactly once, the
service answers again without errors, and the queued background work drains.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
import redis

from tests.faults.stack import Stack, seeded_stack

pytestmark = [pytest.mark.services, pytest.mark.timeout(600)]

PEOPLE = 6
LABEL_S = 9.0  # how long people label in each scenario
KILL_AT_S = 2.0
DOWN_S = 3.0
DELIVER_WITHIN_S = 90.0


@dataclass
class World:
    stack: Stack
    project: int
    tokens: list[str]


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with seeded_stack(items=3000, people=PEOPLE) as (stack, seeded):
        yield World(stack, int(seeded["project"]), list(seeded["tokens"]))


@dataclass
class Annotator:
    """One person labeling: every answer entered is delivered, retrying through outages."""

    url: str
    project: int
    token: str
    stop: threading.Event
    seed: int
    acked: dict[int, int] = field(default_factory=dict)  # assignment -> annotation
    undelivered: list[int] = field(default_factory=list)
    outcomes: list[tuple[float, str]] = field(default_factory=list)

    def call(
        self, client: httpx.Client, method: str, path: str, **kw: Any
    ) -> httpx.Response | None:
        try:
            response = client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            self.outcomes.append((time.monotonic(), type(exc).__name__))
            return None
        ok = response.status_code < 500
        self.outcomes.append((time.monotonic(), "ok" if ok else str(response.status_code)))
        return response

    def run(self) -> None:
        rng = random.Random(self.seed)
        headers = {"Authorization": f"Token {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=10) as client:
            while not self.stop.is_set():
                served = self.call(client, "POST", f"/api/projects/{self.project}/next/")
                if served is None or served.status_code >= 500:
                    time.sleep(0.3)
                    continue
                assert served.status_code == 200, served.text
                body = served.json()
                time.sleep(rng.uniform(0.05, 0.2))  # reading
                answer = {"answers": {"pref": {"winner": body["candidates"][0]["id"]}}}
                self.deliver(client, body["assignment"]["id"], answer)

    def deliver(self, client: httpx.Client, assignment: int, answer: dict[str, Any]) -> None:
        deadline = time.monotonic() + DELIVER_WITHIN_S
        while time.monotonic() < deadline:
            sent = self.call(client, "POST", f"/api/assignments/{assignment}/submit/", json=answer)
            if sent is not None and sent.status_code in (200, 201):
                self.acked[assignment] = sent.json()["id"]
                return
            if sent is not None and sent.status_code < 500:
                raise AssertionError(f"submit refused: {sent.status_code} {sent.text}")
            time.sleep(0.3)
        self.undelivered.append(assignment)


def label_through(
    world: World, fault: Callable[[], None], restart: Callable[[], None]
) -> list[Annotator]:
    stop = threading.Event()
    people = [
        Annotator(world.stack.url, world.project, token, stop, seed=n)
        for n, token in enumerate(world.tokens)
    ]
    threads = [threading.Thread(target=p.run, daemon=True) for p in people]
    for thread in threads:
        thread.start()
    time.sleep(KILL_AT_S)
    fault()
    time.sleep(DOWN_S)
    restart()
    recovered = time.monotonic()
    time.sleep(max(0.0, LABEL_S - KILL_AT_S - DOWN_S))
    stop.set()
    for thread in threads:
        thread.join(timeout=DELIVER_WITHIN_S + 15)
    for person in people:
        person.outcomes.append((recovered, "restarted"))
    return people


def stored(world: World) -> tuple[dict[int, tuple[int, int]], int]:
    """Submitted annotations by id -> (annotator, item), and how many (annotator, item) repeat."""
    with psycopg.connect(world.stack.pg.url) as conn:
        rows = conn.execute(
            "SELECT id, annotator_id, item_id FROM annotator_annotation WHERE status = 'submitted'"
        ).fetchall()
    pairs = [(annotator, item) for _, annotator, item in rows]
    return {pk: (annotator, item) for pk, annotator, item in rows}, len(pairs) - len(set(pairs))


def queues_drain(world: World, within_s: float = 90) -> None:
    client = redis.Redis.from_url(world.stack.cache.url)
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if client.llen("default") == 0 and client.llen("gpu") == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"queues still hold work: {client.llen('default')}, {client.llen('gpu')}")


@pytest.mark.parametrize("service", ["web", "worker", "redis", "postgres"])
def test_labeling_loses_nothing_when_a_service_dies(world: World, service: str) -> None:
    before, _ = stored(world)
    fault, restart = world.stack.fault(service)

    people = label_through(world, fault, restart)

    after, repeated = stored(world)
    acked = {annotation for person in people for annotation in person.acked.values()}
    new = set(after) - set(before)
    assert [a for p in people for a in p.undelivered] == [], world.stack.logs()
    assert acked, "nobody labeled anything"
    failed = [o for p in people for _, o in p.outcomes if o not in ("ok", "restarted")]
    if service in ("web", "postgres"):  # people labeling noticed: the fault was real
        assert failed, "no call failed while the service was down"
    assert acked == new  # every acknowledged answer is stored, and nothing else was
    assert repeated == 0  # and none twice
    # Once restarted (give it a few seconds), the service answers every call again.
    settled = [
        (at, outcome)
        for person in people
        for at, outcome in person.outcomes
        if outcome not in ("ok", "restarted") and at > person.outcomes[-1][0] + 5
    ]
    assert settled == []
    queues_drain(world)
