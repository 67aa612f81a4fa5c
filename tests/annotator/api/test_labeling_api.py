"""The labeling API as the browser and scripts use it: next, submit, skip, edit, review, lists."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.models import Annotation, AnnotationVersion, Item, Review, Role
from tests.annotator.labeling import client_for, pick_first, project_with_items
from tests.factories import member, new_user

pytestmark = pytest.mark.django_db


def next_item(client: Any, project_id: int) -> Any:
    return client.post(f"/api/projects/{project_id}/next/")


def submit(client: Any, body: dict[str, Any], answers: dict[str, Any] | None = None) -> Any:
    return client.post(
        f"/api/assignments/{body['assignment']['id']}/submit/",
        {"answers": answers or pick_first(body), "time_spent_ms": 1234},
        format="json",
    )


def test_next_returns_the_item_in_display_order_without_model_names_when_blind() -> None:
    project = project_with_items(1, blind=True, guidelines="Be *careful*")
    client = client_for(member(project, Role.ANNOTATOR))

    response = next_item(client, project.pk)

    assert response.status_code == 200
    body = response.json()
    assert sorted(c["id"] for c in body["candidates"]) == ["a", "b"]
    assert all(c["model"] is None for c in body["candidates"])
    assert body["item"]["meta"] == {}
    assert body["guidelines"] == "Be *careful*"
    assert body["questions"][0]["id"] == "pref"
    assert body["progress"] == {"submitted_by_me": 0, "open_items": 1}
    assert "gold" not in body["item"]


def test_model_names_are_shown_when_the_project_is_not_blind() -> None:
    project = project_with_items(1, blind=False)
    body = next_item(client_for(member(project, Role.ANNOTATOR)), project.pk).json()

    assert sorted(c["model"] for c in body["candidates"]) == ["m0", "m1"]


def test_submit_then_204_when_nothing_is_left() -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    body = next_item(client, project.pk).json()

    created = submit(client, body)
    replay = submit(client, body)

    assert created.status_code == 201
    assert replay.status_code == 200
    assert replay.json()["id"] == created.json()["id"]
    assert created.json()["time_spent_ms"] == 1234
    assert next_item(client, project.pk).status_code == 204


@pytest.mark.parametrize(
    ("answers", "path"),
    [
        ({"pref": {"winner": "z"}}, ["answers", "pref", "winner"]),
        ({}, ["answers", "pref", "non_field_errors"]),
        ({"pref": {"winner": "a"}, "extra": {}}, ["answers", "extra"]),
    ],
)
def test_bad_answers_get_400_naming_the_question_and_field(
    answers: dict[str, Any], path: list[str]
) -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    body = next_item(client, project.pk).json()

    response = client.post(
        f"/api/assignments/{body['assignment']['id']}/submit/", {"answers": answers}, format="json"
    )

    assert response.status_code == 400
    node: Any = response.json()
    for key in path:
        node = node[key]
    assert Annotation.objects.count() == 0


@pytest.mark.parametrize(
    "payload", [{"answers": {"pref": {"winner": "a"}}, "time_spent_ms": -1}, {"time_spent_ms": 5}]
)
def test_bad_submit_bodies_get_400(payload: dict[str, Any]) -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    body = next_item(client, project.pk).json()

    response = client.post(
        f"/api/assignments/{body['assignment']['id']}/submit/", payload, format="json"
    )

    assert response.status_code == 400


def test_someone_elses_assignment_is_404() -> None:
    project = project_with_items(1)
    body = next_item(client_for(member(project, Role.ANNOTATOR)), project.pk).json()
    intruder = client_for(member(project, Role.MANAGER))

    response = submit(intruder, body)

    assert response.status_code == 404
    assert intruder.post(f"/api/assignments/{body['assignment']['id']}/skip/").status_code == 404


def test_skip_then_submit_is_a_conflict() -> None:
    project = project_with_items(2)
    client = client_for(member(project, Role.ANNOTATOR))
    body = next_item(client, project.pk).json()

    skipped = client.post(f"/api/assignments/{body['assignment']['id']}/skip/")
    late = submit(client, body)

    assert skipped.status_code == 200
    assert skipped.json()["status"] == "skipped"
    assert late.status_code == 409


def test_next_for_non_members_is_404_and_anonymous_401() -> None:
    project = project_with_items(1)

    assert next_item(client_for(new_user()), project.pk).status_code == 404
    assert next_item(APIClient(), project.pk).status_code == 401


def test_edit_keeps_every_version() -> None:
    project = project_with_items(1)
    annotator = member(project, Role.ANNOTATOR)
    client = client_for(annotator)
    body = next_item(client, project.pk).json()
    annotation_id = submit(client, body).json()["id"]
    other = body["candidates"][1]["id"]

    edited = client.patch(
        f"/api/annotations/{annotation_id}/",
        {"answers": {"pref": {"winner": other}}, "time_spent_ms": 100},
        format="json",
    )

    assert edited.status_code == 200
    assert edited.json()["version"] == 2
    assert edited.json()["answers"] == {"pref": {"winner": other}}
    history = client.get(f"/api/annotations/{annotation_id}/versions/").json()
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["answers"] == pick_first(body)
    assert AnnotationVersion.objects.count() == 2


def test_a_bad_edit_changes_nothing() -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    body = next_item(client, project.pk).json()
    annotation_id = submit(client, body).json()["id"]

    response = client.patch(
        f"/api/annotations/{annotation_id}/", {"answers": {"pref": {"winner": "q"}}}, format="json"
    )

    assert response.status_code == 400
    assert Annotation.objects.get().version == 1


def test_annotators_see_only_their_own_annotations() -> None:
    project = project_with_items(2, overlap=2)
    first, second = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    for person in (first, second):
        client = client_for(person)
        submit(client, next_item(client, project.pk).json())
    mine = Annotation.objects.get(annotator=first)
    theirs = Annotation.objects.get(annotator=second)
    client = client_for(first)

    listed = client.get(f"/api/projects/{project.pk}/annotations/").json()["results"]

    assert [a["id"] for a in listed] == [mine.pk]
    assert client.get(f"/api/annotations/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/annotations/{theirs.pk}/versions/").status_code == 404
    assert (
        client.patch(f"/api/annotations/{theirs.pk}/", {"answers": {}}, format="json").status_code
        == 404
    )
    reviewer = client_for(member(project, Role.REVIEWER))
    all_rows = reviewer.get(f"/api/projects/{project.pk}/annotations/").json()["results"]
    assert len(all_rows) == 2
    assert (
        reviewer.patch(f"/api/annotations/{theirs.pk}/", {"answers": {}}, format="json").status_code
        == 403
    )


def test_rejecting_returns_the_item_to_the_pool_for_one_more_annotation() -> None:
    project = project_with_items(1, overlap=1)
    first = client_for(member(project, Role.ANNOTATOR))
    annotation_id = submit(first, next_item(first, project.pk).json()).json()["id"]
    second = client_for(member(project, Role.ANNOTATOR))
    assert next_item(second, project.pk).status_code == 204
    reviewer = client_for(member(project, Role.REVIEWER))

    no_comment = reviewer.post(
        f"/api/annotations/{annotation_id}/review/", {"decision": "reject"}, format="json"
    )
    rejected = reviewer.post(
        f"/api/annotations/{annotation_id}/review/",
        {"decision": "reject", "comment": "Picked the wrong answer."},
        format="json",
    )

    assert no_comment.status_code == 400
    assert rejected.status_code == 201
    assert Annotation.objects.get(pk=annotation_id).review_status == "rejected"
    assert not Item.objects.get().done
    body = next_item(second, project.pk).json()
    assert submit(second, body).status_code == 201
    assert Item.objects.get().done
    assert Review.objects.get().comment == "Picked the wrong answer."


def test_only_reviewers_and_up_review() -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.ANNOTATOR))
    annotation_id = submit(client, next_item(client, project.pk).json()).json()["id"]

    response = client.post(
        f"/api/annotations/{annotation_id}/review/", {"decision": "accept"}, format="json"
    )

    assert response.status_code == 403


def test_item_browser_filters_and_hides_from_annotators() -> None:
    project = project_with_items(3, blind=True)
    Item.objects.filter(external_id="item-00001").update(done=True, annotation_count=1)
    reviewer = client_for(member(project, Role.REVIEWER))

    open_items = reviewer.get(f"/api/projects/{project.pk}/items/?status=open").json()
    done = reviewer.get(f"/api/projects/{project.pk}/items/?status=done&min_annotations=1").json()
    by_model = reviewer.get(f"/api/projects/{project.pk}/items/?model=m1").json()

    assert open_items["count"] == 2
    assert [i["external_id"] for i in done["results"]] == ["item-00001"]
    assert by_model["count"] == 3
    assert by_model["results"][0]["candidates"][0]["model"] == "m0"
    assert reviewer.get(f"/api/projects/{project.pk}/items/?status=maybe").status_code == 400
    assert reviewer.get(f"/api/projects/{project.pk}/items/?min_annotations=x").status_code == 400
    annotator = client_for(member(project, Role.ANNOTATOR))
    assert annotator.get(f"/api/projects/{project.pk}/items/").status_code == 403


def test_gold_accuracy_per_annotator() -> None:
    project = project_with_items(3, gold_rate=1.0)
    Item.objects.filter(external_id__in=["item-00000", "item-00001"]).update(
        gold={"pref": {"winner": "a"}}
    )
    person = member(project, Role.ANNOTATOR)
    client = client_for(person)
    for winner in ("a", "b"):
        body = next_item(client, project.pk).json()
        submit(client, body, {"pref": {"winner": winner}})

    rows = (
        client_for(member(project, Role.REVIEWER)).get(f"/api/projects/{project.pk}/gold/").json()
    )

    assert rows == [{"annotator": person.username, "answered": 2, "correct": 1, "accuracy": 0.5}]


def test_next_can_fetch_ahead() -> None:
    project = project_with_items(3)
    client = client_for(member(project, Role.ANNOTATOR))
    current = next_item(client, project.pk).json()

    ahead = client.post(f"/api/projects/{project.pk}/next/?after={current['assignment']['id']}")
    bad = client.post(f"/api/projects/{project.pk}/next/?after=first")

    assert ahead.status_code == 200
    assert ahead.json()["item"]["id"] != current["item"]["id"]
    assert bad.status_code == 400
