"""Many annotators at once against a real server: overlap exact, nothing lost."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from django.db import connection

from annotator.models import Annotation, AnnotationStatus, Item, Role
from tests.annotator.labeling import project_with_items
from tests.factories import PASSWORD, member
from tests.stack import web_process

pytestmark = pytest.mark.django_db(transaction=True)

OVERLAP = 3


def label_until_done(base_url: str, username: str, project_id: int) -> list[int]:
    """One annotator's loop: next, submit, until the server says nothing is left."""
    stored: list[int] = []
    with httpx.Client(base_url=base_url, timeout=60) as client:
        token = client.post(
            "/api/auth/token/", json={"username": username, "password": PASSWORD}
        ).json()["token"]
        client.headers["Authorization"] = f"Token {token}"
        while True:
            handed = client.post(f"/api/projects/{project_id}/next/")
            if handed.status_code == 204:
                return stored
            assert handed.status_code == 200, handed.text
            body = handed.json()
            answers = {"pref": {"winner": body["candidates"][0]["id"]}}
            done = client.post(
                f"/api/assignments/{body['assignment']['id']}/submit/",
                json={"answers": answers, "time_spent_ms": 10},
            )
            assert done.status_code == 201, done.text
            stored.append(done.json()["id"])


def test_many_annotators_at_once_get_exactly_overlap_labels_per_item(log_dir: Path) -> None:
    # PostgreSQL: 24 annotators on 500 items. SQLite serialises writers, so a smaller run there
    # shows the same guarantees without taking minutes.
    on_postgres = connection.vendor == "postgresql"
    items, annotators = (500, 24) if on_postgres else (60, 8)
    project = project_with_items(items, overlap=OVERLAP, assignment="random")
    people = [member(project, Role.ANNOTATOR) for _ in range(annotators)]

    with web_process(log_dir) as base_url, ThreadPoolExecutor(annotators) as pool:
        results = list(
            pool.map(lambda p: label_until_done(base_url, p.username, project.pk), people)
        )

    acknowledged = [annotation for stored in results for annotation in stored]
    rows = Annotation.objects.filter(project=project, status=AnnotationStatus.SUBMITTED)
    assert len(acknowledged) == items * OVERLAP
    assert set(rows.values_list("pk", flat=True)) == set(acknowledged)  # none lost, none extra
    per_item = Counter(rows.values_list("item_id", flat=True))
    assert set(per_item.values()) == {OVERLAP}
    assert len(per_item) == items
    distinct = rows.values("item_id", "annotator_id").distinct().count()
    assert distinct == items * OVERLAP  # never two from the same person
    assert Item.objects.filter(project=project, done=False).count() == 0
    assert sum(1 for stored in results if stored) > annotators // 2  # the work was shared
