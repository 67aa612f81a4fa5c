"""The items behind a figure of the dashboard: which items a number was computed from.

Computed on request from the same arrays as the report, for one part of one question.
"""

from __future__ import annotations

import numpy as np

from annotator.analytics.extract import HumanLabels
from annotator.analytics.parts import IntArray, Part
from annotator.metrics.agreement import majority_vote


def part_of(labels: HumanLabels, key: str) -> Part:
    """The part called ``key``; ``KeyError`` when the project measures no such part."""
    for part in labels.parts:
        if part.key == key:
            return part
    raise KeyError(key)


def _column(labels: HumanLabels, user_id: int) -> int:
    if user_id not in labels.annotators:
        raise KeyError(user_id)
    return labels.annotators.index(user_id)


def items_where(
    labels: HumanLabels,
    part: Part,
    *,
    annotator: int | None = None,
    other: int | None = None,
    disagree: bool = False,
) -> IntArray:
    """Ids of the items with units in ``part`` matching the conditions, in id order.

    ``annotator``: units that person answered. With ``other`` too: units both answered (a cell
    of the pairwise kappa matrix). ``disagree``: only units where the person's value differs
    from ``other``'s, or without ``other``, from the majority of everyone else (the annotator
    table's consensus agreement).
    """
    data = part.data
    keep = np.isfinite(data).any(axis=1)
    if annotator is not None:
        mine = data[:, _column(labels, annotator)]
        keep &= np.isfinite(mine)
        if other is not None:
            theirs = data[:, _column(labels, other)]
            keep &= np.isfinite(theirs)
            if disagree:
                keep &= mine != theirs
        elif disagree and part.n_categories:
            others = np.delete(data, _column(labels, annotator), axis=1)
            majority = majority_vote(others, part.n_categories)
            keep &= (majority >= 0) & (mine != majority)
    return np.unique(part.items[keep])
