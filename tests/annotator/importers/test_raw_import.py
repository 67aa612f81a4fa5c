"""The raw layout: a project's items and annotations imported into another project."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.importers.layouts import detect
from annotator.models import (
    Annotation,
    AnnotationVersion,
    Item,
    Membership,
    Project,
    Review,
    Role,
)
from tests.annotator.importers.files import counts, run_import, write_jsonl, write_parquet
from tests.annotator.importers.test_import_api import as_user, jsonl_upload, url
from tests.factories import member, new_project, new_user

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"id": "pref", "kind": "pairwise", "tie": True},
    {"id": "why", "kind": "text", "required": False},
]
T0 = "2024-03-01T09:00:00Z"
T1 = "2024-03-01T09:05:00+00:00"
T2 = "2024-03-02T14:30:00Z"
T3 = "2024-03-03T08:00:00Z"


def _candidate(key: str, text: str, model: str, position: int) -> dict[str, Any]:
    return {
        "id": key,
        "text": text,
        "model": model,
        "meta": {"tokens": len(text)},
        "position": position,
    }


def raw_rows() -> list[dict[str, Any]]:
    """Item ``q1`` (three candidates, overlap-counted annotations) and gold item ``q2``.

    On ``q1``: ann-edited (accepted, edited once: two versions), ann-skip (skipped), ann-bad
    (rejected with a comment), ann-plain (pending, no history given). On ``q2``: a gold
    annotation and a reference one. With overlap 2, ``q1`` counts 2 and is done; ``q2`` counts 0.
    """
    return copy.deepcopy(
        [
            {
                "external_id": "q1",
                "prompt": [{"role": "user", "content": "Which answer is better?"}],
                "candidates": [
                    _candidate("a", "first answer", "m1", 0),
                    _candidate("b", "second answer", "m2", 1),
                    _candidate("c", "third", "m3", 2),
                ],
                "meta": {"topic": "general"},
                "rubric": [],
                "gold": None,
                "annotations": [
                    {
                        "annotator": "ann-edited",
                        "status": "submitted",
                        "answers": {"pref": {"winner": "a"}, "why": {"text": "clearer"}},
                        "display_order": ["b", "a"],
                        "time_spent_ms": 9000,
                        "version": 2,
                        "review_status": "accepted",
                        "is_gold": False,
                        "is_reference": False,
                        "created_at": T0,
                        "updated_at": T2,
                        "history": [
                            {
                                "version": 1,
                                "answers": {"pref": {"winner": "b"}},
                                "time_spent_ms": 5000,
                                "edited_by": "ann-edited",
                                "created_at": T0,
                            },
                            {
                                "version": 2,
                                "answers": {"pref": {"winner": "a"}, "why": {"text": "clearer"}},
                                "time_spent_ms": 4000,
                                "edited_by": "rev-lead",
                                "created_at": T2,
                            },
                        ],
                        "reviews": [
                            {
                                "reviewer": "rev-lead",
                                "decision": "accept",
                                "comment": "fixed after a second look",
                                "created_at": T3,
                            }
                        ],
                    },
                    {
                        "annotator": "ann-skip",
                        "status": "skipped",
                        "answers": {},
                        "display_order": ["c", "a"],
                        "time_spent_ms": 0,
                        "version": 1,
                        "review_status": "pending",
                        "is_gold": False,
                        "is_reference": False,
                        "created_at": T1,
                        "updated_at": T1,
                        "history": [
                            {
                                "version": 1,
                                "answers": {},
                                "time_spent_ms": 0,
                                "edited_by": "ann-skip",
                                "created_at": T1,
                            }
                        ],
                        "reviews": [],
                    },
                    {
                        "annotator": "ann-bad",
                        "status": "submitted",
                        "answers": {"pref": {"winner": "tie"}},
                        "display_order": ["a", "c"],
                        "time_spent_ms": 700,
                        "version": 1,
                        "review_status": "rejected",
                        "is_gold": False,
                        "is_reference": False,
                        "created_at": T1,
                        "updated_at": T3,
                        "history": [
                            {
                                "version": 1,
                                "answers": {"pref": {"winner": "tie"}},
                                "time_spent_ms": 700,
                                "edited_by": None,
                                "created_at": T1,
                            }
                        ],
                        "reviews": [
                            {
                                "reviewer": "rev-lead",
                                "decision": "reject",
                                "comment": "answered in under a second",
                                "created_at": T3,
                            }
                        ],
                    },
                    {
                        "annotator": "ann-plain",
                        "status": "submitted",
                        "answers": {"pref": {"winner": "c"}},
                        "display_order": ["c", "b"],
                        "time_spent_ms": 3100,
                        "version": 1,
                        "review_status": "pending",
                        "is_gold": False,
                        "is_reference": False,
                        "created_at": T2,
                        "updated_at": T2,
                        "history": [],
                        "reviews": [],
                    },
                ],
                "predictions": [{"judge": "j1", "answers": {"pref": {"winner": "a"}}}],
            },
            {
                "external_id": "q2",
                "prompt": [{"role": "user", "content": "A gold question"}],
                "candidates": [
                    _candidate("a", "right", "m1", 0),
                    _candidate("b", "wrong", "m2", 1),
                ],
                "meta": {"topic": "gold"},
                "rubric": [],
                "gold": {"pref": {"winner": "a"}},
                "annotations": [
                    {
                        "annotator": "ann-edited",
                        "status": "submitted",
                        "answers": {"pref": {"winner": "a"}},
                        "display_order": ["a", "b"],
                        "time_spent_ms": 1200,
                        "version": 1,
                        "review_status": "pending",
                        "is_gold": True,
                        "is_reference": False,
                        "created_at": T1,
                        "updated_at": T1,
                        "history": [],
                        "reviews": [],
                    },
                    {
                        "annotator": "source-labels",
                        "status": "submitted",
                        "answers": {"pref": {"winner": "a"}},
                        "display_order": ["a", "b"],
                        "time_spent_ms": 0,
                        "version": 1,
                        "review_status": "accepted",
                        "is_gold": False,
                        "is_reference": True,
                        "created_at": T0,
                        "updated_at": T0,
                        "history": [],
                        "reviews": [],
                    },
                ],
                "predictions": [],
            },
        ]
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def target() -> Project:
    return new_project(questions=QUESTIONS, overlap=2)


def by_annotator(item: str) -> dict[str, Annotation]:
    return {
        a.annotator.username: a
        for a in Annotation.objects.filter(item__external_id=item).select_related("annotator")
    }


def assert_reproduced(project: Project) -> None:
    """Everything ``raw_rows`` holds is in ``project``, field by field."""
    q1 = Item.objects.get(project=project, external_id="q1")
    assert [(c.key, c.text, c.model_name, c.position) for c in q1.candidates.all()] == [
        ("a", "first answer", "m1", 0),
        ("b", "second answer", "m2", 1),
        ("c", "third", "m3", 2),
    ]
    assert q1.meta == {"topic": "general"}
    assert q1.prompt == [{"role": "user", "content": "Which answer is better?"}]
    q1_annotations = by_annotator("q1")
    assert set(q1_annotations) == {"ann-edited", "ann-skip", "ann-bad", "ann-plain"}

    edited = q1_annotations["ann-edited"]
    assert edited.answers == {"pref": {"winner": "a"}, "why": {"text": "clearer"}}
    assert edited.display_order == ["b", "a"]
    assert (edited.status, edited.review_status, edited.version) == ("submitted", "accepted", 2)
    assert (edited.time_spent_ms, edited.is_gold, edited.is_reference) == (9000, False, False)
    assert edited.assignment_id is None
    assert (edited.created_at, edited.updated_at) == (at(T0), at(T2))
    versions = list(edited.versions.select_related("edited_by"))
    assert [
        (v.version, v.answers, v.time_spent_ms, v.edited_by.username if v.edited_by else None)
        for v in versions
    ] == [
        (1, {"pref": {"winner": "b"}}, 5000, "ann-edited"),
        (2, {"pref": {"winner": "a"}, "why": {"text": "clearer"}}, 4000, "rev-lead"),
    ]
    assert [v.created_at for v in versions] == [at(T0), at(T2)]
    review = edited.reviews.select_related("reviewer").get()
    assert review.reviewer is not None
    assert review.reviewer.username == "rev-lead"
    assert (review.decision, review.comment, review.created_at) == (
        "accept",
        "fixed after a second look",
        at(T3),
    )

    skipped = q1_annotations["ann-skip"]
    assert (skipped.status, skipped.answers, skipped.display_order) == ("skipped", {}, ["c", "a"])
    assert list(skipped.versions.values_list("version", "answers")) == [(1, {})]

    rejected = q1_annotations["ann-bad"]
    assert (rejected.review_status, rejected.answers) == ("rejected", {"pref": {"winner": "tie"}})
    assert list(rejected.reviews.values_list("decision", "comment")) == [
        ("reject", "answered in under a second")
    ]
    assert rejected.versions.get().edited_by is None

    plain = q1_annotations["ann-plain"]
    # No history given: the current answers are its one version.
    assert list(plain.versions.values_list("version", "answers", "time_spent_ms")) == [
        (1, {"pref": {"winner": "c"}}, 3100)
    ]
    assert plain.versions.get().edited_by == plain.annotator
    assert plain.versions.get().created_at == at(T2)

    q2_annotations = by_annotator("q2")
    assert q2_annotations["ann-edited"].is_gold
    assert q2_annotations["source-labels"].is_reference
    assert (q2_annotations["ann-edited"].created_at, q2_annotations["ann-edited"].updated_at) == (
        at(T1),
        at(T1),
    )

    # Counted: submitted, not rejected, not gold, not reference (ann-edited and ann-plain).
    assert (q1.annotation_count, q1.done) == (2, True)
    q2 = Item.objects.get(project=project, external_id="q2")
    assert (q2.annotation_count, q2.done, q2.gold) == (0, False, {"pref": {"winner": "a"}})

    assert AnnotationVersion.objects.count() == 7
    assert Review.objects.count() == 2
    for name in ("ann-edited", "ann-skip", "ann-bad", "ann-plain", "rev-lead", "source-labels"):
        user = User.objects.get(username=name)
        assert not user.has_usable_password()
        assert not Membership.objects.filter(user=user).exists()


def json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def with_json_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as a raw export writes them to Parquet: free-form fields as JSON text."""
    out = []
    for row in copy.deepcopy(rows):
        for name in ("meta", "rubric", "gold"):
            row[name] = json_text(row[name])
        for candidate in row["candidates"]:
            candidate["meta"] = json_text(candidate["meta"])
        for annotation in row["annotations"]:
            annotation["answers"] = json_text(annotation["answers"])
            for version in annotation["history"]:
                version["answers"] = json_text(version["answers"])
        row["predictions"] = [{"judge": "j1", "value": '{"winner": "a"}'}]
        out.append(row)
    return out


@pytest.mark.parametrize("kind", ["jsonl", "parquet", "parquet-json-text"])
def test_a_raw_export_is_reproduced(tmp_path: Path, target: Project, kind: str) -> None:
    if kind == "jsonl":
        path = write_jsonl(tmp_path / "export.jsonl", raw_rows())
    else:
        # Nested objects as Parquet structs (every row gets every key, null where it had
        # none), or as JSON text, the way a raw export writes them.
        rows = raw_rows() if kind == "parquet" else with_json_text(raw_rows())
        path = write_parquet(tmp_path / "export.parquet", rows)

    result = run_import(target, path, format="raw")

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    assert (result.format, result.annotations, result.references) == ("raw", 6, 0)
    assert_reproduced(target)


def test_auto_detects_raw_when_rows_carry_an_annotations_list(
    tmp_path: Path, target: Project
) -> None:
    rows = raw_rows()
    rows[0]["annotations"] = []  # the first row decides, and an empty list is enough

    result = run_import(target, write_jsonl(tmp_path / "export.jsonl", rows))

    assert (result.format, result.created, result.annotations) == ("raw", 2, 2)
    native = {"prompt": "p", "candidates": [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]}
    assert detect(native) == "native"
    assert detect({**native, "annotations": None}) == "native"


def test_reimporting_the_same_export_writes_nothing(tmp_path: Path, target: Project) -> None:
    path = write_jsonl(tmp_path / "export.jsonl", raw_rows())
    run_import(target, path)
    before = sorted(Annotation.objects.values_list("pk", "item_id", "annotator_id", "updated_at"))

    again = run_import(target, path)

    assert (again.created, again.unchanged, again.annotations) == (0, 2, 0)
    assert (
        sorted(Annotation.objects.values_list("pk", "item_id", "annotator_id", "updated_at"))
        == before
    )
    assert (AnnotationVersion.objects.count(), Review.objects.count()) == (7, 2)
    assert_reproduced(target)


def test_an_existing_user_who_is_not_a_member_is_reused(tmp_path: Path, target: Project) -> None:
    person = new_user(username="ann-plain")
    other_project = new_project()
    Membership.objects.create(project=other_project, user=person, role=Role.ANNOTATOR)

    run_import(target, write_jsonl(tmp_path / "export.jsonl", raw_rows()))

    assert Annotation.objects.get(item__external_id="q1", annotator=person).answers == {
        "pref": {"winner": "c"}
    }
    person.refresh_from_db()
    assert person.has_usable_password()
    assert not Membership.objects.filter(project=target, user=person).exists()


def test_a_later_export_adds_only_the_new_annotations(tmp_path: Path, target: Project) -> None:
    rows = raw_rows()
    late = rows[0]["annotations"].pop()
    run_import(target, write_jsonl(tmp_path / "early.jsonl", rows))
    q1 = Item.objects.get(external_id="q1")
    assert (q1.annotation_count, q1.done) == (1, False)
    rows[0]["annotations"].append(late)

    result = run_import(target, write_jsonl(tmp_path / "late.jsonl", rows))

    assert (result.unchanged, result.annotations) == (2, 1)
    q1.refresh_from_db()
    assert (q1.annotation_count, q1.done) == (2, True)
    assert Annotation.objects.count() == 6


def test_an_item_without_annotations_and_predictions_alone(tmp_path: Path, target: Project) -> None:
    row = raw_rows()[1]
    row["annotations"] = []
    row["predictions"] = [{"judge": "anything", "whatever": [1, 2]}]

    result = run_import(target, write_jsonl(tmp_path / "one.jsonl", [row]), format="raw")

    assert (result.created, result.annotations) == (1, 0)
    assert counts() == (1, 2, 0)


def test_answers_given_as_json_text_and_naive_times(tmp_path: Path, target: Project) -> None:
    row = raw_rows()[1]
    row["annotations"] = [
        {
            "annotator": "ann-x",
            "status": "submitted",
            "answers": '{"pref": {"winner": "b"}}',
            "display_order": ["b", "a"],
            "created_at": "2024-05-01T12:00:00",
        }
    ]

    run_import(target, write_parquet(tmp_path / "one.parquet", [row]), format="raw")

    annotation = Annotation.objects.get()
    assert annotation.answers == {"pref": {"winner": "b"}}
    assert annotation.created_at == at("2024-05-01T12:00:00+00:00")
    assert (annotation.version, annotation.review_status, annotation.time_spent_ms) == (
        1,
        "pending",
        0,
    )


def test_the_api_takes_raw_and_reports_annotations(target: Project) -> None:
    upload: SimpleUploadedFile = jsonl_upload(raw_rows(), name="export.jsonl")
    response = as_user(member(target, Role.MANAGER)).post(
        url(target), {"file": upload, "format": "raw"}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    body: dict[str, Any] = response.json()
    assert (body["format"], body["created"], body["annotations"]) == ("raw", 2, 6)
