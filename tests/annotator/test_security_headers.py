"""Every response carries the security headers: a strict Content-Security-Policy and the rest.

The browser-side checks (no page of the app breaks under the policy, and the policy blocks what
it should) are in tests/e2e/test_security_headers.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from annotator.frontend import with_style_nonce

pytestmark = pytest.mark.django_db

INDEX = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Moot</title>
    <script type="module" crossorigin src="/static/assets/index-abc.js"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
"""


def policy_of(response: HttpResponse) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: sources for name, *sources in directives}


@pytest.fixture
def built_app(settings: Settings, tmp_path: Path) -> Path:
    """A stand-in for ``frontend/dist``, so the test needs no frontend build."""
    (tmp_path / "index.html").write_text(INDEX)
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


def test_the_app_page_runs_only_its_own_scripts_and_styles_with_its_nonce(
    api: APIClient, built_app: Path
) -> None:
    response = api.get("/projects/3/label")

    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    self_source, nonce_source = policy["style-src"]
    assert self_source == "'self'"
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]{16,})'", nonce_source)
    assert nonce is not None
    # The page gets the same nonce, for the <style> elements it writes at run time.
    html = response.content.decode()
    meta = f'<meta property="csp-nonce" nonce="{nonce.group(1)}" />'
    assert meta in html
    assert html.index(meta) < html.index("</head>")


def test_no_directive_allows_inline_script_or_eval(api: APIClient, built_app: Path) -> None:
    header = api.get("/projects/3").headers["Content-Security-Policy"]

    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert "'unsafe-hashes'" not in header


def test_each_page_load_gets_a_fresh_nonce(api: APIClient, built_app: Path) -> None:
    first = policy_of(api.get("/projects/3"))["style-src"]
    second = policy_of(api.get("/projects/3"))["style-src"]

    assert first != second


def test_the_app_page_and_an_api_response_carry_the_other_security_headers(
    api: APIClient, built_app: Path, user: User
) -> None:
    api.force_authenticate(user)
    for response in (api.get("/projects/3"), api.get("/api/projects/")):
        assert response.status_code == 200
        assert "Content-Security-Policy" in response.headers
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_responses_without_a_page_nonce_allow_no_inline_style(api: APIClient) -> None:
    policy = policy_of(api.get("/api/health/"))

    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]


def test_the_api_docs_load_their_start_up_script_as_a_file(api: APIClient) -> None:
    page = api.get("/api/docs/")
    script = api.get("/api/docs/?script=")

    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"<script>\s*\S", html) is None  # no inline script
    assert 'src="/api/docs/?script="' in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
    # One inline <style> in Swagger UI's page is allowed, by its hash only.
    style_src = policy_of(page)["style-src"]
    assert style_src[0] == "'self'"
    assert [source.startswith("'sha256-") for source in style_src[1:]] == [True]


def test_the_nonce_tag_goes_into_the_head_of_the_page() -> None:
    html = with_style_nonce(INDEX, "abc123==")

    head = html[: html.index("</head>")]
    assert '<meta property="csp-nonce" nonce="abc123==" />' in head
    assert html.count("csp-nonce") == 1
    assert html.replace('    <meta property="csp-nonce" nonce="abc123==" />\n', "") == INDEX
