"""Validating an annotator's answers against the project's questions.

Plain Python over plain data (no ORM). Values are stored in canonical candidate keys, never
display positions, so the same answer means the same thing whatever order the person saw:

=========  ==================================================================================
kind       stored value
=========  ==================================================================================
pairwise   ``{"winner": key | "tie", "strength": int?, "both_bad": bool?}`` (strength indexes
           the question's strength labels, weakest first)
ranking    ``{"order": [[key, ...], ...]}`` best group first; a group of several is a tie
rating     ``{"scores": {key | "item": {dimension: number}}}``
rubric     ``{"criteria": {key: {criterion: level}}, "totals": {key: points}}`` (totals derived)
labels     ``{"labels": {key | "item": [label, ...]}}``
text       ``{"text": str}``
=========  ==================================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

ErrorTree = dict[str, Any]
ITEM = "item"


class AnswersInvalid(ValueError):
    """Raised with ``errors``: question id → field → messages."""

    def __init__(self, errors: ErrorTree) -> None:
        super().__init__("invalid answers")
        self.errors = errors


class _Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _obj(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(field, "Expected an object.")
    return value


def _exact_keys(value: dict[str, Any], expected: Sequence[str], field: str) -> None:
    missing = [k for k in expected if k not in value]
    extra = [k for k in value if k not in expected]
    if missing:
        raise _Invalid(field, f"Missing {', '.join(map(repr, missing))}.")
    if extra:
        raise _Invalid(field, f"Unexpected {', '.join(map(repr, extra))}.")


def _targets(question: dict[str, Any], keys: Sequence[str]) -> list[str]:
    return list(keys) if question.get("per", "candidate") == "candidate" else [ITEM]


def _pairwise(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], _: Any) -> Any:
    for key in value:
        if key not in {"winner", "strength", "both_bad"}:
            raise _Invalid(key, "Unexpected field.")
    if len(keys) != 2:
        raise _Invalid("winner", "A pairwise question needs exactly two shown candidates.")
    winner = value.get("winner")
    tie_allowed = q.get("tie", True)
    if winner == "tie" and not tie_allowed:
        raise _Invalid("winner", "This question does not allow a tie.")
    if winner != "tie" and winner not in keys:
        choices = " or ".join(repr(k) for k in [*keys, *(["tie"] if tie_allowed else [])])
        raise _Invalid("winner", f"Choose {choices}.")
    out: dict[str, Any] = {"winner": winner}
    if value.get("strength") is not None:
        out["strength"] = _strength(q, value["strength"], tie=winner == "tie")
    if value.get("both_bad") is not None:
        both_bad = value["both_bad"]
        if not isinstance(both_bad, bool):
            raise _Invalid("both_bad", "Expected true or false.")
        if both_bad and not q.get("both_bad"):
            raise _Invalid("both_bad", "This question does not offer 'both bad'.")
        out["both_bad"] = both_bad
    return out


def _strength(q: dict[str, Any], strength: Any, *, tie: bool) -> int:
    labels = q.get("strength") or []
    if not labels:
        raise _Invalid("strength", "This question has no strength scale.")
    if isinstance(strength, bool) or not isinstance(strength, int):
        raise _Invalid("strength", "Expected an integer index.")
    if not 0 <= strength < len(labels):
        raise _Invalid("strength", f"Expected 0 to {len(labels) - 1}.")
    if tie:
        raise _Invalid("strength", "A tie has no strength.")
    return strength


def _ranking(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], _: Any) -> Any:
    _exact_keys(value, ["order"], "order")
    order = value["order"]
    if not isinstance(order, list) or not all(isinstance(g, list) and g for g in order):
        raise _Invalid("order", "Expected a list of non-empty groups of candidate ids.")
    flat = [k for group in order for k in group]
    if sorted(map(str, flat)) != sorted(keys) or len(flat) != len(set(flat)):
        raise _Invalid("order", f"Rank every shown candidate exactly once: {', '.join(keys)}.")
    if not q.get("ties", True) and any(len(g) > 1 for g in order):
        raise _Invalid("order", "This question does not allow ties.")
    return {"order": order}


def _number_on_scale(value: Any, dim: dict[str, Any], field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Invalid(field, "Expected a number.")
    low, high, step = dim.get("min", 1), dim.get("max", 5), dim.get("step", 1)
    if not low <= value <= high:
        raise _Invalid(field, f"Expected a value from {low:g} to {high:g}.")
    steps = (value - low) / step
    if abs(steps - round(steps)) > 1e-9:
        raise _Invalid(field, f"Expected a multiple of {step:g} from {low:g}.")
    return value


def _rating(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], _: Any) -> Any:
    _exact_keys(value, ["scores"], "scores")
    scores = _obj(value["scores"], "scores")
    targets = _targets(q, keys)
    _exact_keys(scores, targets, "scores")
    dims = q["dimensions"]
    out: dict[str, dict[str, float]] = {}
    for target in targets:
        given = _obj(scores[target], f"scores.{target}")
        _exact_keys(given, [d["id"] for d in dims], f"scores.{target}")
        out[target] = {
            d["id"]: _number_on_scale(given[d["id"]], d, f"scores.{target}.{d['id']}") for d in dims
        }
    return {"scores": out}


def rubric_criteria(question: dict[str, Any], item_criteria: Sequence[dict[str, Any]]) -> list[Any]:
    """The criteria that apply to one item: the project's, then the item's own if enabled."""
    criteria = list(question.get("criteria") or [])
    if question.get("item_criteria"):
        taken = {c["id"] for c in criteria}
        criteria += [c for c in item_criteria if c["id"] not in taken]
    return criteria


def _rubric(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], item: Any) -> Any:
    for key in value:
        if key not in {"criteria", "totals"}:  # totals are derived; a client may echo them
            raise _Invalid(key, "Unexpected field.")
    criteria = rubric_criteria(q, item)
    given = _obj(value.get("criteria"), "criteria")
    _exact_keys(given, list(keys), "criteria")
    out: dict[str, dict[str, str]] = {}
    totals: dict[str, float] = {}
    for key in keys:
        levels_given = _obj(given[key], f"criteria.{key}")
        _exact_keys(levels_given, [c["id"] for c in criteria], f"criteria.{key}")
        out[key], totals[key] = {}, 0.0
        for c in criteria:
            levels = c.get("levels") or ["fail", "pass"]
            level = levels_given[c["id"]]
            if level not in levels:
                raise _Invalid(f"criteria.{key}.{c['id']}", f"Choose one of {', '.join(levels)}.")
            out[key][c["id"]] = level
            totals[key] += c.get("points", 1) * levels.index(level) / (len(levels) - 1)
    return {"criteria": out, "totals": totals}


def _labels(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], _: Any) -> Any:
    _exact_keys(value, ["labels"], "labels")
    given = _obj(value["labels"], "labels")
    targets = _targets(q, keys)
    for key in given:
        if key not in targets:
            raise _Invalid("labels", f"Unexpected {key!r}.")
    out: dict[str, list[str]] = {}
    for target in targets:
        chosen = given.get(target, [])
        field = f"labels.{target}"
        if not isinstance(chosen, list) or not all(isinstance(x, str) for x in chosen):
            raise _Invalid(field, "Expected a list of labels.")
        unknown = [x for x in chosen if x not in q["options"]]
        if unknown:
            raise _Invalid(field, f"Unknown label {unknown[0]!r}.")
        if len(set(chosen)) != len(chosen):
            raise _Invalid(field, "A label is repeated.")
        if not q.get("multiple") and len(chosen) > 1:
            raise _Invalid(field, "Choose at most one label.")
        out[target] = chosen
    return {"labels": out}


def _text(q: dict[str, Any], value: dict[str, Any], keys: Sequence[str], _: Any) -> Any:
    _exact_keys(value, ["text"], "text")
    text = value["text"]
    if not isinstance(text, str):
        raise _Invalid("text", "Expected a string.")
    if len(text) > q.get("max_length", 10000):
        raise _Invalid("text", f"At most {q.get('max_length', 10000)} characters.")
    if q.get("required", True) and not text.strip():
        raise _Invalid("text", "This question needs an answer.")
    return {"text": text}


Checker = Callable[[dict[str, Any], dict[str, Any], Sequence[str], Any], Any]
CHECKERS: dict[str, Checker] = {
    "pairwise": _pairwise,
    "ranking": _ranking,
    "rating": _rating,
    "rubric": _rubric,
    "labels": _labels,
    "text": _text,
}


def _insert(errors: ErrorTree, question_id: str, field: str, message: str) -> None:
    node = errors.setdefault(question_id, {})
    node.setdefault(field, []).append(message)


def validate_answers(
    *,
    questions: Sequence[dict[str, Any]],
    candidate_keys: Sequence[str],
    item_criteria: Sequence[dict[str, Any]] = (),
    answers: Any,
) -> dict[str, Any]:
    """Check ``answers`` (question id → value) for the candidates shown; return them cleaned.

    Required questions must be answered, optional ones may be left out, unknown question ids are
    rejected. Raises ``AnswersInvalid`` naming each question and field that is wrong.
    """
    if not isinstance(answers, dict):
        raise AnswersInvalid(
            {"non_field_errors": ["Expected an object of answers by question id."]}
        )
    errors: ErrorTree = {}
    known = {q["id"] for q in questions}
    for question_id in answers:
        if question_id not in known:
            _insert(errors, str(question_id), "non_field_errors", "No such question.")
    cleaned: dict[str, Any] = {}
    for question in questions:
        qid = question["id"]
        value = answers.get(qid)
        if value is None:
            if question.get("required", True):
                _insert(errors, qid, "non_field_errors", "This question needs an answer.")
            continue
        try:
            body = _obj(value, "non_field_errors")
            cleaned[qid] = CHECKERS[question["kind"]](question, body, candidate_keys, item_criteria)
        except _Invalid as invalid:
            _insert(errors, qid, invalid.field, invalid.message)
    if errors:
        raise AnswersInvalid(errors)
    return cleaned
