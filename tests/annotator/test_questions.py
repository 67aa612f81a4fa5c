"""The question schema: every kind accepted as DESIGN.md sketches it, bad input named precisely."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.questions import QuestionsInvalid, validate_questions

DESIGN_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "pref",
        "kind": "pairwise",
        "tie": True,
        "strength": ["slightly", "clearly", "much"],
        "both_bad": True,
    },
    {
        "id": "quality",
        "kind": "rating",
        "per": "candidate",
        "dimensions": [
            {"id": "helpfulness", "min": 1, "max": 5},
            {"id": "correctness", "min": 1, "max": 5},
        ],
    },
    {
        "id": "rubric",
        "kind": "rubric",
        "criteria": [{"id": "cites", "text": "Cites a source", "points": 2}],
        "item_criteria": True,
    },
    {
        "id": "flags",
        "kind": "labels",
        "options": ["unsafe", "hallucination"],
        "multiple": True,
        "per": "candidate",
    },
    {"id": "rank", "kind": "ranking"},
    {"id": "why", "kind": "text", "required": False},
]


def errors_of(raw: object) -> Any:
    with pytest.raises(QuestionsInvalid) as caught:
        validate_questions(raw)
    return caught.value.errors


def test_design_body_is_accepted_with_defaults_filled_in() -> None:
    cleaned = validate_questions(DESIGN_QUESTIONS)

    assert [q["id"] for q in cleaned] == ["pref", "quality", "rubric", "flags", "rank", "why"]
    assert cleaned[0]["pairs"] == "all"
    assert cleaned[0]["required"] is True
    assert cleaned[2]["criteria"][0]["levels"] == ["fail", "pass"]
    assert cleaned[5]["required"] is False
    assert cleaned[5]["max_length"] == 10000


def test_unknown_kind_names_the_question_and_field() -> None:
    errors = errors_of([{"id": "a", "kind": "pairwise"}, {"id": "b", "kind": "poll"}])

    assert list(errors) == ["1"]
    assert "Unknown question kind 'poll'" in errors["1"]["kind"][0]


def test_missing_kind_is_reported_on_kind() -> None:
    assert "kind" in errors_of([{"id": "a"}])["0"]


def test_duplicate_ids_are_rejected() -> None:
    errors = errors_of([{"id": "a", "kind": "text"}, {"id": "a", "kind": "ranking"}])

    assert errors == {"1": {"id": ["Duplicate question id 'a' (also question 0)."]}}


def test_rating_scale_with_min_above_max_names_the_dimension() -> None:
    errors = errors_of(
        [
            {
                "id": "q",
                "kind": "rating",
                "dimensions": [{"id": "ok", "min": 1, "max": 5}, {"id": "bad", "min": 5, "max": 1}],
            }
        ]
    )

    assert errors == {"0": {"dimensions": {"1": {"max": ["max must be greater than min (5)"]}}}}


@pytest.mark.parametrize("raw", [[], None, {"id": "a"}, "pairwise"])
def test_empty_or_non_list_questions_are_rejected(raw: object) -> None:
    assert isinstance(errors_of(raw), list)


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ({"id": "q", "kind": "rating", "dimensions": []}, "dimensions"),
        ({"id": "q", "kind": "labels", "options": []}, "options"),
        ({"id": "q", "kind": "labels", "options": ["x", "x"]}, "options"),
        ({"id": "q", "kind": "pairwise", "strength": ["a", "a"]}, "strength"),
        ({"id": "q", "kind": "rubric"}, "non_field_errors"),
        ({"id": "q", "kind": "pairwise", "color": "red"}, "color"),
        ({"id": "q", "kind": "pairwise", "tie": "maybe"}, "tie"),
        ({"id": "", "kind": "text"}, "id"),
        ({"id": "has space", "kind": "text"}, "id"),
        ({"id": "q", "kind": "text", "max_length": 0}, "max_length"),
    ],
)
def test_bad_fields_are_named(question: dict[str, Any], field: str) -> None:
    errors = errors_of([question])

    assert field in errors["0"], errors


def test_a_question_that_is_not_an_object_is_rejected() -> None:
    assert errors_of(["pairwise"]) == {"0": {"non_field_errors": ["Expected an object."]}}


def test_too_many_questions_are_rejected() -> None:
    many = [{"id": f"q{i}", "kind": "text"} for i in range(51)]

    assert errors_of(many) == ["At most 50 questions."]
