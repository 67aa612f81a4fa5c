"""What an annotator can see: never other people's answers, gold answers, or (while the project
is blind) model names and predictions; in the API and in the live events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from annotator.access import access_project
from annotator.models import Membership, Role
from annotator.services.members import member_change_role, member_remove
from judges.models import RunStatus
from judges.services import progress_send_on_commit
from tests.annotator.labeling import client_for
from tests.annotator.security.test_authorisation_matrix import RULES, expected
from tests.annotator.security.world import MODEL_NAMES, PEER, World, world_build
from tests.wsclient import project_socket, session_cookie


def secrets_in(body: Any, world: World) -> list[str]:
    """The things an annotator must not see that ``body`` holds: model names, another
    annotator's name on an answer, a gold answer, a judge's prediction."""
    text = json.dumps(body)
    found = [name for name in MODEL_NAMES if name in text]
    found += [
        f"{path} {PEER}"
        for path, value in _walk(body)
        if path.endswith("annotator") and value == PEER
    ]
    found += [f"gold {path}" for path, value in _walk(body) if path.endswith("gold") and value]
    if any(path.endswith("probability") for path, _ in _walk(body)):
        found.append("a prediction")
    return found


def _walk(body: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(body, dict):
        return [
            pair for k, v in body.items() for pair in [(f"{path}.{k}", v), *_walk(v, f"{path}.{k}")]
        ]
    if isinstance(body, list):
        return [pair for v in body for pair in _walk(v, path)]
    return []


@pytest.mark.django_db
def test_nothing_an_annotator_may_call_reveals_what_they_must_not_see(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = world_build(monkeypatch)
    world.project.gold_rate = 1.0  # the annotator's next item is the gold one
    world.project.save(update_fields=["gold_rate"])
    client = world.client("annotator")
    leaks = {}
    for (method, path), rule in RULES.items():
        if expected(rule, "annotator") >= 300 or method not in ("get", "post"):
            continue
        if method == "post" and rule.body is not None:
            continue  # writes with a body change state; their answers are checked below
        url = path.format(**world.path_parameters()) + rule.query
        response = getattr(client, method)(url)
        if response.status_code < 300 and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            found = secrets_in(response.json(), world)
            if found:
                leaks[f"{method.upper()} {path}"] = found

    assert leaks == {}


@pytest.mark.django_db
def test_a_gold_item_is_labelled_like_any_other(monkeypatch: pytest.MonkeyPatch) -> None:
    world = world_build(monkeypatch)
    world.project.gold_rate = 1.0
    world.project.save(update_fields=["gold_rate"])
    newcomer = world.client("reviewer")  # holds no assignment yet, so gets the gold item first
    served = newcomer.post(f"/api/projects/{world.project.pk}/next/")
    assert served.status_code == 200
    assert served.json()["item"]["id"] == world.gold_item.pk

    submitted = newcomer.post(
        f"/api/assignments/{served.json()['assignment']['id']}/submit/",
        {"answers": {"pref": {"winner": "a"}}},
        format="json",
    )

    assert submitted.status_code == 201
    assert "gold" not in json.dumps(served.json()) + json.dumps(submitted.json())


@pytest.mark.django_db
def test_an_annotator_cannot_reach_another_annotators_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = world_build(monkeypatch)
    client = world.client("annotator")
    peer_annotation = f"/api/annotations/{world.peer_annotation.pk}/"

    listed = client.get(f"/api/projects/{world.project.pk}/annotations/?annotator={PEER}")

    assert listed.status_code == 200
    assert listed.json()["results"] == []
    assert client.get(peer_annotation).status_code == 404
    assert client.get(peer_annotation + "versions/").status_code == 404
    assert client.patch(peer_annotation, {"answers": {}}, format="json").status_code == 404
    assert [
        row["annotator"] for row in client.get(f"/api/projects/{world.project.pk}/gold/").json()
    ] in (
        [],
        [world.users["annotator"].username],
    )


@pytest.mark.django_db
def test_suggestions_stay_hidden_while_the_project_is_blind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = world_build(monkeypatch)
    world.project.suggestions = True
    world.project.save(update_fields=["suggestions"])
    url = f"/api/assignments/{world.assignment.pk}/suggestions/"

    blind = world.client("annotator").get(url).json()
    world.project.blind = False
    world.project.save(update_fields=["blind"])
    open_ = world.client("annotator").get(url).json()

    assert blind["enabled"] is False
    assert secrets_in(blind, world) == []
    assert open_["enabled"] is True


# --- Live events ----------------------------------------------------------------------------


async def _connect(world: World, role: str) -> Any:
    cookie = await sync_to_async(session_cookie)(world.users[role])
    socket = project_socket(world.project.pk, cookie)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def _drain(socket: Any) -> list[dict[str, Any]]:
    received = []
    while not await socket.receive_nothing(timeout=0.5):
        received.append(await socket.receive_json_from())
    return received


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, databases="__all__")
async def test_annotators_get_no_event_about_others_work(monkeypatch: pytest.MonkeyPatch) -> None:
    world = await sync_to_async(world_build)(monkeypatch)
    annotator, reviewer = await _connect(world, "annotator"), await _connect(world, "reviewer")

    peer_client = client_for(world.peer)
    served = await sync_to_async(peer_client.post)(f"/api/projects/{world.project.pk}/next/")
    await sync_to_async(peer_client.post)(
        f"/api/assignments/{served.json()['assignment']['id']}/submit/",
        {"answers": {"pref": {"winner": "a"}}},
        format="json",
    )
    world.run.status = RunStatus.RUNNING
    await sync_to_async(world.run.save)()
    await sync_to_async(progress_send_on_commit)(world.run)

    seen_by_annotator = await _drain(annotator)
    seen_by_reviewer = await _drain(reviewer)
    assert {e["type"] for e in seen_by_reviewer} >= {"annotation.created", "judge_run.progress"}
    assert seen_by_annotator == []
    await annotator.disconnect()
    await reviewer.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True, databases="__all__")
async def test_a_demoted_or_removed_member_stops_receiving_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = await sync_to_async(world_build)(monkeypatch)
    reviewer = await _connect(world, "reviewer")
    owner = await sync_to_async(access_project)(
        user=world.users["owner"], project_id=world.project.pk
    )
    membership = await sync_to_async(Membership.objects.get)(
        project=world.project, user=world.users["reviewer"]
    )

    await sync_to_async(member_change_role)(
        access=owner, membership=membership, role=Role.ANNOTATOR
    )
    assert [e["type"] for e in await _drain(reviewer)] == ["member.changed"]
    await sync_to_async(progress_send_on_commit)(world.run)  # a reviewers' event
    assert await _drain(reviewer) == []

    await sync_to_async(member_remove)(access=owner, membership=membership)
    closed = await reviewer.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4403}
    await reviewer.disconnect(code=4403)  # the client's side of the close
