"""Error pages for URLs that no view answers: JSON under ``/api/``, Django's page elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 404 in the API's own error shape (``{"detail": ...}``) for paths under ``/api/``.

    A path that matches no route (say ``/api/projects/abc/``, where an id must be a number) is
    answered by Django before any API view runs; API clients still get JSON.
    """
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
