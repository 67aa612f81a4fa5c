"""Acquisition strategies: which open item should a person label next.

Each strategy turns per-item signals, gathered by a service and passed in as plain sequences
index-aligned with the project's open items, into a score where higher means "label sooner" and
``nan`` means "this strategy has nothing to say about this item". :func:`mix` then combines a
project's weighted choice of strategies into one priority in [0, 1].

Strategies live on different scales (a margin, a standard deviation, a cosine distance, a hash),
so the mix compares them through percentile ranks, not raw values: what a strategy contributes
is where an item stands among the items that strategy scored.

Plain Python over numpy (no Django, no torch), so it is fast and tested alone.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import rankdata

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_Float32Array = npt.NDArray[np.float32]

STRATEGIES = (
    "uncertainty",
    "judge_disagreement",
    "position_inconsistency",
    "human_disagreement",
    "diversity",
    "random",
)

# Probabilities may arrive a rounding error outside [0, 1] (sums of softmax outputs, JSON floats).
_PROBABILITY_SLACK = 1e-6
# Embeddings must be unit vectors for 1 - dot to be the cosine distance; this allows float32 noise.
_NORM_SLACK = 1e-3
# Diversity works on blocks of this many open items: a block is brought up to date with every
# pending chosen vector in one matrix product, which is far faster than one pass per choice.
_DIVERSITY_BLOCK = 2048
# Cells of one (open x labeled) product block when measuring distances to labeled items.
_PRODUCT_CELLS = 8_000_000


def uncertainty(probs: Sequence[Sequence[float] | None]) -> FloatArray:
    """How unsure the trained head is about each item's pair, in [0, 1].

    ``probs[i]`` is the head's distribution over (first wins, second wins, tie), or only the two
    win probabilities when the head has no tie outcome; ``None`` when the head has not scored the
    item (score ``nan``). The distribution is renormalised to sum to 1.

    The score is the variance of the outcome coded +1 (first wins), 0 (tie), -1 (second wins):
    ``P(first) + P(second) - (P(first) - P(second))**2``. For a head without ties this is
    ``1 - (P(first) - P(second))**2``, which orders items exactly as the margin
    ``1 - |P(first) - P(second)|`` does (the mix only uses the order): 1 for a coin flip, 0.04
    for 0.99/0.01. With ties it stays a single, principled number: it is the Fisher information
    that one label carries about the pair's score gap under the head's Davidson model
    (``judges.head``), so it picks the labels that move the head most. A confidently predicted
    tie (0.05, 0.05, 0.9) scores 0.1, as low as a confident win: the label is expected to
    confirm what the head believes. Comparing only the two win probabilities would rank it level
    with a true 0.5/0.5 item. A spread tie (0.3, 0.3, 0.4) still scores 0.6.
    """
    scores = np.full(len(probs), np.nan)
    for index, dist in enumerate(probs):
        if dist is None:
            continue
        if len(dist) not in (2, 3):
            raise ValueError(
                f"uncertainty: item {index} has {len(dist)} probabilities; expected "
                "(first, second) or (first, second, tie)"
            )
        p = _probabilities(dist, f"uncertainty: item {index}")
        total = float(p.sum())
        if total <= 0:
            raise ValueError(f"uncertainty: item {index} has probabilities that sum to 0")
        first, second = float(p[0]) / total, float(p[1]) / total
        scores[index] = min(1.0, max(0.0, first + second - (first - second) ** 2))
    return scores


def judge_disagreement(probs: Sequence[Sequence[float]]) -> FloatArray:
    """How much the judges disagree about each item, in [0, 1].

    ``probs[i]`` holds, for each judge that predicted item ``i``, its P(first > second) with
    ties removed and renormalised. The score is twice the population standard deviation across
    those judges: two judges at 0 and 1 give 1 (the largest spread values in [0, 1] can have),
    judges that all say the same give 0. Fewer than two judges give ``nan``.

    The standard deviation already covers judges that disagree in verdict: 0.9 against 0.1 is a
    wide spread. Judges that "disagree" only because they sit on either side of 0.5 (0.49 and
    0.51) score near 0 on purpose: both are coin flips, their verdicts differ by noise, and the
    uncertainty strategy is the one that looks for coin flips.
    """
    flat, lengths = _ragged(probs, "judge_disagreement")
    scores = np.full(len(lengths), np.nan)
    counts = lengths.astype(np.float64)
    owner = np.repeat(np.arange(len(lengths)), lengths)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(owner, weights=flat, minlength=len(lengths)) / counts
        deviation = flat - mean[owner]
        variance = np.bincount(owner, weights=deviation**2, minlength=len(lengths)) / counts
    enough = lengths >= 2
    scores[enough] = np.clip(2.0 * np.sqrt(variance[enough]), 0.0, 1.0)
    return scores


def position_inconsistency(values: Sequence[Sequence[float]]) -> FloatArray:
    """How much a judge changed its mind when the candidates swapped places, in [0, 1].

    ``values[i]`` holds, for each judge that judged item ``i`` in both display orders, the total
    variation distance between its two verdicts (after mapping them back to the same order). The
    score is the largest of them: one judge that flips with the order is enough to make the
    model verdicts on the item doubtful, whatever the others did. No such judge gives ``nan``.
    """
    flat, lengths = _ragged(values, "position_inconsistency")
    scores = np.full(len(lengths), np.nan)
    present = lengths > 0
    if present.any():
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[present]
        # Empty segments between the starts hold no values, so each reduction covers exactly
        # its own item's values.
        scores[present] = np.maximum.reduceat(flat, starts)
    return scores


def human_disagreement(votes: Sequence[Mapping[str, float]]) -> FloatArray:
    """How far the people who labeled each item are from settling it, in [0, 1].

    ``votes[i]`` maps each answer given for item ``i`` (a candidate key or ``"tie"``) to the
    number of people who gave it. The score is ``2 * (1 - largest share)`` clipped to [0, 1]:
    it is 1 exactly when no answer has a strict majority (a 1-1 split, a three-way 1-1-1) and
    falls linearly to 0 at unanimity (a 2-1 split scores 2/3). Majority is how labels are
    aggregated, so an item without one is the one a further annotator can settle.

    Normalising by the number of answers seen, ``(1 - share) / (1 - 1/k)``, was rejected: it
    rates a 3-3 split above 3-3-1, so a further dissenting vote would make the item look more
    settled. Fewer than two votes in all give ``nan``: there is nothing to disagree about yet.
    """
    scores = np.full(len(votes), np.nan)
    for index, counts in enumerate(votes):
        values = np.array([float(v) for v in counts.values()], dtype=np.float64)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError(
                f"human_disagreement: item {index} has a vote count that is negative or not finite"
            )
        total = float(values.sum())
        if total < 2:
            continue
        scores[index] = min(1.0, 2.0 * (1.0 - float(values.max()) / total))
    return scores


def diversity(
    open_vectors: FloatArray, labeled_vectors: FloatArray, *, greedy: int = 512
) -> FloatArray:
    """Farthest-first coverage of the embedding space, in [0, 1].

    ``open_vectors`` (n, d) and ``labeled_vectors`` (m, d; m may be 0) are L2-normalised item
    embeddings; distance is cosine distance, ``1 - dot``. The k-center greedy traversal picks,
    ``greedy`` times, the open item farthest from its nearest already-labeled or already-picked
    vector, so the first picks spread over regions that labels do not cover yet (an outlier, an
    unlabeled cluster) before items next to labeled ones. With no labeled items the first pick
    is the item farthest from the mean direction of the open items (the lowest dot product with
    their mean; the first index when that is a tie), a deterministic stand-in for the arbitrary
    first center of the traversal.

    Pick ``k`` (0-based) of the ``g = min(greedy, n)`` picks scores ``1 - k / (2g)``, so picks run
    from 1 down to just above 0.5 in pick order. Every other item scores ``d / 4``, where ``d``
    in [0, 2] is its distance to the nearest labeled or picked vector at the end; that is at most
    0.5, below every pick.

    Exactly the classic traversal, made fast: open items are kept in blocks with an upper bound
    on each block's largest distance (distances only shrink as vectors are picked), and only the
    block on top of the bounds is brought up to date, with one matrix product over the picks it
    has not seen. A pick is made once the top block is up to date, which is when it holds the
    farthest item. Distances are computed in float32, ample for ordering. The cost is at most
    ``n * (m + greedy) * d`` multiply-adds, nearly all of it in matrix products; the ``n * m``
    part (distances to labeled items) is paid in full, since the items left unpicked are ordered
    by it.
    """
    if greedy < 1:
        raise ValueError(f"diversity: greedy must be at least 1, got {greedy}")
    points = _unit_rows(open_vectors, "open_vectors")
    n, dim = points.shape
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    labeled = np.asarray(labeled_vectors)
    if labeled.size == 0:
        labeled = np.zeros((0, dim), dtype=np.float64)
    labeled32 = _unit_rows(labeled, "labeled_vectors")
    if labeled32.shape[1] != dim:
        raise ValueError(
            f"diversity: labeled_vectors have dimension {labeled32.shape[1]}, "
            f"open_vectors have {dim}"
        )

    nearest = _distance_to_nearest(points, labeled32)
    blocks = [(start, min(start + _DIVERSITY_BLOCK, n)) for start in range(0, n, _DIVERSITY_BLOCK)]
    # How many of the picks each block's distances already account for.
    seen = [0] * len(blocks)
    # One entry per block: (-upper bound of its largest distance, block); ties go to the lower
    # block, so the pick is the lowest index among equally far items, as a plain argmax would be.
    bounds = [(-float(nearest[a:b].max()), block) for block, (a, b) in enumerate(blocks)]
    heapq.heapify(bounds)
    picks: list[int] = []

    for step in range(min(greedy, n)):
        if step == 0 and len(labeled32) == 0:
            pick = int(np.argmin(points @ points.mean(axis=0)))
        else:
            while seen[bounds[0][1]] < len(picks):
                _, block = heapq.heappop(bounds)
                a, b = blocks[block]
                _catch_up(nearest[a:b], points[a:b], points[picks[seen[block] :]])
                seen[block] = len(picks)
                heapq.heappush(bounds, (-float(nearest[a:b].max()), block))
            a, b = blocks[bounds[0][1]]
            pick = a + int(np.argmax(nearest[a:b]))
        picks.append(pick)
        # Below any distance, so a picked item is never picked again.
        nearest[pick] = -1.0

    for block, (a, b) in enumerate(blocks):
        _catch_up(nearest[a:b], points[a:b], points[picks[seen[block] :]])

    scores = np.clip(nearest.astype(np.float64), 0.0, 2.0) / 4.0
    order = np.asarray(picks, dtype=np.int64)
    scores[order] = 1.0 - np.arange(len(picks), dtype=np.float64) / (2.0 * min(greedy, n))
    return scores


def random_scores(item_ids: Sequence[int], seed: int) -> FloatArray:
    """A uniform score in [0, 1) per item, fixed by (item id, seed): the baseline order.

    The score hashes the item id and the seed with BLAKE2b (stable across processes and Python
    versions, unlike ``hash()``), so an item keeps its score whatever other items are open and in
    whatever order they are passed; a new seed gives a new order. The top 53 bits of the digest
    make the float, so every value is exactly representable and strictly below 1.
    """
    scores = np.empty(len(item_ids), dtype=np.float64)
    for index, item_id in enumerate(item_ids):
        digest = hashlib.blake2b(f"{seed}:{int(item_id)}".encode(), digest_size=8).digest()
        scores[index] = (int.from_bytes(digest, "big") >> 11) / float(1 << 53)
    return scores


@dataclass(frozen=True)
class Mixed:
    """A project's priority over its open items and what each strategy put into it."""

    # (n,) in [0, 1]; the next item served is the one with the highest priority.
    priority: FloatArray
    # strategy -> (n,) weighted contribution; over strategies they sum to ``priority``.
    contributions: dict[str, FloatArray]


def mix(scores: Mapping[str, FloatArray], weights: Mapping[str, float]) -> Mixed:
    """Combine strategies' scores into one priority through percentile ranks.

    Within each strategy the scored (non-``nan``) items get their average rank (tied scores share
    it, ``scipy.stats.rankdata``) divided by how many items the strategy scored, so in (0, 1];
    an item the strategy says nothing about gets 0: silence does not lift it. The priority is
    ``sum(w_s * rank_s) / sum(w_s)`` over the strategies with a weight above 0, so it lies in
    [0, 1] and a single strategy's order is reproduced exactly.

    A strategy whose scores are all ``nan`` contributes 0 to every item. Its weight still counts
    in the denominator, so priorities come out lower, but the order is that of the mix of the
    other strategies alone: in ordering terms the mix re-weights onto them.

    ``scores`` must hold an array for every strategy with a weight above 0, all of one length;
    strategies with weight 0 may be missing. Raises ``ValueError`` for unknown strategy names,
    negative or non-finite weights, all weights 0, and arrays of different lengths or shapes.
    """
    active = {name: w for name, w in parse_weights(weights).items() if w > 0}
    unknown = sorted(set(scores) - set(STRATEGIES))
    if unknown:
        raise ValueError(f"unknown strategy in scores: {', '.join(unknown)}")
    missing = sorted(set(active) - set(scores))
    if missing:
        raise ValueError(f"no scores for weighted strategy: {', '.join(missing)}")
    arrays = {name: np.asarray(values, dtype=np.float64) for name, values in scores.items()}
    for name, values in arrays.items():
        if values.ndim != 1:
            raise ValueError(f"scores of {name} must be one-dimensional, got shape {values.shape}")
    lengths = {name: len(values) for name, values in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name}={length}" for name, length in sorted(lengths.items()))
        raise ValueError(f"scores differ in length: {described}")

    n = next(iter(lengths.values()))
    total = sum(active.values())
    if not math.isfinite(total):
        raise ValueError("weights are too large to add up")
    contributions = {
        name: weight / total * _percentile_ranks(arrays[name]) for name, weight in active.items()
    }
    priority = np.zeros(n, dtype=np.float64)
    for contribution in contributions.values():
        priority += contribution
    return Mixed(priority=priority, contributions=contributions)


def parse_weights(raw: object) -> dict[str, float]:
    """Validate a user-supplied mix (a JSON object of strategy -> weight) and return it.

    Weights are finite numbers at or above 0 (booleans are not numbers here) and at least one is
    above 0. Each ``ValueError`` names the offending key.
    """
    if not isinstance(raw, Mapping):
        raise ValueError("weights must be an object of strategy name -> weight")
    parsed: dict[str, float] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or key not in STRATEGIES:
            raise ValueError(f"unknown strategy {key!r}; expected one of: {', '.join(STRATEGIES)}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"weight of {key!r} must be a number, got {value!r}")
        weight = float(value)
        if not math.isfinite(weight):
            raise ValueError(f"weight of {key!r} must be finite, got {value!r}")
        if weight < 0:
            raise ValueError(f"weight of {key!r} must not be negative, got {value!r}")
        parsed[key] = weight
    if not any(weight > 0 for weight in parsed.values()):
        raise ValueError("at least one strategy needs a weight above 0")
    return parsed


def _percentile_ranks(values: FloatArray) -> FloatArray:
    """Average ranks of the non-``nan`` values scaled to (0, 1]; ``nan`` becomes 0."""
    ranks = np.zeros(len(values), dtype=np.float64)
    scored = ~np.isnan(values)
    count = int(scored.sum())
    if count:
        ranks[scored] = np.asarray(rankdata(values[scored], method="average")) / count
    return ranks


def _probabilities(values: Sequence[float], what: str) -> FloatArray:
    """``values`` as a float array, checked to be probabilities (with rounding slack)."""
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{what} has a value that is not finite")
    if np.any(array < -_PROBABILITY_SLACK) or np.any(array > 1 + _PROBABILITY_SLACK):
        raise ValueError(f"{what} has a value outside [0, 1]")
    return np.clip(array, 0.0, 1.0)


def _ragged(rows: Sequence[Sequence[float]], strategy: str) -> tuple[FloatArray, IntArray]:
    """Per-item lists of values in [0, 1] as one flat checked array and each item's length."""
    lengths = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter(
        (float(v) for row in rows for v in row), dtype=np.float64, count=int(lengths.sum())
    )
    # Written so that nan counts as bad too.
    good = (flat >= -_PROBABILITY_SLACK) & (flat <= 1 + _PROBABILITY_SLACK)
    if not good.all():
        item = int(np.searchsorted(np.cumsum(lengths), np.argmin(good), side="right"))
        raise ValueError(f"{strategy}: item {item} has a value that is not in [0, 1]")
    return np.clip(flat, 0.0, 1.0), lengths


def _unit_rows(vectors: npt.ArrayLike, name: str) -> _Float32Array:
    """``vectors`` as a C-ordered float32 (rows, d) array, checked to hold finite unit rows."""
    array = np.asarray(vectors)
    if array.ndim != 2:
        raise ValueError(f"diversity: {name} must be a (rows, dimension) array, got {array.shape}")
    rows = np.ascontiguousarray(array, dtype=np.float32)
    if not np.all(np.isfinite(rows)):
        raise ValueError(f"diversity: {name} has values that are not finite")
    norms = np.sqrt(np.einsum("ij,ij->i", rows, rows))
    if np.any(np.abs(norms - 1.0) > _NORM_SLACK):
        raise ValueError(f"diversity: {name} must be L2-normalised")
    return rows


def _distance_to_nearest(points: _Float32Array, labeled: _Float32Array) -> _Float32Array:
    """Each point's cosine distance to its nearest labeled vector (``inf`` without any)."""
    nearest = np.full(len(points), np.inf, dtype=np.float32)
    if len(labeled) == 0:
        return nearest
    step = max(1, _PRODUCT_CELLS // len(labeled))
    for a in range(0, len(points), step):
        nearest[a : a + step] = 1.0 - (points[a : a + step] @ labeled.T).max(axis=1)
    return nearest


def _catch_up(nearest: _Float32Array, points: _Float32Array, new: _Float32Array) -> None:
    """Lower ``nearest`` (a view) to account for the vectors in ``new``."""
    if len(new):
        np.minimum(nearest, 1.0 - (points @ new.T).max(axis=1), out=nearest)
