"""Every endpoint, every role: the status each caller gets, reading and writing.

The operations come from the live OpenAPI schema, and every route under ``/api/`` must be in that
schema: a new endpoint fails ``test_every_endpoint_has_a_rule`` until its rule is written here.

Rules: anonymous callers get 401; people outside the project (including the owner of another
project) get 404, so a project's existence is not revealed; members below an endpoint's role get
403; an assignment or annotation that is someone else's is 404 to a member who may not see it.
Each role's call runs in a savepoint that is rolled back, so every role meets the same world.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.annotator.security.world import PASSWORD, ROLES, World, world_build
from tests.factories import new_user

pytestmark = pytest.mark.django_db

MEMBERS = ("annotator", "reviewer", "manager", "owner")
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
ANY_MEMBER = frozenset(MEMBERS)
REVIEWER_UP = frozenset(MEMBERS[1:])
MANAGER_UP = frozenset(MEMBERS[2:])
OWNER_ONLY = frozenset({"owner"})
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Rule:
    """Who passes (``allowed``, answered ``ok``); members below the bar get ``below``."""

    allowed: frozenset[str]
    ok: int
    below: int = 403
    body: Callable[[World], Any] | None = None
    multipart: bool = False
    query: str = ""


def _member_add(world: World) -> dict[str, Any]:
    return {"username": new_user().username, "role": "annotator"}


def _import_file(world: World) -> dict[str, Any]:
    row = b'{"id": "new-1", "prompt": "p", "candidates": [{"id": "a", "text": "x"}, '
    row += b'{"id": "b", "text": "y"}]}\n'
    return {"file": SimpleUploadedFile("items.jsonl", row, "application/x-ndjson")}


def _login(world: World) -> dict[str, Any]:
    return {"username": world.users["owner"].username, "password": PASSWORD}


JUDGE = {"name": "rm2", "kind": "reward_model", "config": {"model": "/m"}, "questions": ["pref"]}

RULES: dict[tuple[str, str], Rule] = {
    # Auth and health.
    ("post", "/api/auth/login/"): Rule(EVERYONE, 200, body=_login),
    ("post", "/api/auth/token/"): Rule(EVERYONE, 200, body=_login),
    ("post", "/api/auth/logout/"): Rule(SIGNED_IN, 204),
    ("get", "/api/auth/me/"): Rule(SIGNED_IN, 200),
    # Tokens: everyone manages their own; the token named in the path is the owner's.
    ("get", "/api/auth/tokens/"): Rule(SIGNED_IN, 200),
    ("post", "/api/auth/tokens/revoke-all/"): Rule(SIGNED_IN, 204),
    ("delete", "/api/auth/tokens/{token_key}/"): Rule(OWNER_ONLY, 204, below=404),
    ("get", "/api/health/"): Rule(EVERYONE, 200),
    ("get", "/api/ready/"): Rule(EVERYONE, 200),
    # Projects and members.
    ("get", "/api/projects/"): Rule(SIGNED_IN, 200),
    ("post", "/api/projects/"): Rule(
        SIGNED_IN,
        201,
        body=lambda w: {"name": "New", "questions": [{"id": "q", "kind": "pairwise"}]},
    ),
    ("get", "/api/projects/{project_id}/"): Rule(ANY_MEMBER, 200),
    ("patch", "/api/projects/{project_id}/"): Rule(
        MANAGER_UP, 200, body=lambda w: {"guidelines": "Be kind."}
    ),
    ("delete", "/api/projects/{project_id}/"): Rule(OWNER_ONLY, 204),
    ("get", "/api/projects/{project_id}/members/"): Rule(ANY_MEMBER, 200),
    ("post", "/api/projects/{project_id}/members/"): Rule(MANAGER_UP, 201, body=_member_add),
    ("patch", "/api/projects/{project_id}/members/{member_id}/"): Rule(
        MANAGER_UP, 200, body=lambda w: {"role": "reviewer"}
    ),
    ("delete", "/api/projects/{project_id}/members/{member_id}/"): Rule(MANAGER_UP, 204),
    ("post", "/api/projects/{project_id}/worker-ping/"): Rule(ANY_MEMBER, 202),
    ("post", "/api/projects/{project_id}/import/"): Rule(
        MANAGER_UP, 200, body=_import_file, multipart=True
    ),
    # Labeling.
    ("post", "/api/projects/{project_id}/next/"): Rule(ANY_MEMBER, 200),
    ("get", "/api/projects/{project_id}/gold/"): Rule(ANY_MEMBER, 200),
    ("get", "/api/projects/{project_id}/annotations/"): Rule(ANY_MEMBER, 200),
    ("post", "/api/assignments/{assignment_id}/submit/"): Rule(
        frozenset({"annotator"}),
        201,
        below=404,
        body=lambda w: {"answers": {"pref": {"winner": "a"}}},
    ),
    ("post", "/api/assignments/{assignment_id}/skip/"): Rule(
        frozenset({"annotator"}), 200, below=404
    ),
    ("get", "/api/assignments/{assignment_id}/suggestions/"): Rule(
        frozenset({"annotator"}), 200, below=404
    ),
    # The annotation is the annotator's own: reviewers and up may read it, only its author or a
    # manager may change it, and only a reviewer or up may review it.
    ("get", "/api/annotations/{annotation_id}/"): Rule(ANY_MEMBER, 200),
    ("patch", "/api/annotations/{annotation_id}/"): Rule(
        frozenset({"annotator", "manager", "owner"}),
        200,
        body=lambda w: {"answers": {"pref": {"winner": "b"}}},
    ),
    ("get", "/api/annotations/{annotation_id}/versions/"): Rule(ANY_MEMBER, 200),
    ("post", "/api/annotations/{annotation_id}/review/"): Rule(
        REVIEWER_UP, 201, body=lambda w: {"decision": "accept", "comment": "fine"}
    ),
    # Items, gold and predictions: reviewers and up.
    ("get", "/api/projects/{project_id}/items/"): Rule(REVIEWER_UP, 200),
    ("get", "/api/projects/{project_id}/items/{item_id}/"): Rule(REVIEWER_UP, 200),
    ("get", "/api/projects/{project_id}/items/{item_id}/predictions/"): Rule(REVIEWER_UP, 200),
    # Dashboards: managers and up.
    # 202 while the figures are first computed (by a worker); 200 once they are cached. Item
    # lists are computed on the spot.
    ("get", "/api/projects/{project_id}/metrics/"): Rule(MANAGER_UP, 202),
    ("get", "/api/projects/{project_id}/metrics/items/"): Rule(MANAGER_UP, 200, query="?part=pref"),
    ("get", "/api/projects/{project_id}/leaderboard/"): Rule(MANAGER_UP, 202),
    # Exports: managers and up.
    ("get", "/api/projects/{project_id}/exports/"): Rule(MANAGER_UP, 200),
    ("post", "/api/projects/{project_id}/exports/"): Rule(
        MANAGER_UP, 202, body=lambda w: {"format": "preference"}
    ),
    ("get", "/api/exports/{export_id}/"): Rule(MANAGER_UP, 200),
    ("delete", "/api/exports/{export_id}/"): Rule(MANAGER_UP, 204),
    ("get", "/api/exports/{export_id}/download/"): Rule(MANAGER_UP, 200),
    ("get", "/api/projects/{project_id}/records/"): Rule(MANAGER_UP, 200),
    # Judges: reviewers see them, managers change them.
    ("get", "/api/judge-templates/"): Rule(SIGNED_IN, 200),
    ("get", "/api/projects/{project_id}/judges/"): Rule(REVIEWER_UP, 200),
    ("post", "/api/projects/{project_id}/judges/"): Rule(MANAGER_UP, 201, body=lambda w: JUDGE),
    ("get", "/api/judges/{judge_id}/"): Rule(REVIEWER_UP, 200),
    ("patch", "/api/judges/{judge_id}/"): Rule(MANAGER_UP, 200, body=lambda w: {"name": "rm3"}),
    ("delete", "/api/judges/{judge_id}/"): Rule(MANAGER_UP, 204),
    ("get", "/api/judges/{judge_id}/runs/"): Rule(REVIEWER_UP, 200),
    ("post", "/api/judges/{judge_id}/runs/"): Rule(MANAGER_UP, 201, body=lambda w: {}),
    ("get", "/api/judges/{judge_id}/confusion-items/"): Rule(
        MANAGER_UP, 200, query="?part=pref&people=0&predicted=0"
    ),
    ("get", "/api/judge-runs/{run_id}/"): Rule(REVIEWER_UP, 200),
    ("post", "/api/judge-runs/{run_id}/cancel/"): Rule(MANAGER_UP, 200),
    ("get", "/api/judge-runs/{run_id}/predictions/"): Rule(REVIEWER_UP, 200),
    ("get", "/api/projects/{project_id}/active-learning/"): Rule(REVIEWER_UP, 200),
    ("patch", "/api/projects/{project_id}/active-learning/"): Rule(
        MANAGER_UP, 200, body=lambda w: {"retrain_every": 25}
    ),
    ("post", "/api/projects/{project_id}/active-learning/refresh/"): Rule(MANAGER_UP, 202),
    ("post", "/api/projects/{project_id}/active-learning/retrain/"): Rule(MANAGER_UP, 202),
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    return {
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in METHODS
    }


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        else:
            found.append(route)
    return found


def api_routes() -> set[str]:
    """Every route under api/, with ``<int:name>`` written ``{name}`` as in the schema."""
    return {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _routes(get_resolver().url_patterns)
        if route.startswith("api/")
    }


def expected(rule: Rule, role: str) -> int:
    if role in rule.allowed:
        return rule.ok
    if role == "anonymous":
        return 401
    if role in ("outsider", "other_owner"):
        return 404
    return rule.below


def call(world: World, role: str, method: str, path: str, rule: Rule) -> int:
    url = path.format(**world.path_parameters()) + rule.query
    body = rule.body(world) if rule.body else None
    client = world.client(role)
    kind = "multipart" if rule.multipart else "json"
    response = (
        getattr(client, method)(url, body, format=kind) if body else getattr(client, method)(url)
    )
    return int(response.status_code)


def test_every_endpoint_has_a_rule() -> None:
    operations = schema_operations()

    assert operations - RULES.keys() == set(), "endpoints without a rule in RULES"
    assert RULES.keys() - operations == set(), "rules for endpoints that no longer exist"


def test_every_api_route_is_in_the_schema() -> None:
    documented = {path for _, path in schema_operations()}
    routes = api_routes() - {"/api/schema/", "/api/docs/"}

    assert routes - documented == set(), "routes missing from the OpenAPI schema"


@pytest.mark.parametrize(("method", "path"), sorted(RULES), ids=str)
def test_each_role_gets_the_expected_status(
    method: str, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = world_build(monkeypatch)
    rule = RULES[(method, path)]
    got = {}
    for role in ROLES:
        with transaction.atomic():
            got[role] = call(world, role, method, path, rule)
            transaction.set_rollback(True)

    assert got == {role: expected(rule, role) for role in ROLES}
