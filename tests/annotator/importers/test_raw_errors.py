"""The raw layout's errors: each names its line and field, and nothing at all is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from annotator.models import AnnotationVersion, Project, Review, Role
from annotator.services.imports import ImportFailed
from tests.annotator.importers.files import counts, run_import, write_jsonl
from tests.annotator.importers.test_raw_import import QUESTIONS, raw_rows
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db

Row = dict[str, Any]


@pytest.fixture
def target() -> Project:
    return new_project(questions=QUESTIONS, overlap=2)


def failed_import(tmp_path: Path, project: Project, rows: list[Row]) -> list[dict[str, Any]]:
    """The errors of importing ``rows``, having checked that nothing was written."""
    users_before = User.objects.count()
    with pytest.raises(ImportFailed) as failed:
        run_import(project, write_jsonl(tmp_path / "export.jsonl", rows), format="raw")
    assert counts() == (0, 0, 0)
    assert (AnnotationVersion.objects.count(), Review.objects.count()) == (0, 0)
    assert User.objects.count() == users_before
    return failed.value.as_list()


def annotation(rows: list[Row], line: int, index: int) -> Row:
    entry: Row = rows[line - 1]["annotations"][index]
    return entry


def set_field(line: int, index: int, name: str, value: Any) -> Callable[[list[Row]], None]:
    def change(rows: list[Row]) -> None:
        annotation(rows, line, index)[name] = value

    return change


def test_bad_answers_name_the_question_and_field(tmp_path: Path, target: Project) -> None:
    rows = raw_rows()
    annotation(rows, 2, 0)["answers"] = {"pref": {"winner": "z"}}

    errors = failed_import(tmp_path, target, rows)

    assert errors == [
        {
            "line": 2,
            "field": "annotations[0].answers.pref.winner",
            "message": "Choose 'a' or 'b' or 'tie'.",
            "file": "export.jsonl",
        }
    ]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"nope": {"text": "x"}}, "annotations[3].answers.nope", "No such question."),
        ({"why": {"text": "x"}}, "annotations[3].answers.pref", "This question needs an answer."),
        ({"pref": "c"}, "annotations[3].answers.pref", "Expected an object."),
        ([1], "annotations[3].answers", "expected an object of answers, got a list"),
        (
            "{oops",
            "annotations[3].answers",
            "expected an object of answers, got text that is not JSON",
        ),
    ],
)
def test_answers_are_checked_against_the_project(
    tmp_path: Path, target: Project, answers: Any, field: str, message: str
) -> None:
    rows = raw_rows()
    annotation(rows, 1, 3)["answers"] = answers

    errors = failed_import(tmp_path, target, rows)

    assert [(e["line"], e["field"], e["message"]) for e in errors] == [(1, field, message)]


def test_answers_must_fit_the_candidates_shown(tmp_path: Path, target: Project) -> None:
    rows = raw_rows()
    # "a" is a candidate of the item, but ann-plain was shown only c and b.
    annotation(rows, 1, 3)["answers"] = {"pref": {"winner": "a"}}

    errors = failed_import(tmp_path, target, rows)

    assert [(e["field"], e["message"]) for e in errors] == [
        ("annotations[3].answers.pref.winner", "Choose 'c' or 'b' or 'tie'.")
    ]


@pytest.mark.parametrize(
    ("display_order", "field", "message"),
    [
        (
            ["a", "z"],
            "annotations[1].display_order[1]",
            "'z' is not a candidate of this item (a, b, c)",
        ),
        (["a", "a"], "annotations[1].display_order[1]", "candidate 'a' appears twice"),
        ("a,b", "annotations[1].display_order", "expected a list of candidate keys, got a string"),
    ],
)
def test_display_order_holds_the_items_candidate_keys(
    tmp_path: Path, target: Project, display_order: Any, field: str, message: str
) -> None:
    rows = raw_rows()
    annotation(rows, 1, 1)["display_order"] = display_order

    errors = failed_import(tmp_path, target, rows)

    assert [(e["line"], e["field"], e["message"]) for e in errors] == [(1, field, message)]


@pytest.mark.parametrize(
    ("where", "role"),
    [
        (lambda rows: annotation(rows, 2, 0), "annotator"),
        (lambda rows: annotation(rows, 1, 0)["history"][1], "edited_by"),
        (lambda rows: annotation(rows, 1, 2)["reviews"][0], "reviewer"),
    ],
)
def test_a_project_member_cannot_be_named(
    tmp_path: Path, target: Project, where: Callable[[list[Row]], Row], role: str
) -> None:
    person = member(target, Role.ANNOTATOR)
    rows = raw_rows()
    where(rows)[role] = person.username

    errors = failed_import(tmp_path, target, rows)

    field = {
        "annotator": "annotations[0].annotator",
        "edited_by": "annotations[0].history[1].edited_by",
        "reviewer": "annotations[2].reviews[0].reviewer",
    }[role]
    assert [(e["field"], e["message"]) for e in errors] == [
        (
            field,
            f"{person.username!r} is a member of this project; imported annotations must belong "
            "to users who are not",
        )
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            set_field(1, 0, "created_at", "yesterday"),
            "annotations[0].created_at",
            "expected an ISO-8601 time such as 2024-05-01T12:00:00Z, got 'yesterday'",
        ),
        (
            lambda rows: annotation(rows, 1, 0)["history"][0].update(created_at=17),
            "annotations[0].history[0].created_at",
            "expected an ISO-8601 time, got a number",
        ),
        (
            lambda rows: annotation(rows, 1, 2)["reviews"][0].update(created_at="2024-13-01"),
            "annotations[2].reviews[0].created_at",
            "expected an ISO-8601 time such as 2024-05-01T12:00:00Z, got '2024-13-01'",
        ),
        (
            set_field(1, 1, "status", "done"),
            "annotations[1].status",
            "expected one of submitted, skipped, got 'done'",
        ),
        (set_field(1, 1, "status", None), "annotations[1].status", "missing field status"),
        (
            set_field(1, 2, "review_status", "maybe"),
            "annotations[2].review_status",
            "expected one of pending, accepted, rejected, got 'maybe'",
        ),
        (
            lambda rows: annotation(rows, 1, 2)["reviews"][0].update(decision="rejected"),
            "annotations[2].reviews[0].decision",
            "expected one of accept, reject, got 'rejected'",
        ),
        (
            set_field(1, 3, "time_spent_ms", -1),
            "annotations[3].time_spent_ms",
            "expected an integer from 0 to 2147483647, got -1",
        ),
        (
            set_field(1, 3, "version", "2"),
            "annotations[3].version",
            "expected an integer, got a string",
        ),
        (
            set_field(1, 0, "version", 3),
            "annotations[0].version",
            "version 3, but the latest in history is 2",
        ),
        (
            lambda rows: annotation(rows, 1, 0)["history"][0].update(version=2),
            "annotations[0].history[1].version",
            "version 2 appears twice",
        ),
        (
            lambda rows: annotation(rows, 1, 0)["history"][1].update(answers={}),
            "annotations[0].answers",
            "differ from the answers of the latest version in history (2)",
        ),
        (
            set_field(1, 1, "answers", {"pref": {"winner": "a"}}),
            "annotations[1].answers",
            "a skipped annotation has no answers",
        ),
        (
            set_field(1, 1, "review_status", "accepted"),
            "annotations[1].review_status",
            "a skipped annotation cannot be reviewed",
        ),
        (
            set_field(1, 3, "annotator", "ann-bad"),
            "annotations[3].annotator",
            "'ann-bad' already annotated this item (annotations[2])",
        ),
        (
            set_field(1, 3, "annotator", "two words"),
            "annotations[3].annotator",
            "'two words' is not a username: use letters, digits and @ . + - _ (150 at most)",
        ),
        (
            set_field(1, 3, "is_gold", "yes"),
            "annotations[3].is_gold",
            "expected true or false, got a string",
        ),
        (set_field(1, 3, "notes", "x"), "annotations[3].notes", "unknown field notes"),
        (
            lambda rows: rows[0].update(annotations={"ann-x": {}}),
            "annotations",
            "expected a list, got an object",
        ),
        (
            lambda rows: rows[0]["candidates"][1].update(position=0),
            "candidates.1.position",
            "position 0 appears twice",
        ),
        (
            lambda rows: rows[0].update(meta="{oops"),
            "meta",
            "expected JSON, got text that is not JSON",
        ),
        (
            lambda rows: rows[0]["candidates"][2].update(meta="[1"),
            "candidates.2.meta",
            "expected JSON, got text that is not JSON",
        ),
        (
            lambda rows: rows[0].update(labels=[]),
            "labels",
            "unknown field labels in the raw layout",
        ),
    ],
)
def test_bad_fields_are_named(
    tmp_path: Path,
    target: Project,
    change: Callable[[list[Row]], None],
    field: str,
    message: str,
) -> None:
    rows = raw_rows()
    change(rows)

    errors = failed_import(tmp_path, target, rows)

    assert [(e["line"], e["field"], e["message"]) for e in errors] == [(1, field, message)]


def test_errors_on_several_lines_are_all_reported(tmp_path: Path, target: Project) -> None:
    person = member(target, Role.ANNOTATOR)
    rows = raw_rows()
    annotation(rows, 1, 0)["status"] = "done"
    annotation(rows, 2, 1)["annotator"] = person.username

    errors = failed_import(tmp_path, target, rows)

    assert [(e["line"], e["field"]) for e in errors] == [
        (1, "annotations[0].status"),
        (2, "annotations[1].annotator"),
    ]
