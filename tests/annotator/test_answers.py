"""Answer validation for every question kind: canonical values in, precise errors out."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.answers import AnswersInvalid, validate_answers
from annotator.questions import validate_questions

QUESTIONS = validate_questions(
    [
        {
            "id": "pref",
            "kind": "pairwise",
            "strength": ["slightly", "clearly", "much"],
            "both_bad": True,
        },
        {"id": "rank", "kind": "ranking", "required": False},
        {
            "id": "quality",
            "kind": "rating",
            "dimensions": [
                {"id": "helpfulness", "min": 1, "max": 5},
                {"id": "safety", "min": 0, "max": 1, "step": 0.5},
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
        {"id": "topic", "kind": "labels", "options": ["code", "math"], "required": False},
        {"id": "why", "kind": "text", "required": False, "max_length": 20},
    ]
)
KEYS = ["b", "a"]  # display order: canonical ids, whatever the order shown
ITEM_CRITERIA = [
    {"id": "risk", "text": "Mentions the risk", "points": 1, "levels": ["no", "partly", "yes"]}
]
GOOD: dict[str, Any] = {
    "pref": {"winner": "a", "strength": 2, "both_bad": False},
    "rank": {"order": [["a"], ["b"]]},
    "quality": {
        "scores": {"a": {"helpfulness": 4, "safety": 1}, "b": {"helpfulness": 2, "safety": 0.5}}
    },
    "rubric": {
        "criteria": {"a": {"cites": "pass", "risk": "partly"}, "b": {"cites": "fail", "risk": "no"}}
    },
    "flags": {"labels": {"a": [], "b": ["hallucination", "unsafe"]}},
    "why": {"text": "a is right"},
}


def check(answers: dict[str, Any], keys: list[str] = KEYS) -> dict[str, Any]:
    return validate_answers(
        questions=QUESTIONS, candidate_keys=keys, item_criteria=ITEM_CRITERIA, answers=answers
    )


def errors(answers: dict[str, Any], keys: list[str] = KEYS) -> dict[str, Any]:
    with pytest.raises(AnswersInvalid) as caught:
        check(answers, keys)
    return caught.value.errors


def test_a_full_answer_is_accepted_and_rubric_totals_are_derived() -> None:
    cleaned = check(GOOD)

    assert cleaned["pref"] == {"winner": "a", "strength": 2, "both_bad": False}
    assert cleaned["rubric"]["totals"] == {"a": 2.5, "b": 0.0}
    assert cleaned["flags"]["labels"]["b"] == ["hallucination", "unsafe"]
    assert "topic" not in cleaned  # optional and not answered


def test_optional_questions_may_be_left_out_but_required_ones_may_not() -> None:
    minimal = {k: GOOD[k] for k in ("pref", "quality", "rubric", "flags")}
    assert set(check(minimal)) == {"pref", "quality", "rubric", "flags"}

    assert errors({k: v for k, v in minimal.items() if k != "quality"}) == {
        "quality": {"non_field_errors": ["This question needs an answer."]}
    }


@pytest.mark.parametrize(
    ("question", "value", "field"),
    [
        ("pref", {"winner": "c"}, "winner"),
        ("pref", {"winner": 0}, "winner"),
        ("pref", {"winner": "a", "strength": 3}, "strength"),
        ("pref", {"winner": "a", "strength": True}, "strength"),
        ("pref", {"winner": "tie", "strength": 1}, "strength"),
        ("pref", {"winner": "a", "both_bad": "yes"}, "both_bad"),
        ("pref", {"winner": "a", "confidence": 1}, "confidence"),
        ("pref", "a", "non_field_errors"),
        ("rank", {"order": [["a"]]}, "order"),
        ("rank", {"order": [["a", "a"], ["b"]]}, "order"),
        ("rank", {"order": [["a"], []]}, "order"),
        ("quality", {"scores": {"a": {"helpfulness": 4, "safety": 1}}}, "scores"),
        (
            "quality",
            {
                "scores": {
                    "a": {"helpfulness": 6, "safety": 1},
                    "b": {"helpfulness": 1, "safety": 0},
                }
            },
            "scores.a.helpfulness",
        ),
        (
            "quality",
            {
                "scores": {
                    "a": {"helpfulness": 4, "safety": 0.3},
                    "b": {"helpfulness": 1, "safety": 0},
                }
            },
            "scores.a.safety",
        ),
        (
            "quality",
            {
                "scores": {
                    "a": {"helpfulness": "4", "safety": 1},
                    "b": {"helpfulness": 1, "safety": 0},
                }
            },
            "scores.a.helpfulness",
        ),
        (
            "quality",
            {"scores": {"a": {"helpfulness": 4}, "b": {"helpfulness": 1, "safety": 0}}},
            "scores.a",
        ),
        (
            "rubric",
            {"criteria": {"a": {"cites": "pass"}, "b": {"cites": "fail", "risk": "no"}}},
            "criteria.a",
        ),
        (
            "rubric",
            {
                "criteria": {
                    "a": {"cites": "great", "risk": "no"},
                    "b": {"cites": "fail", "risk": "no"},
                }
            },
            "criteria.a.cites",
        ),
        ("flags", {"labels": {"a": ["toxic"], "b": []}}, "labels.a"),
        ("flags", {"labels": {"c": []}}, "labels"),
        ("topic", {"labels": {"item": ["code", "math"]}}, "labels.item"),
        ("why", {"text": "x" * 21}, "text"),
        ("why", {"text": 5}, "text"),
    ],
)
def test_bad_values_name_the_question_and_field(question: str, value: Any, field: str) -> None:
    found = errors({**GOOD, question: value})

    assert list(found) == [question]
    assert field in found[question], found


def test_unknown_questions_and_non_objects_are_rejected() -> None:
    assert errors({**GOOD, "nope": {}}) == {"nope": {"non_field_errors": ["No such question."]}}
    with pytest.raises(AnswersInvalid):
        check(["not", "a", "dict"])  # type: ignore[arg-type]


def test_pairwise_needs_exactly_two_shown_candidates() -> None:
    found = errors({**GOOD, "rank": {"order": [["a"], ["b"], ["c"]]}}, keys=["a", "b", "c"])

    assert "winner" in found["pref"]


def test_ties_only_where_the_question_allows_them() -> None:
    strict = validate_questions(
        [
            {"id": "p", "kind": "pairwise", "tie": False},
            {"id": "r", "kind": "ranking", "ties": False},
        ]
    )

    with pytest.raises(AnswersInvalid) as caught:
        validate_answers(
            questions=strict,
            candidate_keys=["a", "b"],
            answers={"p": {"winner": "tie"}, "r": {"order": [["a", "b"]]}},
        )

    assert set(caught.value.errors) == {"p", "r"}


def test_per_item_ratings_use_the_item_key() -> None:
    questions = validate_questions(
        [{"id": "overall", "kind": "rating", "per": "item", "dimensions": [{"id": "d"}]}]
    )

    cleaned = validate_answers(
        questions=questions,
        candidate_keys=["a", "b"],
        answers={"overall": {"scores": {"item": {"d": 3}}}},
    )

    assert cleaned == {"overall": {"scores": {"item": {"d": 3}}}}


def test_a_required_text_must_not_be_blank() -> None:
    questions = validate_questions([{"id": "why", "kind": "text"}])

    with pytest.raises(AnswersInvalid):
        validate_answers(
            questions=questions, candidate_keys=["a", "b"], answers={"why": {"text": "  "}}
        )
