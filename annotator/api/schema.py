"""OpenAPI generation: the error answers every endpoint can give, documented once.

drf-spectacular documents what a view declares, and views declare their successes and their own
particular errors. The errors that come from the framework around them (DRF's validation, the
authentication and permission checks, object lookups and pagination) are added here for every
operation they can happen to, so that clients, the generated frontend types and the schema
conformance tests all know them.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from annotator.api.serializers import DetailSerializer

VALIDATION_ERROR: dict[str, Any] = {
    "type": "object",
    "description": "The request was not valid: each key names the field that is wrong (nested "
    "as the field is), with a list of messages; errors not tied to one field come under "
    "`detail` or `non_field_errors`.",
    "additionalProperties": {},
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus the 400/401/403/404 answers an operation can give."""

    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: ComponentRegistry,
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses: dict[str, Any] = operation.setdefault("responses", {})
        for code, response in self._framework_errors(operation).items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)  # type: ignore[no-untyped-call]  # drf-spectacular's internals are untyped
        return operation

    def map_parsers(self) -> list[str]:
        # Every view accepts multipart as well as JSON (DRF's default parsers), but only a view
        # that chooses its parsers (the file upload) takes its body that way: nested fields such
        # as a project's questions cannot be sent as form parts. Document JSON for the others.
        if self.view.parser_classes is APIView.parser_classes:
            return [JSONParser.media_type]
        media_types: list[str] = super().map_parsers()
        return media_types

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> dict[str, Any] | None:
        schema: dict[str, Any] | None = super()._map_serializer_field(  # type: ignore[no-untyped-call]  # untyped upstream
            field, direction, bypass_extensions
        )
        # A nullable field of any JSON value comes out as oneOf [{}, {"type": "null"}], which no
        # value satisfies when it is null (null matches both); any value already includes null.
        if schema is not None and schema.get("oneOf") == [{}, {"type": "null"}]:
            schema = {key: value for key, value in schema.items() if key != "oneOf"}
        return schema

    def _framework_errors(self, operation: dict[str, Any]) -> dict[str, Any]:
        parameters = operation.get("parameters", [])
        errors: dict[str, Any] = {}
        # A bad page number is a 404 (below), not a 400.
        if "requestBody" in operation or any(
            p["in"] == "query" and p["name"] != "page" for p in parameters
        ):
            errors["400"] = OpenApiResponse(
                self._validation_error_ref(), description="The request is not valid."
            )
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            errors["401"] = OpenApiResponse(DetailSerializer, description="Not signed in.")
            errors["403"] = OpenApiResponse(
                DetailSerializer, description="Signed in, but this needs a higher role."
            )
        if any(p["in"] == "path" for p in parameters) or any(
            p["in"] == "query" and p["name"] == "page" for p in parameters
        ):
            errors["404"] = OpenApiResponse(
                DetailSerializer,
                description="No such object, or not one the caller may see; or no such page.",
            )
        return errors

    def _validation_error_ref(self) -> dict[str, str]:
        component = ResolvedComponent(  # type: ignore[no-untyped-call]  # untyped upstream
            name="ValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ValidationError",
            schema=VALIDATION_ERROR,
        )
        self.registry.register_on_missing(component)
        return dict(component.ref)
