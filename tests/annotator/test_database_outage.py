"""When PostgreSQL cannot be reached, the API says so with a 503 and when to try again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from annotator.models import Annotation, Role
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down() -> Iterator[None]:
    """Point the connection at a port where nothing listens (port 1), as during an outage."""
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=1)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("points the PostgreSQL connection at a dead port")


def test_an_unreachable_database_is_a_503_with_retry_after() -> None:
    api = client_for(member(project_with_items(1), Role.ANNOTATOR))

    with database_down():
        response = api.get("/api/projects/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The database cannot be reached right now; try again in a moment.",
        "code": "database_unavailable",
    }


def test_a_submit_refused_during_an_outage_is_stored_once_after_it() -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    served = client.post(f"/api/projects/{project.pk}/next/").json()
    submit = f"/api/assignments/{served['assignment']['id']}/submit/"
    answer = {"answers": {"pref": {"winner": "a"}}}

    with database_down():
        during = client.post(submit, answer, format="json")
    after = client.post(submit, answer, format="json")
    again = client.post(submit, answer, format="json")  # the browser's retry of a lost reply

    assert during.status_code == 503
    assert after.status_code == 201, after.json()
    assert again.status_code in (200, 201)
    assert again.json()["id"] == after.json()["id"]
    assert Annotation.objects.filter(project=project).count() == 1
