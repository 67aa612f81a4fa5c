"""Dawid-Skene EM against a loop-by-loop transcription of the paper, crowd-kit and hand work."""

from __future__ import annotations

import importlib
import math
import time
import tracemalloc
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from crowdkit.aggregation import DawidSkene

from annotator.metrics.reliability import (
    DawidSkeneResult,
    consensus_labels,
    dawid_skene,
    dawid_skene_triples,
)

# Only crowd-kit needs pandas here, and pandas ships no type stubs in this environment.
pd: Any = importlib.import_module("pandas")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def random_labels(
    rng: np.random.Generator,
    n_units: int,
    accuracies: list[float],
    n_classes: int,
    missing: float = 0.3,
) -> tuple[IntArray, IntArray]:
    """Each annotator copies the true class with probability ``accuracy``, else guesses."""
    truth = rng.integers(0, n_classes, n_units)
    guess = rng.integers(0, n_classes, (n_units, len(accuracies)))
    copy = rng.random((n_units, len(accuracies))) < np.array(accuracies)
    labels = np.where(copy, truth[:, None], guess)
    labels[rng.random(labels.shape) < missing] = -1
    return labels.astype(np.int64), truth.astype(np.int64)


def reference_em(
    labels: IntArray, n_classes: int, iterations: int, smoothing: float
) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Dawid & Skene (1979) EM with plain loops, straight from the paper's equations (2.3)-(2.5).

    Start: T[i][k] = share of unit i's labels that are k. Then ``iterations + 1`` rounds of
    M-step (priors p_k, error rates pi[a][k][l], each with ``smoothing`` pseudo-counts) and
    E-step T[i][k] proportional to p_k * prod_a pi[a][k][y_ia], in probability space.
    Returns posteriors, confusion, priors and the log-likelihood of the last M-step.
    """
    n_units, n_annotators = labels.shape
    k_range = range(n_classes)
    rows = [[int(v) for v in row] for row in labels]
    labelled = [any(v >= 0 for v in row) for row in rows]
    posterior = []
    for row, has in zip(rows, labelled, strict=True):
        given = [v for v in row if v >= 0]
        if has:
            posterior.append([given.count(k) / len(given) for k in k_range])
        else:
            posterior.append([1.0 / n_classes] * n_classes)
    priors: list[float] = []
    confusion: list[list[list[float]]] = []
    log_lik = 0.0
    for _ in range(iterations + 1):
        n_labelled = sum(labelled)
        priors = [
            (sum(posterior[i][k] for i in range(n_units) if labelled[i]) + smoothing)
            / (n_labelled + n_classes * smoothing)
            for k in k_range
        ]
        confusion = []
        for a in range(n_annotators):
            matrix = []
            for k in k_range:
                cells = [
                    smoothing + sum(posterior[i][k] for i in range(n_units) if rows[i][a] == g)
                    for g in k_range
                ]
                total = sum(cells)
                matrix.append([c / total if total > 0 else 1.0 / n_classes for c in cells])
            confusion.append(matrix)
        log_lik = 0.0
        for i in range(n_units):
            if not labelled[i]:
                continue
            joint = []
            for k in k_range:
                p = priors[k]
                for a in range(n_annotators):
                    if rows[i][a] >= 0:
                        p *= confusion[a][k][rows[i][a]]
                joint.append(p)
            evidence = sum(joint)
            posterior[i] = [p / evidence for p in joint]
            log_lik += math.log(evidence)
    return np.array(posterior), np.array(confusion), np.array(priors), log_lik


# --- against references -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seed", "iterations", "smoothing"), [(0, 0, 0.01), (1, 1, 0.01), (2, 7, 0.5), (3, 12, 0.0)]
)
def test_matches_loop_reference(seed: int, iterations: int, smoothing: float) -> None:
    rng = np.random.default_rng(seed)
    labels, _ = random_labels(rng, 60, [0.9, 0.7, 0.5, 0.2], 3)
    labels[5] = -1  # a unit nobody labelled
    result = dawid_skene(labels, 3, max_iter=iterations, tol=0.0, smoothing=smoothing)
    posteriors, confusion, priors, log_lik = reference_em(labels, 3, iterations, smoothing)
    assert result.iterations == iterations
    assert not result.converged
    np.testing.assert_allclose(result.posteriors, posteriors, atol=1e-9)
    np.testing.assert_allclose(result.confusion, confusion, atol=1e-9)
    np.testing.assert_allclose(result.priors, priors, atol=1e-9)
    assert result.log_likelihood == pytest.approx(log_lik, abs=1e-9)
    expected_accuracy = [sum(priors[k] * confusion[a, k, k] for k in range(3)) for a in range(4)]
    np.testing.assert_allclose(result.accuracy, expected_accuracy, atol=1e-12)


def crowdkit_fit(labels: IntArray, iterations: int) -> DawidSkene:
    units, workers = np.nonzero(labels >= 0)
    frame = pd.DataFrame({"task": units, "worker": workers, "label": labels[units, workers]})
    # tol=-inf: crowd-kit stops when the ELBO gain is below tol, so this runs every iteration.
    return DawidSkene(n_iter=iterations, tol=-np.inf).fit(frame)


# crowd-kit calls pandas with keywords pandas 3 deprecates; not ours to fix.
@pytest.mark.filterwarnings("ignore:The (inplace|copy) keyword")
@pytest.mark.parametrize(("seed", "iterations"), [(4, 0), (5, 3), (6, 25)])
def test_matches_crowdkit_iteration_by_iteration(seed: int, iterations: int) -> None:
    # crowd-kit starts from the same majority-vote shares and has no smoothing (it floors
    # probabilities at 1e-10 where ours is the smallest float: only matters for exact zeros).
    # Its loop is E-step then M-step, ours M then E, so after n of our iterations our
    # posteriors are its posteriors after n + 1 and our parameters its parameters after n.
    rng = np.random.default_rng(seed)
    labels, _ = random_labels(rng, 200, [0.85, 0.7, 0.5, 0.3, 0.6], 3)
    result = dawid_skene(labels, 3, max_iter=iterations, tol=0.0, smoothing=0.0)
    after = crowdkit_fit(labels, iterations + 1)
    before = crowdkit_fit(labels, iterations)
    assert after.probas_ is not None
    assert after.labels_ is not None
    assert before.errors_ is not None
    assert before.priors_ is not None
    probas = after.probas_.sort_index()[[0, 1, 2]].to_numpy()
    np.testing.assert_allclose(result.posteriors[result.labelled], probas, atol=1e-9)
    for worker in range(5):
        # crowd-kit's errors are (observed label, true label); ours (true, given).
        errors = before.errors_.loc[worker].sort_index()[[0, 1, 2]].to_numpy()
        np.testing.assert_allclose(result.confusion[worker], errors.T, atol=1e-9)
    np.testing.assert_allclose(result.priors, before.priors_.sort_index().to_numpy(), atol=1e-9)
    ours = consensus_labels(result)[result.labelled]
    top_two = np.sort(probas, axis=1)[:, -2:]
    clear = top_two[:, 1] - top_two[:, 0] > 1e-9
    np.testing.assert_array_equal(ours[clear], after.labels_.sort_index().to_numpy()[clear])


def test_hand_worked_example() -> None:
    # Two units, two annotators, two classes, no smoothing: unit 0 = (0, 0), unit 1 = (0, 1).
    # Majority shares: T = [[1, 0], [.5, .5]]. M-step: priors = (1.5, .5) / 2 = (.75, .25).
    # Annotator 0 always said 0: both confusion rows (1, 0). Annotator 1: true 0 has mass 1
    # saying 0 and .5 saying 1 -> (2/3, 1/3); true 1 has mass .5 saying 1 -> (0, 1).
    # E-step: unit 0: .75 * 1 * 2/3 = .5 vs .25 * 1 * 0 = 0 -> (1, 0), evidence .5;
    # unit 1: .75 * 1 * 1/3 = .25 vs .25 * 1 * 1 = .25 -> (.5, .5), evidence .5.
    # The posteriors are the start again: a fixed point with log-likelihood 2 log(.5).
    # Accuracy: annotator 0 .75 * 1 + .25 * 0 = .75; annotator 1 .75 * 2/3 + .25 * 1 = .75.
    labels = np.array([[0, 0], [0, 1]])
    result = dawid_skene(labels, 2, smoothing=0.0)
    np.testing.assert_allclose(result.posteriors, [[1.0, 0.0], [0.5, 0.5]], atol=1e-12)
    np.testing.assert_allclose(result.priors, [0.75, 0.25], atol=1e-12)
    np.testing.assert_allclose(result.confusion[0], [[1.0, 0.0], [1.0, 0.0]], atol=1e-12)
    np.testing.assert_allclose(result.confusion[1], [[2 / 3, 1 / 3], [0.0, 1.0]], atol=1e-12)
    np.testing.assert_allclose(result.accuracy, [0.75, 0.75], atol=1e-12)
    assert result.log_likelihood == pytest.approx(2 * math.log(0.5), abs=1e-12)
    assert result.converged
    assert result.iterations == 1
    assert consensus_labels(result)[0] == 0


def test_log_likelihood_never_decreases() -> None:
    # EM (smoothing 0: plain likelihood) climbs monotonically (Dempster, Laird & Rubin 1977).
    rng = np.random.default_rng(7)
    labels, _ = random_labels(rng, 300, [0.8, 0.6, 0.4, 0.3], 4)
    values = [
        dawid_skene(labels, 4, max_iter=i, tol=0.0, smoothing=0.0).log_likelihood for i in range(12)
    ]
    assert np.all(np.diff(values) >= -1e-9)
    assert values[-1] > values[0]


def test_synthetic_recovery() -> None:
    rng = np.random.default_rng(8)
    n_units, n_classes = 3000, 3
    truth = rng.integers(0, n_classes, n_units)
    good = np.where(rng.random(n_units) < 0.9, truth, rng.integers(0, n_classes, n_units))
    fair = np.where(rng.random(n_units) < 0.6, truth, rng.integers(0, n_classes, n_units))
    spammer = rng.integers(0, n_classes, n_units)
    # Says 0 whenever the truth is 1, otherwise right: a systematic confusion, not noise.
    biased = np.where(truth == 1, 0, truth)
    also_good = np.where(rng.random(n_units) < 0.85, truth, rng.integers(0, n_classes, n_units))
    labels = np.stack([good, fair, spammer, biased, also_good], axis=1).astype(np.int64)
    labels[rng.random(labels.shape) < 0.2] = -1
    result = dawid_skene(labels, n_classes)
    # True accuracies: copy-rate c gives c + (1 - c) / 3; spammer 1/3; biased 2/3.
    expected = [0.9 + 0.1 / 3, 0.6 + 0.4 / 3, 1 / 3, 2 / 3, 0.85 + 0.15 / 3]
    np.testing.assert_allclose(result.accuracy, expected, atol=0.03)
    assert np.argmin(result.accuracy) == 2
    assert np.argmax(result.accuracy) == 0
    assert result.confusion[3, 1, 0] > 0.95  # true 1 -> says 0
    np.testing.assert_allclose(result.confusion[2], 1 / 3, atol=0.05)
    np.testing.assert_allclose(result.priors, 1 / 3, atol=0.03)
    consensus = consensus_labels(result)
    assert np.mean(consensus == truth) > 0.95
    assert result.converged
    assert result.iterations < 100


# --- edge cases -------------------------------------------------------------------------------


def test_one_annotator() -> None:
    # Not identified: the model can only echo the single annotator.
    labels = np.array([[0], [1], [2], [1], [-1]])
    result = dawid_skene(labels, 3)
    np.testing.assert_array_equal(consensus_labels(result), [0, 1, 2, 1, -1])
    assert result.accuracy[0] > 0.9
    assert np.isfinite(result.log_likelihood)
    np.testing.assert_allclose(result.posteriors[4], 1 / 3)


def test_all_identical_answers() -> None:
    labels = np.zeros((20, 3), dtype=np.int64)
    result = dawid_skene(labels, 3)
    np.testing.assert_array_equal(consensus_labels(result), 0)
    assert result.priors[0] > 0.99
    np.testing.assert_allclose(result.confusion.sum(axis=2), 1.0)
    assert np.all(result.accuracy > 0.99)
    assert result.converged


def test_units_and_annotators_without_labels() -> None:
    rng = np.random.default_rng(9)
    labels, _ = random_labels(rng, 40, [0.8, 0.7, 0.6], 3)
    labels[[3, 17]] = -1
    labels = np.concatenate([labels, np.full((40, 1), -1)], axis=1)  # annotator 3 never labels
    result = dawid_skene(labels, 3)
    np.testing.assert_allclose(result.posteriors[[3, 17]], 1 / 3)
    assert consensus_labels(result)[3] == -1
    assert consensus_labels(result)[17] == -1
    assert math.isnan(result.accuracy[3])
    assert np.isfinite(result.accuracy[:3]).all()
    np.testing.assert_allclose(result.confusion[3], 1 / 3)
    assert result.labels_given[3] == 0
    np.testing.assert_allclose(result.posteriors.sum(axis=1), 1.0)


def test_single_unit_and_one_class() -> None:
    single = dawid_skene(np.array([[1, 1, 0]]), 2)
    assert consensus_labels(single)[0] == 1
    np.testing.assert_allclose(single.posteriors.sum(), 1.0)
    one_class = dawid_skene(np.array([[0, 0], [0, -1], [-1, -1]]), 1)
    np.testing.assert_allclose(one_class.posteriors, 1.0)
    np.testing.assert_allclose(one_class.accuracy, 1.0)
    np.testing.assert_array_equal(consensus_labels(one_class), [0, 0, -1])


def test_no_labels_at_all() -> None:
    for labels in (np.full((4, 2), -1), np.zeros((0, 3), dtype=np.int64)):
        result = dawid_skene(labels, 3)
        assert result.posteriors.shape == (labels.shape[0], 3)
        np.testing.assert_allclose(result.posteriors, 1 / 3)
        assert np.isnan(result.priors).all()
        assert np.isnan(result.accuracy).all()
        assert result.log_likelihood == 0.0
        assert result.iterations == 0
        assert np.all(consensus_labels(result) == -1)


def test_tolerance_stops_early_and_max_iter_caps() -> None:
    rng = np.random.default_rng(10)
    labels, _ = random_labels(rng, 500, [0.9, 0.5, 0.4], 3)
    loose = dawid_skene(labels, 3, tol=1e-3)
    capped = dawid_skene(labels, 3, max_iter=2, tol=0.0)
    assert loose.converged
    assert loose.iterations < 50
    assert capped.iterations == 2
    assert not capped.converged


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("labels", "n_classes", "match"),
    [
        (np.array([0, 1, 2]), 3, "units, annotators"),
        (np.array([[0, 3]]), 3, "0..2"),
        (np.array([[0, -2]]), 3, "0..2"),
        (np.array([[0.0, 1.0]]), 3, "integer"),
        (np.array([[0, 1]]), 0, "n_classes"),
    ],
)
def test_bad_input_raises(labels: IntArray, n_classes: int, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        dawid_skene(labels, n_classes)


def test_bad_settings_raise() -> None:
    labels = np.array([[0, 1]])
    with pytest.raises(ValueError, match="smoothing"):
        dawid_skene(labels, 2, smoothing=-0.1)
    with pytest.raises(ValueError, match="max_iter"):
        dawid_skene(labels, 2, max_iter=-1)
    with pytest.raises(ValueError, match="tol"):
        dawid_skene(labels, 2, tol=float("nan"))


# --- answers as (unit, annotator, label) triples ----------------------------------------------


def assert_same_fit(ours: DawidSkeneResult, expected: DawidSkeneResult) -> None:
    np.testing.assert_allclose(ours.posteriors, expected.posteriors, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.confusion, expected.confusion, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.priors, expected.priors, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.accuracy, expected.accuracy, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.log_likelihood, expected.log_likelihood, rtol=1e-12)
    np.testing.assert_array_equal(ours.labels_given, expected.labels_given)
    np.testing.assert_array_equal(ours.labelled, expected.labelled)
    assert ours.iterations == expected.iterations
    assert ours.converged == expected.converged


@pytest.mark.parametrize(
    ("seed", "n_classes", "smoothing", "tol"),
    [(11, 3, 0.01, 1e-6), (12, 2, 0.0, 0.0), (13, 4, 0.5, 1e-6), (14, 1, 0.01, 1e-6)],
)
def test_triples_match_dense(seed: int, n_classes: int, smoothing: float, tol: float) -> None:
    rng = np.random.default_rng(seed)
    labels, _ = random_labels(rng, 150, [0.9, 0.7, 0.6, 0.4, 0.3], n_classes, missing=0.5)
    labels[[0, 42]] = -1  # units nobody labelled
    labels = np.concatenate([labels, np.full((150, 1), -1)], axis=1)  # an annotator with none
    units, annotators = np.nonzero(labels >= 0)
    # Any order of the answers, and any integer dtype, fits the same model.
    order = rng.permutation(units.size)
    units, annotators = units[order].astype(np.int32), annotators[order].astype(np.int32)
    ours = dawid_skene_triples(
        units,
        annotators,
        labels[units, annotators],
        n_units=150,
        n_annotators=6,
        n_classes=n_classes,
        max_iter=20,
        tol=tol,
        smoothing=smoothing,
    )
    expected = dawid_skene(labels, n_classes, max_iter=20, tol=tol, smoothing=smoothing)
    assert_same_fit(ours, expected)
    np.testing.assert_array_equal(consensus_labels(ours), consensus_labels(expected))


def test_triples_without_answers() -> None:
    empty = np.zeros(0, dtype=np.int64)
    result = dawid_skene_triples(empty, empty, empty, n_units=3, n_annotators=2, n_classes=2)
    assert_same_fit(result, dawid_skene(np.full((3, 2), -1), 2))


@pytest.mark.parametrize(
    ("units", "annotators", "labels", "match"),
    [
        ([0, 1], [0, 1, 0], [0, 1, 0], "equal lengths"),
        ([[0, 1]], [[0, 1]], [[0, 1]], "1-D"),
        ([0.0, 1.0], [0, 1], [0, 1], "units must hold integers"),
        ([0, 1], [0, 1], [0.0, 1.0], "labels must hold integers"),
        ([0, 1], [0, 1], [0, 3], "labels must lie in 0..2"),
        ([0, 1], [0, 1], [0, -1], "labels must lie in 0..2"),
        ([0, -1], [0, 1], [0, 1], "units must lie in 0..3"),
        ([0, 4], [0, 1], [0, 1], "units must lie in 0..3"),
        ([0, 1], [0, 2], [0, 1], "annotators must lie in 0..1"),
        ([1, 0, 1], [1, 1, 1], [0, 1, 2], "unit 1 has more than one answer from annotator 1"),
    ],
)
def test_triples_bad_input_raises(
    units: list[Any], annotators: list[Any], labels: list[Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        dawid_skene_triples(
            np.array(units),
            np.array(annotators),
            np.array(labels),
            n_units=4,
            n_annotators=2,
            n_classes=3,
        )


def test_triples_bad_settings_raise() -> None:
    one = np.array([0])
    with pytest.raises(ValueError, match="n_units"):
        dawid_skene_triples(one, one, one, n_units=-1, n_annotators=1, n_classes=2)
    with pytest.raises(ValueError, match="n_annotators"):
        dawid_skene_triples(one, one, one, n_units=1, n_annotators=-1, n_classes=2)
    with pytest.raises(ValueError, match="n_classes"):
        dawid_skene_triples(one, one, one, n_units=1, n_annotators=1, n_classes=0)
    with pytest.raises(ValueError, match="smoothing"):
        dawid_skene_triples(one, one, one, n_units=1, n_annotators=1, n_classes=2, smoothing=-1)


@pytest.mark.timeout(120)
def test_triples_scale_with_answers_not_units_times_annotators() -> None:
    # 200,000 units x 400 annotators x 3 classes: a dense one-hot of the answers alone would be
    # 200_000 * 400 * 3 * 8 bytes = 1.9 GB. There are 1,000,000 answers (5 per unit), so the
    # sparse fit should need tens of MB; the bound leaves room for numpy and scipy temporaries.
    n_units, n_annotators, per_unit, n_classes = 200_000, 400, 5, 3
    rng = np.random.default_rng(15)
    truth = rng.integers(0, n_classes, n_units)
    # Sorted draws from 0..n-k plus 0..k-1 are k distinct annotators per unit.
    annotators = np.sort(rng.integers(0, n_annotators - per_unit + 1, (n_units, per_unit)), axis=1)
    annotators += np.arange(per_unit)
    copy_rate = rng.uniform(0.3, 0.95, n_annotators)
    copies = rng.random((n_units, per_unit)) < copy_rate[annotators]
    guesses = rng.integers(0, n_classes, (n_units, per_unit))
    labels = np.where(copies, truth[:, None], guesses).ravel()
    units = np.repeat(np.arange(n_units), per_unit)
    annotators = annotators.ravel()

    tracemalloc.start()
    try:
        started = time.perf_counter()
        result = dawid_skene_triples(
            units,
            annotators,
            labels,
            n_units=n_units,
            n_annotators=n_annotators,
            n_classes=n_classes,
        )
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 250 * 2**20, f"peak {peak / 2**20:.0f} MiB in {elapsed:.1f} s"
    assert result.posteriors.shape == (n_units, n_classes)
    assert result.confusion.shape == (n_annotators, n_classes, n_classes)
    assert result.converged
    np.testing.assert_array_equal(result.labels_given, np.bincount(annotators))
    # A real fit, not a shortcut: each annotator's accuracy (copy rate c gives c + (1 - c) / 3)
    # is recovered from about 2,500 answers, and weighting annotators by it beats majority vote.
    np.testing.assert_allclose(result.accuracy, copy_rate + (1 - copy_rate) / 3, atol=0.05)
    votes = np.zeros((n_units, n_classes))
    np.add.at(votes, (units, labels), 1.0)
    majority = np.mean(np.argmax(votes, axis=1) == truth)
    consensus = np.mean(consensus_labels(result) == truth)
    assert consensus > majority + 0.01, (consensus, majority)
