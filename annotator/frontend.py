"""Serve the built browser app: one HTML page for every route the client-side router owns."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

MISSING_BUILD = """<!doctype html><meta charset="utf-8"><title>Moot</title>
<p>The browser app has not been built. Run <code>make build</code> (or <code>make demo</code>).</p>
"""


@require_safe
@ensure_csrf_cookie
def app_index(request: HttpRequest, path: str = "") -> HttpResponse:
    """Return ``frontend/dist/index.html``; the app reads the CSRF cookie set here."""
    index = settings.FRONTEND_DIST / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HttpResponse(MISSING_BUILD, status=503)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-cache"
    return response
