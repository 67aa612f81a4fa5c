"""Judges against people: the dashboard's human-vs-model section.

Registered with the core's report (``annotator.analytics.sections``) when the app loads. For each
judge, its latest prediction per (item, question) goes through the same part builder as
people's answers, so a prediction and the human consensus line up unit by unit: an item and a
pair for pairwise, an item and a candidate for ranks, scores and rubric levels.

The human reference of a unit is the strict majority of people's values for categories
(units without one are left out of accuracy and kappa) and their mean for ranks and scores
(for rank correlation).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np

from annotator.analytics.extract import HumanLabels, Scope
from annotator.analytics.parts import FIRST, SECOND, TIE, FloatArray, IntArray, Part, PartsBuilder
from annotator.analytics.report import Json, board_json, leaderboard_report
from annotator.metrics.agreement import majority_vote
from annotator.metrics.comparison import (
    accuracy,
    confusion_matrix,
    expected_calibration_error,
    judge_kappa,
    length_bias,
    rank_correlation,
    reliability_curve,
)
from annotator.metrics.estimates import Estimate, bootstrap_sums, finite_or_none
from annotator.metrics.ranking import bradley_terry
from annotator.models import Project
from judges.models import Judge, Prediction

# Calibration bins of the pairwise reliability curve.
CALIBRATION_BINS = 10


def latest_predictions(
    *, project: Project, judge_ids: Iterable[int], scope: Scope
) -> dict[int, dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]]]:
    """judge -> (item, question) -> (value, details) of its most recent successful prediction."""
    rows = Prediction.objects.filter(project=project, judge_id__in=list(judge_ids), error="")
    rows = rows.filter(scope.meta_filter("item__meta"))
    latest: dict[int, dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]]] = {}
    found: Iterable[tuple[int, int, str, Any, Any]] = (
        rows.order_by("run_id")
        .values_list("judge_id", "item_id", "question_id", "value", "details")
        .iterator(chunk_size=5000)
    )
    for judge, item, question, value, details in found:
        if isinstance(value, dict):
            latest.setdefault(judge, {})[item, question] = (value, details or {})
    return latest


def _mean(values: FloatArray, resamples: int) -> Estimate:
    """Mean of per-unit values with a bootstrap interval over units."""
    per_unit = np.column_stack([values, np.ones_like(values)])

    def statistic(sums: FloatArray) -> FloatArray:
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(sums[:, 0] / sums[:, 1], dtype=np.float64)

    return bootstrap_sums(per_unit, statistic, n_resamples=resamples)


def _aligned(human: Part, judged: Part) -> tuple[IntArray, FloatArray]:
    """For each human unit, the row of the judge's value for it (-1 when not judged)."""
    rows = {
        (int(item), target): row
        for row, (item, target) in enumerate(zip(judged.items, judged.targets, strict=True))
    }
    index = np.array(
        [rows.get((int(i), t), -1) for i, t in zip(human.items, human.targets, strict=True)],
        dtype=np.int64,
    )
    values = np.where(index >= 0, judged.data[np.maximum(index, 0), 0], np.nan)
    return index, values


def part_vs_people(human: Part, judged: Part, *, resamples: int) -> Json:
    """One judge on one part: agreement with the human consensus, and correlation."""
    _, predicted = _aligned(human, judged)
    report: Json = {
        "question": human.question,
        "key": human.key,
        "label": human.label,
        "level": human.level,
        "categories": human.categories,
        "judged": int(np.isfinite(predicted).sum()),
    }
    if human.n_categories:
        reference = majority_vote(human.data, human.n_categories)
        codes = np.where(np.isfinite(predicted), predicted, -1).astype(np.int64)
        tie = TIE if human.kind == "pairwise" else None
        overall, decisive = accuracy(codes, reference, tie=tie, n_resamples=resamples)
        report["compared"] = overall.n
        report["accuracy"] = overall.as_dict()
        report["accuracy_without_ties"] = decisive.as_dict() if tie is not None else None
        weights: Literal["quadratic"] | None = "quadratic" if human.level == "ordinal" else None
        report["kappa"] = finite_or_none(
            judge_kappa(codes, reference, human.n_categories, weights=weights)
        )
        report["confusion"] = confusion_matrix(codes, reference, human.n_categories).tolist()
    if human.level != "nominal":
        consensus = np.full(human.data.shape[0], np.nan)
        if human.data.shape[1]:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # units nobody scored
                consensus = np.nanmean(human.data, axis=1)
        rho, tau, n = rank_correlation(predicted, consensus)
        report["spearman"], report["kendall"], report["correlated"] = (
            finite_or_none(rho),
            finite_or_none(tau),
            n,
        )
    return report


def _pairwise_extras(
    human: Part,
    judged: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]],
    labels: HumanLabels,
    *,
    resamples: int,
) -> Json:
    """Calibration of P(first candidate wins), position and length bias of a pairwise judge."""
    reference = majority_vote(human.data, 3)
    outcome_of = {FIRST: 1.0, SECOND: 0.0, TIE: 0.5}
    probability, outcome, flipped, first_share = [], [], [], []
    winner, length_first, length_second = [], [], []
    for row, (item, target) in enumerate(zip(human.items.tolist(), human.targets, strict=True)):
        found = judged.get((item, human.question))
        if found is None:
            continue
        value, details = found
        first, _, second = target.partition("|")
        candidates = labels.candidates.get(item, {})
        p = details.get("p", {})
        if reference[row] >= 0 and isinstance(p.get(first), int | float):
            probability.append(float(p[first]))
            outcome.append(outcome_of[int(reference[row])])
        if "flipped" in details:
            flipped.append(float(details["flipped"]))
            first_share.append(float(details.get("first_position", 0.5)))
        if first in candidates and second in candidates:
            chosen = value.get("winner")
            winner.append(0 if chosen == first else 1 if chosen == second else 2)
            length_first.append(float(candidates[first][2]))
            length_second.append(float(candidates[second][2]))
    curve = reliability_curve(
        np.asarray(probability, dtype=np.float64),
        np.asarray(outcome, dtype=np.float64),
        n_bins=CALIBRATION_BINS,
    )
    return {
        "calibration": {
            "edges": curve.edges.tolist(),
            "predicted": [finite_or_none(float(v)) for v in curve.predicted],
            "observed": [finite_or_none(float(v)) for v in curve.observed],
            "count": curve.count.tolist(),
            "ece": finite_or_none(expected_calibration_error(curve)) if probability else None,
        },
        "flip_rate": _mean(np.asarray(flipped, dtype=np.float64), resamples).as_dict(),
        "first_position": _mean(np.asarray(first_share, dtype=np.float64), resamples).as_dict(),
        "longer_wins": length_bias(
            np.asarray(winner, dtype=np.int64),
            np.asarray(length_first, dtype=np.float64),
            np.asarray(length_second, dtype=np.float64),
            n_resamples=resamples,
        ).as_dict(),
    }


def _judge_leaderboards(
    questions: list[dict[str, Any]],
    judged: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]],
    shown: dict[tuple[int, str], list[str]],
    labels: HumanLabels,
    people: dict[str, Json],
    *,
    resamples: int,
) -> list[Json]:
    """Bradley-Terry of the candidates' models from the judge's pairwise and ranking answers."""
    models = {name: n for n, name in enumerate(labels.models)}
    boards = []
    for question in questions:
        if question["kind"] not in {"pairwise", "ranking"}:
            continue
        first, second, outcome = [], [], []
        for (item, qid), (value, _) in judged.items():
            if qid != question["id"]:
                continue
            candidates = labels.candidates.get(item, {})
            for a, b, result in _pairs(value, shown.get((item, qid), []), candidates):
                model_a = models.setdefault(candidates[a][1] or "(unnamed)", len(models))
                model_b = models.setdefault(candidates[b][1] or "(unnamed)", len(models))
                if model_a != model_b:  # a model against itself says nothing of its strength
                    first.append(model_a)
                    second.append(model_b)
                    outcome.append(result)
        if not first:
            continue
        board = bradley_terry(
            np.asarray(first, dtype=np.int64),
            np.asarray(second, dtype=np.int64),
            np.asarray(outcome, dtype=np.float64),
            len(models),
            n_resamples=resamples,
        )
        entry = board_json(question["id"], "judge", list(models), board)
        entry["rank_correlation"] = None
        human = people.get(question["id"])
        if human is not None and human["models"]:
            # Scores equal but for the optimiser's last digits are a tie, not an order.
            ours = _rounded(entry["scores"][: len(human["scores"])])
            theirs = _rounded(human["scores"])
            rho, tau, n = rank_correlation(ours, theirs)
            entry["rank_correlation"] = {
                "spearman": finite_or_none(rho),
                "kendall": finite_or_none(tau),
                "n": n,
            }
        boards.append(entry)
    return boards


def _rounded(scores: list[float | None]) -> FloatArray:
    values = np.array([np.nan if v is None else v for v in scores], dtype=np.float64)
    return np.asarray(values.round(6), dtype=np.float64)


def _pairs(
    value: dict[str, Any], keys: list[str], candidates: dict[str, tuple[int, str, int]]
) -> Iterable[tuple[str, str, float]]:
    """(canonically first key, second key, outcome for the first) for each pair an answer orders;
    ``keys``: the pair a pairwise answer is about."""
    if "winner" in value:
        keys = [k for k in keys if k in candidates]
        if len(keys) != 2:
            return
        a, b = sorted(keys, key=lambda key: candidates[key][0])
        chosen = value["winner"]
        yield a, b, 0.5 if chosen == "tie" else float(chosen == a)
    elif "order" in value:
        rank = {key: r for r, group in enumerate(value["order"]) for key in group}
        ranked = sorted((k for k in rank if k in candidates), key=lambda k: candidates[k][0])
        for n, a in enumerate(ranked):
            for b in ranked[n + 1 :]:
                yield a, b, 0.5 if rank[a] == rank[b] else float(rank[a] < rank[b])


def _keys(
    item: int, value: dict[str, Any], details: dict[str, Any], labels: HumanLabels
) -> list[str]:
    """The candidates a prediction is about, in canonical order."""
    candidates = labels.candidates.get(item, {})
    keys = list(candidates)
    if "winner" in value:
        # Pairwise: the two keys of its distribution (an item may have more candidates).
        keys = [k for k in details.get("p", {}) if k in candidates] or keys[:2]
    return sorted(keys, key=lambda key: candidates[key][0])


def judged_parts(
    questions: list[dict[str, Any]],
    judged: dict[tuple[int, str], tuple[dict[str, Any], dict[str, Any]]],
    labels: HumanLabels,
) -> tuple[list[Part], dict[tuple[int, str], list[str]]]:
    """A judge's predictions as one-coder parts, and the candidates each prediction is about."""
    builder = PartsBuilder(questions)
    shown: dict[tuple[int, str], list[str]] = {}
    for (item, qid), (value, details) in judged.items():
        shown[item, qid] = _keys(item, value, details, labels)
        builder.add(item, shown[item, qid], 0, {qid: value})
    return builder.build(1), shown


def confusion_items(
    *, project: Project, judge: Judge, scope: Scope, labels: HumanLabels, part: Part,
    people: int, predicted: int,
) -> IntArray:  # fmt: skip
    """Items of one confusion-matrix cell: people's majority ``people``, the judge ``predicted``."""
    judged = latest_predictions(project=project, judge_ids=[judge.pk], scope=scope).get(
        judge.pk, {}
    )
    built, _ = judged_parts(list(project.questions), judged, labels)
    mine = next((p for p in built if p.key == part.key), None)
    if mine is None or not part.n_categories:
        return np.zeros(0, dtype=np.int64)
    _, values = _aligned(part, mine)
    keep = (majority_vote(part.data, part.n_categories) == people) & (values == predicted)
    return np.unique(part.items[keep])


def judges_section(
    project: Project, scope: Scope, labels: HumanLabels, resamples: int
) -> list[Json]:
    """Every judge of the project (or of the scope's judges) against people."""
    judges = Judge.objects.filter(project=project).order_by("id")
    if scope.judges:
        judges = judges.filter(pk__in=scope.judges)
    judges_list = list(judges)
    predictions = latest_predictions(
        project=project, judge_ids=[j.pk for j in judges_list], scope=scope
    )
    questions: list[dict[str, Any]] = list(project.questions)
    human_parts = {part.key: part for part in labels.parts}
    people = {board["question"]: board for board in leaderboard_report(labels, resamples=resamples)}
    out = []
    for judge in judges_list:
        judged = predictions.get(judge.pk, {})
        built, shown = judged_parts(questions, judged, labels)
        parts = []
        for part in built:
            human = human_parts.get(part.key)
            if human is None or not np.isfinite(part.data).any():
                continue
            report = part_vs_people(human, part, resamples=resamples)
            if human.kind == "pairwise":
                report.update(_pairwise_extras(human, judged, labels, resamples=resamples))
            parts.append(report)
        out.append(
            {
                "judge": judge.pk,
                "name": judge.name,
                "kind": judge.kind,
                "predictions": len(judged),
                "parts": parts,
                "leaderboards": _judge_leaderboards(
                    questions, judged, shown, labels, people, resamples=resamples
                ),
            }
        )
    return out
