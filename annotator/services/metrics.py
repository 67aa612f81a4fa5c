"""Dashboard figures: computed by a debounced background task, served from the stored report.

Reading a report never scans annotations: the API returns the stored ``MetricsSnapshot``. A
change to the data (a submitted, edited or reviewed annotation, an import, a judge's progress)
calls ``metrics_touch``, which queues one refresh on the ``default`` queue a moment later, so a
burst of changes costs one computation. While a refresh runs, further changes mark the report
stale again and queue the next refresh when this one ends. Each refresh sends a
``metrics.updated`` event, and the open dashboards fetch the new report.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from annotator.analytics.extract import Scope, human_labels
from annotator.analytics.report import human_report
from annotator.analytics.sections import sections
from annotator.events import event_build, event_send
from annotator.jobs import QueueUnavailable, enqueue
from annotator.models import Item, MetricsSnapshot, Project, Role

logger = logging.getLogger(__name__)

REFRESH_TASK = "workers.metrics_refresh"


class ScopeData(TypedDict, total=False):
    since: str
    until: str
    annotators: list[int]
    judges: list[int]
    meta: list[list[str]]


def scope_key(scope: Scope) -> str:
    """ "" for the whole project; a digest of the filters otherwise."""
    data = scope_data(scope)
    if not data:
        return ""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def scope_data(scope: Scope) -> ScopeData:
    data: ScopeData = {}
    if scope.since is not None:
        data["since"] = scope.since.isoformat()
    if scope.until is not None:
        data["until"] = scope.until.isoformat()
    if scope.annotators:
        data["annotators"] = sorted(scope.annotators)
    if scope.judges:
        data["judges"] = sorted(scope.judges)
    if scope.meta:
        data["meta"] = [list(pair) for pair in sorted(scope.meta)]
    return data


def scope_from_data(data: ScopeData) -> Scope:
    return Scope(
        since=datetime.fromisoformat(data["since"]) if "since" in data else None,
        until=datetime.fromisoformat(data["until"]) if "until" in data else None,
        annotators=tuple(data.get("annotators", ())),
        judges=tuple(data.get("judges", ())),
        meta=tuple((key, value) for key, value in data.get("meta", ())),
    )


def _snapshot(project_id: int, scope: Scope, now: datetime) -> MetricsSnapshot:
    key = scope_key(scope)
    found = MetricsSnapshot.objects.filter(project_id=project_id, scope_key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return MetricsSnapshot.objects.create(
                project_id=project_id, scope_key=key, scope=scope_data(scope), requested_at=now
            )
    except IntegrityError:  # created by a concurrent request
        return MetricsSnapshot.objects.get(project_id=project_id, scope_key=key)


def _claim(snapshots: QuerySet[MetricsSnapshot], now: datetime) -> int:
    """Mark the snapshots as queued unless they already are (or were so long ago that the
    refresh was lost); the number claimed."""
    lost = now - timedelta(seconds=settings.MOOT_METRICS_LOST_AFTER_S)
    return snapshots.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=lost)).update(queued_at=now)


def _enqueue(snapshot_id: int, *, countdown: float) -> bool:
    try:
        enqueue(REFRESH_TASK, snapshot_id=snapshot_id, countdown=countdown)
    except QueueUnavailable:
        logger.warning("could not queue a metrics refresh for snapshot %s", snapshot_id)
        MetricsSnapshot.objects.filter(pk=snapshot_id).update(queued_at=None)
        return False
    return True


def _queue(snapshot_id: int, now: datetime, *, countdown: float) -> bool:
    """Queue a refresh of one snapshot unless one is queued already."""
    if not _claim(MetricsSnapshot.objects.filter(pk=snapshot_id), now):
        return False
    return _enqueue(snapshot_id, countdown=countdown)


def metrics_touch(*, project_id: int) -> None:
    """The project's data changed: mark its reports stale and refresh the whole-project one soon.

    Reports of filtered scopes are refreshed when next asked for. While a refresh is queued,
    which is the usual case during labelling, this costs two small updates.
    """
    now = timezone.now()
    MetricsSnapshot.objects.filter(project_id=project_id).update(requested_at=now)
    whole = MetricsSnapshot.objects.filter(project_id=project_id, scope_key="")
    if not _claim(whole, now):
        if whole.exists():
            return
        _snapshot(project_id, Scope(), now)
        if not _claim(whole, now):
            return
    _enqueue(whole.values_list("pk", flat=True).get(), countdown=settings.MOOT_METRICS_DEBOUNCE_S)


def metrics_touch_on_commit(*, project_id: int) -> None:
    """``metrics_touch`` once the current transaction commits."""
    transaction.on_commit(lambda: metrics_touch(project_id=project_id))


def metrics_get(*, project: Project, scope: Scope) -> MetricsSnapshot:
    """The stored report for ``scope``, queueing a refresh when there is none or it is stale."""
    now = timezone.now()
    snapshot = _snapshot(project.pk, scope, now)
    MetricsSnapshot.objects.filter(pk=snapshot.pk).update(viewed_at=now)
    stale = snapshot.computed_at is None or snapshot.requested_at > snapshot.computed_at
    if stale and _queue(snapshot.pk, now, countdown=0):
        snapshot.refresh_from_db()
    return snapshot


def metrics_compute(*, project: Project, scope: Scope, resamples: int) -> dict[str, Any]:
    """The full report: people's figures, then every registered section."""
    labels = human_labels(project=project, scope=scope)
    report = human_report(labels, resamples=resamples)
    items = Item.objects.filter(project=project, gold__isnull=True)
    report["progress"] = {
        "items": items.count(),
        "items_done": items.filter(done=True).count(),
        "annotations": int((~labels.rows.is_gold).sum()),
        "annotators": len(labels.annotators),
    }
    for name, build in sections().items():
        report[name] = build(project, scope, labels, resamples)
    return report


def _forget_unviewed(project_id: int, now: datetime) -> None:
    """Drop the reports of filters nobody has asked for lately: every change marks each of a
    project's reports stale, so unused ones would cost a little on every submission."""
    unused = now - timedelta(seconds=settings.MOOT_METRICS_KEEP_FILTERED_S)
    MetricsSnapshot.objects.filter(project_id=project_id, queued_at__isnull=True).exclude(
        scope_key=""
    ).filter(Q(viewed_at__lt=unused) | Q(viewed_at__isnull=True, requested_at__lt=unused)).delete()


def metrics_refresh(*, snapshot_id: int) -> None:
    """Recompute one report (the task's body); safe to run twice."""
    snapshot = MetricsSnapshot.objects.select_related("project").filter(pk=snapshot_id).first()
    if snapshot is None:
        return
    started = timezone.now()
    clock = time.perf_counter()
    try:
        report = metrics_compute(
            project=snapshot.project,
            scope=scope_from_data(snapshot.scope),
            resamples=settings.MOOT_METRICS_RESAMPLES,
        )
    except Exception as error:
        logger.exception("metrics of project %s failed", snapshot.project_id)
        MetricsSnapshot.objects.filter(pk=snapshot_id).update(
            error=f"{type(error).__name__}: {error}", queued_at=None
        )
        return
    duration_ms = round((time.perf_counter() - clock) * 1000)
    MetricsSnapshot.objects.filter(pk=snapshot_id).update(
        report=report, computed_at=started, duration_ms=duration_ms, error=""
    )
    if not snapshot.scope_key:
        _forget_unviewed(snapshot.project_id, started)
    # Release the queue slot only if nothing changed while computing; otherwise go again.
    if not MetricsSnapshot.objects.filter(pk=snapshot_id, requested_at__lte=started).update(
        queued_at=None
    ):
        MetricsSnapshot.objects.filter(pk=snapshot_id).update(queued_at=None)
        _queue(snapshot_id, timezone.now(), countdown=settings.MOOT_METRICS_DEBOUNCE_S)
    event_send(
        event_build(
            "metrics.updated",
            project_id=snapshot.project_id,
            data={
                "scope_key": snapshot.scope_key,
                "computed_at": started.isoformat(),
                "duration_ms": duration_ms,
            },
        ),
        audience=Role.MANAGER,
    )
