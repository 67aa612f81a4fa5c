"""Agreement statistics against maintained packages, worked examples and explicit resampling."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable

import krippendorff
import numpy as np
import numpy.typing as npt
import pytest
from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]
from statsmodels.stats import inter_rater  # type: ignore[import-untyped]

from annotator.metrics.agreement import (
    Level,
    cohen_kappa,
    cohen_kappa_matrix,
    fleiss_kappa,
    krippendorff_alpha,
    majority_vote,
    raw_agreement,
)
from annotator.metrics.estimates import Estimate, percentile_interval, resampling_counts

FloatArray = npt.NDArray[np.float64]
NAN = math.nan
SEEDS = [0, 1, 2, 3, 4]
LEVELS: list[Level] = ["nominal", "ordinal", "interval"]

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders x 12
# units, values 1..5, stored here as codes 0..4 (units x coders). Unit 12 has one value only.
KRIPPENDORFF_2011 = (
    np.array(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
        ]
    ).T
    - 1
)

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters each, 5 categories; the
# article works it through to P_bar = 0.378, P_e = 0.213, kappa = 0.210.
WIKIPEDIA_FLEISS_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


# --- helpers --------------------------------------------------------------------------------


def random_codes(
    seed: int, units: int, coders: int, n_categories: int, missing: float = 0.3
) -> FloatArray:
    """Codes with some agreement (each coder copies a unit's true code with probability 0.6)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_categories, size=(units, 1))
    noise = rng.integers(0, n_categories, size=(units, coders))
    data = np.where(rng.random((units, coders)) < 0.6, truth, noise).astype(np.float64)
    data[rng.random(data.shape) < missing] = NAN
    return data


def all_pairable(data: FloatArray) -> FloatArray:
    """``data`` with every unit given values by its first two coders, so no unit drops out."""
    out = data.copy()
    out[:, :2] = np.where(np.isnan(out[:, :2]), 0.0, out[:, :2])
    return out


def reference_alpha(data: FloatArray, level: Level, n_categories: int) -> float:
    domain = None if level == "interval" else range(n_categories)
    return float(
        krippendorff.alpha(reliability_data=data.T, level_of_measurement=level, value_domain=domain)
    )


def counts_table(data: FloatArray, n_categories: int) -> FloatArray:
    table = np.zeros((data.shape[0], n_categories))
    for unit, row in enumerate(data):
        for value in row[~np.isnan(row)]:
            table[unit, int(value)] += 1
    return table


def loop_fleiss(data: FloatArray, n_categories: int) -> float:
    """The generalised Fleiss kappa of the docstring, unit by unit in plain Python."""
    table = counts_table(data, n_categories)
    table = table[table.sum(axis=1) >= 2]
    shares = [sum(c * (c - 1) for c in row) / (sum(row) * (sum(row) - 1)) for row in table.tolist()]
    p_bar = sum(shares) / len(shares)
    p = table.sum(axis=0) / table.sum()
    p_e = float((p**2).sum())
    return float((p_bar - p_e) / (1 - p_e))


def loop_raw_agreement(data: FloatArray) -> float:
    agree = pairs = 0
    for row in data:
        values = row[~np.isnan(row)].tolist()
        for x, y in itertools.permutations(values, 2):
            pairs += 1
            agree += x == y
    return agree / pairs if pairs else NAN


def explicit_bootstrap(
    data: FloatArray,
    reference: Callable[[FloatArray], float],
    n_resamples: int,
    seed: int,
    confidence: float,
) -> tuple[float, float]:
    """Interval of ``reference`` recomputed on explicitly resampled units (rows of ``data``).

    Draws the same resampling counts as ``bootstrap_sums`` (same generator, same seed), so the
    result must equal the vectorised interval when every unit of ``data`` is pairable.
    """
    rng = np.random.default_rng(seed)
    replicates = [
        reference(np.repeat(data, row, axis=0))
        for counts in resampling_counts(data.shape[0], n_resamples, rng)
        for row in counts
    ]
    return percentile_interval(np.array(replicates), confidence)


def assert_undefined(estimate: Estimate, n: int) -> None:
    assert math.isnan(estimate.value)
    assert math.isnan(estimate.low)
    assert math.isnan(estimate.high)
    assert estimate.n == n


# --- Krippendorff's alpha -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "printed"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_alpha_krippendorff_2011_example(level: Level, printed: float) -> None:
    estimate = krippendorff_alpha(KRIPPENDORFF_2011, level, n_categories=5)
    assert round(estimate.value, 3) == printed
    assert estimate.n == 11  # unit 12 has a single value and is not pairable
    assert estimate.low <= estimate.value <= estimate.high


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_krippendorff_package(seed: int, level: Level) -> None:
    # Six categories over few coders leaves some categories unused in some seeds.
    data = random_codes(seed, units=60, coders=5, n_categories=6, missing=0.4)
    expected = reference_alpha(data, level, 6)
    assert krippendorff_alpha(data, level, n_categories=6).value == pytest.approx(
        expected, abs=1e-9
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_interval_alpha_of_continuous_scores_matches_package(seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(40, 1)) + 0.7 * rng.normal(size=(40, 4))
    data[rng.random(data.shape) < 0.3] = NAN
    expected = reference_alpha(data, "interval", 0)
    assert krippendorff_alpha(data, "interval").value == pytest.approx(expected, abs=1e-9)
    # Alpha ignores location and scale; a large offset must not cost precision.
    shifted = krippendorff_alpha(1e6 + 3 * data, "interval").value
    assert shifted == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_single_item_and_ties_match_package(level: Level) -> None:
    single = np.array([[0.0, 1.0, 1.0, NAN]])
    estimate = krippendorff_alpha(single, level, n_categories=3)
    assert estimate.value == pytest.approx(reference_alpha(single, level, 3), abs=1e-12)
    assert estimate.n == 1
    assert math.isnan(estimate.low)  # one unit: nothing to resample
    # Every unit split evenly: systematic disagreement, alpha below zero.
    split = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [0.0, 2.0]])
    value = krippendorff_alpha(split, level, n_categories=3).value
    assert value == pytest.approx(reference_alpha(split, level, 3), abs=1e-12)
    assert value < 0


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_undefined_cases(level: Level) -> None:
    one_coder = np.array([[0.0], [1.0], [2.0]])
    assert_undefined(krippendorff_alpha(one_coder, level, n_categories=3), 0)
    no_pairs = np.array([[0.0, NAN], [NAN, 1.0], [NAN, NAN]])
    assert_undefined(krippendorff_alpha(no_pairs, level, n_categories=3), 0)
    identical = np.array([[2.0, 2.0, NAN], [2.0, 2.0, 2.0], [2.0, NAN, 2.0]])
    assert_undefined(krippendorff_alpha(identical, level, n_categories=3), 3)
    assert_undefined(krippendorff_alpha(np.empty((0, 4)), level, n_categories=3), 0)
    assert_undefined(krippendorff_alpha(np.empty((5, 0)), level, n_categories=3), 0)


def test_interval_alpha_of_identical_non_integer_scores_is_undefined() -> None:
    # 0.1 + 0.1 + 0.1 != 0.3 in floating point: no rounding residue may pass for disagreement.
    data = np.full((7, 3), 0.1)
    assert_undefined(krippendorff_alpha(data, "interval"), 7)


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_bootstrap_replicate_equals_reference_on_resampled_units(
    level: Level, seed: int
) -> None:
    data = all_pairable(random_codes(seed, units=25, coders=4, n_categories=4))

    def reference(sample: FloatArray) -> float:
        return reference_alpha(sample, level, 4)

    # With one resample both interval ends are that single replicate.
    single = krippendorff_alpha(data, level, n_categories=4, n_resamples=1, seed=seed)
    (replicate, _) = explicit_bootstrap(data, reference, 1, seed, 0.95)
    assert single.low == pytest.approx(replicate, abs=1e-9)
    assert single.high == pytest.approx(replicate, abs=1e-9)
    estimate = krippendorff_alpha(
        data, level, n_categories=4, n_resamples=40, confidence=0.8, seed=seed
    )
    low, high = explicit_bootstrap(data, reference, 40, seed, 0.8)
    assert estimate.low == pytest.approx(low, abs=1e-9)
    assert estimate.high == pytest.approx(high, abs=1e-9)


def test_alpha_interval_contains_value_is_reproducible_and_narrows() -> None:
    small = random_codes(7, units=100, coders=4, n_categories=4)
    large = random_codes(7, units=4000, coders=4, n_categories=4)
    for level in LEVELS:
        estimate = krippendorff_alpha(small, level, n_categories=4, seed=3)
        assert estimate.low < estimate.value < estimate.high
        assert krippendorff_alpha(small, level, n_categories=4, seed=3) == estimate
        assert krippendorff_alpha(small, level, n_categories=4, seed=4) != estimate
        wide = estimate.high - estimate.low
        narrow = krippendorff_alpha(large, level, n_categories=4, seed=3)
        assert narrow.high - narrow.low < wide / 3  # sqrt(40) ~ 6.3 times narrower expected


@pytest.mark.parametrize(
    ("data", "level", "n_categories", "message"),
    [
        (np.zeros(5), "nominal", 3, "units, coders"),
        (np.zeros((2, 2, 2)), "interval", None, "units, coders"),
        (np.zeros((3, 2)), "nominal", None, "n_categories is required"),
        (np.zeros((3, 2)), "ordinal", None, "n_categories is required"),
        (np.array([[0.0, 3.0]]), "nominal", 3, "Category codes"),
        (np.array([[0.0, -1.0]]), "ordinal", 3, "Category codes"),
        (np.array([[0.0, 1.5]]), "nominal", 3, "Category codes"),
        (np.array([[0.0, np.inf]]), "interval", None, "finite"),
        (np.zeros((3, 2)), "ratio", None, "Unknown level"),
        (np.zeros((3, 2)), "nominal", 0, "n_categories must be"),
    ],
)
def test_alpha_rejects_bad_input(
    data: FloatArray, level: Level, n_categories: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level, n_categories=n_categories)


# --- Fleiss' kappa --------------------------------------------------------------------------


def test_fleiss_wikipedia_example() -> None:
    # Each subject's 14 ratings, one per coder, in any order: kappa ignores who rated what.
    data = np.array(
        [np.repeat(np.arange(5), row) for row in WIKIPEDIA_FLEISS_COUNTS], dtype=np.float64
    )
    estimate = fleiss_kappa(data, 5)
    assert round(estimate.value, 3) == 0.210
    assert estimate.value == pytest.approx(
        inter_rater.fleiss_kappa(WIKIPEDIA_FLEISS_COUNTS), abs=1e-12
    )
    assert estimate.n == 10


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_matches_statsmodels_with_equal_ratings_per_unit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    full = random_codes(seed, units=80, coders=3, n_categories=4, missing=0.0)
    # Spread each unit's three ratings over five coders: missing values, equal n_i.
    data = np.full((80, 5), NAN)
    slots = np.argsort(rng.random((80, 5)), axis=1)[:, :3]
    np.put_along_axis(data, slots, full, axis=1)
    table, _ = inter_rater.aggregate_raters(full.astype(int), n_cat=4)
    expected = inter_rater.fleiss_kappa(table, method="fleiss")
    assert fleiss_kappa(data, 4).value == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_with_varying_ratings_matches_loop_definition(seed: int) -> None:
    data = random_codes(seed, units=60, coders=6, n_categories=3, missing=0.5)
    estimate = fleiss_kappa(data, 3)
    assert estimate.value == pytest.approx(loop_fleiss(data, 3), abs=1e-12)
    assert estimate.n == int(((~np.isnan(data)).sum(axis=1) >= 2).sum())


def test_fleiss_edge_cases() -> None:
    # One unit, ratings 0, 0, 1: P_bar = 2/6, p = (2/3, 1/3), P_e = 5/9,
    # kappa = (1/3 - 5/9) / (4/9) = -1/2.
    single = fleiss_kappa(np.array([[0.0, 0.0, 1.0]]), 2)
    assert single.value == pytest.approx(-0.5, abs=1e-12)
    assert single.n == 1
    # A unit with a single rating drops out, leaving the same single unit.
    dropped = fleiss_kappa(np.array([[0.0, 0.0, 1.0], [1.0, NAN, NAN]]), 2)
    assert dropped.value == pytest.approx(-0.5, abs=1e-12)
    assert dropped.n == 1
    assert_undefined(fleiss_kappa(np.array([[0.0], [1.0]]), 2), 0)
    assert_undefined(fleiss_kappa(np.full((4, 3), 1.0), 3), 4)
    assert_undefined(fleiss_kappa(np.full((4, 3), NAN), 3), 0)
    assert_undefined(fleiss_kappa(np.empty((0, 3)), 3), 0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fleiss_bootstrap_replicate_equals_statsmodels_on_resampled_units(seed: int) -> None:
    data = random_codes(seed, units=30, coders=4, n_categories=3, missing=0.0)

    def reference(sample: FloatArray) -> float:
        return float(
            inter_rater.fleiss_kappa(inter_rater.aggregate_raters(sample.astype(int), n_cat=3)[0])
        )

    single = fleiss_kappa(data, 3, n_resamples=1, seed=seed)
    (replicate, _) = explicit_bootstrap(data, reference, 1, seed, 0.95)
    assert single.low == pytest.approx(replicate, abs=1e-9)
    estimate = fleiss_kappa(data, 3, n_resamples=50, confidence=0.9, seed=seed)
    low, high = explicit_bootstrap(data, reference, 50, seed, 0.9)
    assert (estimate.low, estimate.high) == pytest.approx((low, high), abs=1e-9)
    assert estimate.low < estimate.value < estimate.high


def test_fleiss_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="units, coders"):
        fleiss_kappa(np.zeros(4), 2)
    with pytest.raises(ValueError, match="Category codes"):
        fleiss_kappa(np.array([[0.0, 2.0]]), 2)


# --- Cohen's kappa matrix -------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_matrix_matches_sklearn_for_every_pair(seed: int, weights: str | None) -> None:
    data = random_codes(seed, units=70, coders=5, n_categories=4, missing=0.4)
    data[:66, 4] = NAN  # coder 4 shares too few units with anyone
    kappa, overlap = cohen_kappa_matrix(data, 4, weights=weights)  # type: ignore[arg-type]
    for a, b in itertools.permutations(range(5), 2):
        both = ~np.isnan(data[:, a]) & ~np.isnan(data[:, b])
        assert overlap[a, b] == both.sum()
        if both.sum() < 2:
            assert math.isnan(kappa[a, b])
            continue
        x, y = data[both, a].astype(int), data[both, b].astype(int)
        # labels=range(4): sklearn otherwise weighs by rank among the labels seen, not by code.
        expected = cohen_kappa_score(x, y, labels=list(range(4)), weights=weights)
        assert kappa[a, b] == pytest.approx(expected, abs=1e-9)
        assert kappa[a, b] == pytest.approx(
            cohen_kappa(x, y, 4, weights=weights),  # type: ignore[arg-type]
            abs=1e-12,
        )
    assert np.isnan(np.diag(kappa)).all()
    assert (np.diag(overlap) == (~np.isnan(data)).sum(axis=0)).all()


def test_cohen_matrix_wikipedia_and_hand_worked_examples() -> None:
    # Wikipedia, "Cohen's kappa": 50 proposals, both yes 20, A yes B no 5, A no B yes 10,
    # both no 15: p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    a = np.repeat([1, 1, 0, 0], [20, 5, 10, 15])
    b = np.repeat([1, 0, 1, 0], [20, 5, 10, 15])
    data = np.column_stack([a, b, np.full(50, NAN)]).astype(np.float64)
    kappa, overlap = cohen_kappa_matrix(data, 2)
    assert kappa[0, 1] == pytest.approx(0.4, abs=1e-12)
    assert kappa[1, 0] == pytest.approx(0.4, abs=1e-12)
    assert overlap.tolist() == [[50, 50, 0], [50, 50, 0], [0, 0, 0]]
    assert np.isnan(kappa[:, 2]).all()
    # Quadratic by hand: A = 0 1 2 2, B = 0 2 2 1; disagreement sum 1 + 1 = 2 of 4 units;
    # margins (1, 1, 2) both; chance sum_kl (k - l)^2 r_k s_l = 1+8+1+2+8+2 = 22 over 16;
    # kappa = 1 - (2 / 4) / (22 / 16) = 7 / 11.
    hand = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 2.0], [2.0, 1.0]])
    kappa, _ = cohen_kappa_matrix(hand, 3, weights="quadratic")
    assert kappa[0, 1] == pytest.approx(7 / 11, abs=1e-12)


def test_cohen_matrix_edge_cases() -> None:
    # Coders 0 and 1 always say 2: chance agreement is perfect, kappa undefined.
    data = np.array([[2.0, 2.0, 0.0], [2.0, 2.0, 1.0], [2.0, 2.0, NAN]])
    kappa, overlap = cohen_kappa_matrix(data, 3)
    assert math.isnan(kappa[0, 1])
    assert overlap[0, 1] == 3
    # Two shared units are enough by default, not when min_overlap asks for three.
    assert not math.isnan(kappa[0, 2])
    assert math.isnan(cohen_kappa_matrix(data, 3, min_overlap=3)[0][0, 2])
    one_coder, one_overlap = cohen_kappa_matrix(np.array([[0.0], [1.0]]), 2)
    assert one_coder.shape == (1, 1)
    assert math.isnan(one_coder[0, 0])
    assert one_overlap.tolist() == [[2]]
    empty, empty_overlap = cohen_kappa_matrix(np.empty((0, 3)), 2)
    assert np.isnan(empty).all()
    assert (empty_overlap == 0).all()


def test_cohen_matrix_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="Unknown weights"):
        cohen_kappa_matrix(np.zeros((3, 2)), 2, weights="cubic")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Category codes"):
        cohen_kappa_matrix(np.array([[0.0, 5.0]]), 2)
    with pytest.raises(ValueError, match="min_overlap"):
        cohen_kappa_matrix(np.zeros((3, 2)), 2, min_overlap=0)
    with pytest.raises(ValueError, match="units, coders"):
        cohen_kappa_matrix(np.zeros(3), 2)


# --- raw agreement and majority vote --------------------------------------------------------


def test_raw_agreement_hand_worked() -> None:
    # Ordered pairs of equal values / all ordered pairs, pairable units only:
    # (0, 0, 1): 2 / 6; (1, 1): 2 / 2; (0, 1): 0 / 2; (2) drops out. Total 4 / 10.
    data = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, NAN], [0.0, NAN, 1.0], [NAN, 2.0, NAN]])
    estimate = raw_agreement(data)
    assert estimate.value == pytest.approx(0.4, abs=1e-12)
    assert estimate.n == 3


@pytest.mark.parametrize("seed", SEEDS)
def test_raw_agreement_matches_pair_loop(seed: int) -> None:
    data = random_codes(seed, units=60, coders=6, n_categories=3, missing=0.4)
    assert raw_agreement(data).value == pytest.approx(loop_raw_agreement(data), abs=1e-12)


def test_raw_agreement_edge_cases() -> None:
    assert raw_agreement(np.full((5, 3), 2.0)).value == 1.0
    # Every unit a tie between two values: no pair agrees.
    assert raw_agreement(np.array([[0.0, 1.0], [2.0, 1.0]])).value == 0.0
    single = raw_agreement(np.array([[1.0, 1.0, 0.0]]))
    assert single.value == pytest.approx(2 / 6, abs=1e-12)
    assert math.isnan(single.low)
    assert_undefined(raw_agreement(np.array([[0.0], [1.0]])), 0)
    assert_undefined(raw_agreement(np.empty((0, 2))), 0)
    with pytest.raises(ValueError, match="units, coders"):
        raw_agreement(np.zeros(3))


@pytest.mark.parametrize("seed", [0, 1])
def test_raw_agreement_bootstrap_equals_explicit_resampling(seed: int) -> None:
    data = all_pairable(random_codes(seed, units=40, coders=4, n_categories=3))
    estimate = raw_agreement(data, n_resamples=60, confidence=0.9, seed=seed)
    low, high = explicit_bootstrap(data, loop_raw_agreement, 60, seed, 0.9)
    assert (estimate.low, estimate.high) == pytest.approx((low, high), abs=1e-12)
    assert estimate.low < estimate.value < estimate.high


def test_majority_vote_hand_worked_and_against_counter() -> None:
    data = np.array(
        [
            [0.0, 0.0, 1.0, NAN, NAN],  # 0 wins 2 to 1
            [0.0, 1.0, NAN, NAN, NAN],  # tie
            [NAN, NAN, NAN, NAN, NAN],  # no value
            [2.0, NAN, NAN, NAN, NAN],  # a single vote wins
            [1.0, 1.0, 2.0, 2.0, 0.0],  # tie at the top
            [1.0, 2.0, 2.0, 0.0, 2.0],  # 2 wins 3 to 1
        ]
    )
    assert majority_vote(data, 3).tolist() == [0, -1, -1, 2, -1, 2]
    assert majority_vote(np.empty((0, 3)), 3).shape == (0,)
    assert majority_vote(np.empty((2, 0)), 3).tolist() == [-1, -1]
    random = random_codes(5, units=200, coders=4, n_categories=3)
    expected = []
    for row in random:
        ranked = Counter(row[~np.isnan(row)].astype(int).tolist()).most_common()
        clear = ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
        expected.append(ranked[0][0] if clear else -1)
    assert majority_vote(random, 3).tolist() == expected
    with pytest.raises(ValueError, match="Category codes"):
        majority_vote(np.array([[0.0, 3.0]]), 3)
