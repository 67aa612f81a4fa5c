"""People's answers as the plain arrays the statistics take.

Each measured question becomes parts (see ``annotator.analytics.parts``): reliability matrices
of units x annotators.

Pairwise and ranking answers also become comparisons between the models that wrote the
candidates, for the leaderboard and the bias statistics.

Gold answers are left out of agreement (everyone answers the same gold items; they are scored
against the gold answer instead), as are skips and rejected annotations.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from django.contrib.auth.models import User
from django.db.models import Q, TextField
from django.db.models.functions import MD5, Cast, Length

from annotator.analytics.parts import FloatArray, IntArray, Part, PartsBuilder
from annotator.models import Annotation, AnnotationStatus, Candidate, Project, ReviewStatus
from annotator.selectors import gold_matches


@dataclass(frozen=True)
class Scope:
    """Which annotations count: all by default."""

    since: datetime | None = None
    until: datetime | None = None
    annotators: tuple[int, ...] = ()  # user ids; empty = everyone
    judges: tuple[int, ...] = ()  # judge ids for the human-vs-model sections; empty = all
    meta: tuple[tuple[str, str], ...] = ()  # item metadata key = value (as text, any case)

    def annotation_filter(self) -> Q:
        condition = Q()
        if self.since is not None:
            condition &= Q(created_at__gte=self.since)
        if self.until is not None:
            condition &= Q(created_at__lt=self.until)
        if self.annotators:
            condition &= Q(annotator_id__in=self.annotators)
        return condition & self.meta_filter("item__meta")

    def meta_filter(self, path: str) -> Q:
        """Item metadata conditions on the JSON field at ``path``; values compared as text,
        ignoring case, so ``level:3`` matches a number 3 and ``lang:EN`` a string "en"."""
        condition = Q()
        for key, value in self.meta:
            condition &= Q(**{f"{path}__{key}__iexact": value})
        return condition


@dataclass
class Comparisons:
    """Model-vs-model outcomes from one pairwise or ranking question (one row per pair judged)."""

    question: str
    annotator: IntArray  # annotator index
    item: IntArray
    first: IntArray  # model index of the canonically first candidate of the pair
    second: IntArray
    outcome: FloatArray  # 1 first won, 0 second won, 0.5 tie
    first_length: FloatArray  # characters
    second_length: FloatArray
    # Pairwise only: whether the winner was shown first (1), second (0), a tie (-1); -2 for
    # rankings, where no display order applies.
    shown_first_won: IntArray
    # Ids equal exactly when the candidates' texts are (to find the same candidate elsewhere).
    first_text: IntArray
    second_text: IntArray


# coder, item, first model, second model, outcome, lengths, shown first won, text ids
_Row = tuple[int, int, int, int, float, float, float, int, int, int]


@dataclass
class AnnotationRows:
    """One row per counted annotation (gold included), for throughput and gold accuracy."""

    annotator: IntArray
    item: IntArray
    time_spent_ms: FloatArray
    created_at: FloatArray  # POSIX seconds
    is_gold: npt.NDArray[np.bool_]
    gold_correct: FloatArray  # 1/0 on gold annotations, nan elsewhere


@dataclass
class HumanLabels:
    annotators: list[int]  # user ids; the column order of every matrix
    usernames: list[str]
    models: list[str]  # the candidates' model names; index = model code
    parts: list[Part]
    comparisons: list[Comparisons]
    rows: AnnotationRows
    # Items with the same prompt and candidates (repeated items), as groups of item ids.
    repeats: list[list[int]] = field(default_factory=list)
    # item id -> candidate key -> (position, model name, length in characters).
    candidates: dict[int, dict[str, tuple[int, str, int]]] = field(default_factory=dict)
    # Ids equal exactly when the texts are: each item's prompt, each (item, key)'s candidate.
    prompt_ids: dict[int, int] = field(default_factory=dict)
    candidate_ids: dict[tuple[int, str], int] = field(default_factory=dict)


def human_labels(*, project: Project, scope: Scope | None = None) -> HumanLabels:
    """Every counted answer of the project's people, as arrays (see the module docstring)."""
    scope = scope or Scope()
    questions: list[dict[str, Any]] = list(project.questions)
    annotations = (
        Annotation.objects.filter(
            project=project, status=AnnotationStatus.SUBMITTED, is_reference=False
        )
        .exclude(review_status=ReviewStatus.REJECTED)
        .filter(scope.annotation_filter())
        .order_by("id")
        # JSON read as text and parsed here: Django's per-row converters for JSON fields cost
        # more than the parsing itself on a million rows.
        .values_list(
            "item_id",
            "annotator_id",
            Cast("answers", TextField()),
            Cast("display_order", TextField()),
            "time_spent_ms",
            "created_at",
            "is_gold",
        )
        .iterator(chunk_size=5000)
    )
    golds = dict(project.items.filter(gold__isnull=False).values_list("id", "gold").iterator())
    content = _content(project)
    candidates = content.candidates
    coders: dict[int, int] = {}
    models: dict[str, int] = {}
    parts = PartsBuilder(questions)
    comparisons: dict[str, list[_Row]] = {
        q["id"]: [] for q in questions if q["kind"] in {"pairwise", "ranking"}
    }
    rows: list[tuple[int, int, float, float, bool, float]] = []
    for item, user, answers_text, shown_text, spent, created, is_gold in annotations:
        coder = coders.setdefault(user, len(coders))
        answers, shown = json.loads(answers_text), json.loads(shown_text)
        correct = math.nan
        if is_gold:
            correct = float(gold_matches(golds.get(item) or {}, answers))
        rows.append((coder, item, float(spent), created.timestamp(), is_gold, correct))
        if is_gold:
            continue
        positions = candidates.get(item, {})
        canonical = sorted(shown, key=lambda key: positions.get(key, (math.inf, "", 0))[0])
        parts.add(item, canonical, coder, answers)
        for qid, found in comparisons.items():
            value = answers.get(qid)
            if isinstance(value, dict):
                found.extend(
                    _compare(
                        value,
                        item=item,
                        coder=coder,
                        shown=shown,
                        positions=positions,
                        models=models,
                        texts=content.candidate,
                    )
                )
    names = dict(User.objects.filter(pk__in=list(coders)).values_list("pk", "username"))
    return HumanLabels(
        annotators=list(coders),
        usernames=[names.get(user, "") for user in coders],
        models=list(models),
        parts=parts.build(len(coders)),
        comparisons=[_comparisons(qid, found) for qid, found in comparisons.items()],
        rows=_rows(rows),
        repeats=content.repeats,
        candidates=candidates,
        prompt_ids=content.prompt,
        candidate_ids=content.candidate,
    )


def _compare(
    value: dict[str, Any],
    *,
    item: int,
    coder: int,
    shown: list[str],
    positions: dict[str, tuple[int, str, int]],
    models: dict[str, int],
    texts: dict[tuple[int, str], int],
) -> Iterable[_Row]:
    """Model comparisons in one answer, one row per pair of candidates it orders."""

    def model(key: str) -> int:
        return models.setdefault(positions[key][1] or "(unnamed)", len(models))

    def row(first: str, second: str, outcome: float, shown_first: int) -> _Row:
        return (
            coder,
            item,
            model(first),
            model(second),
            outcome,
            float(positions[first][2]),
            float(positions[second][2]),
            shown_first,
            texts.get((item, first), -1),
            texts.get((item, second), -1),
        )

    if "winner" in value:
        if len(shown) != 2 or any(key not in positions for key in shown):
            return
        first, second = sorted(shown, key=lambda key: positions[key][0])
        winner = value["winner"]
        outcome = 0.5 if winner == "tie" else 1.0 if winner == first else 0.0
        yield row(first, second, outcome, -1 if winner == "tie" else int(winner == shown[0]))
    elif "order" in value:
        rank = {key: r for r, group in enumerate(value["order"]) for key in group}
        ranked = sorted((key for key in rank if key in positions), key=lambda k: positions[k][0])
        for first, second in itertools.combinations(ranked, 2):
            difference = rank[second] - rank[first]
            yield row(first, second, 0.5 if difference == 0 else float(difference > 0), -2)


def _comparisons(question: str, found: list[_Row]) -> Comparisons:
    columns = list(zip(*found, strict=True)) if found else [()] * 10
    ints = [np.asarray(columns[i], dtype=np.int64) for i in (0, 1, 2, 3, 7, 8, 9)]
    floats = [np.asarray(columns[i], dtype=np.float64) for i in (4, 5, 6)]
    return Comparisons(
        question=question,
        annotator=ints[0],
        item=ints[1],
        first=ints[2],
        second=ints[3],
        outcome=floats[0],
        first_length=floats[1],
        second_length=floats[2],
        shown_first_won=ints[4],
        first_text=ints[5],
        second_text=ints[6],
    )


def _rows(rows: list[tuple[int, int, float, float, bool, float]]) -> AnnotationRows:
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return AnnotationRows(
        annotator=np.asarray(columns[0], dtype=np.int64),
        item=np.asarray(columns[1], dtype=np.int64),
        time_spent_ms=np.asarray(columns[2], dtype=np.float64),
        created_at=np.asarray(columns[3], dtype=np.float64),
        is_gold=np.asarray(columns[4], dtype=np.bool_),
        gold_correct=np.asarray(columns[5], dtype=np.float64),
    )


@dataclass
class _Content:
    """Ids that are equal exactly when the texts are: per item (prompt) and per candidate."""

    prompt: dict[int, int]
    candidate: dict[tuple[int, str], int]
    repeats: list[list[int]]
    # item id -> candidate key -> (position, model name, length in characters).
    candidates: dict[int, dict[str, tuple[int, str, int]]]


def _content(project: Project) -> _Content:
    """Each candidate's position, model and length, and ids equal exactly when texts are.

    The database digests the texts (MD5 of the prompt's JSON and of each candidate), so the texts
    themselves never leave it. Two items are repeats when their prompts and candidate texts (in
    position order) are equal.
    """
    prompt_ids: dict[str, int] = {}
    prompt: dict[int, int] = {}
    prompts = project.items.values_list("id", MD5(Cast("prompt", TextField())))
    for item, digest in prompts.iterator(chunk_size=5000):
        prompt[item] = prompt_ids.setdefault(digest, len(prompt_ids))
    text_ids: dict[str, int] = {}
    candidate: dict[tuple[int, str], int] = {}
    found: dict[int, dict[str, tuple[int, str, int]]] = {}
    groups: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    rows = (
        Candidate.objects.filter(item__project=project)
        .order_by("item_id", "position")
        .values_list("item_id", "key", "position", "model_name", Length("text"), MD5("text"))
        .iterator(chunk_size=5000)
    )
    for item, of_item in itertools.groupby(rows, key=lambda row: row[0]):
        ids = []
        keys = found.setdefault(item, {})
        for _, key, position, model, length, digest in of_item:
            keys[key] = (position, model, length)
            ids.append(text_ids.setdefault(digest, len(text_ids)))
            candidate[item, key] = ids[-1]
        groups.setdefault((prompt.get(item, -1), tuple(ids)), []).append(item)
    repeats = [sorted(group) for group in groups.values() if len(group) > 1]
    return _Content(prompt=prompt, candidate=candidate, repeats=repeats, candidates=found)
