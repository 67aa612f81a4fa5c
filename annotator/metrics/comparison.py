"""A judge's answers against the human consensus: accuracy, kappa, rank correlation, calibration
and the judge's biases (answer position, answer length).

Inputs are aligned arrays over units (items, or item x candidate x dimension; any shape, read
in C order): category codes with ``-1`` for "no answer", or ratings as floats with ``nan``. A
unit missing on either side is left out. Undefined statistics come back as ``nan``; malformed
input (mismatched shapes, codes out of range) raises ``ValueError``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from annotator.metrics.agreement import cohen_kappa
from annotator.metrics.estimates import DEFAULT_RESAMPLES, Estimate, FloatArray, bootstrap_sums

IntArray = npt.NDArray[np.int64]
# Same values as cohen_kappa accepts: None (nominal), linear or quadratic disagreement weights.
Weights = Literal["linear", "quadratic"] | None

MISSING = -1
# Display codes of a pairwise verdict: which shown candidate won, or a tie.
FIRST_SHOWN, SECOND_SHOWN, TIE = 0, 1, 2


# --- shared helpers -------------------------------------------------------------------------


def _codes(values: npt.ArrayLike, name: str) -> IntArray:
    """Integer codes flattened to 1-D, ``-1`` meaning missing; anything below ``-1`` is rejected."""
    array = np.asarray(values)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer category codes (-1 = missing).")
    flat = array.astype(np.int64).ravel()
    if flat.size and flat.min() < MISSING:
        raise ValueError(f"{name} holds codes below -1; use -1 for a missing answer.")
    return flat


def _floats(values: npt.ArrayLike, name: str) -> FloatArray:
    array = np.asarray(values)
    if array.size and not (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)
    ):
        raise ValueError(f"{name} must be a numeric array (nan = missing).")
    return array.astype(np.float64).ravel()


def _same_shape(*arrays: npt.ArrayLike) -> None:
    shapes = {np.shape(array) for array in arrays}
    if len(shapes) > 1:
        raise ValueError(f"Inputs must be aligned arrays of the same shape, got {sorted(shapes)}.")


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Element-wise quotient, ``nan`` where the denominator is zero (without a warning)."""
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _share(per_unit: FloatArray, *, n_resamples: int, confidence: float, seed: int) -> Estimate:
    """Bootstrap of ``sum(column 0) / sum(column 1)`` over the rows (the resampling units)."""
    return bootstrap_sums(
        per_unit,
        lambda sums: _ratio(sums[:, 0], sums[:, 1]),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )


# --- categorical answers --------------------------------------------------------------------


def accuracy(
    predicted: IntArray,
    reference: IntArray,
    *,
    tie: int | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[Estimate, Estimate]:
    """Share of units where the judge's code equals the human reference, overall and without ties.

    ``predicted`` and ``reference`` are aligned category codes (``-1`` = none; a unit where either
    is ``-1`` is left out). The second estimate counts only units whose *reference* is not the
    ``tie`` code (the judge may still answer "tie" there, which counts as a miss); with ``tie``
    ``None`` both estimates are the same. This is ``sklearn.metrics.accuracy_score`` on the
    retained units.

    The interval is a percentile bootstrap over units (every unit answered on both sides is
    resampled, also for the no-tie figure, whose number of retained units then varies between
    replicates as it would between samples). ``n`` is the number of units each value rests on.
    Either value is ``nan`` when it rests on no unit.
    """
    _same_shape(predicted, reference)
    pred, ref = _codes(predicted, "predicted"), _codes(reference, "reference")
    answered = (pred != MISSING) & (ref != MISSING)
    pred, ref = pred[answered], ref[answered]
    hit = (pred == ref).astype(np.float64)
    not_tie = np.ones_like(hit) if tie is None else (ref != tie).astype(np.float64)
    per_unit = np.column_stack([hit, np.ones_like(hit), hit * not_tie, not_tie])

    def overall(sums: FloatArray) -> FloatArray:
        return _ratio(sums[:, 0], sums[:, 1])

    def without_ties(sums: FloatArray) -> FloatArray:
        return _ratio(sums[:, 2], sums[:, 3])

    # The same seed draws the same resamples for both, so the two intervals are paired.
    all_units = bootstrap_sums(
        per_unit, overall, n_resamples=n_resamples, confidence=confidence, seed=seed
    )
    no_ties = bootstrap_sums(
        per_unit, without_ties, n_resamples=n_resamples, confidence=confidence, seed=seed
    )
    n_no_ties = int(not_tie.sum())
    if n_no_ties == 0:
        return all_units, Estimate.undefined()
    return all_units, Estimate(no_ties.value, no_ties.low, no_ties.high, n_no_ties)


def confusion_matrix(predicted: IntArray, reference: IntArray, n_categories: int) -> IntArray:
    """``(n_categories, n_categories)`` counts: rows are the human reference, columns the judge.

    Units where either side is ``-1`` are left out; with no unit left the matrix is all zeros.
    Same as ``sklearn.metrics.confusion_matrix(reference, predicted, labels=range(n))``.
    """
    _same_shape(predicted, reference)
    pred, ref = _answered_pairs(predicted, reference, n_categories)
    cells = np.bincount(ref * n_categories + pred, minlength=n_categories * n_categories)
    return cells.astype(np.int64).reshape(n_categories, n_categories)


def judge_kappa(
    predicted: IntArray, reference: IntArray, n_categories: int, *, weights: Weights = None
) -> float:
    """Cohen's kappa between judge and human reference over the units both answered.

    ``weights`` (``"linear"`` / ``"quadratic"``) gives the weighted kappa for ordered categories
    (Cohen 1960, 1968; as ``sklearn.metrics.cohen_kappa_score``). ``nan`` with no unit answered
    on both sides, or when chance agreement is already perfect (one category used throughout).
    """
    _same_shape(predicted, reference)
    pred, ref = _answered_pairs(predicted, reference, n_categories)
    return cohen_kappa(ref, pred, n_categories, weights=weights)


def _answered_pairs(
    predicted: IntArray, reference: IntArray, n_categories: int
) -> tuple[IntArray, IntArray]:
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1.")
    pred, ref = _codes(predicted, "predicted"), _codes(reference, "reference")
    answered = (pred != MISSING) & (ref != MISSING)
    pred, ref = pred[answered], ref[answered]
    if pred.size and max(int(pred.max()), int(ref.max())) >= n_categories:
        raise ValueError(f"Category codes must lie in 0..{n_categories - 1} (or -1 = missing).")
    return pred, ref


# --- ratings --------------------------------------------------------------------------------


def rank_correlation(predicted: FloatArray, reference: FloatArray) -> tuple[float, float, int]:
    """Spearman's rho and Kendall's tau-b between judge ratings and human ratings, and ``n``.

    Pairs with ``nan`` on either side are left out; ``n`` counts the pairs kept. Both are
    computed by ``scipy.stats.spearmanr`` / ``scipy.stats.kendalltau`` (tau-b, which corrects
    for ties on either side). Both are ``nan`` with fewer than two pairs or when either side is
    constant (no ranking to correlate); SciPy's warnings for those cases are not raised because
    they are never reached.
    """
    _same_shape(predicted, reference)
    x, y = _floats(predicted, "predicted"), _floats(reference, "reference")
    kept = ~(np.isnan(x) | np.isnan(y))
    x, y = x[kept], y[kept]
    n = int(x.size)
    if n < 2 or np.all(x == x[0]) or np.all(y == y[0]):
        return math.nan, math.nan, n
    with warnings.catch_warnings():
        # Inputs are screened above; anything SciPy still warns about must not leak to callers.
        warnings.simplefilter("ignore")
        rho = float(stats.spearmanr(x, y).statistic)
        tau = float(stats.kendalltau(x, y).statistic)
    return rho, tau, n


@dataclass(frozen=True, eq=False)
class ReliabilityCurve:
    """Judge probabilities against observed outcomes, in ``len(count)`` uniform bins on [0, 1].

    ``edges`` has one more entry than the per-bin arrays. ``predicted`` is the mean probability
    and ``observed`` the mean outcome of the units in each bin; both are ``nan`` for an empty bin
    (``count`` 0).
    """

    edges: FloatArray
    predicted: FloatArray
    observed: FloatArray
    count: IntArray


def reliability_curve(
    probability: FloatArray, outcome: FloatArray, *, n_bins: int = 10
) -> ReliabilityCurve:
    """Reliability diagram (calibration curve) of a judge's probabilities with uniform bins.

    ``probability`` is the judge's probability of the event, ``outcome`` what the humans decided:
    1 or 0, and a value between for a partial outcome, e.g. 0.5 for a human tie, which then counts
    as half an event. Both lie in [0, 1]; pairs with ``nan`` on either side are left out.

    Edges are ``numpy.linspace(0, 1, n_bins + 1)``; bin ``k`` holds the probabilities ``p`` with
    ``edges[k] < p <= edges[k + 1]``, the first bin also holding ``p = 0`` (closed on the right).
    For binary outcomes the non-empty bins equal
    ``sklearn.calibration.calibration_curve(outcome, probability, n_bins, strategy="uniform")``
    (Niculescu-Mizil & Caruana 2005). Empty bins have count 0 and ``nan`` means.
    """
    if n_bins < 1:
        raise ValueError("n_bins must be at least 1.")
    _same_shape(probability, outcome)
    p, y = _floats(probability, "probability"), _floats(outcome, "outcome")
    kept = ~(np.isnan(p) | np.isnan(y))
    p, y = p[kept], y[kept]
    if p.size and (p.min() < 0 or p.max() > 1):
        raise ValueError("probability must lie in [0, 1].")
    if y.size and (y.min() < 0 or y.max() > 1):
        raise ValueError("outcome must lie in [0, 1] (0.5 for a tie).")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # searchsorted on the inner edges puts a value equal to an edge into the lower bin.
    bins = np.searchsorted(edges[1:-1], p)
    count = np.bincount(bins, minlength=n_bins).astype(np.int64)
    sum_p = np.bincount(bins, weights=p, minlength=n_bins).astype(np.float64)
    sum_y = np.bincount(bins, weights=y, minlength=n_bins).astype(np.float64)
    predicted = _ratio(sum_p, count.astype(np.float64))
    observed = _ratio(sum_y, count.astype(np.float64))
    for array in (edges, predicted, observed, count):
        array.setflags(write=False)
    return ReliabilityCurve(edges=edges, predicted=predicted, observed=observed, count=count)


def expected_calibration_error(curve: ReliabilityCurve) -> float:
    """ECE: ``sum over bins of count / total * |observed - predicted|`` (Naeini et al. 2015).

    Empty bins contribute nothing; ``nan`` when the curve holds no unit at all.
    """
    total = int(curve.count.sum())
    if total == 0:
        return math.nan
    filled = curve.count > 0
    gaps = np.abs(curve.observed[filled] - curve.predicted[filled])
    return float((curve.count[filled] * gaps).sum() / total)


# --- biases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionBias:
    """A judge run on every unit in both candidate orders.

    ``flip_rate``: share of units (answered in both orders) whose verdict, read in canonical
    candidate terms, changes when the order is swapped. ``first_position_preference``: share of
    the decisive verdicts of both runs that chose whichever candidate was shown first.
    """

    flip_rate: Estimate
    first_position_preference: Estimate


def _verdicts(values: npt.ArrayLike, name: str, meaning: str) -> IntArray:
    codes = _codes(values, name)
    if codes.size and codes.max() > TIE:
        raise ValueError(f"{name} must hold {meaning}, 2 (tie) or -1 (missing).")
    return codes


_DISPLAY = "0 (first shown won), 1 (second shown won)"


def first_position_preference(
    display_verdict: IntArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Share of decisive verdicts that chose the candidate shown first (0.5 = no position bias).

    ``display_verdict`` holds display codes: 0 = first shown won, 1 = second shown won, 2 = tie,
    -1 = missing; ties and missing are left out. 1-D: one verdict per unit (a person's annotation
    with the order they were shown, or one judge run). 2-D ``(units, k)``: up to ``k`` verdicts
    per unit (a judge run in both orders; ``-1`` pads), pooled and resampled together.

    Percentile bootstrap over the rows that hold a decisive verdict. For people, rows are
    annotations, so the interval treats them as independent (it ignores clustering by person).
    ``nan`` without any decisive verdict.
    """
    codes = np.asarray(display_verdict)
    if codes.ndim not in (1, 2):
        raise ValueError("display_verdict must be 1-D (units) or 2-D (units, verdicts per unit).")
    flat = _verdicts(codes, "display_verdict", _DISPLAY)
    rows = flat[:, None] if codes.ndim == 1 else flat.reshape(codes.shape)
    first = (rows == FIRST_SHOWN).sum(axis=1)
    decisive = first + (rows == SECOND_SHOWN).sum(axis=1)
    kept = decisive > 0
    per_unit = np.column_stack([first[kept], decisive[kept]]).astype(np.float64)
    return _share(per_unit, n_resamples=n_resamples, confidence=confidence, seed=seed)


def position_bias(
    verdict_original: IntArray,
    verdict_swapped: IntArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> PositionBias:
    """Flip rate and first-position preference of a judge run in both candidate orders.

    Aligned display codes per unit (0 = first shown won, 1 = second shown won, 2 = tie,
    -1 = missing). In the original run the first shown is canonical candidate 0; in the swapped
    run it is canonical candidate 1, so swapped verdicts are mapped 0 <-> 1 before comparing.
    Any change of canonical verdict counts as a flip, including decisive <-> tie (the "position
    consistency" of Zheng et al. 2023, MT-Bench, is one minus this rate). The preference pools
    the decisive verdicts of both runs, see :func:`first_position_preference`.

    Both are percentile bootstraps over units: the flip rate over units answered in both orders,
    the preference over units with at least one decisive verdict. ``nan`` where no unit counts.
    """
    _same_shape(verdict_original, verdict_swapped)
    original = _verdicts(verdict_original, "verdict_original", _DISPLAY)
    swapped = _verdicts(verdict_swapped, "verdict_swapped", _DISPLAY)
    canonical_swapped = np.where(swapped == TIE, TIE, np.where(swapped < 0, MISSING, 1 - swapped))
    both = (original != MISSING) & (swapped != MISSING)
    flipped = (original[both] != canonical_swapped[both]).astype(np.float64)
    flip_rate = _share(
        np.column_stack([flipped, np.ones_like(flipped)]),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )
    preference = first_position_preference(
        np.column_stack([original, swapped]),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )
    return PositionBias(flip_rate=flip_rate, first_position_preference=preference)


def length_bias(
    winner: IntArray,
    length_a: FloatArray,
    length_b: FloatArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Share of decisive verdicts won by the longer candidate (0.5 = no length bias).

    ``winner``: 0 = candidate a, 1 = candidate b, 2 = tie, -1 = missing; ``length_a`` and
    ``length_b`` are the candidates' lengths (characters or tokens; ``nan`` = unknown). Only
    units with a decisive verdict between candidates of different known length count. This is
    the "verbosity" preference of Zheng et al. 2023 and Dubois et al. 2024 in its simplest form,
    not controlled for quality. Percentile bootstrap over those units; ``nan`` when none count.
    """
    _same_shape(winner, length_a, length_b)
    won = _verdicts(winner, "winner", "0 (a won), 1 (b won)")
    la, lb = _floats(length_a, "length_a"), _floats(length_b, "length_b")
    if np.any(la < 0) or np.any(lb < 0):
        raise ValueError("Lengths must not be negative.")
    counted = (won == 0) | (won == 1)
    counted &= np.isfinite(la) & np.isfinite(lb) & (la != lb)
    longer_is_b = lb[counted] > la[counted]
    longer_won = (won[counted] == longer_is_b.astype(np.int64)).astype(np.float64)
    per_unit = np.column_stack([longer_won, np.ones_like(longer_won)])
    return _share(per_unit, n_resamples=n_resamples, confidence=confidence, seed=seed)
