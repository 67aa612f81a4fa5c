"""Errors in the API's shape: URLs no view answers, and a database that cannot be reached."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found
from rest_framework.response import Response
from rest_framework.views import exception_handler

from annotator.leases import is_transient

DATABASE_RETRY_AFTER_S = 5


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 in the API's own error shape (``{"detail": ...}``) for paths under ``/api/``.

    A path that matches no route (say ``/api/projects/abc/``, where an id must be a number) is
    answered by Django before any API view runs; API clients still get JSON.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: a database that cannot be reached is a 503, not a 500.

    Clients (the browser's labeling screen, training jobs) then know to wait and try again;
    ``Retry-After`` says how long. Every other unexpected error stays a 500.
    """
    if is_transient(exc):
        return Response(
            {
                "detail": "The database cannot be reached right now; try again in a moment.",
                "code": "database_unavailable",
            },
            status=503,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )
    return exception_handler(exc, context)
