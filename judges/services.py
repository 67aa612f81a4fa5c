"""Judges and judge runs on the web side: configure, start, cancel, recover. No model code.

A run is planned here (its items split into batches, one row each) and its batches are queued
as ``workers.judge_batch_run`` tasks on the ``gpu`` queue; ``judges.execution`` does the work in
the worker. ``judge_runs_recover`` hands out again the batches whose worker died.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from annotator import leases
from annotator.events import event_build, event_send_on_commit
from annotator.jobs import QueueUnavailable, enqueue
from annotator.models import (
    Annotation,
    AnnotationStatus,
    Item,
    Project,
    ReviewStatus,
    Role,
)
from annotator.selectors import ItemFilter, items_filtered
from annotator.services.metrics import metrics_touch_on_commit
from judges.calibration import fit_linear
from judges.config import ConfigInvalid, validate_config
from judges.judging import unsupported_question
from judges.models import (
    FINISHED,
    BatchStatus,
    HeadVersion,
    Judge,
    JudgeBatch,
    JudgeKind,
    JudgeRun,
    Prediction,
    RunStatus,
)
from judges.verdicts import snap

logger = logging.getLogger(__name__)

BATCH_TASK = "workers.judge_batch_run"


class JudgeInvalid(ValueError):
    """Raised with ``errors``: field -> messages (for a 400)."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("invalid judge")
        self.errors = errors


class RunScope(TypedDict, total=False):
    kind: Literal["all", "unlabeled", "filter"]
    filter: ItemFilter


def _check_questions(project: Project, kind: str, questions: Any) -> list[str]:
    if not isinstance(questions, list) or not questions:
        raise JudgeInvalid({"questions": ["Name at least one question of the project."]})
    by_id = {q["id"]: q for q in project.questions}
    errors: list[str] = []
    for qid in questions:
        if qid not in by_id:
            errors.append(f"{qid!r}: no such question in this project.")
            continue
        reason = unsupported_question(kind, by_id[qid])
        if reason:
            errors.append(f"{qid!r}: {reason}.")
    if len(set(questions)) != len(questions):
        errors.append("A question is listed twice.")
    if errors:
        raise JudgeInvalid({"questions": errors})
    return list(questions)


def _validated(project: Project, kind: str, config: Any, questions: Any) -> tuple[Any, list[str]]:
    """Both checked, so one answer names every problem."""
    errors: dict[str, Any] = {}
    clean: Any = None
    qids: list[str] = []
    try:
        clean = validate_config(kind, config if config is not None else {})
    except ConfigInvalid as invalid:
        errors["config"] = invalid.errors
    try:
        qids = _check_questions(project, kind, questions)
    except JudgeInvalid as invalid:
        errors.update(invalid.errors)
    if errors:
        raise JudgeInvalid(errors)
    return clean, qids


@transaction.atomic
def judge_create(
    *, project: Project, user: User, name: str, kind: str, config: Any, questions: Any
) -> Judge:
    """Add a judge to a project after checking its configuration and questions."""
    clean, qids = _validated(project, kind, config, questions)
    if Judge.objects.filter(project=project, name=name).exists():
        raise JudgeInvalid({"name": ["A judge with this name already exists in the project."]})
    judge = Judge.objects.create(
        project=project, name=name, kind=kind, config=clean, questions=qids, created_by=user
    )
    _changed_send_on_commit(judge, "created")
    return judge


def _changed_send_on_commit(judge: Judge, action: Literal["created", "updated", "deleted"]) -> None:
    event_send_on_commit(
        event_build(
            "judge.changed",
            project_id=judge.project_id,
            data={"judge": judge.pk, "action": action},
        ),
        audience=Role.REVIEWER,
    )


@transaction.atomic
def judge_delete(*, judge: Judge) -> None:
    """Delete a judge with its runs and predictions."""
    _changed_send_on_commit(judge, "deleted")
    metrics_touch_on_commit(project_id=judge.project_id)  # its predictions go with it
    judge.delete()


@transaction.atomic
def judge_update(*, judge: Judge, changes: dict[str, Any]) -> Judge:
    """Change a judge's name, configuration or questions; running runs keep their snapshot."""
    config = changes.get("config", judge.config)
    questions = changes.get("questions", judge.questions)
    judge.config, judge.questions = _validated(judge.project, judge.kind, config, questions)
    if "name" in changes and changes["name"] != judge.name:
        if Judge.objects.filter(project=judge.project, name=changes["name"]).exists():
            raise JudgeInvalid({"name": ["A judge with this name already exists in the project."]})
        judge.name = changes["name"]
    judge.save()
    _changed_send_on_commit(judge, "updated")
    return judge


def _scope_items(project: Project, scope: Any) -> tuple[RunScope, QuerySet[Item]]:
    if scope is None:
        scope = {"kind": "all"}
    if not isinstance(scope, dict) or scope.get("kind") not in {"all", "unlabeled", "filter"}:
        raise JudgeInvalid({"scope": ["Use {'kind': 'all' | 'unlabeled' | 'filter', ...}."]})
    items = Item.objects.filter(project=project)
    if scope["kind"] == "unlabeled":
        items = items.filter(annotation_count=0)
    elif scope["kind"] == "filter":
        filters = scope.get("filter")
        if not isinstance(filters, dict) or not filters:
            raise JudgeInvalid({"scope": ["A filter scope needs a non-empty 'filter' object."]})
        known = set(ItemFilter.__annotations__)
        unknown = sorted(set(filters) - known)
        if unknown:
            raise JudgeInvalid({"scope": [f"Unknown filter {unknown[0]!r}; use {sorted(known)}."]})
        try:
            items = items_filtered(project=project, filters=filters)  # type: ignore[arg-type]  # keys checked above
        except ValueError as exc:
            raise JudgeInvalid({"scope": [str(exc)]}) from None
    return scope, items  # type: ignore[return-value]  # a checked RunScope


@transaction.atomic
def judge_run_start(
    *,
    judge: Judge,
    user: User | None,
    scope: Any = None,
    queue: bool = True,
    head_version: HeadVersion | None = None,
) -> JudgeRun:
    """Plan a run over the items in ``scope`` and queue its batches on the ``gpu`` queue.

    Raises ``JudgeInvalid`` for a bad scope, and ``QueueUnavailable`` (after marking the run
    failed) when the broker cannot be reached. ``queue=False`` leaves the batches for the
    caller to execute (``manage.py run_judge --inline``).
    """
    project = judge.project
    if judge.kind == JudgeKind.PREFERENCE_HEAD and head_version is None:
        head_version = judge.head_versions.order_by("-number").first()
        if head_version is None:
            raise JudgeInvalid(
                {"judge": ["This preference head has not been trained yet: train it first."]}
            )
    clean_scope, items = _scope_items(project, scope)
    ids = list(items.order_by("id").values_list("id", flat=True))
    run = JudgeRun.objects.create(
        judge=judge,
        project=project,
        scope=clean_scope,
        config=judge.config,
        questions=judge.questions,
        head_version=head_version,
        total_items=len(ids),
        created_by=user,
    )
    size = max(1, settings.MOOT_JUDGE_BATCH_ITEMS)
    batches = JudgeBatch.objects.bulk_create(
        JudgeBatch(run=run, index=n, item_ids=ids[start : start + size])
        for n, start in enumerate(range(0, len(ids), size))
    )
    if not batches:
        run.status, run.finished_at = RunStatus.DONE, timezone.now()
        run.save(update_fields=["status", "finished_at", "updated_at"])
    progress_send_on_commit(run)
    # After commit, so a worker never looks for a batch row it cannot see yet.
    batch_ids = [batch.pk for batch in batches]
    if queue:
        transaction.on_commit(lambda: _queue_run(run.pk, batch_ids))
    return run


def _queue_run(run_id: int, batch_ids: list[int]) -> None:
    """Queue a new run's batches; a broker that is down fails the run (and raises)."""
    try:
        for batch_id in batch_ids:
            enqueue(BATCH_TASK, batch_id=batch_id)
    except QueueUnavailable as exc:
        JudgeRun.objects.filter(pk=run_id).exclude(status__in=FINISHED).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"The task queue was unreachable, so the run was not started: {exc}",
        )
        raise


@transaction.atomic
def judge_run_cancel(*, run: JudgeRun) -> JudgeRun:
    """Stop a run: workers finish the batch in hand and take no other (predictions are kept)."""
    run = JudgeRun.objects.select_for_update().get(pk=run.pk)
    if run.status in FINISHED:
        return run
    run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
    run.save(update_fields=["status", "finished_at", "updated_at"])
    progress_send_on_commit(run)
    return run


def run_rates(run: JudgeRun, now: datetime | None = None) -> tuple[float | None, float | None]:
    """Items per second since the run started, and the seconds left at that rate."""
    if run.started_at is None:
        return None, None
    end = run.finished_at or now or timezone.now()
    elapsed = (end - run.started_at).total_seconds()
    handled = run.done_items + run.failed_items
    if elapsed <= 0 or handled == 0:
        return None, None
    rate = handled / elapsed
    left = max(0, run.total_items - handled)
    return round(rate, 3), (None if run.status in FINISHED else round(left / rate, 1))


def progress_send_on_commit(run: JudgeRun) -> None:
    rate, eta = run_rates(run)
    event_send_on_commit(
        event_build(
            "judge_run.progress",
            project_id=run.project_id,
            data={
                "run": run.pk,
                "judge": run.judge_id,
                "status": run.status,
                "total_items": run.total_items,
                "done_items": run.done_items,
                "failed_items": run.failed_items,
                "items_per_s": rate,
                "eta_s": eta,
                "error": run.error,
                "started_at": run.started_at.isoformat() if run.started_at else None,
                "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            },
        ),
        audience=Role.REVIEWER,
    )


def run_counters_refresh(run: JudgeRun) -> None:
    """Recount the run's progress from its batches (idempotent, unlike increments)."""
    totals = run.batches.aggregate(done=Sum("done_items"), failed=Sum("failed_items"))
    run.done_items, run.failed_items = totals["done"] or 0, totals["failed"] or 0


def judge_runs_recover(*, now: datetime | None = None) -> int:
    """Queue again every batch of an active run whose worker's lease ran out; return how many.

    Safe to call from anywhere at any time: a batch queued twice is claimed once, and a batch
    whose worker is alive keeps renewing its lease.
    """

    def requeue(batch: JudgeBatch) -> None:
        logger.warning(
            "batch %s of run %s lost its worker %s; queueing it again",
            batch.index, batch.run_id, batch.worker or "?",
        )  # fmt: skip
        batch.status, batch.lease_until = BatchStatus.PENDING, None
        batch.save(update_fields=["status", "lease_until", "updated_at"])
        enqueue(BATCH_TASK, batch_id=batch.pk)

    stale = JudgeBatch.objects.filter(
        status=BatchStatus.RUNNING,
        lease_until__lt=now or timezone.now(),
        run__status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
    )
    return leases.leases_expired_requeue(stale, requeue, limit=500)


def lease_expiry(now: datetime | None = None) -> datetime:
    return leases.lease_expiry(settings.MOOT_JUDGE_LEASE_S, now)


def _human_scores(project_id: int, question_id: str) -> dict[tuple[int, str, str], float]:
    """Mean human score per (item, candidate, dimension) for one rating question."""
    sums: dict[tuple[int, str, str], list[float]] = defaultdict(list)
    answers = (
        Annotation.objects.filter(project_id=project_id, status=AnnotationStatus.SUBMITTED)
        .exclude(review_status=ReviewStatus.REJECTED)
        .values_list("item_id", "answers")
    )
    for item_id, given in answers:
        scores = (given or {}).get(question_id, {}).get("scores", {})
        for key, dims in scores.items():
            for dim, value in dims.items():
                sums[item_id, key, dim].append(float(value))
    return {k: sum(v) / len(v) for k, v in sums.items()}


def ratings_calibrate(*, run: JudgeRun) -> None:
    """Refit a finished reward run's rating values to the project's human ratings.

    Only dimensions whose mapping has no fixed ``low``/``high`` are refitted, and only when
    enough human ratings overlap the run's predictions; the fit is stored in each prediction's
    details so the numbers can be checked.
    """
    questions = {q["id"]: q for q in run.project.questions if q["id"] in run.questions}
    for qid, question in questions.items():
        if question["kind"] != "rating":
            continue
        mapping = run.config.get("ratings", {}).get(qid, {})
        free = [
            d for d in question["dimensions"]
            if mapping.get(d["id"], {}).get("low") is None
            or mapping.get(d["id"], {}).get("high") is None
        ]  # fmt: skip
        if not free:
            continue
        human = _human_scores(run.project_id, qid)
        predictions = list(Prediction.objects.filter(run=run, question_id=qid, error=""))
        fits = {}
        for dim in free:
            pairs = [
                (reward, human[p.item_id, key, dim["id"]])
                for p in predictions
                for key, reward in ((k, r[dim["id"]]) for k, r in p.details["rewards"].items())
                if (p.item_id, key, dim["id"]) in human
            ]
            fit = fit_linear([r for r, _ in pairs], [h for _, h in pairs])
            if fit is not None:
                fits[dim["id"]] = (dim, fit)
        if not fits:
            continue
        for p in predictions:
            if p.value is None:
                continue
            scores = p.value["scores"]
            for dim_id, (dim, fit) in fits.items():
                for key, rewards in p.details["rewards"].items():
                    scores[key][dim_id] = snap(fit(rewards[dim_id]), dim)
            p.details["calibration"] = {
                dim_id: {"slope": fit.slope, "intercept": fit.intercept, "points": fit.points}
                for dim_id, (_, fit) in fits.items()
            }
        Prediction.objects.bulk_update(predictions, ["value", "details"], batch_size=500)
