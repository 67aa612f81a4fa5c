"""Executing one batch of a judge run in a worker: claim it, judge, store, hand back.

Only worker processes import this module (it loads the inference engines). The steps that
make a run exactly-once whatever happens to the worker:

* claiming takes the batch row under ``SELECT ... FOR UPDATE`` and gives it a lease; a second
  delivery of the same task finds it done, or leased by a live worker, and returns;
* while the batch runs, a heartbeat thread renews the lease; if the process dies, the lease
  runs out and ``judge_runs_recover`` (every worker's watchdog) queues the batch again; if the
  database goes away mid-batch, the worker gives the lease up at once, with the same result;
* predictions are upserts keyed by (run, item, question), so a batch judged twice stores each
  prediction once; items already predicted by an earlier attempt are not judged again.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotator.leases import heartbeat, is_transient, lease_give_up
from annotator.services.metrics import metrics_touch_on_commit
from judges.active import head_train_done, priorities_touch_on_commit
from judges.crossfit import HeadModel, HeadNotTrainable
from judges.head_training import candidate_features, head_train, head_verdicts
from judges.judging import (
    ItemInput,
    Key,
    judge_with_choices,
    judge_with_rewards,
)
from judges.models import (
    FINISHED,
    BatchStatus,
    Judge,
    JudgeBatch,
    JudgeRun,
    Prediction,
    RunStatus,
)
from judges.selectors import item_inputs
from judges.services import (
    judge_run_start,
    lease_expiry,
    progress_send_on_commit,
    ratings_calibrate,
    run_counters_refresh,
)
from judges.verdicts import Verdict

logger = logging.getLogger(__name__)


def _claim(batch_id: int, worker: str) -> tuple[JudgeRun, JudgeBatch] | None:
    with transaction.atomic():
        batch = JudgeBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status == BatchStatus.DONE:
            return None
        now = timezone.now()
        if batch.status == BatchStatus.RUNNING and batch.lease_until and batch.lease_until > now:
            return None  # a live worker has it
        run = JudgeRun.objects.select_for_update().get(pk=batch.run_id)
        if run.status in FINISHED:
            return None
        if batch.attempts >= settings.MOOT_TASK_MAX_ATTEMPTS:
            run.status, run.finished_at = RunStatus.FAILED, now
            run.error = (
                f"Batch {batch.index} was interrupted {batch.attempts} times (its worker stopped, "
                "or the database could not be reached); see the workers' logs."
            )
            run.save(update_fields=["status", "finished_at", "error", "updated_at"])
            progress_send_on_commit(run)
            return None
        batch.status, batch.worker = BatchStatus.RUNNING, worker
        batch.attempts += 1
        batch.lease_until = lease_expiry(now)
        batch.save(update_fields=["status", "worker", "attempts", "lease_until", "updated_at"])
        if run.status == RunStatus.QUEUED:
            run.status, run.started_at = RunStatus.RUNNING, now
            run.save(update_fields=["status", "started_at", "updated_at"])
            progress_send_on_commit(run)
        return run, batch


def _inputs(batch: JudgeBatch, questions: list[str]) -> list[ItemInput]:
    """The batch's items that still lack a prediction for some question (resumes a batch)."""
    have: dict[int, set[str]] = {}
    for item_id, qid in Prediction.objects.filter(
        run_id=batch.run_id, item_id__in=batch.item_ids
    ).values_list("item_id", "question_id"):
        have.setdefault(item_id, set()).add(qid)
    return item_inputs(pk for pk in batch.item_ids if have.get(pk, set()) != set(questions))


def _store(run: JudgeRun, verdicts: dict[Key, Verdict]) -> None:
    rows = [
        Prediction(
            run=run,
            judge_id=run.judge_id,
            project_id=run.project_id,
            item_id=item_id,
            question_id=qid,
            value=v.value,
            probability=None if v.probability is None else min(1.0, max(0.0, v.probability)),
            details=v.details,
            swap_inconsistency=v.swap_inconsistency,
            error=v.error,
        )
        for (item_id, qid), v in verdicts.items()
    ]
    Prediction.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["run", "item", "question_id"],
        update_fields=["value", "probability", "details", "swap_inconsistency", "error"],
    )


def _finish(run: JudgeRun, batch: JudgeBatch) -> None:
    with transaction.atomic():
        run = JudgeRun.objects.select_for_update().get(pk=run.pk)
        batch = JudgeBatch.objects.select_for_update().get(pk=batch.pk)
        failed = set(
            Prediction.objects.filter(run=run, item_id__in=batch.item_ids)
            .exclude(error="")
            .values_list("item_id", flat=True)
        )
        batch.status, batch.lease_until = BatchStatus.DONE, None
        batch.failed_items = len(failed)
        batch.done_items = len(batch.item_ids) - len(failed)
        batch.save(
            update_fields=["status", "lease_until", "done_items", "failed_items", "updated_at"]
        )
        run_counters_refresh(run)
        fields = ["done_items", "failed_items", "updated_at"]
        if (
            run.status == RunStatus.RUNNING
            and not run.batches.exclude(status=BatchStatus.DONE).exists()
        ):
            if run.judge.kind == "reward_model":
                ratings_calibrate(run=run)
            if run.judge.kind == "preference_head":
                _forget_older_head_runs(run)
            run.status, run.finished_at = RunStatus.DONE, timezone.now()
            fields += ["status", "finished_at"]
        run.save(update_fields=fields)
        progress_send_on_commit(run)
        metrics_touch_on_commit(project_id=run.project_id)
        if run.status == RunStatus.DONE:
            priorities_touch_on_commit(project_id=run.project_id)


def _forget_older_head_runs(run: JudgeRun) -> None:
    """A head is rerun over every item after each training: keep only the newest predictions.

    The runs themselves stay (with their counters), and each version's held-out figures stay
    on ``HeadVersion``; without this, a project retrained every 50 labels would store every
    item's prediction hundreds of times.
    """
    Prediction.objects.filter(
        judge_id=run.judge_id, run__status__in=FINISHED, run_id__lt=run.pk
    ).delete()


def _fail(run: JudgeRun, batch: JudgeBatch, exc: BaseException) -> None:
    message = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        run = JudgeRun.objects.select_for_update().get(pk=run.pk)
        JudgeBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.PENDING, lease_until=None, updated_at=timezone.now()
        )
        if run.status not in FINISHED:
            run.status, run.finished_at, run.error = RunStatus.FAILED, timezone.now(), message
            run.save(update_fields=["status", "finished_at", "error", "updated_at"])
            progress_send_on_commit(run)


# --- Engines, one per configuration and process ------------------------------------------------

_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()


def _api_key(config: dict[str, Any]) -> str | None:
    """An API judge's key, looked up by name at the moment it is needed (never stored)."""
    name = config.get("api_key_env")
    if not name:
        return None
    key = settings.MOOT_JUDGE_API_KEYS.get(name) or os.environ.get(name)
    if not key:
        raise RuntimeError(f"no API key: set the environment variable {name} on the workers")
    return key


def _engine(kind: str, config: dict[str, Any]) -> Any:
    # Loaded here rather than at import: workers of the default queue never need torch.
    from judges.engines.factory import engine_for  # noqa: PLC0415

    if kind == "preference_head":
        # The encoder is all that is loaded; the weights come from the run's version.
        config = {
            k: config.get(k) for k in ("encoder", "revision", "device", "max_length", "pooling")
        }
    cache_key = f"{kind}:{sorted(config.items())!r}"
    with _engines_lock:
        if cache_key not in _engines:
            _engines[cache_key] = engine_for(kind, config, api_key=_api_key(config))
        return _engines[cache_key]


def _head_verdicts(
    run: JudgeRun, engine: Any, items: list[ItemInput], questions: list[dict[str, Any]]
) -> dict[Key, Verdict]:
    version = run.head_version
    if version is None:
        raise RuntimeError("the head version this run predicts with was deleted")
    return head_verdicts(
        model=HeadModel.from_bytes(bytes(version.model)),
        version=version.number,
        items=items,
        questions=questions,
        features=candidate_features(items, version.config, engine.embed),
    )


def judge_batch_run(*, batch_id: int, worker: str | None = None) -> None:
    """Judge one batch (the ``workers.judge_batch_run`` task); a no-op if it is not due."""
    worker = worker or f"{os.uname().nodename}:{os.getpid()}"
    claimed = _claim(batch_id, worker)
    if claimed is None:
        return
    run, batch = claimed

    def renew() -> None:
        JudgeBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
            lease_until=lease_expiry()
        )

    try:
        with heartbeat(
            renew, every_s=settings.MOOT_JUDGE_LEASE_S / 3, name=f"judge-lease-{batch.pk}"
        ):
            questions = [q for q in run.project.questions if q["id"] in run.questions]
            items = _inputs(batch, [q["id"] for q in questions])
            if items:
                engine = _engine(run.judge.kind, run.config)
                if run.judge.kind == "preference_head":
                    verdicts = _head_verdicts(run, engine, items, questions)
                elif run.judge.kind == "reward_model":
                    verdicts = judge_with_rewards(engine, items, questions, run.config)
                else:
                    verdicts = judge_with_choices(engine, items, questions, run.config)
                _store(run, verdicts)
    except Exception as exc:
        if is_transient(exc):
            _give_up(run, batch)
            return
        logger.exception("batch %s of run %s failed", batch.index, run.pk)
        _fail(run, batch, exc)
        return
    try:
        _finish(run, batch)
    except Exception as exc:
        if not is_transient(exc):
            raise
        _give_up(run, batch)  # the predictions are stored; a retry only counts them


def _give_up(run: JudgeRun, batch: JudgeBatch) -> None:
    """The database went away: let the watchdog hand the batch out again (it resumes)."""
    lease_give_up(
        lambda: JudgeBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
            lease_until=timezone.now()
        ),
        what=f"batch {batch.index} of run {run.pk}",
    )


def head_train_run(*, judge_id: int, reason: str) -> JudgeRun | None:
    """Train a preference head (the ``workers.head_train`` task), then run it over the project.

    The run predicts every item with the new version; when it finishes, the project's
    priorities are recomputed. Too few labels is not an error of the worker: it is recorded on
    the project's active-learning settings for the page to show.
    """
    judge = Judge.objects.select_related("project").filter(pk=judge_id).first()
    if judge is None:
        return None
    try:
        engine = _engine(judge.kind, judge.config)
        version = head_train(judge=judge, reason=reason, embed=engine.embed)
        run = judge_run_start(judge=judge, user=None, scope={"kind": "all"}, head_version=version)
    except HeadNotTrainable as exc:
        head_train_done(project_id=judge.project_id, error=str(exc))
        return None
    except Exception as exc:
        logger.exception("training head %s failed", judge_id)
        head_train_done(project_id=judge.project_id, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    head_train_done(project_id=judge.project_id)
    return run
