"""Dashboards: agreement, annotators and the model leaderboard, served from the stored report."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project
from annotator.analytics import schema
from annotator.analytics.drilldown import items_where, part_of
from annotator.analytics.extract import Scope, human_labels
from annotator.api.params import bool_param, int_param
from annotator.models import Item, MetricsSnapshot, Project, Role
from annotator.services.metrics import metrics_get

SCOPE_PARAMETERS = [
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="Annotations from this time."),
    OpenApiParameter("until", OpenApiTypes.DATETIME, description="Annotations before this time."),
    OpenApiParameter(
        "annotator", int, many=True, description="Only these annotators (user ids); repeatable."
    ),
    OpenApiParameter(
        "judge", int, many=True, description="Only these judges (ids) against people; repeatable."
    ),
    OpenApiParameter(
        "meta", str, many=True, description="Item metadata `key:value`; repeatable, all must hold."
    ),
]


# ready: up to date; stale: the data changed and a refresh is on its way; computing: no report
# yet; failed: the last refresh failed (see error).
REPORT_STATUSES = ["ready", "stale", "computing", "failed"]


# drf-spectacular's pydantic extension documents the models; its stubs only list serializers.
@extend_schema_field(schema.Report)  # type: ignore[arg-type]
class ReportField(serializers.JSONField):
    pass


@extend_schema_field(schema.ModelLeaderboards)  # type: ignore[arg-type]
class LeaderboardsField(serializers.JSONField):
    pass


class MetricsResponseSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=REPORT_STATUSES)
    computed_at = serializers.DateTimeField(allow_null=True)
    duration_ms = serializers.IntegerField()
    scope = serializers.JSONField()
    error = serializers.CharField(allow_blank=True)
    report = ReportField(allow_null=True)


class LeaderboardResponseSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=REPORT_STATUSES)
    computed_at = serializers.DateTimeField(allow_null=True)
    leaderboards = LeaderboardsField()


def _datetime(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = parse_datetime(raw)  # ValueError when well formed but impossible (February 30)
        if value is None:
            raise ValueError(raw)
        # In UTC: PostgreSQL refuses offsets past 15:59, which Python accepts up to 23:59.
        # OverflowError: the instant falls outside the years 1 to 9999 once in UTC.
        return (make_aware(value) if is_naive(value) else value).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValidationError({name: ["Expected an ISO 8601 date and time."]}) from None


def scope_from_request(request: Request) -> Scope:
    """The filters in the query string; 400 naming the parameter that is wrong."""
    since, until = _datetime(request, "since"), _datetime(request, "until")
    if since is not None and until is not None and since >= until:
        raise ValidationError({"until": ["Must be later than since."]})
    annotators = request.query_params.getlist("annotator")
    if any(not value.isdigit() for value in annotators):
        raise ValidationError({"annotator": ["Expected user ids."]})
    judges = request.query_params.getlist("judge")
    if any(not value.isdigit() for value in judges):
        raise ValidationError({"judge": ["Expected judge ids."]})
    meta = []
    for pair in request.query_params.getlist("meta"):
        key, separator, value = pair.partition(":")
        if not separator or not key.strip():
            raise ValidationError({"meta": [f"Expected key:value, got {pair!r}."]})
        if not key.replace("_", "").replace("-", "").isalnum():
            message = f"Metadata keys are letters, digits, - and _: {key!r}."
            raise ValidationError({"meta": [message]})
        meta.append((key, value))
    return Scope(
        since=since,
        until=until,
        annotators=tuple(sorted({int(value) for value in annotators})),
        judges=tuple(sorted({int(value) for value in judges})),
        meta=tuple(sorted(meta)),
    )


def _status(snapshot: MetricsSnapshot) -> str:
    if snapshot.report is None:
        return "failed" if snapshot.error and snapshot.queued_at is None else "computing"
    if snapshot.computed_at is not None and snapshot.requested_at <= snapshot.computed_at:
        return "ready"
    return "stale"


class MetricsApi(APIView):
    """The project's dashboard report (managers and owners).

    Answers from the stored report at once. When there is none yet it answers 202 with
    ``status: computing``; when the data changed since, ``status: stale`` with the last report
    while a refresh runs. A ``metrics.updated`` event on the project channel says when a new
    report is ready.
    """

    @extend_schema(
        parameters=SCOPE_PARAMETERS,
        responses={200: MetricsResponseSerializer, 202: MetricsResponseSerializer},
        tags=["metrics"],
    )
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        snapshot = metrics_get(project=access.project, scope=scope_from_request(request))
        body = {
            "status": _status(snapshot),
            "computed_at": snapshot.computed_at,
            "duration_ms": snapshot.duration_ms,
            "scope": snapshot.scope,
            "error": snapshot.error,
            "report": snapshot.report,
        }
        return Response(
            MetricsResponseSerializer(body).data, status=202 if body["report"] is None else 200
        )


class LeaderboardApi(APIView):
    """Bradley-Terry leaderboards of the models behind the candidates, per question and source."""

    @extend_schema(
        parameters=SCOPE_PARAMETERS,
        responses={200: LeaderboardResponseSerializer, 202: LeaderboardResponseSerializer},
        tags=["metrics"],
    )
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        snapshot = metrics_get(project=access.project, scope=scope_from_request(request))
        report = snapshot.report or {}
        # People's boards, then each judge's (sections other apps add carry their own boards).
        boards = list(report.get("leaderboards", []))
        for judge in report.get("judges", []):
            boards += [
                {**board, "judge": judge["judge"], "judge_name": judge["name"]}
                for board in judge.get("leaderboards", [])
            ]
        body = {
            "status": _status(snapshot),
            "computed_at": snapshot.computed_at,
            "leaderboards": boards,
        }
        code = 202 if snapshot.report is None else 200
        return Response(LeaderboardResponseSerializer(body).data, status=code)


class DrilldownItemSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    external_id = serializers.CharField()


class DrilldownSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    items = DrilldownItemSerializer(many=True)


DRILLDOWN_LIMIT = 200


def drilldown_body(item_ids: Any, project: Project) -> dict[str, Any]:
    """The first items (by id) of a drill-down, with their external ids."""
    shown = [int(i) for i in item_ids[:DRILLDOWN_LIMIT]]
    external = dict(
        Item.objects.filter(project=project, pk__in=shown).values_list("pk", "external_id")
    )
    return {
        "count": len(item_ids),
        "items": [{"id": pk, "external_id": external.get(pk, "")} for pk in shown],
    }


class MetricsItemsApi(APIView):
    """The items behind a figure: a part's units, one person's, or where two disagree.

    ``member`` and ``other`` pick people (``annotator`` stays the scope filter, as elsewhere).

    Computed on request (not from the stored report), so it may take a few seconds on a very
    large project. At most 200 items are listed; ``count`` gives them all.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("part", str, required=True, description="A part key, e.g. `pref`."),
            OpenApiParameter("member", int, description="Items this person (user id) answered."),
            OpenApiParameter("other", int, description="…and this person too."),
            OpenApiParameter("disagree", bool, description="Only where they disagree."),
            *SCOPE_PARAMETERS,
        ],
        responses=DrilldownSerializer,
        tags=["metrics"],
    )
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        scope = scope_from_request(request)
        labels = human_labels(project=access.project, scope=scope)
        try:
            part = part_of(labels, request.query_params.get("part", ""))
        except KeyError:
            raise ValidationError({"part": ["No such part in this project."]}) from None
        try:
            found = items_where(
                labels,
                part,
                annotator=int_param(request, "member"),
                other=int_param(request, "other"),
                disagree=bool(bool_param(request, "disagree")),
            )
        except KeyError:
            raise ValidationError({"member": ["This person has no answers here."]}) from None
        return Response(DrilldownSerializer(drilldown_body(found, access.project)).data)
