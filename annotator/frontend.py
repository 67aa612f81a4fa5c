"""Serve the built browser app: one HTML page for every route the client-side router owns."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

MISSING_BUILD = """<!doctype html><meta charset="utf-8"><title>Moot</title>
<p>The browser app has not been built. Run <code>make build</code> (or <code>make demo</code>).</p>
"""


def with_style_nonce(html: str, nonce: str) -> str:
    """Hand the page its Content-Security-Policy nonce for the <style> elements it creates.

    The nonce goes in a ``nonce`` attribute (Vite's ``csp-nonce`` meta convention), which
    browsers hide from CSS selectors once the policy is in force; the app reads it through the
    element's ``nonce`` property and gives it to Mantine.
    """
    meta = f'<meta property="csp-nonce" nonce="{nonce}" />'
    head, found, rest = html.partition("</head>")
    if not found:
        return meta + html
    return f"{head}  {meta}\n  </head>{rest}"


@require_safe
@ensure_csrf_cookie
def app_index(request: HttpRequest, path: str = "") -> HttpResponse:
    """Return ``frontend/dist/index.html``; the app reads the CSRF cookie set here."""
    index = settings.FRONTEND_DIST / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HttpResponse(MISSING_BUILD, status=503)
    # Reading the nonce is what puts it in this response's policy.
    nonce = str(request.csp_nonce)  # type: ignore[attr-defined]  # set by django-csp's middleware
    response = HttpResponse(with_style_nonce(html, nonce))
    response["Cache-Control"] = "no-cache"
    return response
