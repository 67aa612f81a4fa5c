"""Mapping a reward model's scores onto a rating scale, fitted to people's ratings.

A reward is on an arbitrary scale; a rating dimension has its own (1 to 5, say). When the
project already has human ratings for some of the candidates the judge scored, the map is the
least-squares line from reward to the mean human score; without enough of them (fewer than
three candidates, or all with the same reward) the judge keeps the fixed map it was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_POINTS = 3


@dataclass(frozen=True)
class LinearMap:
    slope: float
    intercept: float
    points: int

    def __call__(self, reward: float) -> float:
        return self.slope * reward + self.intercept


def fit_linear(rewards: Sequence[float], scores: Sequence[float]) -> LinearMap | None:
    """The least-squares line score = slope * reward + intercept, or None if underdetermined."""
    if len(rewards) != len(scores):
        raise ValueError("rewards and scores differ in length")
    x = np.asarray(rewards, dtype=float)
    if len(x) < MIN_POINTS or np.ptp(x) == 0:
        return None
    slope, intercept = np.polyfit(x, np.asarray(scores, dtype=float), deg=1)
    return LinearMap(slope=float(slope), intercept=float(intercept), points=len(x))
