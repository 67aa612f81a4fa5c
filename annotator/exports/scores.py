"""Aggregating rankings, ratings and rubric scores of one item across its annotators.

* Rankings: the aggregate order sorts candidates by mean rank (Borda), tied where the means are
  equal; agreement is Kendall's coefficient of concordance W (with the correction for tied
  ranks). ``unanimous`` keeps items every annotator ordered the same; ``min_agreement`` items
  whose W reaches the threshold.
* Ratings and rubric levels: the aggregate is the mean; agreement is the share of annotators
  who gave the most common value (the lowest such share over the dimensions or criteria).
  ``unanimous`` keeps candidates everyone scored the same; ``min_agreement`` those whose
  agreement reaches the threshold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import rankdata


def fractional_ranks(order: Sequence[Sequence[str]], keys: Sequence[str]) -> list[float] | None:
    """Ranks from 1 (best) of ``keys`` in an order of groups, tied groups sharing the mean rank;
    ``None`` when the order does not rank every key."""
    group_of = {key: g for g, group in enumerate(order) for key in group}
    if any(key not in group_of for key in keys):
        return None
    return [float(r) for r in rankdata([group_of[key] for key in keys], method="average")]


def kendall_w(ranks: np.ndarray) -> float:
    """Kendall's W of ``(raters, objects)`` ranks (average ranks for ties), tie-corrected.

    1 when every rater gives the same ranks (or with one rater), 0 for no agreement at all.
    """
    m, n = ranks.shape
    if m < 2:
        return 1.0
    if n < 2:
        return 1.0
    totals = ranks.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    ties = 0.0
    for row in ranks:
        counts = np.unique(row, return_counts=True)[1]
        ties += float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    return 1.0 if denominator <= 0 else min(1.0, 12 * s / denominator)


def aggregate_ranking(
    orders: Sequence[Sequence[Sequence[str]]], keys: Sequence[str]
) -> tuple[list[list[str]], float, bool] | None:
    """``(order, W, unanimous)`` from several annotators' orders of ``keys``; ``None`` if none
    ranks every key."""
    rows = [r for r in (fractional_ranks(o, keys) for o in orders) if r is not None]
    if not rows:
        return None
    ranks = np.asarray(rows)
    mean = ranks.mean(axis=0)
    groups: dict[float, list[str]] = {}
    for key, value in sorted(zip(keys, mean.round(9), strict=True), key=lambda kv: kv[1]):
        groups.setdefault(float(value), []).append(key)
    unanimous = bool((ranks == ranks[0]).all())
    return list(groups.values()), round(kendall_w(ranks), 6), unanimous


def modal_share(values: Sequence[Any]) -> float:
    """The share of ``values`` equal to the most common one (1.0 for a single value)."""
    if not values:
        return 0.0
    return Counter(values).most_common(1)[0][1] / len(values)


def mean(values: Sequence[float]) -> float:
    return round(float(np.mean(values)), 6)


def passes(agreement: float, unanimous: bool, aggregation: str, threshold: float) -> bool:
    """Whether an aggregate with this agreement is kept by the aggregation rule."""
    if aggregation == "unanimous":
        return unanimous
    if aggregation == "min_agreement":
        return agreement >= threshold
    return True
