"""A judge run's progress reaches connected reviewers live, from the worker, until it is done."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from annotator.models import Role
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member
from tests.judges.fake_openai import FakeOpenAI, with_logprobs
from tests.stack import worker_process
from tests.wsclient import project_socket, session_cookie

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def start_run(server_url: str) -> tuple[Any, Any, int]:
    project = project_with_items(3)
    manager = member(project, Role.MANAGER)
    client = client_for(manager)
    judge = client.post(
        f"/api/projects/{project.pk}/judges/",
        {"name": "api", "kind": "api", "config": {"base_url": server_url, "model": "m"},
         "questions": ["pref"]},
        format="json",
    )  # fmt: skip
    run = client.post(f"/api/judges/{judge.json()['id']}/runs/", {}, format="json")
    return project, manager, int(run.json()["id"])


@pytest.mark.asyncio
async def test_progress_events_stream_until_the_run_is_done(log_dir: Path) -> None:
    with FakeOpenAI(with_logprobs({"A": 0.9, "B": 0.1})) as server:
        project, manager, run_id = await sync_to_async(start_run)(server.url)
        annotator = await sync_to_async(member)(project, Role.ANNOTATOR)
        watcher = project_socket(project.pk, await sync_to_async(session_cookie)(manager))
        bystander = project_socket(project.pk, await sync_to_async(session_cookie)(annotator))
        assert (await watcher.connect())[0]
        assert (await bystander.connect())[0]

        statuses: list[dict[str, Any]] = []
        with worker_process(log_dir):
            while not statuses or statuses[-1]["status"] != "done":
                event = await watcher.receive_json_from(timeout=60)
                if event["type"] == "judge_run.progress":
                    assert event["data"]["run"] == run_id
                    statuses.append(event["data"])

    assert statuses[0]["status"] in {"queued", "running"}
    assert statuses[-1]["done_items"] == 3
    assert statuses[-1]["total_items"] == 3
    assert statuses[-1]["items_per_s"] > 0
    assert await bystander.receive_nothing(timeout=1)  # annotators do not get run progress
    await watcher.disconnect()
    await bystander.disconnect()
