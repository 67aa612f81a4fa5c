"""Dataset export: snapshots (build, list, download) and the streaming records API.

Managers and owners only: an export holds every annotator's answers. Others in the project get
a 403; people outside it a 404.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project, request_user
from annotator.api.params import int_param
from annotator.api.serializers import DetailSerializer
from annotator.api.streaming import (
    RangeNotSatisfiable,
    file_blocks,
    parse_range,
    streaming_response,
)
from annotator.exports.options import (
    AGGREGATIONS,
    FILE_TYPES,
    FORMATS,
    MARGINS,
    ExportOptions,
    ExportOptionsInvalid,
)
from annotator.exports.writers import MEDIA_TYPES
from annotator.jobs import QueueUnavailable
from annotator.models import Export, ExportStatus, Role
from annotator.services.exports import (
    Cursor,
    CursorInvalid,
    export_create,
    export_delete,
    export_file_name,
    export_path,
    records_lines,
)

QUEUE_DOWN = {"detail": "The task broker is unreachable; try again in a moment."}


class ExportOptionsSerializer(serializers.Serializer[None]):
    """The options of an export; see docs/exports.md."""

    format = serializers.ChoiceField(choices=FORMATS, default="preference")
    file_type = serializers.ChoiceField(choices=FILE_TYPES, default="jsonl")
    aggregation = serializers.ChoiceField(choices=AGGREGATIONS, default="majority")
    min_agreement = serializers.FloatField(
        default=0.75,
        help_text="With aggregation=min_agreement: the least share of agreeing votes (rankings: "
        "Kendall's W), above 0.5 and at most 1.",
    )
    ties = serializers.ChoiceField(choices=["keep", "drop"], default="drop")
    reviewed_only = serializers.BooleanField(default=False)
    exclude_gold = serializers.BooleanField(default=False)
    include_model_labels = serializers.BooleanField(
        default=False,
        help_text="Where no person labelled an item, a judge's prediction stands in (flagged).",
    )
    judges = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        default=list,
        help_text="Judges whose predictions may stand in, preferred first; empty for all.",
    )
    question = serializers.CharField(required=False, allow_null=True, default=None, max_length=64)
    dimension = serializers.CharField(required=False, allow_null=True, default=None, max_length=64)
    weights = serializers.DictField(
        child=serializers.FloatField(), required=False, allow_null=True, default=None
    )
    margin = serializers.ChoiceField(choices=MARGINS, default="none")

    def options(self) -> ExportOptions:
        """The validated options; 400 naming the field when they are wrong."""
        self.is_valid(raise_exception=True)
        try:
            return ExportOptions.parse(dict(self.validated_data))
        except ExportOptionsInvalid as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None


class ExportCreateSerializer(ExportOptionsSerializer):
    push_to_hub = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Once built, push to this Hugging Face Hub dataset repository (org/name, "
        "private); needs MOOT_HF_TOKEN on the workers.",
    )

    def options(self) -> ExportOptions:
        self.is_valid(raise_exception=True)
        data = dict(self.validated_data)
        data.pop("push_to_hub", None)
        try:
            return ExportOptions.parse(data)
        except ExportOptionsInvalid as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None


class ExportSerializer(serializers.ModelSerializer[Export]):
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True, default=None
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "project",
            "status",
            "format",
            "file_type",
            "options",
            "items_total",
            "items_done",
            "rows",
            "content_sha256",
            "file_sha256",
            "size_bytes",
            "manifest",
            "error",
            "hub_repo",
            "hub_url",
            "hub_error",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export: Export) -> str | None:
        if export.status != ExportStatus.DONE:
            return None
        return f"/api/exports/{export.pk}/download/"


def _access_export(request: Request, export_id: int) -> Export:
    export = Export.objects.select_related("project", "created_by").filter(pk=export_id).first()
    if export is None:
        raise Http404
    access_project(user=request.user, project_id=export.project_id, minimum=Role.MANAGER)
    return export


class ExportListCreateApi(generics.ListAPIView[Export]):
    """A project's snapshots, newest first; POST builds a new one in the background."""

    serializer_class = ExportSerializer

    def get_queryset(self) -> Any:
        access_project(
            user=self.request.user, project_id=self.kwargs["project_id"], minimum=Role.MANAGER
        )
        return Export.objects.filter(project_id=self.kwargs["project_id"]).select_related(
            "project", "created_by"
        )

    @extend_schema(
        request=ExportCreateSerializer,
        responses={
            202: ExportSerializer,
            503: OpenApiResponse(DetailSerializer, description="The task broker is unreachable."),
        },
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        body = ExportCreateSerializer(data=request.data)
        options = body.options()
        try:
            export = export_create(
                project=access.project,
                user=request_user(request),
                options=options,
                push_to_hub=body.validated_data["push_to_hub"],
            )
        except ExportOptionsInvalid as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None
        except QueueUnavailable:
            return Response(QUEUE_DOWN, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailApi(APIView):
    """One snapshot: its state, and once built its manifest. DELETE removes it and its file."""

    @extend_schema(responses=ExportSerializer)
    def get(self, request: Request, export_id: int) -> Response:
        return Response(ExportSerializer(_access_export(request, export_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, export_id: int) -> Response:
        export_delete(_access_export(request, export_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportDownloadApi(APIView):
    """The snapshot's file. Supports ``Range`` (one range) and ``If-Range`` to resume."""

    @extend_schema(
        responses={
            # The file's own media type: one per file type (see annotator.exports.writers).
            (200, *MEDIA_TYPES.values()): OpenApiTypes.BINARY,
            (206, *MEDIA_TYPES.values()): OpenApiTypes.BINARY,
            409: OpenApiResponse(DetailSerializer, description="The snapshot is not built yet."),
            416: OpenApiResponse(description="The range starts past the end of the file."),
        }
    )
    def get(self, request: Request, export_id: int) -> HttpResponseBase:
        export = _access_export(request, export_id)
        path = export_path(export)
        if export.status != ExportStatus.DONE or not path.exists():
            return Response(
                {"detail": f"This snapshot is {export.status}; download it once it is done."},
                status=status.HTTP_409_CONFLICT,
            )
        size = path.stat().st_size
        etag = f'"{export.file_sha256}"'
        header = request.headers.get("Range")
        if_range = request.headers.get("If-Range")
        if if_range is not None and if_range != etag:
            header = None  # the file changed since the client's first part: send all of it
        try:
            wanted = parse_range(header, size)
        except RangeNotSatisfiable:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        django_request: HttpRequest = request._request
        start, length = (0, size) if wanted is None else (wanted.start, wanted.length)
        response = streaming_response(
            django_request,
            file_blocks(path, start, length),
            content_type=MEDIA_TYPES[export.file_type],
            status=200 if wanted is None else 206,
        )
        response["Content-Length"] = str(length)
        response["Accept-Ranges"] = "bytes"
        response["ETag"] = etag
        response["Content-Disposition"] = f'attachment; filename="{export_file_name(export)}"'
        if wanted is not None:
            response["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
        return response


RECORD_PARAMETERS = [
    OpenApiParameter("format", str, enum=list(FORMATS), description="Default preference."),
    OpenApiParameter("aggregation", str, enum=list(AGGREGATIONS), description="Default majority."),
    OpenApiParameter("min_agreement", float),
    OpenApiParameter("ties", str, enum=["keep", "drop"]),
    OpenApiParameter("reviewed_only", bool),
    OpenApiParameter("exclude_gold", bool),
    OpenApiParameter("include_model_labels", bool),
    OpenApiParameter("judges", int, many=True, description="Repeatable; preferred first."),
    OpenApiParameter("question", str),
    OpenApiParameter("dimension", str),
    OpenApiParameter("weights", str, description="Dimension weights as `dim:weight,dim:weight`."),
    OpenApiParameter("margin", str, enum=list(MARGINS)),
    OpenApiParameter("cursor", str, description="Resume after the row whose `_cursor` this is."),
    OpenApiParameter("limit", int, description="At most this many rows."),
]


def _weights(raw: str | None) -> dict[str, float] | None:
    if not raw:
        return None
    weights: dict[str, float] = {}
    for part in raw.split(","):
        name, _, number = part.partition(":")
        try:
            weights[name.strip()] = float(number)
        except ValueError:
            raise ValidationError({"weights": ["Expected dim:weight,dim:weight."]}) from None
    return weights


class _FormatIsAnOption(DefaultContentNegotiation):
    """``?format=`` names the export format here, not a DRF renderer: errors are JSON."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class RecordsApi(APIView):
    """The export's rows as NDJSON, streamed, for training jobs that pull directly.

    Every row carries ``_cursor``; pass the last one you read as ``?cursor=`` to resume a broken
    download after it. Rows are read live from the project, in item order.
    """

    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FormatIsAnOption

    @extend_schema(
        parameters=RECORD_PARAMETERS,
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR, description="One JSON object per line."
            ),
            400: OpenApiResponse(description="An option or the cursor is wrong (field named)."),
        },
    )
    def get(self, request: Request, project_id: int) -> HttpResponseBase:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        params = request.query_params
        data: dict[str, Any] = {
            key: params.get(key)
            for key in (
                "format",
                "aggregation",
                "min_agreement",
                "ties",
                "reviewed_only",
                "exclude_gold",
                "include_model_labels",
                "question",
                "dimension",
                "margin",
            )
            # Given but empty is still given: `?aggregation=` is an error, not the default.
            if key in params
        }
        data["judges"] = params.getlist("judges")
        data["weights"] = _weights(params.get("weights"))
        options = ExportOptionsSerializer(data=data).options()
        try:
            cursor = Cursor.parse(params["cursor"]) if params.get("cursor") else Cursor()
        except CursorInvalid as exc:
            raise ValidationError({"cursor": [str(exc)]}) from None
        limit = int_param(request, "limit")
        try:
            lines = records_lines(
                project=access.project, options=options, cursor=cursor, limit=limit
            )
            first = next(lines, None)  # options are checked against the project here
        except ExportOptionsInvalid as exc:
            raise ValidationError({k: [v] for k, v in exc.errors.items()}) from None

        def everything() -> Any:
            if first is not None:
                yield first
                yield from lines

        return streaming_response(
            request._request, everything(), content_type="application/x-ndjson"
        )
