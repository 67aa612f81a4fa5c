"""Recomputing a project's item priorities from the active-learning strategies' mix.

Runs on the ``default`` queue (no model is loaded): it reads the latest predictions, the human
labels and the cached embeddings, scores every open item with each strategy the project mixes
(``judges.acquisition``), and writes the mix to ``Item.priority``, which ``next`` serves in
descending order. Where people disagree on an item that is already done, and the project asks
for it (the ``human_disagreement`` strategy, up to ``extra_labels`` more people per item), the
item is reopened for one more annotator.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from annotator.models import Annotation, AnnotationStatus, Item, ReviewStatus
from judges import acquisition
from judges.embeddings import embeddings_get, encoder_key, prompt_text
from judges.models import ActiveLearning, Judge, Prediction
from judges.verdicts import TIE

logger = logging.getLogger(__name__)

QUEUE_PREVIEW = 50
_WRITE_BATCH = 1000
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def main_question(
    project_questions: Sequence[dict[str, Any]], head: Judge | None
) -> dict[str, Any] | None:
    """The comparison the strategies read: the head's first question, else the project's first
    pairwise or ranking question."""
    comparative = [q for q in project_questions if q["kind"] in {"pairwise", "ranking"}]
    if head is not None:
        for question in comparative:
            if question["id"] in head.questions:
                return question
    return comparative[0] if comparative else None


def _pair_probs(details: dict[str, Any], keys: Sequence[str]) -> list[tuple[float, float, float]]:
    """(P(first), P(second), P(tie)) for each candidate pair a prediction states, key order."""
    out: list[tuple[float, float, float]] = []
    pairs = details.get("pairs")
    if pairs is None and isinstance(details.get("p"), dict) and len(keys) == 2:
        pairs = [{"pair": list(keys), "p": details["p"]}]
    for entry in pairs or []:
        pair = entry.get("pair") or []
        p = entry.get("p") or {}
        if len(pair) != 2 or any(k not in p for k in pair):
            continue
        a, b = sorted(pair)
        out.append((float(p[a]), float(p[b]), float(p.get(TIE, 0.0))))
    return out


def _margin(probs: tuple[float, float, float]) -> float:
    return abs(probs[0] - probs[1])


def _signals(
    active: ActiveLearning, items: list[Item], keys: dict[int, list[str]], question: dict[str, Any]
) -> dict[str, Any]:
    ids = [item.pk for item in items]
    head_probs: dict[int, list[float] | None] = dict.fromkeys(ids)
    judge_probs: dict[int, list[float]] = defaultdict(list)
    swaps: dict[int, list[float]] = defaultdict(list)
    latest: dict[tuple[int, int], tuple[dict[str, Any], float | None]] = {}
    rows = (
        Prediction.objects.filter(
            project_id=active.project_id, question_id=question["id"], error=""
        )
        .order_by("run_id")
        .values_list("item_id", "judge_id", "details", "swap_inconsistency")
    )
    wanted = set(ids)
    for item_id, judge_id, details, swap in rows.iterator(chunk_size=2000):
        if item_id in wanted:
            latest[item_id, judge_id] = (details or {}, swap)
    for (item_id, judge_id), (details, swap) in latest.items():
        pairs = _pair_probs(details, sorted(keys[item_id]))
        if not pairs:
            continue
        if judge_id == active.head_id:
            # The least certain pair of the item: the one a label would teach the most about.
            least = min(pairs, key=_margin)
            head_probs[item_id] = list(least)
        first, second, _ = pairs[0]
        if first + second > 0:
            judge_probs[item_id].append(first / (first + second))
        if swap is not None:
            swaps[item_id].append(float(swap))
    return {
        "head": [head_probs[i] for i in ids],
        "judges": [judge_probs.get(i, []) for i in ids],
        "swaps": [swaps.get(i, []) for i in ids],
    }


def _human_votes(project_id: int, question: dict[str, Any]) -> dict[int, Counter[str]]:
    """Per item, people's answers to the main question (pairwise winner, or ranking top group)."""
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        Annotation.objects.filter(
            project_id=project_id, status=AnnotationStatus.SUBMITTED, is_gold=False
        )
        .exclude(review_status=ReviewStatus.REJECTED)
        .values_list("item_id", "answers")
    )
    for item_id, answers in rows.iterator(chunk_size=2000):
        value = (answers or {}).get(question["id"])
        if not value:
            continue
        if question["kind"] == "pairwise" and value.get("winner"):
            votes[item_id][str(value["winner"])] += 1
        elif question["kind"] == "ranking" and value.get("order"):
            top = value["order"][0]
            votes[item_id][TIE if len(top) > 1 else str(top[0])] += 1
    return votes


@dataclass(frozen=True)
class _Items:
    """Items with their candidates' keys and texts, loaded once."""

    rows: list[Item]
    keys: dict[int, list[str]]
    texts: dict[tuple[int, str], str]

    @classmethod
    def load(cls, items: QuerySet[Item]) -> _Items:
        rows = list(items.prefetch_related("candidates").order_by("id"))
        return cls(
            rows=rows,
            keys={i.pk: [c.key for c in i.candidates.all()] for i in rows},
            texts={(i.pk, c.key): c.text for i in rows for c in i.candidates.all()},
        )

    def vectors(self, config: dict[str, Any]) -> tuple[npt.NDArray[np.float32], BoolArray]:
        """One unit vector per item: the mean of its prompt's and candidates' cached embeddings
        (rows whose texts are not all embedded yet are flagged off in the mask)."""
        parts = [
            [prompt_text(item.prompt), *(self.texts[item.pk, k] for k in self.keys[item.pk])]
            for item in self.rows
        ]
        flat = [text for texts in parts for text in texts]
        vectors, known = embeddings_get(encoder=encoder_key(config), texts=flat)
        out = np.zeros((len(self.rows), vectors.shape[1] if vectors.size else 1), np.float32)
        mask = np.zeros(len(self.rows), dtype=bool)
        row = 0
        for n, texts in enumerate(parts):
            span = slice(row, row + len(texts))
            row += len(texts)
            if known[span].all():
                mean = vectors[span].mean(axis=0)
                norm = float(np.linalg.norm(mean))
                if norm > 0:
                    out[n], mask[n] = mean / norm, True
        return out, mask


def _reopen(
    active: ActiveLearning, votes: dict[int, Counter[str]], weights: dict[str, float]
) -> list[int]:
    """Done items people disagree on that may take one more annotator."""
    if not weights.get("human_disagreement") or active.extra_labels == 0:
        return []
    split = [i for i, counted in votes.items() if sum(counted.values()) >= 2 and len(counted) > 1]
    return list(
        Item.objects.filter(
            project_id=active.project_id, gold__isnull=True, pk__in=split, done=True,
            extra_overlap__lt=active.extra_labels,
        ).values_list("pk", flat=True)
    )  # fmt: skip


def _strategy_scores(
    active: ActiveLearning,
    open_items: _Items,
    question: dict[str, Any] | None,
    votes: dict[int, Counter[str]],
    weights: dict[str, float],
) -> dict[str, FloatArray]:
    items = open_items.rows
    ids = [item.pk for item in items]
    scores: dict[str, FloatArray] = {}
    if question is not None:
        signals = _signals(active, items, open_items.keys, question)
        if "uncertainty" in weights:
            scores["uncertainty"] = acquisition.uncertainty(signals["head"])
        if "judge_disagreement" in weights:
            scores["judge_disagreement"] = acquisition.judge_disagreement(signals["judges"])
        if "position_inconsistency" in weights:
            scores["position_inconsistency"] = acquisition.position_inconsistency(signals["swaps"])
        if "human_disagreement" in weights:
            scores["human_disagreement"] = acquisition.human_disagreement(
                [dict(votes.get(i, {})) for i in ids]
            )
    if "diversity" in weights and active.head is not None:
        config = active.head.config
        vectors, known = open_items.vectors(config)
        labeled_items = _Items.load(
            Item.objects.filter(project_id=active.project_id, annotation_count__gt=0)
        )
        labeled, labeled_known = labeled_items.vectors(config)
        diversity = np.full(len(items), np.nan)
        if known.any():
            diversity[known] = acquisition.diversity(
                vectors[known].astype(np.float64), labeled[labeled_known].astype(np.float64)
            )
        scores["diversity"] = diversity
    if "random" in weights:
        scores["random"] = acquisition.random_scores(ids, active.seed)
    for name in weights:
        scores.setdefault(name, np.full(len(items), np.nan))
    return scores


def _preview(items: list[Item], mixed: acquisition.Mixed) -> list[dict[str, Any]]:
    order = np.argsort(-mixed.priority, kind="stable")[:QUEUE_PREVIEW]
    return [
        {
            "item": items[n].pk,
            "external_id": items[n].external_id,
            "priority": round(float(mixed.priority[n]), 6),
            "scores": {k: round(float(v[n]), 6) for k, v in mixed.contributions.items()},
        }
        for n in order
    ]


def priorities_compute(*, active: ActiveLearning) -> dict[str, Any]:
    """Score the open items and write their priorities; a summary of what was done."""
    project = active.project
    weights = {k: float(v) for k, v in (active.strategies or {}).items() if float(v) > 0}
    question = main_question(project.questions, active.head)
    votes = _human_votes(project.pk, question) if question else {}
    reopen = _reopen(active, votes, weights)
    pool = Item.objects.filter(project=project, gold__isnull=True)
    open_items = _Items.load(pool.filter(Q(done=False) | Q(pk__in=reopen)))
    items = open_items.rows
    mixed = None
    if items and weights:
        mixed = acquisition.mix(
            _strategy_scores(active, open_items, question, votes, weights), weights
        )
    with transaction.atomic():
        for item in Item.objects.select_for_update().filter(pk__in=reopen, done=True):
            item.extra_overlap += 1
            item.done = item.annotation_count >= project.overlap + item.extra_overlap
            item.save(update_fields=["extra_overlap", "done", "updated_at"])
        if mixed is not None:
            for item, priority in zip(items, mixed.priority, strict=True):
                item.priority = float(priority)
            Item.objects.bulk_update(items, ["priority"], batch_size=_WRITE_BATCH)
        ActiveLearning.objects.filter(pk=active.pk).update(
            queue=_preview(items, mixed) if mixed is not None else [],
            refreshed_at=timezone.now(),
        )
    return {"items": len(items), "reopened": len(reopen), "strategies": sorted(weights)}


def priorities_refresh(*, project_id: int) -> dict[str, Any] | None:
    """The ``workers.priorities_refresh`` task: recompute, letting new touches queue the next."""
    ActiveLearning.objects.filter(project_id=project_id).update(priorities_queued_at=None)
    active = (
        ActiveLearning.objects.select_related("project", "head")
        .filter(project_id=project_id)
        .first()
    )
    if active is None:
        return None
    summary = priorities_compute(active=active)
    logger.info("priorities of project %s: %s", project_id, summary)
    return summary
