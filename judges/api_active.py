"""REST API for a project's active learning: settings, the head's history, the queue.

Reviewers and up may look; managers and up change the settings, retrain the head and reorder
the queue.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project
from annotator.api.serializers import DetailSerializer
from annotator.models import Role
from judges.acquisition import STRATEGIES
from judges.active import (
    ActiveLearningInvalid,
    active_learning_get,
    active_learning_update,
    head_train_request,
    human_label_count,
    labels_since_training,
    priorities_touch,
    uses_priorities,
)
from judges.models import ActiveLearning, HeadVersion, Judge, JudgeKind

QUEUE_DOWN = {"detail": "The task queue is unavailable; nothing was queued. Try again."}
HISTORY = 200


class HeadVersionSerializer(serializers.ModelSerializer[HeadVersion]):
    class Meta:
        model = HeadVersion
        fields = [
            "number", "reason", "labels", "pairs", "items", "cv_accuracy", "cv_log_loss",
            "cv_pairs", "embed_seconds", "fit_seconds", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class QueueEntrySerializer(serializers.Serializer[None]):
    item = serializers.IntegerField()
    external_id = serializers.CharField()
    priority = serializers.FloatField()
    scores = serializers.DictField(
        child=serializers.FloatField(), help_text="Each strategy's weighted share of the priority."
    )


class ActiveLearningSerializer(serializers.ModelSerializer[ActiveLearning]):
    head = serializers.PrimaryKeyRelatedField(
        queryset=Judge.objects.filter(kind=JudgeKind.PREFERENCE_HEAD),
        allow_null=True,
        required=False,
        help_text="The preference head retrained from the labels (a judge of this project).",
    )
    strategies = serializers.DictField(
        child=serializers.FloatField(min_value=0),
        required=False,
        help_text=f"Weight per strategy, mixed by rank: {', '.join(STRATEGIES)}.",
    )
    retrain_every = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False, help_text="New human labels; 0: never."
    )
    extra_labels = serializers.IntegerField(
        min_value=0,
        max_value=10,
        required=False,
        help_text="human_disagreement: most annotators asked for beyond the overlap, per item.",
    )
    seed = serializers.IntegerField(min_value=-(2**31), max_value=2**31 - 1, required=False)
    uses_priorities = serializers.SerializerMethodField(
        help_text="Whether the project's assignment order follows the priorities."
    )
    labels = serializers.SerializerMethodField(help_text="Human labels so far.")
    labels_since_training = serializers.SerializerMethodField()
    training = serializers.SerializerMethodField(
        help_text="Whether a training is queued or running."
    )
    history = serializers.SerializerMethodField()
    queue = QueueEntrySerializer(many=True, read_only=True)

    class Meta:
        model = ActiveLearning
        fields = [
            "head", "strategies", "retrain_every", "extra_labels", "seed", "uses_priorities",
            "labels", "labels_since_training", "training", "last_error", "history", "queue",
            "refreshed_at",
        ]  # fmt: skip
        read_only_fields = ["last_error", "refreshed_at"]

    def get_uses_priorities(self, active: ActiveLearning) -> bool:
        return uses_priorities(active.project)

    def get_labels(self, active: ActiveLearning) -> int:
        return human_label_count(active.project_id)

    def get_labels_since_training(self, active: ActiveLearning) -> int:
        return labels_since_training(active)

    def get_training(self, active: ActiveLearning) -> bool:
        return active.train_queued_at is not None

    @extend_schema_field(HeadVersionSerializer(many=True))
    def get_history(self, active: ActiveLearning) -> list[dict[str, Any]]:
        """The head's last versions, oldest first (the page plots accuracy against labels)."""
        if active.head_id is None:
            return []
        newest = HeadVersion.objects.filter(judge_id=active.head_id).order_by("-number")[:HISTORY]
        rows = HeadVersionSerializer(newest, many=True).data
        return [dict(row) for row in reversed(rows)]


def _validated(request: Request, project_id: int) -> dict[str, Any]:
    body = ActiveLearningSerializer(data=request.data, partial=True)
    body.is_valid(raise_exception=True)
    changes = dict(body.validated_data)
    head = changes.get("head")
    if head is not None and head.project_id != project_id:
        raise ValidationError({"head": ["Choose a preference head judge of this project."]})
    return changes


class ActiveLearningApi(APIView):
    """A project's active-learning settings, its head's accuracy over time and its queue."""

    @extend_schema(responses=ActiveLearningSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.REVIEWER)
        return Response(ActiveLearningSerializer(active_learning_get(project=access.project)).data)

    @extend_schema(request=ActiveLearningSerializer, responses=ActiveLearningSerializer)
    def patch(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        try:
            active = active_learning_update(
                project=access.project, changes=_validated(request, project_id)
            )
        except ActiveLearningInvalid as exc:
            raise ValidationError(exc.errors) from None
        return Response(ActiveLearningSerializer(active).data)


class TaskQueuedSerializer(serializers.Serializer[None]):
    queued = serializers.BooleanField(help_text="False when one was already queued or running.")


class ActiveLearningRetrainApi(APIView):
    """Retrain the project's head now (then run it over the items and reorder the queue)."""

    @extend_schema(
        request=None,
        responses={
            202: TaskQueuedSerializer,
            400: OpenApiResponse(description="The project has no preference head to train."),
            503: OpenApiResponse(DetailSerializer, description="The task broker is unreachable."),
        },
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        active = active_learning_get(project=access.project)
        try:
            queued = head_train_request(active=active, reason="manual")
        except ActiveLearningInvalid as exc:
            raise ValidationError(exc.errors) from None
        active.refresh_from_db()
        if not queued and active.train_queued_at is None:
            return Response(QUEUE_DOWN, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)


class ActiveLearningRefreshApi(APIView):
    """Recompute the priorities now (after changing judges, say)."""

    @extend_schema(
        request=None,
        responses={
            202: TaskQueuedSerializer,
            503: OpenApiResponse(DetailSerializer, description="The task broker is unreachable."),
        },
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        active = active_learning_get(project=access.project)
        queued = priorities_touch(project_id=access.project.pk, countdown=0)
        active.refresh_from_db()
        if not queued and active.priorities_queued_at is None:
            return Response(QUEUE_DOWN, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response({"queued": queued}, status=status.HTTP_202_ACCEPTED)
