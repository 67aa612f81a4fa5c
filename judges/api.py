"""REST API for judges, their runs and predictions.

Reviewers and up may look; managers and up configure judges and start or cancel runs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet, Subquery
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import ProjectAccess, access_assignment, access_project, request_user
from annotator.analytics.drilldown import part_of
from annotator.analytics.extract import human_labels
from annotator.api.metrics import (
    SCOPE_PARAMETERS,
    DrilldownSerializer,
    drilldown_body,
    scope_from_request,
)
from annotator.api.params import bool_param
from annotator.api.serializers import DetailSerializer
from annotator.jobs import QueueUnavailable
from annotator.models import Item, Role
from judges import prompts
from judges.access import access_judge, access_run
from judges.metrics import confusion_items
from judges.models import Judge, JudgeKind, JudgeRun, Prediction
from judges.selectors import predictions_latest
from judges.services import (
    JudgeInvalid,
    judge_create,
    judge_delete,
    judge_run_cancel,
    judge_run_start,
    judge_update,
    run_rates,
)

QUEUE_DOWN = {"detail": "The task queue is unavailable; the run was not started. Try again."}


class JudgeRunSerializer(serializers.ModelSerializer[JudgeRun]):
    items_per_s = serializers.SerializerMethodField()
    eta_s = serializers.SerializerMethodField(help_text="Seconds left at the current rate.")

    class Meta:
        model = JudgeRun
        fields = [
            "id", "judge", "status", "scope", "questions", "total_items", "done_items",
            "failed_items", "items_per_s", "eta_s", "error", "created_at", "started_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_items_per_s(self, run: JudgeRun) -> float | None:
        return run_rates(run)[0]

    def get_eta_s(self, run: JudgeRun) -> float | None:
        return run_rates(run)[1]


class JudgeSerializer(serializers.ModelSerializer[Judge]):
    kind = serializers.ChoiceField(choices=JudgeKind.choices)
    config = serializers.JSONField(
        help_text="Per kind: model (id or path), revision, dtype, device, max_length (local "
        "models); head and ratings (reward models); templates, system_prompt, position_swap, "
        "rationale (LLM and API judges); base_url, model, api_key_env, max_concurrency, "
        "timeout_s, max_retries, logprobs (API judges). Keys are never stored: name the "
        "environment variable that holds one. See docs/judges.md."
    )
    questions = serializers.ListField(
        child=serializers.CharField(max_length=64), help_text="Question ids this judge answers."
    )
    latest_run = serializers.SerializerMethodField()

    class Meta:
        model = Judge
        fields = [
            "id",
            "project",
            "name",
            "kind",
            "config",
            "questions",
            "latest_run",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "project", "latest_run", "created_at", "updated_at"]

    @extend_schema_field(JudgeRunSerializer(allow_null=True))
    def get_latest_run(self, judge: Judge) -> dict[str, Any] | None:
        latest: dict[int, JudgeRun] | None = self.context.get("latest_runs")
        run = latest.get(judge.pk) if latest is not None else judge.runs.order_by("-id").first()
        return None if run is None else dict(JudgeRunSerializer(run).data)


class JudgeChangeSerializer(serializers.Serializer[Judge]):
    name = serializers.CharField(max_length=200, required=False)
    config = serializers.JSONField(required=False)
    questions = serializers.ListField(child=serializers.CharField(max_length=64), required=False)


class RunStartSerializer(serializers.Serializer[None]):
    scope = serializers.JSONField(
        required=False,
        help_text='{"kind": "all"} (default), {"kind": "unlabeled"} (no human annotation yet) '
        'or {"kind": "filter", "filter": {...item browser filters...}}.',
    )


class PredictionSerializer(serializers.ModelSerializer[Prediction]):
    class Meta:
        model = Prediction
        fields = [
            "id", "run", "judge", "item", "question_id", "value", "probability", "details",
            "swap_inconsistency", "error", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer[Prediction]):
    judge_name = serializers.CharField(source="judge.name")
    value = serializers.JSONField(help_text="In canonical candidate ids, like an answer.")

    class Meta:
        model = Prediction
        fields = ["judge", "judge_name", "question_id", "value", "probability"]
        read_only_fields = fields


class SuggestionsSerializer(serializers.Serializer[None]):
    enabled = serializers.BooleanField(
        help_text="False when the project does not show suggestions, or is blind."
    )
    suggestions = SuggestionSerializer(many=True)


class ItemPredictionSerializer(PredictionSerializer):
    judge_name = serializers.CharField(source="judge.name")

    class Meta(PredictionSerializer.Meta):
        fields = [*PredictionSerializer.Meta.fields, "judge_name"]
        read_only_fields = fields


def _invalid(exc: JudgeInvalid) -> ValidationError:
    return ValidationError(exc.errors)


class JudgeListCreateApi(generics.ListAPIView[Judge]):
    """A project's judges (reviewers and up); managers add one."""

    serializer_class = JudgeSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Judge]:
        access = access_project(
            user=self.request.user, project_id=self.kwargs["project_id"], minimum=Role.REVIEWER
        )
        return Judge.objects.filter(project=access.project).order_by("id")

    def get_serializer_context(self) -> dict[str, Any]:
        # Every judge's newest run in one query, rather than one query per judge.
        newest = (
            JudgeRun.objects.filter(judge__project_id=self.kwargs["project_id"])
            .values("judge")
            .annotate(last=Max("id"))
            .values("last")
        )
        runs = JudgeRun.objects.filter(id__in=Subquery(newest))
        return {**super().get_serializer_context(), "latest_runs": {r.judge_id: r for r in runs}}

    @extend_schema(request=JudgeSerializer, responses={201: JudgeSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        access: ProjectAccess = access_project(
            user=request.user, project_id=project_id, minimum=Role.MANAGER
        )
        body = JudgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            judge = judge_create(
                project=access.project,
                user=request_user(request),
                **body.validated_data,
            )
        except JudgeInvalid as exc:
            raise _invalid(exc) from None
        return Response(JudgeSerializer(judge).data, status=status.HTTP_201_CREATED)


class JudgeDetailApi(APIView):
    """One judge: read (reviewers and up), change or delete (managers and up)."""

    @extend_schema(responses=JudgeSerializer)
    def get(self, request: Request, judge_id: int) -> Response:
        return Response(
            JudgeSerializer(
                access_judge(user=request.user, judge_id=judge_id, minimum=Role.REVIEWER)
            ).data
        )

    @extend_schema(request=JudgeChangeSerializer, responses=JudgeSerializer)
    def patch(self, request: Request, judge_id: int) -> Response:
        judge = access_judge(user=request.user, judge_id=judge_id, minimum=Role.MANAGER)
        body = JudgeChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            judge = judge_update(judge=judge, changes=dict(body.validated_data))
        except JudgeInvalid as exc:
            raise _invalid(exc) from None
        return Response(JudgeSerializer(judge).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, judge_id: int) -> Response:
        judge_delete(judge=access_judge(user=request.user, judge_id=judge_id, minimum=Role.MANAGER))
        return Response(status=status.HTTP_204_NO_CONTENT)


class JudgeRunListCreateApi(generics.ListAPIView[JudgeRun]):
    """A judge's runs, newest first; managers start one."""

    serializer_class = JudgeRunSerializer

    def get_queryset(self) -> QuerySet[JudgeRun]:
        judge = access_judge(
            user=self.request.user, judge_id=self.kwargs["judge_id"], minimum=Role.REVIEWER
        )
        return judge.runs.order_by("-id")

    @extend_schema(
        request=RunStartSerializer,
        responses={
            201: JudgeRunSerializer,
            503: OpenApiResponse(DetailSerializer, description="The task broker is unreachable."),
        },
    )
    def post(self, request: Request, judge_id: int) -> Response:
        judge = access_judge(user=request.user, judge_id=judge_id, minimum=Role.MANAGER)
        body = RunStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            run = judge_run_start(
                judge=judge,
                user=request_user(request),
                scope=body.validated_data.get("scope"),
            )
        except JudgeInvalid as exc:
            raise _invalid(exc) from None
        except QueueUnavailable:
            return Response(QUEUE_DOWN, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        run.refresh_from_db()
        return Response(JudgeRunSerializer(run).data, status=status.HTTP_201_CREATED)


class JudgeRunDetailApi(APIView):
    """One run with its progress."""

    @extend_schema(responses=JudgeRunSerializer)
    def get(self, request: Request, run_id: int) -> Response:
        return Response(
            JudgeRunSerializer(
                access_run(user=request.user, run_id=run_id, minimum=Role.REVIEWER)
            ).data
        )


class JudgeRunCancelApi(APIView):
    """Cancel a run: the batch in hand finishes, no other starts; predictions stay."""

    @extend_schema(request=None, responses=JudgeRunSerializer)
    def post(self, request: Request, run_id: int) -> Response:
        run = judge_run_cancel(
            run=access_run(user=request.user, run_id=run_id, minimum=Role.MANAGER)
        )
        return Response(JudgeRunSerializer(run).data)


class TemplatesSerializer(serializers.Serializer[None]):
    templates = serializers.DictField(
        child=serializers.CharField(), help_text="The default prompt template per kind."
    )
    template_fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The fields each kind of template may use.",
    )


class JudgeTemplatesApi(APIView):
    """The default prompt templates of LLM and API judges, and the fields each may use."""

    @extend_schema(responses=TemplatesSerializer)
    def get(self, request: Request) -> Response:
        fields = {kind: sorted(names) for kind, names in prompts.TEMPLATE_FIELDS.items()}
        return Response({"templates": prompts.DEFAULT_TEMPLATES, "template_fields": fields})


class AssignmentSuggestionsApi(APIView):
    """Judges' latest predictions for the item of one of the caller's assignments."""

    @extend_schema(responses=SuggestionsSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = access_assignment(user=request.user, assignment_id=assignment_id)
        project = assignment.project
        enabled = project.suggestions and not project.blind
        found = predictions_latest(item_ids=[assignment.item_id]) if enabled else {}
        suggestions = SuggestionSerializer(found.get(assignment.item_id, []), many=True).data
        return Response({"enabled": enabled, "suggestions": suggestions})


class ItemPredictionsApi(APIView):
    """Every judge's latest prediction for one item, failed ones included (reviewers and up)."""

    @extend_schema(responses=ItemPredictionSerializer(many=True))
    def get(self, request: Request, project_id: int, item_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.REVIEWER)
        if not Item.objects.filter(pk=item_id, project=access.project).exists():
            raise Http404
        found = predictions_latest(item_ids=[item_id], include_failed=True)[item_id]
        return Response(ItemPredictionSerializer(found, many=True).data)


class RunPredictionListApi(generics.ListAPIView[Prediction]):
    """A run's predictions (reviewers and up), optionally for one item or question."""

    serializer_class = PredictionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("item", int),
            OpenApiParameter("question", str),
            OpenApiParameter("failed", bool, description="Only predictions that failed."),
        ]
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Prediction]:
        run = access_run(
            user=self.request.user, run_id=self.kwargs["run_id"], minimum=Role.REVIEWER
        )
        predictions = run.predictions.order_by("item_id", "question_id")
        params = self.request.query_params
        if params.get("item"):
            if not params["item"].isdigit():
                raise ValidationError({"item": ["Expected an item id."]})
            predictions = predictions.filter(item_id=int(params["item"]))
        if params.get("question"):
            predictions = predictions.filter(question_id=params["question"])
        if bool_param(self.request, "failed"):
            predictions = predictions.exclude(error="")
        return predictions


class ConfusionItemsApi(APIView):
    """The items of one cell of a judge's confusion matrix (people's majority x the judge)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("part", str, required=True, description="A part key, e.g. `pref`."),
            OpenApiParameter("people", int, required=True, description="People's majority code."),
            OpenApiParameter("predicted", int, required=True, description="The judge's code."),
            *SCOPE_PARAMETERS,
        ],
        responses=DrilldownSerializer,
        tags=["metrics"],
    )
    def get(self, request: Request, judge_id: int) -> Response:
        judge = access_judge(user=request.user, judge_id=judge_id, minimum=Role.MANAGER)
        scope = scope_from_request(request)
        codes = {}
        for name in ("people", "predicted"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit():
                raise ValidationError({name: ["Expected a category code."]})
            codes[name] = int(raw)
        labels = human_labels(project=judge.project, scope=scope)
        try:
            part = part_of(labels, request.query_params.get("part", ""))
        except KeyError:
            raise ValidationError({"part": ["No such part in this project."]}) from None
        found = confusion_items(
            project=judge.project, judge=judge, scope=scope, labels=labels, part=part, **codes
        )
        return Response(DrilldownSerializer(drilldown_body(found, judge.project)).data)
