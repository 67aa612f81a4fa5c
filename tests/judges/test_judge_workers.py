"""Judge runs end to end through a real Celery worker: each judge kind, failures, crash, cancel."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from annotator.answers import validate_answers
from annotator.models import Item, Project, Role
from judges.models import BatchStatus, JudgeBatch, JudgeRun, Prediction, RunStatus
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member
from tests.judges.fake_openai import FakeOpenAI, Reply, by_marker, error, slow, with_logprobs
from tests.stack import stack_env, worker_process

pytestmark = pytest.mark.django_db(transaction=True)

QUESTIONS = [
    {"id": "pref", "kind": "pairwise", "tie": True},
    {"id": "rank", "kind": "ranking"},
    {"id": "help", "kind": "rating", "dimensions": [{"id": "helpful", "min": 1, "max": 5}]},
    {"id": "rub", "kind": "rubric", "criteria": [{"id": "ok", "text": "Is it correct?"}]},
]


def start(project: Project, kind: str, config: dict[str, Any], questions: list[str]) -> int:
    client = client_for(member(project, Role.MANAGER))
    judge = client.post(
        f"/api/projects/{project.pk}/judges/",
        {"name": kind, "kind": kind, "config": config, "questions": questions},
        format="json",
    )
    assert judge.status_code == 201, judge.json()
    run = client.post(f"/api/judges/{judge.json()['id']}/runs/", {}, format="json")
    assert run.status_code == 201, run.json()
    return int(run.json()["id"])


def wait_for(run_id: int, *, until: Any = None, timeout: float = 120) -> JudgeRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = JudgeRun.objects.get(pk=run_id)
        if (until or (lambda r: r.status in {"done", "failed", "cancelled"}))(run):
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} is still {JudgeRun.objects.get(pk=run_id).status}")


def batch_in_hand(run: JudgeRun) -> bool:
    return JudgeBatch.objects.filter(run=run, status=BatchStatus.RUNNING).exists()


def assert_valid_predictions(project: Project, run: JudgeRun) -> None:
    """One prediction per (item, question), each value a valid answer, probabilities in [0, 1]."""
    predictions = list(Prediction.objects.filter(run=run))
    keys = Counter((p.item_id, p.question_id) for p in predictions)
    assert set(keys) == {
        (i, q) for i in project.items.values_list("id", flat=True) for q in run.questions
    }
    assert set(keys.values()) == {1}
    questions = {q["id"]: q for q in project.questions}
    for p in predictions:
        assert p.error == "", p.error
        item = Item.objects.get(pk=p.item_id)
        keys_shown = list(item.candidates.order_by("position").values_list("key", flat=True))
        validate_answers(
            questions=[questions[p.question_id]],
            candidate_keys=keys_shown,
            item_criteria=item.rubric,
            answers={p.question_id: p.value},
        )
        assert p.probability is None or 0 <= p.probability <= 1


def test_a_reward_model_labels_every_item(log_dir: Path, tiny_reward_model: Path) -> None:
    project = project_with_items(6, questions=QUESTIONS)
    run_id = start(
        project, "reward_model", {"model": str(tiny_reward_model)}, ["pref", "rank", "help"]
    )

    with worker_process(log_dir) as worker:
        run = wait_for(run_id)

    assert run.status == RunStatus.DONE, run.error
    assert (run.done_items, run.failed_items, run.total_items) == (6, 0, 6)
    assert_valid_predictions(project, run)
    pref = Prediction.objects.filter(run=run, question_id="pref").first()
    assert pref is not None
    assert set(pref.details["rewards"]) == {"a", "b"}
    assert "Traceback" not in worker.output()


def test_a_local_llm_judges_both_orders(log_dir: Path, tiny_causal_lm: Path) -> None:
    project = project_with_items(4, questions=QUESTIONS)
    run_id = start(project, "local_llm", {"model": str(tiny_causal_lm)}, ["pref", "help", "rub"])

    with worker_process(log_dir):
        run = wait_for(run_id)

    assert run.status == RunStatus.DONE, run.error
    assert_valid_predictions(project, run)
    for p in Prediction.objects.filter(run=run, question_id="pref"):
        assert p.swap_inconsistency is not None
        assert 0 <= p.swap_inconsistency <= 1
        assert set(p.details["orders"]) == {"forward", "backward"}
        assert 0 <= p.details["first_position"] <= 1


def test_an_api_judge_records_failures_per_item(log_dir: Path) -> None:
    project = project_with_items(5, questions=QUESTIONS)
    Item.objects.filter(project=project, external_id="item-00002").update(prompt="MALFORMED please")
    handler = by_marker(
        {"MALFORMED": lambda request: Reply(raw=b"{not json")},
        with_logprobs({"A": 0.7, "B": 0.2, "tie": 0.1}),
    )
    with FakeOpenAI(handler) as server:
        # The first two requests are refused; their retries get through.
        server.queue([error(429, "slow down", {"Retry-After": "0"}), error(500, "oops")])
        env = {**stack_env(), "MOOT_TEST_JUDGE_KEY": "sk-test-not-logged"}
        run_id = start(
            project,
            "api",
            {"base_url": server.url, "model": "judge", "api_key_env": "MOOT_TEST_JUDGE_KEY"},
            ["pref"],
        )
        with worker_process(log_dir, env) as worker:
            run = wait_for(run_id)

    assert run.status == RunStatus.DONE, run.error
    assert (run.done_items, run.failed_items) == (4, 1)
    failed = Prediction.objects.get(run=run, item__external_id="item-00002")
    assert failed.value is None
    assert "malformed" in failed.error
    good = Prediction.objects.filter(run=run, error="")
    assert good.count() == 4
    assert all(p.value in ({"winner": "a"}, {"winner": "b"}) for p in good)
    assert all(r.headers["authorization"] == "Bearer sk-test-not-logged" for r in server.requests)
    assert "sk-test-not-logged" not in worker.output()


def test_a_missing_api_key_fails_the_run_with_a_reason(log_dir: Path) -> None:
    project = project_with_items(2, questions=QUESTIONS)
    run_id = start(
        project,
        "api",
        {"base_url": "http://127.0.0.1:9/v1", "model": "m", "api_key_env": "MOOT_NO_SUCH_KEY"},
        ["pref"],
    )

    with worker_process(log_dir):
        run = wait_for(run_id)

    assert run.status == RunStatus.FAILED
    assert "MOOT_NO_SUCH_KEY" in run.error


def slow_judge(server: FakeOpenAI, project: Project) -> int:
    return start(
        project,
        "api",
        {"base_url": server.url, "model": "judge", "max_concurrency": 1, "position_swap": False},
        ["pref"],
    )


def test_a_worker_killed_mid_run_loses_nothing(log_dir: Path) -> None:
    """SIGKILL the worker part-way; a new worker finishes with one prediction per item."""
    project = project_with_items(12, questions=QUESTIONS)
    env = {**stack_env(), "MOOT_JUDGE_LEASE_S": "2"}
    (log_dir / "first").mkdir()
    (log_dir / "second").mkdir()
    with FakeOpenAI(slow(with_logprobs({"A": 0.6, "B": 0.4}), 0.25)) as server:
        with override_settings(MOOT_JUDGE_BATCH_ITEMS=2):
            run_id = slow_judge(server, project)
        with worker_process(log_dir / "first", env) as first:
            # Kill while a batch is in hand (the worker also runs other tasks between batches,
            # such as refreshing the dashboard, and killing one of those would prove nothing).
            wait_for(run_id, until=lambda r: r.done_items >= 2 and batch_in_hand(r))
            os.kill(first.popen.pid, signal.SIGKILL)
            first.popen.wait()
        killed_at = JudgeRun.objects.get(pk=run_id)
        assert killed_at.status == RunStatus.RUNNING
        assert killed_at.done_items < 12
        with worker_process(log_dir / "second", env):
            run = wait_for(run_id, timeout=180)

    assert run.status == RunStatus.DONE, run.error
    assert (run.done_items, run.failed_items) == (12, 0)
    assert_valid_predictions(project, run)
    batches = list(JudgeBatch.objects.filter(run=run))
    assert all(b.status == BatchStatus.DONE for b in batches)
    assert max(b.attempts for b in batches) == 2  # the batch in hand was handed out again


def test_cancel_stops_within_one_batch(log_dir: Path) -> None:
    project = project_with_items(12, questions=QUESTIONS)
    with FakeOpenAI(slow(with_logprobs({"A": 0.6, "B": 0.4}), 0.2)) as server:
        with override_settings(MOOT_JUDGE_BATCH_ITEMS=2):
            run_id = slow_judge(server, project)
        manager = client_for(member(project, Role.MANAGER))
        with worker_process(log_dir):
            wait_for(run_id, until=lambda r: r.done_items >= 2)
            cancelled = manager.post(f"/api/judge-runs/{run_id}/cancel/").json()
            done_then = JudgeBatch.objects.filter(run_id=run_id, status=BatchStatus.DONE).count()
            time.sleep(2)  # long enough for several more batches, had it gone on

    assert cancelled["status"] == "cancelled"
    done_now = JudgeBatch.objects.filter(run_id=run_id, status=BatchStatus.DONE).count()
    assert done_now <= done_then + 1  # at most the batch in hand
    assert done_now < 6
    assert JudgeRun.objects.get(pk=run_id).status == RunStatus.CANCELLED
