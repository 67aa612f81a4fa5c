"""Agreement between annotators: Krippendorff's alpha, Fleiss' and Cohen's kappa, raw agreement.

All functions but ``cohen_kappa`` take *reliability data*: a ``(units, coders)`` float array with
``nan`` where a coder gave no value. For nominal and ordinal data the values are category codes
``0..n_categories-1`` stored as floats. A unit with fewer than two values cannot be paired with
anything and drops out of every pairwise statistic.

Intervals come from :func:`annotator.metrics.estimates.bootstrap_sums`: each statistic is written
as a function of sums of per-unit contributions, so the bootstrap resamples *units* (items) with
replacement, keeping all of a unit's values together.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Literal

import numpy as np
import numpy.typing as npt

from annotator.metrics.estimates import DEFAULT_RESAMPLES, Estimate, bootstrap_sums

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Weights = Literal["linear", "quadratic"] | None
Level = Literal["nominal", "ordinal", "interval"]

# One-hot blocks for the pairwise contingency tables are built this many cells at a time.
_CHUNK_CELLS = 2_000_000
# Expected disagreement of interval data below this share of its scale counts as none: a resample
# whose values are all equal leaves only rounding noise there.
_RELATIVE_ZERO = 1e-12


def cohen_kappa(a: IntArray, b: IntArray, n_categories: int, *, weights: Weights = None) -> float:
    """Cohen's kappa of two aligned label vectors (category codes ``0..n_categories-1``).

    ``weights`` gives the weighted kappa for ordered categories. ``nan`` when it is undefined:
    no units, or chance agreement already perfect (both raters always give the same single
    category).
    """
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("a and b must be 1-D arrays of the same length.")
    if a.size == 0:
        return math.nan
    if min(a.min(), b.min()) < 0 or max(a.max(), b.max()) >= n_categories:
        raise ValueError(f"Category codes must lie in 0..{n_categories - 1}.")
    observed = np.bincount(a * n_categories + b, minlength=n_categories**2).reshape(
        n_categories, n_categories
    ) / float(a.size)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    disagreement = _disagreement_weights(n_categories, weights)
    chance = float((disagreement * expected).sum())
    if chance == 0:
        return math.nan
    return 1 - float((disagreement * observed).sum()) / chance


def krippendorff_alpha(
    data: FloatArray,
    level: Level,
    *,
    n_categories: int | None = None,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Krippendorff's alpha, ``1 - D_o / D_e``, of reliability data ``(units, coders)``.

    Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": observed
    disagreement from the coincidence matrix of pairable values (each unit's ``m_u (m_u - 1)``
    ordered pairs weighted ``1 / (m_u - 1)``), expected disagreement from its marginals
    ``n_c``. Difference functions: ``nominal`` 0/1; ``ordinal`` the squared sum of the
    frequencies ``n_g`` of the categories from ``c`` to ``k`` minus ``(n_c + n_k) / 2``, with
    the observed frequencies of the pairable values; ``interval`` ``(c - k)**2``.

    ``n_categories`` is the size of the value domain (codes ``0..n_categories-1``) and is required
    for nominal and ordinal data; it is not used for interval data, which may be any finite
    reals and is summarised per unit by count, sum and within-unit sum of squares, so continuous
    scores cost no more than codes. Ordinal data keep ``n_categories (n_categories - 1) / 2``
    coincidence sums per unit, so memory grows with the square of the scale length.

    The bootstrap resamples pairable units; for ordinal data the metric is recomputed from each
    replicate's marginals. ``n`` is the number of pairable units (two or more values). ``nan``
    when no unit is pairable (no data, one coder) or there is no expected disagreement (every
    pairable value identical).
    """
    if level not in ("nominal", "ordinal", "interval"):
        raise ValueError(f"Unknown level {level!r}: use 'nominal', 'ordinal' or 'interval'.")
    data = _as_reliability_data(data)
    if level == "interval":
        per_unit = _interval_sums(data)
        statistic = _interval_alpha
    else:
        if n_categories is None:
            raise ValueError(f"n_categories is required for {level} data.")
        counts = _category_counts(data, n_categories)
        counts = counts[counts.sum(axis=1) >= 2]
        if level == "nominal":
            per_unit = _nominal_sums(counts)
            statistic = _nominal_alpha
        else:
            per_unit = _ordinal_sums(counts)
            statistic = partial(_ordinal_alpha, n_categories=n_categories)
    return bootstrap_sums(
        per_unit, statistic, n_resamples=n_resamples, confidence=confidence, seed=seed
    )


def fleiss_kappa(
    data: FloatArray,
    n_categories: int,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Fleiss' kappa, ``(P_bar - P_e) / (1 - P_e)``, of reliability data ``(units, coders)``.

    Fleiss (1971), "Measuring nominal scale agreement among many raters", generalised to a
    varying number of ratings ``n_i`` per unit: unit ``i`` agrees with
    ``P_i = sum_j n_ij (n_ij - 1) / (n_i (n_i - 1))``, ``P_bar`` is the unweighted mean of
    ``P_i`` over units with at least two ratings, and the category shares behind
    ``P_e = sum_j p_j**2`` are shares of all those units' ratings (so a unit with more ratings
    weighs more in ``p_j``, equally in ``P_bar``). With the same number of ratings on every unit
    this is exactly Fleiss' kappa (statsmodels ``fleiss_kappa(method="fleiss")``).

    The bootstrap resamples units with two or more ratings, and ``n`` counts them. ``nan`` when
    there are none, or when ``P_e = 1`` (every rating in one category).
    """
    counts = _category_counts(_as_reliability_data(data), n_categories)
    ratings = counts.sum(axis=1)
    keep = ratings >= 2
    counts, ratings = counts[keep], ratings[keep]
    agreement = ((counts * (counts - 1)).sum(axis=1) / (ratings * (ratings - 1)))[:, None]
    per_unit = np.hstack([np.ones_like(agreement), agreement, counts])
    return bootstrap_sums(
        per_unit, _fleiss_statistic, n_resamples=n_resamples, confidence=confidence, seed=seed
    )


def cohen_kappa_matrix(
    data: FloatArray,
    n_categories: int,
    *,
    weights: Weights = None,
    min_overlap: int = 2,
) -> tuple[FloatArray, IntArray]:
    """Cohen's kappa between every pair of coders on the units both of them rated.

    ``data`` is reliability data ``(units, coders)`` of category codes. Returns ``(kappa,
    overlap)``, both ``(coders, coders)`` and symmetric: ``kappa[a, b]`` is
    :func:`cohen_kappa` (Cohen 1960; weighted as in Cohen 1968 with ``weights``, distances
    taken between codes) of coders ``a`` and ``b`` on their shared units, and ``overlap[a, b]``
    is the number of those units (``overlap[a, a]``: units coder ``a`` rated). ``kappa`` is
    ``nan`` on the diagonal, where the overlap is below ``min_overlap``, and where chance
    agreement is perfect. All contingency tables come from one product of one-hot codes, built
    in chunks of units; memory grows with ``(coders * n_categories)**2``.
    """
    if min_overlap < 1:
        raise ValueError("min_overlap must be at least 1.")
    disagreement = _disagreement_weights(n_categories, weights)
    data = _as_reliability_data(data)
    codes = _checked_codes(data, n_categories)
    n_units, n_coders = data.shape
    width = n_coders * n_categories
    tables = np.zeros((width, width))
    # Column ``coder * n_categories + code`` is 1 where that coder gave that code.
    columns = np.where(np.isnan(data), -1, np.arange(n_coders) * n_categories + codes)
    step = max(1, _CHUNK_CELLS // max(width, 1))
    for start in range(0, n_units, step):
        block = columns[start : start + step]
        rows, coders = np.nonzero(block >= 0)
        one_hot = np.zeros((block.shape[0], width))
        one_hot[rows, block[rows, coders]] = 1.0
        tables += one_hot.T @ one_hot
    # tables[a, b, k, l]: units where coder a said k and coder b said l.
    tables = tables.reshape(n_coders, n_categories, n_coders, n_categories).transpose(0, 2, 1, 3)
    overlap = tables.sum(axis=(2, 3))
    first = tables.sum(axis=3)
    second = tables.sum(axis=2)
    # Scaled by overlap**2 so that both terms stay exact integer sums of counts.
    observed = overlap * np.einsum("abkl,kl->ab", tables, disagreement)
    chance = np.einsum("abk,abl,kl->ab", first, second, disagreement)
    defined = (chance > 0) & (overlap >= min_overlap) & ~np.eye(n_coders, dtype=bool)
    kappa = np.full((n_coders, n_coders), math.nan)
    kappa[defined] = 1 - observed[defined] / chance[defined]
    return kappa, np.rint(overlap).astype(np.int64)


def raw_agreement(
    data: FloatArray,
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """Share of agreeing pairs of values within units (percent agreement).

    ``data`` is reliability data ``(units, coders)``; values are compared exactly, so they should
    be category codes. The value is ``sum_u a_u / sum_u m_u (m_u - 1)`` over pairable units,
    where ``m_u`` is the unit's number of values and ``a_u`` its number of ordered pairs of
    distinct coders with equal values: every pair of values weighs the same, so a unit with
    more coders weighs more (unlike Fleiss' ``P_bar``, which averages per-unit shares).

    The bootstrap resamples pairable units, and ``n`` counts them. ``nan`` when there are none.
    """
    data = _as_reliability_data(data)
    present = (~np.isnan(data)).sum(axis=1)
    pairable = present >= 2
    ordered = np.sort(data[pairable], axis=1)
    n_coders = ordered.shape[1]
    # In a sorted row, each value matches every earlier value of its run; nan != nan, so
    # missing values each form a run of their own and match nothing.
    position = np.broadcast_to(np.arange(n_coders), ordered.shape)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run_start = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    equal_pairs = (position - run_start).sum(axis=1).astype(np.float64)
    m = present[pairable].astype(np.float64)
    per_unit = np.column_stack([2 * equal_pairs, m * (m - 1)])
    return bootstrap_sums(
        per_unit, _ratio_statistic, n_resamples=n_resamples, confidence=confidence, seed=seed
    )


def majority_vote(data: FloatArray, n_categories: int) -> IntArray:
    """Per unit, the category given by strictly more coders than any other category.

    ``data`` is reliability data ``(units, coders)`` of category codes. Returns ``(units,)``
    int64 codes: ``-1`` where the unit has no value or the most frequent categories tie.
    """
    counts = _category_counts(_as_reliability_data(data), n_categories)
    top = counts.max(axis=1)
    winner = counts.argmax(axis=1).astype(np.int64)
    tied = (counts == top[:, None]).sum(axis=1) > 1
    return np.where((top == 0) | tied, -1, winner).astype(np.int64)


# --- input checks ---------------------------------------------------------------------------


def _as_reliability_data(data: FloatArray) -> FloatArray:
    array = np.asarray(data, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"data must be a (units, coders) array, got shape {array.shape}.")
    if np.isinf(array).any():
        raise ValueError("data must hold finite values, or nan where a value is missing.")
    return array


def _checked_codes(data: FloatArray, n_categories: int) -> IntArray:
    """Integer codes of ``data`` (``-1`` where missing), after checking they are valid codes."""
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1.")
    missing = np.isnan(data)
    values = np.where(missing, 0.0, data)
    if ((values != np.round(values)) | (values < 0) | (values >= n_categories)).any():
        raise ValueError(f"Category codes must be whole numbers in 0..{n_categories - 1}.")
    return np.where(missing, -1, values.astype(np.int64))


def _category_counts(data: FloatArray, n_categories: int) -> FloatArray:
    """``(units, n_categories)``: how many coders gave each unit each category."""
    codes = _checked_codes(data, n_categories)
    n_units = data.shape[0]
    rows, coders = np.nonzero(codes >= 0)
    flat = rows * n_categories + codes[rows, coders]
    counts = np.bincount(flat, minlength=n_units * n_categories)
    return counts.reshape(n_units, n_categories).astype(np.float64)


def _disagreement_weights(n_categories: int, weights: Weights) -> FloatArray:
    grid = np.arange(n_categories, dtype=np.float64)
    distance: FloatArray = np.abs(grid[:, None] - grid[None, :])
    if weights is None:
        return (distance > 0).astype(np.float64)
    if weights == "linear":
        return distance
    if weights == "quadratic":
        return np.square(distance)
    raise ValueError(f"Unknown weights {weights!r}: use None, 'linear' or 'quadratic'.")


# --- per-unit sums and the statistics of their totals ---------------------------------------
#
# Each ``*_sums`` returns the pairable units' contributions ``(units, m)``; the matching statistic
# maps totals ``(k, m)`` to ``k`` values, as ``bootstrap_sums`` expects. Alpha is written as
# ``1 - (n - 1) * observed / expected`` with ``observed = sum_ck o_ck d_ck`` and
# ``expected = sum_ck n_c n_k d_ck``, where ``n`` is the number of pairable values.


def _nominal_sums(counts: FloatArray) -> FloatArray:
    """Columns: ``n_uc`` per category, then the unit's disagreeing coincidences."""
    m = counts.sum(axis=1)
    disagreeing = (m**2 - (counts**2).sum(axis=1)) / (m - 1)
    return np.column_stack([counts, disagreeing])


def _nominal_alpha(sums: FloatArray) -> FloatArray:
    values = sums[:, :-1]
    n = values.sum(axis=1)
    expected = n**2 - (values**2).sum(axis=1)
    return _alpha(n, sums[:, -1], expected)


def _ordinal_sums(counts: FloatArray) -> FloatArray:
    """Columns: ``n_uc`` per category, then ``o_uck`` for every category pair ``c < k``."""
    first, second = np.triu_indices(counts.shape[1], k=1)
    m = counts.sum(axis=1, keepdims=True)
    pairs = counts[:, first] * counts[:, second] / (m - 1)
    return np.hstack([counts, pairs])


def _ordinal_alpha(sums: FloatArray, n_categories: int) -> FloatArray:
    values = sums[:, :n_categories]
    pairs = sums[:, n_categories:]
    first, second = np.triu_indices(n_categories, k=1)
    # The ordinal difference of c < k, sum_{g=c..k} n_g - (n_c + n_k) / 2, equals the gap
    # between the categories' mid-cumulative frequencies, cum_g - n_g / 2.
    middle = np.cumsum(values, axis=1) - values / 2
    squared = (middle[:, second] - middle[:, first]) ** 2
    observed = (pairs * squared).sum(axis=1)
    expected = (values[:, first] * values[:, second] * squared).sum(axis=1)
    return _alpha(values.sum(axis=1), observed, expected)


def _interval_sums(data: FloatArray) -> FloatArray:
    """Columns: values, their sum and sum of squares, and ``m_u SS_u / (m_u - 1)``.

    ``SS_u`` is the unit's sum of squared deviations from its mean, so the unit's coincidences
    disagree by ``sum_{i != j} (x_i - x_j)**2 / (m_u - 1) = 2 m_u SS_u / (m_u - 1)``.
    """
    present = ~np.isnan(data)
    m = present.sum(axis=1)
    pairable = m >= 2
    values, present, m = data[pairable], present[pairable], m[pairable].astype(np.float64)
    if values.shape[0] == 0:
        return np.zeros((0, 4))
    # Alpha is shift-invariant; shifting by the median keeps the sums of squares well
    # conditioned, and shifting each unit by one of its own values makes a unit of equal
    # values contribute exactly zero.
    centred = np.where(present, values - np.median(values[present]), 0.0)
    own = centred[np.arange(centred.shape[0]), present.argmax(axis=1)]
    local = np.where(present, centred - own[:, None], 0.0)
    squares = np.maximum((local**2).sum(axis=1) - local.sum(axis=1) ** 2 / m, 0.0)
    total = centred.sum(axis=1)
    return np.column_stack([m, total, (centred**2).sum(axis=1), m * squares / (m - 1)])


def _interval_alpha(sums: FloatArray) -> FloatArray:
    n, total, square_total, within = sums.T
    # sum_{i,j} (x_i - x_j)**2 over all pairable values is 2 (n T2 - T1**2); the factor 2
    # cancels against the one in ``within``.
    expected = n * square_total - total**2
    expected = np.where(expected > _RELATIVE_ZERO * n * square_total, expected, 0.0)
    return _alpha(n, within, expected)


def _alpha(n: FloatArray, observed: FloatArray, expected: FloatArray) -> FloatArray:
    safe = np.where(expected > 0, expected, 1.0)
    return np.where(expected > 0, 1 - (n - 1) * observed / safe, math.nan)


def _fleiss_statistic(sums: FloatArray) -> FloatArray:
    units, agreement, counts = sums[:, 0], sums[:, 1], sums[:, 2:]
    ratings = counts.sum(axis=1)
    safe_ratings = np.where(ratings > 0, ratings, 1.0)
    mean_agreement = agreement / np.where(units > 0, units, 1.0)
    # 1 - P_e as an exact integer ratio, so one category is recognised exactly.
    spread = ratings**2 - (counts**2).sum(axis=1)
    chance = (counts**2).sum(axis=1) / safe_ratings**2
    defined = (spread > 0) & (units > 0)
    kappa = (mean_agreement - chance) / np.where(defined, spread / safe_ratings**2, 1.0)
    return np.where(defined, kappa, math.nan)


def _ratio_statistic(sums: FloatArray) -> FloatArray:
    numerator, denominator = sums[:, 0], sums[:, 1]
    return np.where(
        denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), math.nan
    )
