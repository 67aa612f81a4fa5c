"""Item import: upload JSONL, CSV or Parquet files into a project (managers and owners)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project
from annotator.importers import FORMATS, ImportSource
from annotator.models import Role
from annotator.services.imports import ImportFailed, ImportResult, items_import
from annotator.uploads import limit_uploads

DEFAULT_MAX_BYTES = 1024**3
FILE_TYPE_CHOICES = ("jsonl", "json", "ndjson", "csv", "parquet")


class ItemImportSerializer(serializers.Serializer[None]):
    file = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="One or more files (repeat the field); several files are read in order, and "
        "with a group_by mapping their rows are joined into items.",
    )
    format = serializers.ChoiceField(
        choices=FORMATS, default="auto", help_text="The layout; auto detects it from the first row."
    )
    file_type = serializers.ChoiceField(
        choices=FILE_TYPE_CHOICES,
        required=False,
        help_text="Overrides the type the file name gives (.jsonl/.json/.ndjson, .csv, "
        ".parquet, optionally .gz).",
    )
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A field mapping as JSON, for format=mapping.",
    )
    reference_annotator = serializers.CharField(
        required=False,
        max_length=150,
        help_text="Keep labels found in the source as this user's reference annotations.",
    )


class ImportErrorSerializer(serializers.Serializer[None]):
    line = serializers.IntegerField(
        read_only=True, help_text="Line in the file (Parquet: row number); 0 for the whole file."
    )
    field = serializers.CharField(read_only=True, allow_null=True)
    message = serializers.CharField(read_only=True)
    file = serializers.CharField(read_only=True, help_text="The file the line belongs to.")


# `errors` would shadow Serializer.errors as a class attribute, so this one is built inline.
ImportErrorsSerializer = inline_serializer(
    name="ImportErrors", fields={"errors": ImportErrorSerializer(many=True, read_only=True)}
)


class ImportResultSerializer(serializers.Serializer[ImportResult]):
    created = serializers.IntegerField(read_only=True)
    updated = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)
    format = serializers.CharField(read_only=True, help_text="The layout used (as detected).")
    references = serializers.IntegerField(
        read_only=True, help_text="Reference annotations created."
    )
    annotations = serializers.IntegerField(
        read_only=True, help_text="Annotations created by a raw import (with their history)."
    )


def _errors(*errors: dict[str, Any]) -> dict[str, Any]:
    return {"errors": [{"line": 0, "file": "", **e} for e in errors]}


def _first_message(value: Any) -> str:
    """The first message of a DRF error tree (a list, a dict of lists, or a message)."""
    while isinstance(value, list | dict):
        if not value:
            return "invalid"
        value = value[0] if isinstance(value, list) else next(iter(value.values()))
    return str(value)


def _too_large(limit: int) -> Response:
    message = f"the upload is larger than the {limit} byte limit (MOOT_IMPORT_MAX_BYTES)"
    return Response(
        _errors({"field": "file", "message": message}),
        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class ItemImportApi(APIView):
    """Import items; nothing is written unless every row is good."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ItemImportSerializer},
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(
                ImportErrorsSerializer, description="Nothing was written; the errors say why."
            ),
            413: OpenApiResponse(ImportErrorsSerializer, description="The upload is too large."),
        },
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        limit = int(getattr(settings, "MOOT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            return _too_large(limit)
        upload_limit = limit_uploads(request._request, limit)
        body = ItemImportSerializer(data=request.data)
        if upload_limit.exceeded:
            return _too_large(limit)
        if not body.is_valid():
            return Response(
                _errors(
                    *(
                        {"field": name, "message": _first_message(messages)}
                        for name, messages in body.errors.items()
                    )
                ),
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = body.validated_data
        uploads = data["file"]
        if sum(upload.size or 0 for upload in uploads) > limit:
            return _too_large(limit)
        try:
            result = items_import(
                project=access.project,
                files=[ImportSource(name=u.name or "upload", stream=u.file) for u in uploads],
                format=data["format"],
                mapping=data.get("mapping") or None,
                file_type=data.get("file_type"),
                reference_annotator=data.get("reference_annotator") or None,
            )
        except ImportFailed as failed:
            return Response({"errors": failed.as_list()}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportResultSerializer(result).data)
