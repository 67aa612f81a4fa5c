"""Preference pairs: every answer becomes votes on pairs of candidates, then one outcome per pair.

A pairwise answer votes on the pair it showed; a ranking votes on every pair it orders; ratings
vote by comparing the candidates' scores on one dimension or a weighted sum of dimensions. A
pair is the two candidate keys in source order (``first``, ``second``), and a vote's ``outcome``
is ``FIRST``, ``SECOND`` or ``TIE``.

The votes of a pair are then aggregated:

* ``majority``: the outcome with strictly more votes than any other (no outcome on a split);
* ``unanimous``: every vote agrees;
* ``min_agreement``: the majority outcome, when its share of the votes reaches the threshold;
* ``dawid_skene``: the most probable outcome under a Dawid-Skene model fitted on every vote of
  the project (``fit_dawid_skene``), so a reliable annotator outweighs an unreliable one;
* ``per_annotator``: no aggregation, one outcome per vote.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from annotator.exports.options import ExportOptions
from annotator.exports.source import AnnotationRecord, ItemRecord
from annotator.metrics.reliability import dawid_skene_triples

FIRST, SECOND, TIE = 0, 1, 2
N_OUTCOMES = 3


class Vote(NamedTuple):
    annotator: str
    outcome: int
    # The winner's strength on the question's scale, as a share of it in (0, 1]; 1 without one.
    strength: float
    both_bad: bool
    label: AnnotationRecord


@dataclass(slots=True)
class PairOutcome:
    first: str
    second: str
    outcome: int
    votes: list[Vote]  # the votes that count for this row (all of them, or one per annotator)
    agreement: float  # share of votes for the outcome (Dawid-Skene: its posterior probability)
    margin_agreement: float  # (votes for the winner - votes against) / votes, in [0, 1]
    both_bad: bool

    @property
    def chosen(self) -> str:
        return self.second if self.outcome == SECOND else self.first

    @property
    def rejected(self) -> str:
        return self.first if self.outcome == SECOND else self.second


def _outcome(first_value: float, second_value: float) -> int:
    if first_value == second_value:
        return TIE
    return FIRST if first_value > second_value else SECOND


def _rating_value(scores: dict[str, Any], options: ExportOptions) -> float | None:
    if options.weights:
        if any(dim not in scores for dim in options.weights):
            return None
        return sum(weight * float(scores[dim]) for dim, weight in options.weights.items())
    if options.dimension is not None:
        value = scores.get(options.dimension)
    else:
        value = next(iter(scores.values()), None)
    return None if value is None else float(value)


def _pairwise_votes(
    item: ItemRecord, labels: Sequence[AnnotationRecord], question: dict[str, Any]
) -> dict[tuple[str, str], list[Vote]]:
    """Pairwise answers: each votes on the two candidates it showed (the hot path of an export)."""
    votes: dict[tuple[str, str], list[Vote]] = {}
    position = item.positions
    qid = question["id"]
    levels = len(question.get("strength") or [])
    for label in labels:
        value = label.answers.get(qid)
        if not isinstance(value, dict):
            continue
        shown = label.display_order
        if len(shown) != 2 or shown[0] not in position or shown[1] not in position:
            shown = [key for key in shown if key in position]
            if len(shown) != 2:
                continue
        a, b = shown
        first, second = (a, b) if position[a] <= position[b] else (b, a)
        winner = value.get("winner")
        outcome = TIE if winner == "tie" else FIRST if winner == first else SECOND
        strength = value.get("strength")
        share = (strength + 1) / levels if levels and isinstance(strength, int) else 1.0
        vote = Vote(label.annotator, outcome, share, bool(value.get("both_bad")), label)
        votes.setdefault((first, second), []).append(vote)
    return votes


def _ordered_votes(
    item: ItemRecord, label: AnnotationRecord, question: dict[str, Any], options: ExportOptions
) -> Iterable[tuple[str, str, Vote]]:
    """A ranking's or a rating's votes on every pair it orders, pairs in source order."""
    value = label.answers.get(question["id"])
    if not isinstance(value, dict):
        return
    position = item.positions
    if question["kind"] == "ranking":
        rank = {key: r for r, group in enumerate(value.get("order", [])) for key in group}
        compared: dict[str, float] = {k: -float(r) for k, r in rank.items() if k in position}
    else:
        compared = {}
        for key, scores in (value.get("scores") or {}).items():
            number = _rating_value(scores, options) if isinstance(scores, dict) else None
            if key in position and number is not None:
                compared[key] = number
    ordered = sorted(compared, key=position.__getitem__)
    for first, second in itertools.combinations(ordered, 2):
        outcome = _outcome(compared[first], compared[second])
        yield first, second, Vote(label.annotator, outcome, 1.0, False, label)


def item_votes(
    item: ItemRecord, question: dict[str, Any], options: ExportOptions
) -> dict[tuple[str, str], list[Vote]]:
    """Every vote on every pair of the item; a model's stand-in label only where no one voted."""
    humans = [a for a in item.annotations if a.source == "human"]
    labels = humans or item.annotations
    if question["kind"] == "pairwise":
        return _pairwise_votes(item, labels, question)
    votes: dict[tuple[str, str], list[Vote]] = {}
    for label in labels:
        for first, second, vote in _ordered_votes(item, label, question, options):
            votes.setdefault((first, second), []).append(vote)
    return votes


@dataclass(frozen=True)
class DawidSkene:
    """Fitted per-annotator log confusion matrices ``[true outcome, given outcome]``."""

    log_priors: np.ndarray
    log_confusion: dict[str, np.ndarray]

    def posterior(self, votes: Sequence[Vote]) -> np.ndarray | None:
        joint = self.log_priors.copy()
        for vote in votes:
            confusion = self.log_confusion.get(vote.annotator)
            if confusion is None:
                return None
            joint += confusion[:, vote.outcome]
        joint -= joint.max()
        probabilities = np.exp(joint)
        return np.asarray(probabilities / probabilities.sum())


def fit_dawid_skene(pair_votes: Iterable[list[Vote]]) -> DawidSkene:
    """Fit a Dawid-Skene model on every pair's votes (one pass over the project).

    Memory is a few integers per vote; a pair voted twice by one annotator (which the data
    model prevents) keeps the later vote.
    """
    annotators: dict[str, int] = {}
    entries: dict[tuple[int, int], int] = {}
    n_units = 0
    for votes in pair_votes:
        for vote in votes:
            code = annotators.setdefault(vote.annotator, len(annotators))
            entries[(n_units, code)] = vote.outcome
        n_units += 1
    units = np.fromiter((u for u, _ in entries), dtype=np.int64, count=len(entries))
    coders = np.fromiter((a for _, a in entries), dtype=np.int64, count=len(entries))
    labels = np.fromiter(entries.values(), dtype=np.int64, count=len(entries))
    del entries
    result = dawid_skene_triples(
        units,
        coders,
        labels,
        n_units=n_units,
        n_annotators=len(annotators),
        n_classes=N_OUTCOMES,
    )
    with np.errstate(divide="ignore"):
        log_confusion = np.log(result.confusion)
        log_priors = np.log(np.nan_to_num(result.priors, nan=1.0 / N_OUTCOMES))
    return DawidSkene(
        log_priors=log_priors,
        log_confusion={name: log_confusion[code] for name, code in annotators.items()},
    )


def _margin_agreement(counts: Sequence[int], outcome: int) -> float:
    """(votes for ``outcome`` - votes against it) / votes, at least 0; 0 for a tie."""
    if outcome == TIE:
        return 0.0
    against = SECOND if outcome == FIRST else FIRST
    return max(0.0, (counts[outcome] - counts[against]) / sum(counts))


def aggregate_pair(
    first: str,
    second: str,
    votes: list[Vote],
    options: ExportOptions,
    dawid_skene: DawidSkene | None = None,
) -> list[PairOutcome]:
    """The rows one pair gives: none (no consensus, or a dropped tie), one, or one per vote."""
    if not votes:
        return []
    if options.aggregation == "per_annotator":
        found = [
            PairOutcome(first, second, v.outcome, [v], 1.0, float(v.outcome != TIE), v.both_bad)
            for v in votes
        ]
        return [p for p in found if p.outcome != TIE or options.ties == "keep"]
    counts = [0] * N_OUTCOMES
    for vote in votes:
        counts[vote.outcome] += 1
    top, runner_up = sorted(range(N_OUTCOMES), key=counts.__getitem__, reverse=True)[:2]
    outcome: int | None = top if counts[top] > counts[runner_up] else None
    agreement = counts[top] / len(votes)
    split = options.aggregation == "unanimous" and counts[top] != len(votes)
    weak = options.aggregation == "min_agreement" and agreement < options.min_agreement
    margin = 0.0
    if split or weak:
        outcome = None
    elif options.aggregation == "dawid_skene":
        posterior = dawid_skene.posterior(votes) if dawid_skene is not None else None
        if posterior is None:
            outcome = None
        else:
            outcome = int(np.argmax(posterior))
            agreement = float(posterior[outcome])
            against = SECOND if outcome == FIRST else FIRST
            margin = 0.0 if outcome == TIE else max(0.0, agreement - float(posterior[against]))
    elif outcome is not None:
        margin = _margin_agreement(counts, outcome)
    if outcome is None or (outcome == TIE and options.ties == "drop"):
        return []
    both_bad = sum(v.both_bad for v in votes) * 2 > len(votes)
    return [PairOutcome(first, second, outcome, votes, agreement, margin, both_bad)]


def strength_margin(pair: PairOutcome, mode: str) -> float:
    """The margin of a row: ``agreement``, ``strength`` (mean strength of the votes for the
    winner), or ``both`` (mean of each vote's strength, counted against the winner when the vote
    was; never below 0). A tie has margin 0."""
    if pair.outcome == TIE:
        return 0.0
    if mode == "agreement":
        return round(pair.margin_agreement, 6)
    for_winner = [v.strength for v in pair.votes if v.outcome == pair.outcome]
    if mode == "strength":
        return round(sum(for_winner) / len(for_winner), 6) if for_winner else 0.0
    signed = [
        v.strength if v.outcome == pair.outcome else 0.0 if v.outcome == TIE else -v.strength
        for v in pair.votes
    ]
    return round(max(0.0, math.fsum(signed) / len(signed)), 6)
