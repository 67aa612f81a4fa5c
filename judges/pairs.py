"""Human answers → labeled pairs of candidates: what the preference head learns from.

Plain Python over canonical answer values (see ``annotator.answers``):

* ``pairwise``: the two candidates shown, with the winner or a tie;
* ``ranking``: every pair of candidates, the better-ranked one winning, a tie within a group;
* ``rating`` (per candidate): every pair, the higher mean over the question's dimensions
  winning, a tie when equal. A rating is a noisier comparison than a direct choice, but it lets
  projects that only rate feed the head.

Each pair is oriented canonically (the smaller key first), so the same comparison made by two
people, or shown in two orders, lands on the same row shape.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TRAINABLE_KINDS = frozenset({"pairwise", "ranking", "rating"})


@dataclass(frozen=True)
class LabeledPair:
    item_id: int
    first: str  # candidate keys, first < second
    second: str
    outcome: float  # 1.0: first is better, 0.0: second is, 0.5: a tie


def _oriented(item_id: int, better: str, worse: str, *, tie: bool = False) -> LabeledPair:
    first, second = sorted((better, worse))
    outcome = 0.5 if tie else (1.0 if first == better else 0.0)
    return LabeledPair(item_id, first, second, outcome)


def _pairwise(item_id: int, value: Mapping[str, Any], shown: Sequence[str]) -> list[LabeledPair]:
    winner = value.get("winner")
    if len(shown) != 2 or winner is None or winner not in {*shown, "tie"}:
        return []
    if winner == "tie":
        return [_oriented(item_id, shown[0], shown[1], tie=True)]
    loser = shown[1] if winner == shown[0] else shown[0]
    return [_oriented(item_id, winner, loser)]


def _by_level(item_id: int, level: Mapping[str, float]) -> list[LabeledPair]:
    """Every pair of keys, the higher level winning and equal levels tying."""
    return [
        _oriented(item_id, *((a, b) if level[a] >= level[b] else (b, a)), tie=level[a] == level[b])
        for a, b in itertools.combinations(sorted(level), 2)
    ]


def _rating_means(question: Mapping[str, Any], value: Mapping[str, Any]) -> dict[str, float]:
    """Each candidate's mean over the question's dimensions (only fully rated candidates)."""
    dims = [d["id"] for d in question.get("dimensions", [])]
    means: dict[str, float] = {}
    for key, given in value.get("scores", {}).items():
        numbers = [float(given[d]) for d in dims if isinstance(given.get(d), int | float)]
        if dims and len(numbers) == len(dims):
            means[key] = sum(numbers) / len(numbers)
    return means


def pairs_from_answer(
    item_id: int,
    question: Mapping[str, Any],
    value: Mapping[str, Any] | None,
    shown: Sequence[str],
) -> list[LabeledPair]:
    """The pairs one person's answer to ``question`` states; ``shown`` are the keys they saw."""
    if not value:
        return []
    kind = question["kind"]
    if kind == "pairwise":
        return _pairwise(item_id, value, shown)
    if kind == "ranking":
        groups = value.get("order", [])
        # Best group first: a lower index is a higher level.
        return _by_level(item_id, {k: -float(n) for n, group in enumerate(groups) for k in group})
    if kind == "rating" and question.get("per", "candidate") == "candidate":
        return _by_level(item_id, _rating_means(question, value))
    return []


def pairs_from_annotations(
    annotations: Sequence[tuple[int, Mapping[str, Any], Sequence[str]]],
    questions: Sequence[Mapping[str, Any]],
) -> list[LabeledPair]:
    """Every pair stated by ``(item id, answers, shown keys)`` rows, for the given questions.

    When several questions state the same pair in one annotation (a pairwise choice and a
    ranking, say), only the first question's reading counts: one person's judgement is one vote.
    """
    out: list[LabeledPair] = []
    for item_id, answers, shown in annotations:
        seen: set[tuple[str, str]] = set()
        for question in questions:
            for pair in pairs_from_answer(item_id, question, answers.get(question["id"]), shown):
                if (pair.first, pair.second) not in seen:
                    seen.add((pair.first, pair.second))
                    out.append(pair)
    return out
