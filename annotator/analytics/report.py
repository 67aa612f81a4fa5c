"""The dashboard's figures from people's answers: plain arrays in, a JSON-ready report out.

Every figure is computed by ``annotator.metrics``; this module only decides what is measured on
what (see ``extract``) and lays the results out. Human-vs-model sections are added by the
report sections that other apps register (``annotator.analytics.sections``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from annotator.analytics.extract import HumanLabels
from annotator.analytics.parts import FIRST, IntArray, Part
from annotator.metrics.agreement import (
    cohen_kappa_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    majority_vote,
    raw_agreement,
)
from annotator.metrics.comparison import first_position_preference, length_bias
from annotator.metrics.consistency import intransitive_triads, self_agreement
from annotator.metrics.estimates import Estimate, finite_or_none
from annotator.metrics.ranking import Leaderboard, bradley_terry
from annotator.metrics.reliability import dawid_skene

Json = dict[str, Any]


def _matrix(values: Any) -> list[list[float | None]]:
    return [[finite_or_none(float(v)) for v in row] for row in np.asarray(values, dtype=np.float64)]


def part_report(part: Part, *, resamples: int) -> Json:
    """Agreement among people on one part of a question."""
    categorical = part.level != "interval"
    n_categories = part.n_categories
    alpha = krippendorff_alpha(
        part.data, part.level, n_categories=n_categories, n_resamples=resamples
    )
    report: Json = {
        "question": part.question,
        "key": part.key,
        "label": part.label,
        "kind": part.kind,
        "level": part.level,
        "categories": part.categories,
        "units": int(part.data.shape[0]),
        "values": int(np.isfinite(part.data).sum()),
        "alpha": alpha.as_dict(),
        "fleiss_kappa": None,
        "raw_agreement": None,
        "cohen_kappa": None,
    }
    if categorical and n_categories:
        # Levels are ordered: a near miss counts less than a far one, as in alpha's ordinal metric.
        weights: Literal["quadratic"] | None = "quadratic" if part.level == "ordinal" else None
        kappa, overlap = cohen_kappa_matrix(part.data, n_categories, weights=weights)
        report["fleiss_kappa"] = fleiss_kappa(
            part.data, n_categories, n_resamples=resamples
        ).as_dict()
        report["raw_agreement"] = raw_agreement(part.data, n_resamples=resamples).as_dict()
        report["cohen_kappa"] = {"kappa": _matrix(kappa), "overlap": overlap.tolist()}
    return report


def consensus_agreement(part: Part) -> tuple[IntArray, IntArray]:
    """Per annotator: values that match the strict majority of the *other* annotators, and
    values compared (units where the others have a majority)."""
    n_annotators = part.data.shape[1]
    hits = np.zeros(n_annotators, dtype=np.int64)
    compared = np.zeros(n_annotators, dtype=np.int64)
    n_categories = part.n_categories
    if not n_categories or part.data.shape[0] == 0:
        return hits, compared
    for annotator in range(n_annotators):
        own = part.data[:, annotator]
        others = majority_vote(np.delete(part.data, annotator, axis=1), n_categories)
        counted = np.isfinite(own) & (others >= 0)
        compared[annotator] = int(counted.sum())
        hits[annotator] = int((own[counted] == others[counted]).sum())
    return hits, compared


def _reliability(parts: list[Part], n_annotators: int) -> list[float | None]:
    """Each annotator's Dawid-Skene accuracy, averaged over the categorical parts they answered
    (weighted by how many values they gave in each)."""
    weighted = np.zeros(n_annotators)
    weights = np.zeros(n_annotators)
    for part in parts:
        if not part.n_categories or part.data.shape[0] == 0:
            continue
        labels = np.where(np.isfinite(part.data), part.data, -1).astype(np.int64)
        result = dawid_skene(labels, part.n_categories)
        given = (labels >= 0).sum(axis=0).astype(np.float64)
        usable = np.isfinite(result.accuracy) & (given > 0)
        weighted[usable] += result.accuracy[usable] * given[usable]
        weights[usable] += given[usable]
    return [float(w / n) if n > 0 else None for w, n in zip(weighted, weights, strict=True)]


def _self_agreement(labels: HumanLabels, parts: list[Part]) -> dict[int, Estimate]:
    """Each annotator's agreement with themselves on repeated items, over categorical parts."""
    group_of = {item: g for g, group in enumerate(labels.repeats) for item in group}
    if not group_of:
        return {}
    units: list[IntArray] = []
    coders: list[IntArray] = []
    values: list[IntArray] = []
    offset = 0
    for part in parts:
        if not part.n_categories:
            continue
        groups = np.array([group_of.get(int(i), -1) for i in part.items], dtype=np.int64)
        targets = {t: n for n, t in enumerate(sorted(set(part.targets)))}
        target = np.array([targets[t] for t in part.targets], dtype=np.int64)
        rows, columns = np.nonzero(np.isfinite(part.data) & (groups >= 0)[:, None])
        unit = offset + groups[rows] * len(targets) + target[rows]
        units.append(unit)
        coders.append(columns.astype(np.int64))
        values.append(part.data[rows, columns].astype(np.int64))
        offset += (len(labels.repeats) + 1) * max(1, len(targets))
    if not units:
        return {}
    unit_all, coder_all, value_all = (np.concatenate(a) for a in (units, coders, values))
    return {
        annotator: self_agreement(
            unit_all[coder_all == annotator],
            coder_all[coder_all == annotator],
            value_all[coder_all == annotator],
        )
        for annotator in range(len(labels.annotators))
    }


def _triads(labels: HumanLabels) -> tuple[IntArray, IntArray]:
    """Per annotator: triads of candidates they compared in full, and cyclic ones among them."""
    n_annotators = len(labels.annotators)
    triads = np.zeros(n_annotators, dtype=np.int64)
    cyclic = np.zeros(n_annotators, dtype=np.int64)
    n_prompts = max(labels.prompt_ids.values(), default=0) + 1
    for found in labels.comparisons:
        if found.item.size == 0:
            continue
        prompts = np.array([labels.prompt_ids.get(int(i), 0) for i in found.item], dtype=np.int64)
        group = found.annotator * n_prompts + prompts
        outcome = np.where(found.outcome == 1, 1, np.where(found.outcome == 0, -1, 0))
        # Identical texts (two models answering alike) are one candidate: no vote between them.
        distinct = (found.first_text != found.second_text) & (found.first_text >= 0)
        counts = intransitive_triads(
            group[distinct],
            found.first_text[distinct],
            found.second_text[distinct],
            outcome[distinct].astype(np.int64),
        )
        owner = counts.groups // n_prompts
        np.add.at(triads, owner, counts.triads)
        np.add.at(cyclic, owner, counts.cyclic)
    return triads, cyclic


def annotators_report(labels: HumanLabels, *, resamples: int) -> list[Json]:
    """One row per annotator: volume, speed, agreement with the others, gold, reliability."""
    n = len(labels.annotators)
    rows = labels.rows
    categorical = [part for part in labels.parts if part.n_categories]
    hits = np.zeros(n, dtype=np.int64)
    compared = np.zeros(n, dtype=np.int64)
    for part in categorical:
        part_hits, part_compared = consensus_agreement(part)
        hits += part_hits
        compared += part_compared
    reliability = _reliability(categorical, n)
    repeated = _self_agreement(labels, categorical)
    triads, cyclic = _triads(labels)
    report = []
    for index, (user, name) in enumerate(zip(labels.annotators, labels.usernames, strict=True)):
        mine = rows.annotator == index
        spent = rows.time_spent_ms[mine]
        gold = rows.gold_correct[mine & rows.is_gold]
        hours = float(spent.sum()) / 3_600_000
        report.append(
            {
                "id": user,
                "username": name,
                "annotations": int(mine.sum()),
                "items_per_hour": finite_or_none(mine.sum() / hours) if hours > 0 else None,
                "median_seconds": finite_or_none(float(np.median(spent)) / 1000)
                if spent.size
                else None,
                "consensus_agreement": finite_or_none(hits[index] / compared[index])
                if compared[index]
                else None,
                "consensus_compared": int(compared[index]),
                "gold_answered": int(gold.size),
                "gold_accuracy": finite_or_none(float(gold.mean())) if gold.size else None,
                "reliability": reliability[index],
                "self_agreement": repeated[index].as_dict()
                if index in repeated
                else Estimate.undefined().as_dict(),
                "triads": int(triads[index]),
                "cyclic_triads": int(cyclic[index]),
            }
        )
    return report


def board_json(question: str, source: str, models: list[str], board: Leaderboard | None) -> Json:
    """A leaderboard as JSON; empty lists when there was nothing to rank."""
    if board is None:
        return {
            "question": question, "source": source, "models": [], "scores": [], "low": [],
            "high": [], "comparisons": [], "tie_parameter": None, "win_rate": [], "counts": [],
        }  # fmt: skip
    return {
        "question": question,
        "source": source,
        "models": models,
        "scores": [finite_or_none(float(v)) for v in board.scores],
        "low": [finite_or_none(float(v)) for v in board.low],
        "high": [finite_or_none(float(v)) for v in board.high],
        "comparisons": board.comparisons.tolist(),
        "tie_parameter": finite_or_none(board.tie_parameter),
        "win_rate": _matrix(board.win_rate),
        "counts": board.counts.tolist(),
    }


def leaderboard_report(labels: HumanLabels, *, resamples: int) -> list[Json]:
    """Bradley-Terry (Davidson ties) per pairwise or ranking question, from people's labels."""
    boards: list[Json] = []
    for found in labels.comparisons:
        board = None
        # A model against itself (two samples of one model) says nothing about its strength.
        apart = found.first != found.second
        if labels.models and apart.any():
            board = bradley_terry(
                found.first[apart],
                found.second[apart],
                found.outcome[apart],
                len(labels.models),
                n_resamples=resamples,
            )
        boards.append(board_json(found.question, "people", labels.models, board))
    return boards


def bias_report(labels: HumanLabels, *, resamples: int) -> list[Json]:
    """People's length bias and first-position preference, per pairwise or ranking question."""
    report = []
    for found in labels.comparisons:
        decisive = found.outcome != 0.5
        winner = np.where(found.outcome == 1, FIRST, 1 - FIRST)
        winner = np.where(decisive, winner, -1).astype(np.int64)
        shown = found.shown_first_won
        # Display terms: 0 the first shown won, 1 the second, 2 a tie, -1 no display order.
        display = np.select([shown == 1, shown == 0, shown == -1], [0, 1, 2], default=-1)
        report.append(
            {
                "question": found.question,
                "source": "people",
                "longer_wins": length_bias(
                    winner, found.first_length, found.second_length, n_resamples=resamples
                ).as_dict(),
                "first_shown_wins": first_position_preference(
                    display.astype(np.int64), n_resamples=resamples
                ).as_dict(),
            }
        )
    return report


def human_report(labels: HumanLabels, *, resamples: int = 1000) -> Json:
    """Everything the dashboard shows about people's labels."""
    return {
        "annotators_count": len(labels.annotators),
        "parts": [part_report(part, resamples=resamples) for part in labels.parts],
        "annotators": annotators_report(labels, resamples=resamples),
        "leaderboards": leaderboard_report(labels, resamples=resamples),
        "bias": bias_report(labels, resamples=resamples),
    }
