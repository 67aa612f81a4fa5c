"""From engine numbers to answers: plain Python over plain data (no ORM, no torch).

Every function returns a ``Verdict`` whose ``value`` has the same canonical form as a person's
answer to that question (see ``annotator.answers``), so predictions and human labels are
compared without translation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TIE = "tie"


@dataclass
class Verdict:
    value: dict[str, Any] | None
    probability: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    swap_inconsistency: float | None = None
    error: str = ""


def failed(message: str) -> Verdict:
    return Verdict(value=None, error=message)


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


def pairwise_from_rewards(x: str, y: str, reward_x: float, reward_y: float) -> Verdict:
    """Bradley-Terry reading of two rewards: P(x beats y) = sigmoid(r_x - r_y)."""
    p_x = sigmoid(reward_x - reward_y)
    winner = x if p_x >= 0.5 else y
    return Verdict(
        value={"winner": winner},
        probability=max(p_x, 1 - p_x),
        details={"rewards": {x: reward_x, y: reward_y}, "p": {x: p_x, y: 1 - p_x}},
    )


def _by_key(x: str, y: str, probs: Sequence[float], *, first: str) -> dict[str, float]:
    """Map a distribution over (A, B[, tie]) to candidate keys, ``first`` shown as A."""
    second = y if first == x else x
    out = {first: probs[0], second: probs[1]}
    if len(probs) > 2:
        out[TIE] = probs[2]
    return out


def pairwise_from_choices(
    x: str, y: str, forward: Sequence[float], backward: Sequence[float] | None
) -> Verdict:
    """Combine a pairwise verdict read in both orders (``backward`` shows y first).

    The combined distribution is the mean of the two orders, which cancels a constant pull
    towards one position. What is kept about the disagreement: ``swap_inconsistency`` (total
    variation distance between the two orders' distributions, 0 = same verdict whatever the
    order), whether the most likely answer flipped, and the share of the non-tie probability
    that went to whichever response was shown first (0.5 = no position preference).
    """
    fwd = _by_key(x, y, forward, first=x)
    details: dict[str, Any] = {"orders": {"forward": fwd}}
    if backward is None:
        combined = fwd
        inconsistency = None
    else:
        bwd = _by_key(x, y, backward, first=y)
        combined = {k: (fwd[k] + bwd[k]) / 2 for k in fwd}
        inconsistency = 0.5 * sum(abs(fwd[k] - bwd[k]) for k in fwd)
        first_share = [
            forward[0] / (forward[0] + forward[1]) if forward[0] + forward[1] else 0.5,
            backward[0] / (backward[0] + backward[1]) if backward[0] + backward[1] else 0.5,
        ]
        details["orders"]["backward"] = bwd
        details["flipped"] = max(fwd, key=fwd.__getitem__) != max(bwd, key=bwd.__getitem__)
        details["first_position"] = sum(first_share) / 2
    winner = max(combined, key=combined.__getitem__)
    details["p"] = combined
    return Verdict(
        value={"winner": winner},
        probability=combined[winner],
        details=details,
        swap_inconsistency=inconsistency,
    )


def ranking_from_scores(scores: Mapping[str, float]) -> Verdict:
    """Best first by score; each candidate its own group (a judge's scores do not tie)."""
    order = sorted(scores, key=lambda key: -scores[key])
    return Verdict(value={"order": [[key] for key in order]}, details={"scores": dict(scores)})


def scale_points(dimension: Mapping[str, Any]) -> list[float]:
    """Every allowed value of a rating dimension, lowest first."""
    low, high, step = dimension.get("min", 1), dimension.get("max", 5), dimension.get("step", 1)
    count = round((high - low) / step) + 1
    return [_tidy(low + n * step) for n in range(count) if low + n * step <= high + 1e-9]


def _tidy(value: float) -> float:
    rounded = round(value, 9)
    return int(rounded) if rounded == int(rounded) else rounded


def snap(value: float, dimension: Mapping[str, Any]) -> float:
    """The allowed value of the dimension nearest to ``value``."""
    return min(scale_points(dimension), key=lambda point: abs(point - value))


def map_reward(
    reward: float, dimension: Mapping[str, Any], *, low: float | None, high: float | None
) -> float:
    """A reward on a dimension's scale: linear between ``low`` and ``high`` (clipped), else a
    logistic squash (reward 0 maps to the middle of the scale)."""
    d_low, d_high = dimension.get("min", 1), dimension.get("max", 5)
    if low is not None and high is not None and high != low:
        share = min(1.0, max(0.0, (reward - low) / (high - low)))
    else:
        share = sigmoid(reward)
    return snap(d_low + share * (d_high - d_low), dimension)


def expected(probs: Sequence[float], values: Sequence[float]) -> float:
    return float(sum(p * v for p, v in zip(probs, values, strict=True)))


def level_verdict(probs: Sequence[float], values: Sequence[float]) -> tuple[int, float]:
    """The most likely level's index and its probability."""
    best = max(range(len(probs)), key=probs.__getitem__)
    return best, float(probs[best])
