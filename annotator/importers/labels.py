"""Reference labels → answers to the project's questions, in the canonical value schema.

Labels found in a source (TRL/HH chosen, an arena winner, UltraFeedback ratings, mapped
winners and ratings) can be kept as a reference annotator's answers. Each question is filled
only when the labels answer it completely and validly; the others are left out:

* the first ``pairwise`` question: ``{"winner": key | "tie"}``, with ``"both_bad": true`` for
  an arena "tie (bothbad)" when the question offers it; a tie is dropped where ties are not
  allowed;
* the first ``ranking`` question, for two candidates with a winner: winner first, or one group
  for a tie;
* every per-candidate ``rating`` question whose every dimension id is an aspect the source
  rated for every candidate (UltraFeedback: helpfulness, honesty, instruction_following,
  truthfulness, overall, fine_grained), with values on the dimension's scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from annotator.answers import AnswersInvalid, validate_answers
from annotator.importers.base import ReferenceLabels


def _pairwise(question: dict[str, Any], labels: ReferenceLabels) -> dict[str, Any] | None:
    if labels.winner is None:
        return None
    value: dict[str, Any] = {"winner": labels.winner}
    if labels.winner == "tie" and labels.both_bad and question.get("both_bad"):
        value["both_bad"] = True
    return value


def _ranking(labels: ReferenceLabels, keys: Sequence[str]) -> dict[str, Any] | None:
    if labels.winner is None or len(keys) != 2:
        return None
    if labels.winner == "tie":
        return {"order": [list(keys)]}
    loser = next(k for k in keys if k != labels.winner)
    return {"order": [[labels.winner], [loser]]}


def _rating(
    question: dict[str, Any], labels: ReferenceLabels, keys: Sequence[str]
) -> dict[str, Any] | None:
    if question.get("per", "candidate") != "candidate" or not labels.ratings:
        return None
    dims = [d["id"] for d in question.get("dimensions", [])]
    scores: dict[str, dict[str, float]] = {}
    for key in keys:
        given = labels.ratings.get(key, {})
        if not dims or any(dim not in given for dim in dims):
            return None
        scores[key] = {dim: _number(given[dim]) for dim in dims}
    return {"scores": scores}


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def reference_answers(
    *,
    questions: Sequence[dict[str, Any]],
    labels: ReferenceLabels,
    candidate_keys: Sequence[str],
    item_criteria: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """Answers (question id → value) that ``labels`` give; empty when they answer nothing."""
    answers: dict[str, Any] = {}
    pairwise_done = ranking_done = False
    for question in questions:
        kind = question.get("kind")
        value: dict[str, Any] | None = None
        if kind == "pairwise" and not pairwise_done:
            pairwise_done = True
            value = _pairwise(question, labels)
        elif kind == "ranking" and not ranking_done:
            ranking_done = True
            value = _ranking(labels, candidate_keys)
        elif kind == "rating":
            value = _rating(question, labels, candidate_keys)
        if value is None:
            continue
        try:
            cleaned = validate_answers(
                questions=[question],
                candidate_keys=candidate_keys,
                item_criteria=item_criteria,
                answers={question["id"]: value},
            )
        except AnswersInvalid:
            continue  # e.g. a rating off the question's scale, a tie where none is allowed
        answers[question["id"]] = cleaned[question["id"]]
    return answers
