"""Annotator reliability without gold labels: the Dawid-Skene (1979) model fitted by EM.

Each unit has an unknown true class; each annotator answers according to their own confusion
matrix ``P(given class | true class)``. EM alternates posteriors over each unit's true class
(E-step) with the class priors and confusion matrices those posteriors imply (M-step).

Both steps are matrix products with a sparse one-hot ``(annotators * classes, units)`` matrix of
the answers, built once: the E-step multiplies the log confusion entries by it, the M-step
multiplies it by the posteriors. The matrix stores one entry per answer, so a fit needs
``O(answers + units * classes + annotators * classes**2)`` memory: the answers, a few
``(units, classes)`` arrays and the confusion matrices. Nothing is ``units * annotators`` in
size and there is no loop over units.

``dawid_skene_triples`` takes the answers as ``(unit, annotator, label)`` triples, which is what
makes many annotators cheap; ``dawid_skene`` takes a dense ``(units, annotators)`` matrix, which
is itself ``units * annotators`` in size, and fits it through the triples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MISSING = -1
# An answer the fitted confusion makes impossible has log(0) = -inf; a unit whose every class
# came out impossible would then give -inf - -inf = nan in the log-sum-exp. The smallest normal
# float keeps an impossible answer impossible (its exp underflows to 0) while staying finite.
_LOG_FLOOR = math.log(np.finfo(np.float64).tiny)


@dataclass(frozen=True)
class DawidSkeneResult:
    """A fitted Dawid-Skene model.

    ``posteriors`` ``(units, classes)``: P(true class | answers), uniform for units nobody
    labelled. ``confusion`` ``(annotators, true class, given class)``: each row sums to 1 (uniform
    rows where an annotator gave no weight to that true class). ``priors`` ``(classes,)``: the
    class shares (``nan`` with no labels at all). ``accuracy`` ``(annotators,)``: P(answer is the
    true class) = ``sum_k priors[k] * confusion[a, k, k]``, ``nan`` for an annotator with no
    labels. ``labels_given`` counts each annotator's labels, ``labelled`` marks units with at least
    one label. ``log_likelihood`` is the observed-data log-likelihood of the returned parameters
    (0.0 with no labels); ``iterations`` counts EM iterations, ``converged`` whether the tolerance
    was met before ``max_iter``.
    """

    posteriors: FloatArray
    confusion: FloatArray
    priors: FloatArray
    accuracy: FloatArray
    labels_given: IntArray
    labelled: BoolArray
    iterations: int
    converged: bool
    log_likelihood: float


def dawid_skene(
    labels: IntArray,
    n_classes: int,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
) -> DawidSkeneResult:
    """Fit the Dawid & Skene (1979) class-conditional annotator model by EM.

    ``labels`` is ``(units, annotators)`` of class codes ``0..n_classes-1``, ``-1`` for missing.

    Initialisation follows the paper: the first posteriors are each unit's majority-vote shares
    (the fraction of its labels in each class). Each iteration is an M-step then an E-step, so
    the returned posteriors, log-likelihood and consensus belong to the returned parameters. The
    M-step adds ``smoothing`` pseudo-counts to every cell of every confusion row and to every
    class of the prior (a symmetric Dirichlet(1 + smoothing) prior, so this is MAP-EM); it keeps
    a class an annotator never used from getting probability exactly 0, which would veto that
    class for every unit they labelled. ``smoothing=0`` gives the plain maximum-likelihood EM of
    the paper. Iteration stops when the log-likelihood per label changes by less than ``tol``,
    or after ``max_iter`` iterations (``tol=0`` runs exactly ``max_iter``).

    Degenerate data return values, not errors: with one annotator the model is not identified
    and returns that annotator's own labels with accuracy near 1; units with no labels get
    uniform posteriors; with no labels at all priors and accuracies are ``nan``. Raises
    ``ValueError`` for a non-2-D or non-integer ``labels``, codes outside ``-1..n_classes-1``, or
    invalid settings.

    The matrix is only read for its answers, which are fitted by ``dawid_skene_triples``; with
    many annotators and few answers each, pass the triples to that directly.
    """
    labels = _validated(labels, n_classes, max_iter, tol, smoothing)
    n_units, n_annotators = labels.shape
    units, annotators = np.nonzero(labels != MISSING)
    return dawid_skene_triples(
        units,
        annotators,
        labels[units, annotators],
        n_units=n_units,
        n_annotators=n_annotators,
        n_classes=n_classes,
        max_iter=max_iter,
        tol=tol,
        smoothing=smoothing,
    )


def dawid_skene_triples(
    units: IntArray,
    annotators: IntArray,
    labels: IntArray,
    *,
    n_units: int,
    n_annotators: int,
    n_classes: int,
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
) -> DawidSkeneResult:
    """Fit the Dawid-Skene model of ``dawid_skene`` to answers given one per entry.

    ``units[i]`` (``0..n_units-1``) was given class ``labels[i]`` (``0..n_classes-1``) by
    ``annotators[i]`` (``0..n_annotators-1``); the three are equal-length 1-D integer arrays in
    any order. ``n_units`` and ``n_annotators`` fix the result's shapes, so units and annotators
    without answers are allowed and come back as ``dawid_skene`` returns them. The settings, the
    algorithm and the result are those of ``dawid_skene`` on the matching dense matrix, but memory
    grows with the number of answers rather than with ``units * annotators``.

    Raises ``ValueError`` for arrays that are not 1-D, differ in length or hold non-integers,
    indices or codes out of range, a (unit, annotator) pair answered more than once (the model
    has one answer per pair, and summing two would invent a count), or invalid settings.
    """
    _validated_settings(n_classes, max_iter, tol, smoothing)
    units, annotators, labels = _validated_triples(
        units, annotators, labels, n_units=n_units, n_annotators=n_annotators, n_classes=n_classes
    )
    n_labels = labels.size
    labelled = np.zeros(n_units, dtype=np.bool_)
    labelled[units] = True
    labels_given = np.bincount(annotators, minlength=n_annotators).astype(np.int64)
    if n_labels == 0:
        return DawidSkeneResult(
            posteriors=np.full((n_units, n_classes), 1.0 / n_classes),
            confusion=np.full((n_annotators, n_classes, n_classes), 1.0 / n_classes),
            priors=np.full(n_classes, np.nan),
            accuracy=np.full(n_annotators, np.nan),
            labels_given=labels_given,
            labelled=labelled,
            iterations=0,
            converged=True,
            log_likelihood=0.0,
        )
    # Class-major (classes, units) layout inside the loop: reductions over the few classes
    # then run across contiguous rows instead of along many short ones.
    answers = _one_hot(
        units, annotators, labels, n_units=n_units, n_annotators=n_annotators, n_classes=n_classes
    )
    votes = np.bincount(labels * n_units + units, minlength=n_classes * n_units)
    votes = votes.reshape(n_classes, n_units).astype(np.float64)
    votes_per_unit = votes.sum(axis=0)
    posteriors = np.where(labelled, votes / np.maximum(votes_per_unit, 1), 1.0 / n_classes)
    weight = labelled.astype(np.float64)

    priors, confusion = _m_step(answers, posteriors, weight, n_annotators, smoothing)
    posteriors, log_likelihood = _e_step(answers, priors, confusion, labelled)
    iterations = 0
    converged = False
    while iterations < max_iter:
        priors, confusion = _m_step(answers, posteriors, weight, n_annotators, smoothing)
        posteriors, new_log_likelihood = _e_step(answers, priors, confusion, labelled)
        iterations += 1
        change = abs(new_log_likelihood - log_likelihood) / n_labels
        log_likelihood = new_log_likelihood
        if change < tol:
            converged = True
            break
    diagonal = np.arange(n_classes)
    accuracy = confusion[:, diagonal, diagonal] @ priors
    accuracy = np.where(labels_given > 0, accuracy, np.nan)
    return DawidSkeneResult(
        posteriors=np.ascontiguousarray(posteriors.T),
        confusion=confusion,
        priors=priors,
        accuracy=accuracy,
        labels_given=labels_given,
        labelled=labelled,
        iterations=iterations,
        converged=converged,
        log_likelihood=log_likelihood,
    )


def consensus_labels(result: DawidSkeneResult) -> IntArray:
    """The most probable true class of each unit (``-1`` for units nobody labelled).

    Exact ties between classes go to the lowest class code; posteriors that are equal on paper
    may differ in the last bit, so a near-tie is settled by rounding.
    """
    best = np.argmax(result.posteriors, axis=1).astype(np.int64)
    return np.where(result.labelled, best, MISSING).astype(np.int64)


def _validated_settings(n_classes: int, max_iter: int, tol: float, smoothing: float) -> None:
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1.")
    if max_iter < 0:
        raise ValueError("max_iter must be >= 0.")
    if not tol >= 0:
        raise ValueError("tol must be >= 0.")
    if not (smoothing >= 0 and math.isfinite(smoothing)):
        raise ValueError("smoothing must be a finite number >= 0.")


def _validated(
    labels: IntArray, n_classes: int, max_iter: int, tol: float, smoothing: float
) -> IntArray:
    _validated_settings(n_classes, max_iter, tol, smoothing)
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError("labels must be a (units, annotators) array.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must hold integer class codes (-1 for missing).")
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < MISSING or labels.max() >= n_classes):
        raise ValueError(f"Class codes must lie in 0..{n_classes - 1}, or -1 for missing.")
    return labels


def _validated_triples(
    units: IntArray,
    annotators: IntArray,
    labels: IntArray,
    *,
    n_units: int,
    n_annotators: int,
    n_classes: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """The three answer columns as int64, after checking shapes, ranges and repeated pairs."""
    if n_units < 0:
        raise ValueError("n_units must be >= 0.")
    if n_annotators < 0:
        raise ValueError("n_annotators must be >= 0.")
    columns = {"units": units, "annotators": annotators, "labels": labels}
    arrays = {name: np.asarray(values) for name, values in columns.items()}
    for name, array in arrays.items():
        if array.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array with one entry per answer.")
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} {size}" for name, size in lengths.items())
        raise ValueError(f"units, annotators and labels must have equal lengths (got {described}).")
    for name, array in arrays.items():
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold integers.")
    limits = {
        "units": ("n_units", n_units),
        "annotators": ("n_annotators", n_annotators),
        "labels": ("n_classes", n_classes),
    }
    checked: dict[str, IntArray] = {}
    for name, array in arrays.items():
        values = array.astype(np.int64)
        limit_name, limit = limits[name]
        if values.size and (values.min() < 0 or values.max() >= limit):
            raise ValueError(f"{name} must lie in 0..{limit - 1} ({limit_name} is {limit}).")
        checked[name] = values
    units, annotators, labels = checked["units"], checked["annotators"], checked["labels"]
    # Sorting by (unit, annotator) puts repeats of a pair side by side; a combined integer key
    # would be shorter but can overflow int64 for very large index ranges.
    order = np.lexsort((annotators, units))
    sorted_units, sorted_annotators = units[order], annotators[order]
    repeated = (sorted_units[1:] == sorted_units[:-1]) & (
        sorted_annotators[1:] == sorted_annotators[:-1]
    )
    if repeated.any():
        first = int(np.argmax(repeated))
        raise ValueError(
            "Each (unit, annotator) pair may answer at most once; unit "
            f"{sorted_units[first]} has more than one answer from annotator "
            f"{sorted_annotators[first]}."
        )
    return units, annotators, labels


def _one_hot(
    units: IntArray,
    annotators: IntArray,
    labels: IntArray,
    *,
    n_units: int,
    n_annotators: int,
    n_classes: int,
) -> sparse.csr_array:
    """Sparse ``(annotators * classes, units)``: 1 at row ``a * n_classes + label`` per answer."""
    return sparse.csr_array(
        (np.ones(labels.size), (annotators * n_classes + labels, units)),
        shape=(n_annotators * n_classes, n_units),
    )


def _m_step(
    answers: sparse.csr_array,
    posteriors: FloatArray,
    weight: FloatArray,
    n_annotators: int,
    smoothing: float,
) -> tuple[FloatArray, FloatArray]:
    """Smoothed class priors and confusion matrices ``(annotators, true, given)``.

    ``answers`` is ``(annotators * classes, units)`` and ``posteriors`` ``(classes, units)``.
    """
    n_classes = posteriors.shape[0]
    class_mass = posteriors @ weight
    priors = (class_mass + smoothing) / (class_mass.sum() + n_classes * smoothing)
    # For each (annotator, given class), the posterior mass of each true class among the units
    # that annotator gave that class.
    counts = np.asarray(answers @ posteriors.T).reshape(n_annotators, n_classes, n_classes)
    counts = counts.transpose(0, 2, 1) + smoothing
    row_totals = counts.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        confusion = np.where(row_totals > 0, counts / row_totals, 1.0 / n_classes)
    return priors, confusion


def _e_step(
    answers: sparse.csr_array, priors: FloatArray, confusion: FloatArray, labelled: BoolArray
) -> tuple[FloatArray, float]:
    """Posteriors ``(classes, units)`` and the observed-data log-likelihood."""
    n_annotators, n_classes, _ = confusion.shape
    with np.errstate(divide="ignore"):
        log_confusion = np.maximum(np.log(confusion), _LOG_FLOOR)
        log_priors = np.maximum(np.log(priors), _LOG_FLOOR)
    # Rows true class, columns (annotator, given class), matching the rows of ``answers``.
    log_given = log_confusion.transpose(1, 0, 2).reshape(n_classes, n_annotators * n_classes)
    # (answers.T @ log_given.T).T is log_given @ answers with the sparse matrix on the left,
    # which is how scipy multiplies; its result is a strided view, copied to (classes, units)
    # rows for the reductions below.
    joint = np.ascontiguousarray(np.asarray(answers.T @ log_given.T).T) + log_priors[:, None]
    peak = joint.max(axis=0)
    log_evidence = peak + np.log(np.exp(joint - peak).sum(axis=0))
    posteriors = np.exp(joint - log_evidence)
    posteriors[:, ~labelled] = 1.0 / n_classes
    return posteriors, float(log_evidence[labelled].sum())
