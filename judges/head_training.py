"""Training a preference head on a project's human labels, and predicting with it.

Features: each candidate's embedding, and (``features="candidate_prompt"``) its elementwise
product with the prompt's. Both texts are embedded apart rather than as one concatenated
text, so a long prompt never pushes the response out of the encoder's window; the prompt's own
embedding would cancel in every score difference, so only its interaction with the response
carries information about what was asked.

Cross-fitting (``judges.crossfit``): the out-of-fold predictions give the held-out figures
stored with each version, and they are also what the head predicts for labeled items in a run,
so the judges-vs-people dashboard never scores the head on labels it was trained on. Unlabeled
items get the head fitted on every label.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.db.models import Max

from annotator.models import Annotation, AnnotationStatus, ReviewStatus
from judges.crossfit import HeadModel, HeadNotTrainable, head_train_pairs
from judges.embeddings import Embedder, embeddings_get, encoder_key, prompt_text
from judges.judging import ItemInput, Key, verdict_checked
from judges.models import HeadVersion, Judge, JudgeKind
from judges.pairs import TRAINABLE_KINDS, LabeledPair, pairs_from_annotations
from judges.selectors import item_inputs
from judges.verdicts import TIE, Verdict, failed, ranking_from_scores

FloatArray = npt.NDArray[np.float64]


# --- Features -----------------------------------------------------------------------------------


def _features(config: dict[str, Any], prompts: FloatArray, candidates: FloatArray) -> FloatArray:
    if config.get("features", "candidate_prompt") == "candidate":
        return candidates
    return np.concatenate([candidates, candidates * prompts], axis=1)


def candidate_features(
    items: Sequence[ItemInput], config: dict[str, Any], embed: Embedder | None
) -> dict[tuple[int, str], FloatArray]:
    """The feature vector of every candidate of ``items``, keyed by (item id, candidate key).

    Without ``embed``, candidates whose texts are not cached yet are left out.
    """
    encoder = encoder_key(config)
    slots = [(item, c) for item in items for c in item.candidates]
    texts = [prompt_text(item.prompt) for item, _ in slots] + [c.text for _, c in slots]
    vectors, known = embeddings_get(encoder=encoder, texts=texts, embed=embed)
    n = len(slots)
    matrix = _features(config, vectors[:n].astype(np.float64), vectors[n:].astype(np.float64))
    usable = known[:n] & known[n:]
    return {(item.id, c.key): matrix[row] for row, (item, c) in enumerate(slots) if usable[row]}


# --- Training ---------------------------------------------------------------------------------


def training_questions(judge: Judge) -> list[dict[str, Any]]:
    """The project questions whose answers train the head, in the project's order."""
    wanted = set(judge.config.get("train_on") or judge.questions)
    return [
        q for q in judge.project.questions if q["id"] in wanted and q["kind"] in TRAINABLE_KINDS
    ]


def human_pairs(judge: Judge) -> tuple[list[LabeledPair], int]:
    """Every labeled pair people gave on the project, and how many annotations gave them."""
    rows = (
        Annotation.objects.filter(project_id=judge.project_id, status=AnnotationStatus.SUBMITTED)
        .exclude(review_status=ReviewStatus.REJECTED)
        .order_by("id")
        .values_list("item_id", "answers", "display_order")
    )
    annotations = [(item_id, answers or {}, order or []) for item_id, answers, order in rows]
    return pairs_from_annotations(annotations, training_questions(judge)), len(annotations)


def head_train(*, judge: Judge, reason: str, embed: Embedder | None) -> HeadVersion:
    """Train ``judge`` (a preference head) on every human label of its project; store a version.

    Raises ``HeadNotTrainable`` when there are too few labels.
    """
    if judge.kind != JudgeKind.PREFERENCE_HEAD:
        raise ValueError(f"judge {judge.pk} is a {judge.kind}, not a preference head")
    config = dict(judge.config)
    pairs, labels = human_pairs(judge)
    if not pairs:
        raise HeadNotTrainable("No human label answers the questions this head learns from.")
    started = time.perf_counter()
    features = candidate_features(item_inputs({p.item_id for p in pairs}), config, embed)
    embedded = time.perf_counter()
    trained = head_train_pairs(pairs, features, config)
    fitted = time.perf_counter()
    with transaction.atomic():
        Judge.objects.select_for_update().get(pk=judge.pk)  # numbers versions one at a time
        number = (judge.head_versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return HeadVersion.objects.create(
            judge=judge,
            project_id=judge.project_id,
            number=number,
            reason=reason,
            encoder=encoder_key(config),
            config=config,
            model=trained.model.to_bytes(),
            labels=labels,
            pairs=len(pairs),
            items=len({p.item_id for p in pairs}),
            cv_accuracy=trained.cv_accuracy,
            cv_log_loss=trained.cv_log_loss,
            cv_pairs=trained.cv_pairs,
            embed_seconds=round(embedded - started, 3),
            fit_seconds=round(fitted - embedded, 3),
        )


# --- Predicting -------------------------------------------------------------------------------


def _pair_verdict(
    question: dict[str, Any], a: str, b: str, probs: FloatArray, out_of_fold: bool
) -> Verdict:
    p = {a: float(probs[0]), b: float(probs[1]), TIE: float(probs[2])}
    allowed = [a, b, TIE] if question.get("tie", True) else [a, b]
    winner = max(allowed, key=p.__getitem__)
    return Verdict(
        value={"winner": winner},
        probability=p[winner],
        details={"p": p, "out_of_fold": out_of_fold},
    )


def head_verdicts(
    *,
    model: HeadModel,
    version: int,
    items: Sequence[ItemInput],
    questions: Sequence[dict[str, Any]],
    features: dict[tuple[int, str], FloatArray],
) -> dict[Key, Verdict]:
    """The head's answer to each (item, question): pairwise (with ties) or ranking."""
    out: dict[Key, Verdict] = {}
    for item in items:
        keys = [c.key for c in item.candidates]
        missing = [k for k in keys if (item.id, k) not in features]
        weights, out_of_fold = model.for_item(item.id)
        if not missing:
            matrix = np.stack([features[item.id, k] for k in keys])
            scores = dict(zip(keys, (float(s) for s in weights.scores(matrix)), strict=True))
        for question in questions:
            key = (item.id, question["id"])
            if missing:
                out[key] = failed(f"candidate {missing[0]!r} has no embedding")
                continue
            pairs = list(itertools.combinations(keys, 2))
            probs = weights.probabilities(
                np.stack([features[item.id, a] for a, _ in pairs]),
                np.stack([features[item.id, b] for _, b in pairs]),
            )
            pair_details = [
                {"pair": [a, b], "p": {a: float(p[0]), b: float(p[1]), TIE: float(p[2])}}
                for (a, b), p in zip(pairs, probs, strict=True)
            ]
            if question["kind"] == "ranking":
                verdict = ranking_from_scores(scores)
                verdict.details["pairs"] = pair_details
            elif len(keys) == 2:
                verdict = _pair_verdict(question, keys[0], keys[1], probs[0], out_of_fold)
            else:
                verdict = Verdict(value=None, details={"pairs": pair_details})
            verdict.details.update(
                {"rewards": scores, "head_version": version, "out_of_fold": out_of_fold}
            )
            out[key] = verdict_checked(question, item, verdict)
    return out
