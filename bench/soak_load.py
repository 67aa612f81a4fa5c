"""The soak test's load: simulated annotators and a manager, over HTTP, with what they saw.

Each annotator is one ``httpx.AsyncClient`` with its own token, labeling as the browser app
does: ``next``, a pause to read, then submit (sometimes skip), sometimes fetching the following
item ahead, sometimes sending a submit twice as a flaky network would (one after the other, or
both at once). The manager starts judge runs, builds exports and opens the dashboard meanwhile,
with the project's live feed (websocket) open.
Requests go round-robin to the web processes, each with ``X-Forwarded-Proto: https`` as the
TLS-terminating proxy in front of a production site sends it.

Every response is checked against what the API promises; anything else is an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Origin

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# uvicorn closes a connection idle for 5 s (its --timeout-keep-alive). A client that reuses one
# about then races the close, and a request lost that way never reaches the server. A reverse
# proxy must keep its idle upstream connections for less time than the server does; the clients
# here stand in for that proxy, so they do too (httpx's own default is 5 s, like uvicorn's).
KEEPALIVE_S = 2.0
THINK_S = (0.5, 3.0)
P_SKIP = 0.05
P_AHEAD = 0.3
P_RETRY = 0.05
P_RETRY_AT_ONCE = 0.03
STRENGTHS = 3  # the question's strength labels
MAX_ERRORS_KEPT = 30
# The seed pits this model against model-a on every eighth item; each judge run covers those
# items (the item browser's "model" filter), so a run lasts about as long as the pause between
# runs on a CPU, whatever the size of the project.
JUDGED_MODEL = "model-c"
JUDGE_SCOPE = {"kind": "filter", "filter": {"model": JUDGED_MODEL}}


@dataclass(frozen=True)
class Submitted:
    """A submit the API acknowledged."""

    annotator: str
    assignment: int
    annotation: int


@dataclass
class Recorder:
    """Every response's status and latency, the acknowledged work, and the errors seen."""

    started: float = field(default_factory=time.monotonic)
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    submitted: list[Submitted] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)
    retried: int = 0
    empty_queue: int = 0
    judge_runs: list[int] = field(default_factory=list)
    exports: list[int] = field(default_factory=list)
    events: Counter[str] = field(default_factory=Counter)
    announced: set[int] = field(default_factory=set)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"{time.monotonic() - self.started:7.1f}s {message}")

    def seen(self, kind: str, response: httpx.Response, ms: float, expected: set[int]) -> bool:
        """Record one response; an unexpected status is an error. True when it was expected."""
        self.statuses[(kind, response.status_code)] += 1
        self.latencies_ms.setdefault(kind, []).append(ms)
        if response.status_code in expected:
            return True
        self.error(
            f"{kind} {response.request.method} {response.request.url.path}"
            f" -> {response.status_code}: {response.text[:300]}"
        )
        return False

    def requests(self) -> int:
        return sum(self.statuses.values())


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50, p95 and p99 in milliseconds (interpolated between samples; none for no samples)."""
    if len(samples) < 2:
        return {"p50": round(samples[0], 1)} if samples else {}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


class Api:
    """An HTTP client that sends each request to the next web process in turn, and times it."""

    def __init__(
        self,
        bases: itertools.cycle[str],
        token: str,
        recorder: Recorder,
        keepalive_s: float = KEEPALIVE_S,
    ) -> None:
        self._bases = bases
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Token {token}", **PROXY_HEADERS},
            timeout=httpx.Timeout(120.0),
            limits=httpx.Limits(keepalive_expiry=keepalive_s),
        )
        self.recorder = recorder

    async def close(self) -> None:
        await self._client.aclose()

    async def call(
        self,
        kind: str,
        method: str,
        path: str,
        expected: set[int],
        json: object = None,
    ) -> httpx.Response | None:
        """One request; None when it failed (a transport error or an unexpected status)."""
        started = time.perf_counter()
        try:
            response = await self._client.request(
                method, next(self._bases) + path, json=json, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            self.recorder.error(f"{kind} {method} {path}: {type(exc).__name__}: {exc}")
            return None
        ms = (time.perf_counter() - started) * 1000
        return response if self.recorder.seen(kind, response, ms, expected) else None


def answers_for(item: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A valid answer to the soak project's pairwise question (a tie now and then)."""
    keys = [c["id"] for c in item["candidates"]]
    if rng.random() < 0.1:
        return {"pref": {"winner": "tie"}}
    return {"pref": {"winner": rng.choice(keys), "strength": rng.randrange(STRENGTHS)}}


@dataclass
class Annotator:
    """One simulated person labeling until the deadline."""

    username: str
    api: Api
    project_id: int
    rng: random.Random
    deadline: float
    seen_items: set[int] = field(default_factory=set)

    @property
    def recorder(self) -> Recorder:
        return self.api.recorder

    async def next(self, after: int | None = None) -> dict[str, Any] | None:
        """The next item (``after``: fetch ahead); None when there is none or the call failed."""
        path = f"/api/projects/{self.project_id}/next/"
        kind = "next" if after is None else "next_ahead"
        if after is not None:
            path += f"?after={after}"
        response = await self.api.call(kind, "POST", path, {200, 204})
        if response is None or response.status_code == 204:
            return None
        body: dict[str, Any] = response.json()
        return body

    def check_new(self, handed: dict[str, Any], held: set[int]) -> None:
        """An assignment not held before must be an item this person has not been given."""
        assignment, item = int(handed["assignment"]["id"]), int(handed["item"]["id"])
        if assignment in held:
            return
        if item in self.seen_items:
            self.recorder.error(f"{self.username} was handed item {item} a second time")
        self.seen_items.add(item)

    async def submit(self, handed: dict[str, Any]) -> None:
        assignment = int(handed["assignment"]["id"])
        body = {
            "answers": answers_for(handed, self.rng),
            "time_spent_ms": self.rng.randint(500, 3000),
        }
        path = f"/api/assignments/{assignment}/submit/"
        draw = self.rng.random()
        if draw < P_RETRY_AT_ONCE:
            # Both copies in flight together (a retry sent before the first answer came back).
            both = await asyncio.gather(
                self.api.call("submit", "POST", path, {200, 201}, body),
                self.api.call("submit_retry", "POST", path, {200, 201}, body),
            )
            self.recorder.retried += 1
            answered = [r for r in both if r is not None]
            codes = sorted(r.status_code for r in answered)
            ids = {int(r.json()["id"]) for r in answered}
            if len(ids) > 1 or (len(answered) == 2 and codes != [200, 201]):
                self.recorder.error(f"double submit of {assignment}: statuses {codes}, ids {ids}")
            # What the client was told, even when one copy failed (that is already an error).
            for annotation in ids:
                self._acknowledge(assignment, annotation)
            return
        first = await self.api.call("submit", "POST", path, {201}, body)
        if first is None:
            return
        annotation = int(first.json()["id"])
        self._acknowledge(assignment, annotation)
        if draw < P_RETRY_AT_ONCE + P_RETRY:
            self.recorder.retried += 1
            again = await self.api.call("submit_retry", "POST", path, {200}, body)
            if again is not None and again.json()["id"] != annotation:
                self.recorder.error(
                    f"retried submit of {assignment} made annotation {again.json()['id']}"
                    f" besides {annotation}"
                )

    def _acknowledge(self, assignment: int, annotation: int) -> None:
        self.recorder.submitted.append(Submitted(self.username, assignment, annotation))

    async def skip(self, handed: dict[str, Any]) -> None:
        assignment = int(handed["assignment"]["id"])
        done = await self.api.call("skip", "POST", f"/api/assignments/{assignment}/skip/", {200})
        if done is not None:
            self.recorder.skipped.append((self.username, assignment))

    async def run(self, start_after_s: float) -> None:
        """Label until the deadline: next, read, submit or skip; the item behind fetched ahead."""
        await asyncio.sleep(start_after_s)
        held: set[int] = set()
        current = await self.next()
        while time.monotonic() < self.deadline:
            if current is None:
                # Nothing to label (or the call failed): wait as a person would, then ask again.
                self.recorder.empty_queue += 1
                await asyncio.sleep(5)
                current = await self.next()
                continue
            self.check_new(current, held)
            held = {int(current["assignment"]["id"])}
            ahead = None
            if self.rng.random() < P_AHEAD:
                ahead = await self.next(after=int(current["assignment"]["id"]))
                if ahead is not None:
                    self.check_new(ahead, held)
                    held.add(int(ahead["assignment"]["id"]))
            await asyncio.sleep(self.rng.uniform(*THINK_S))
            if self.rng.random() < P_SKIP:
                await self.skip(current)
            else:
                await self.submit(current)
            current = await self.next()
            if ahead is not None and current is not None:
                shown, behind = current["assignment"]["id"], ahead["assignment"]["id"]
                if shown != behind:
                    self.recorder.error(
                        f"{self.username}: next gave {shown}, not {behind} fetched ahead"
                    )


@dataclass
class ManagerPlan:
    project_id: int
    model_path: str
    deadline: float
    judge_every_s: float
    export_at_s: list[float]
    metrics_every_s: float
    drain_timeout_s: float


async def _poll(api: Api, kind: str, path: str, done: set[str], timeout_s: float) -> dict[str, Any]:
    """GET ``path`` every 2 s until its status is one of ``done`` (or the time is up)."""
    give_up = time.monotonic() + timeout_s
    body: dict[str, Any] = {}
    while time.monotonic() < give_up:
        response = await api.call(kind, "GET", path, {200})
        if response is not None:
            body = response.json()
            if body.get("status") in done:
                return body
        await asyncio.sleep(2)
    api.recorder.error(f"{path} still {body.get('status')} after {timeout_s:.0f}s")
    return body


async def judge_loop(api: Api, plan: ManagerPlan) -> None:
    """Create a reward-model judge and run it over the project every ``judge_every_s`` seconds.

    A run starts once the previous one has finished (so the GPU queue never falls behind by
    more than one run); once the load is over, the last run is waited for.
    """
    created = await api.call(
        "judge_create",
        "POST",
        f"/api/projects/{plan.project_id}/judges/",
        {201},
        {
            "name": "tiny reward model",
            "kind": "reward_model",
            "config": {"model": plan.model_path},
            "questions": ["pref"],
        },
    )
    if created is None:
        return
    judge = int(created.json()["id"])
    while time.monotonic() < plan.deadline:
        began = time.monotonic()
        run = await api.call(
            "judge_run", "POST", f"/api/judges/{judge}/runs/", {201}, {"scope": JUDGE_SCOPE}
        )
        if run is None:
            await asyncio.sleep(plan.judge_every_s)
            continue
        api.recorder.judge_runs.append(int(run.json()["id"]))
        left = max(plan.deadline - time.monotonic(), 0) + plan.drain_timeout_s
        await _poll(
            api, "judge_poll", f"/api/judge-runs/{run.json()['id']}/",
            {"done", "failed", "cancelled"}, left,
        )  # fmt: skip
        await asyncio.sleep(max(0.0, began + plan.judge_every_s - time.monotonic()))


async def export_loop(api: Api, plan: ManagerPlan, started: float) -> None:
    """Build a preference export at each of ``export_at_s``, wait for it, and download it."""
    for at in plan.export_at_s:
        await asyncio.sleep(max(0.0, started + at - time.monotonic()))
        made = await api.call(
            "export",
            "POST",
            f"/api/projects/{plan.project_id}/exports/",
            {202},
            {"format": "preference", "file_type": "jsonl"},
        )
        if made is None:
            continue
        export = int(made.json()["id"])
        api.recorder.exports.append(export)
        left = max(plan.deadline - time.monotonic(), 0) + plan.drain_timeout_s
        body = await _poll(api, "export_poll", f"/api/exports/{export}/", {"done", "failed"}, left)
        if body.get("status") != "done":
            continue
        file = await api.call("export_download", "GET", f"/api/exports/{export}/download/", {200})
        if file is not None and len(file.content) != body["size_bytes"]:
            api.recorder.error(
                f"export {export}: downloaded {len(file.content)} bytes, not {body['size_bytes']}"
            )


async def dashboard_loop(api: Api, plan: ManagerPlan) -> None:
    """Open the dashboard now and then, as a manager watching the work would."""
    while time.monotonic() < plan.deadline:
        await api.call("metrics", "GET", f"/api/projects/{plan.project_id}/metrics/", {200, 202})
        await asyncio.sleep(plan.metrics_every_s)


async def events_loop(base: str, project_id: int, cookie: str, recorder: Recorder) -> None:
    """The manager's live feed, open for the whole load: counts each event type it receives.

    Websockets authenticate with the browser's session cookie; the origin is checked against
    the allowed hosts. Runs until cancelled; a socket that closes before is an error.
    """
    url = base.replace("http://", "ws://") + f"/ws/projects/{project_id}/"
    try:
        async with connect(
            url,
            origin=Origin("https://127.0.0.1"),
            additional_headers={"Cookie": f"sessionid={cookie}", **PROXY_HEADERS},
            max_queue=None,
        ) as socket:
            async for raw in socket:
                event = json.loads(raw)
                recorder.events[event["type"]] += 1
                if event["type"] == "annotation.created":
                    recorder.announced.add(int(event["data"]["annotation"]))
        recorder.error("the live feed closed during the load")
    except (OSError, WebSocketException) as exc:
        recorder.error(f"live feed: {type(exc).__name__}: {exc}")


async def run_load(
    *,
    bases: list[str],
    project_id: int,
    annotators: dict[str, str],
    manager_token: str,
    manager_cookie: str,
    plan: ManagerPlan,
    seed: int,
    ramp_s: float,
    keepalive_s: float = KEEPALIVE_S,
) -> Recorder:
    """Run every annotator and the manager until the deadline; return what they recorded."""
    recorder = Recorder()
    rotation = itertools.cycle(bases)
    clients = [Api(rotation, token, recorder, keepalive_s) for token in annotators.values()]
    manager = Api(rotation, manager_token, recorder, keepalive_s)
    people = [
        Annotator(
            username=name,
            api=client,
            project_id=project_id,
            rng=random.Random(f"{seed}:{name}"),  # noqa: S311  # simulation, not security
            deadline=plan.deadline,
        )
        for name, client in zip(annotators, clients, strict=True)
    ]
    feed = asyncio.create_task(events_loop(bases[0], project_id, manager_cookie, recorder))
    try:
        await asyncio.sleep(0.5)  # the feed is open before the first submit
        await asyncio.gather(
            *(p.run(ramp_s * i / max(len(people), 1)) for i, p in enumerate(people)),
            judge_loop(manager, plan),
            export_loop(manager, plan, recorder.started),
            dashboard_loop(manager, plan),
        )
        await asyncio.sleep(2)  # events of the last submits are still on their way
    finally:
        feed.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await feed
        for client in [*clients, manager]:
            await client.close()
    return recorder
