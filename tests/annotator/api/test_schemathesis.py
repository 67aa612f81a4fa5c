"""Every API operation, fuzzed from the OpenAPI schema the app serves: no 500s, and every
response (status, content type, headers, body) is one the schema documents.

The schema is loaded from the WSGI application, so a new endpoint is covered as soon as it is
routed. Calls are made by a project owner with an API token. Path parameters are often the ids
of real objects in that project, so calls reach serializers and services rather than only 404s;
sometimes ids of another project's objects, which must stay hidden; sometimes whatever
Schemathesis generates. Request bodies are Schemathesis's, or for the operations whose rules no
schema can state (answers that fit the project's questions, a username that exists), a valid one.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from annotator.wsgi import application
from tests.annotator.api.api_objects import ITEMS, ApiObjects, answers, native_line, objects_build
from tests.factories import PASSWORD

# On PostgreSQL and Redis, as CI runs it: every call to every operation takes several minutes on
# the embedded stack (SQLite and its broker), too long to run there too.
pytestmark = [pytest.mark.django_db, pytest.mark.services]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

# A request the schema allows can still break a rule no schema states: a username that must
# exist, a comment that a rejection needs, `until` after `since`, a question the project has.
# Those 400s are right, so "schema-valid requests are accepted" is not checked; the reverse
# (requests the schema forbids are rejected) and every check on the responses are.
NOT_CHECKED: list[schemathesis.CheckFunction] = [positive_data_acceptance]

# The browser's CSRF pair: only the session sign-in checks it (token calls are exempt).
CSRF = "k" * 32

# Whose ids replace the generated path parameters: the caller's own objects (twice as often),
# another project's, or none. Half the time, an operation with a body in `valid_bodies` gets it.
TARGETS = ["own", "own", "foreign", "generated"]


def valid_bodies(own: ApiObjects) -> dict[str, Any]:
    """A request body each of these operations accepts, for the owner's objects."""
    return {
        "POST /api/auth/token/": {"username": own.owner.username, "password": PASSWORD},
        "POST /api/auth/login/": {"username": own.owner.username, "password": PASSWORD},
        "PATCH /api/projects/{project_id}/": {"guidelines": "Be brief.", "overlap": 3},
        "POST /api/projects/{project_id}/members/": {
            "username": own.outsider.username,
            "role": "reviewer",
        },
        "PATCH /api/projects/{project_id}/members/{member_id}/": {"role": "manager"},
        "POST /api/projects/{project_id}/import/": {
            "file": [native_line(ITEMS + 1)],
            "format": "native",
            "file_type": "jsonl",
        },
        "POST /api/assignments/{assignment_id}/submit/": {
            "answers": answers(["b", "a"]),
            "time_spent_ms": 3100,
        },
        "PATCH /api/annotations/{annotation_id}/": {
            "answers": answers(["a", "b"]),
            "time_spent_ms": 900,
        },
        "POST /api/annotations/{annotation_id}/review/": {
            "decision": "reject",
            "comment": "The rubric was misread.",
        },
        "POST /api/projects/{project_id}/judges/": {
            "name": "second-opinion",
            "kind": "reward_model",
            "config": {"model": "/models/other"},
            "questions": ["pref"],
        },
        "PATCH /api/judges/{judge_id}/": {"name": "renamed", "questions": ["pref"]},
        "POST /api/judges/{judge_id}/runs/": {"scope": {"kind": "unlabeled"}},
        "POST /api/projects/{project_id}/exports/": {"format": "raw", "file_type": "jsonl"},
    }


@contextmanager
def _undone() -> Iterator[None]:
    """Run requests in a savepoint that is rolled back, on the test's own database connection.

    Django's WSGI handler closes the connection around each request, which would end the test's
    transaction; its test client disconnects the same receivers for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            try:
                yield
            finally:
                transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _pick(case: schemathesis.Case[Any]) -> int:
    """A number that depends only on the generated request, so that a replayed case (when
    Hypothesis shrinks a failure) is edited the same way. Hypothesis's own draws are not used:
    extra strategies (`schema.given`) would turn off Schemathesis's coverage phase."""
    return zlib.crc32(repr((case.method, case.path_parameters, case.query, case.body)).encode())


def _path_is_valid(case: schemathesis.Case[Any]) -> bool:
    """Whether the generated path parameters are valid ones (not made invalid on purpose)."""
    info = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
    return info is None or info.mode.is_positive


@dataclass(frozen=True)
class Caller:
    """The owner's API token, the ids to put in paths, and bodies that are valid for them."""

    token: str
    ids: dict[str, dict[str, Any]]
    bodies: dict[str, Any]


@pytest.fixture
def caller() -> Caller:
    owned = objects_build("owned")
    foreign = objects_build("someone else's")
    # The token comes from the API, as a script would get it.
    response = APIClient().post(
        "/api/auth/token/",
        {"username": owned.owner.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    token = str(response.json()["token"])
    _, other_token = AuthToken.objects.create(user=foreign.owner)
    key_length = CONSTANTS.TOKEN_KEY_LENGTH
    return Caller(
        token=token,
        ids={
            "own": {**owned.ids, "token_key": token[:key_length]},
            "foreign": {**foreign.ids, "token_key": other_token[:key_length]},
        },
        bodies=valid_bodies(owned),
    )


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_operation_answers_as_its_schema_documents(
    case: schemathesis.Case[Any], caller: Caller
) -> None:
    # Schemathesis notices these edits and judges the request by what is sent.
    pick = _pick(case)
    target = TARGETS[pick % len(TARGETS)]
    # A path made invalid on purpose (a string for an id) stays, so it is still rejected.
    if target != "generated" and case.path_parameters and _path_is_valid(case):
        ids = caller.ids[target]
        case.path_parameters = {
            name: ids.get(name, value) for name, value in case.path_parameters.items()
        }
    body = caller.bodies.get(case.operation.label)
    if body is not None and pick // len(TARGETS) % 2:
        case.body = body
        # A generated case may have left its optional body out, and with it the media type.
        case.media_type = case.media_type or next(iter(case.operation.body)).media_type
    headers = {"Authorization": f"Token {caller.token}", "X-CSRFToken": CSRF}
    # Each call starts from the same objects: a DELETE or a PATCH is undone before the next one.
    with _undone():
        response = case.call(headers=headers, cookies={"csrftoken": CSRF})
        case.validate_response(response, headers=headers, excluded_checks=NOT_CHECKED)
