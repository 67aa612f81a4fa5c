"""Annotator reliability without gold labels: the Dawid-Skene (1979) model fitted by EM.

Each unit has an unknown true class; each annotator answers according to their own confusion
matrix ``P(given class | true class)``. EM alternates posteriors over each unit's true class
(E-step) with the class priors and confusion matrices those posteriors imply (M-step).

Both steps are matrix products with a one-hot ``(annotators * classes, units)`` matrix of the
answers, built once: the E-step multiplies the log confusion entries by it, the M-step multiplies
it by the posteriors. Memory is ``8 * units * annotators * classes`` bytes for it plus
a few ``(units, classes)`` arrays; there is no loop over units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

MISSING = -1
# log(0) would turn 0 * log(0) into nan inside the E-step product; the smallest normal float
# keeps an impossible answer impossible (its exp underflows to 0) while staying finite.
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
    """
    labels = _validated(labels, n_classes, max_iter, tol, smoothing)
    n_units, n_annotators = labels.shape
    observed = labels != MISSING
    labelled = observed.any(axis=1)
    labels_given = observed.sum(axis=0).astype(np.int64)
    n_labels = int(labels_given.sum())
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
    answers = _one_hot(labels, observed, n_classes)
    votes = answers.reshape(n_annotators, n_classes, n_units).sum(axis=0)
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


def _validated(
    labels: IntArray, n_classes: int, max_iter: int, tol: float, smoothing: float
) -> IntArray:
    if n_classes < 1:
        raise ValueError("n_classes must be at least 1.")
    if max_iter < 0:
        raise ValueError("max_iter must be >= 0.")
    if not tol >= 0:
        raise ValueError("tol must be >= 0.")
    if not (smoothing >= 0 and math.isfinite(smoothing)):
        raise ValueError("smoothing must be a finite number >= 0.")
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError("labels must be a (units, annotators) array.")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError("labels must hold integer class codes (-1 for missing).")
    labels = labels.astype(np.int64)
    if labels.size and (labels.min() < MISSING or labels.max() >= n_classes):
        raise ValueError(f"Class codes must lie in 0..{n_classes - 1}, or -1 for missing.")
    return labels


def _one_hot(labels: IntArray, observed: BoolArray, n_classes: int) -> FloatArray:
    """``(annotators * classes, units)``: 1 at row ``a * n_classes + label`` per answer."""
    n_units, n_annotators = labels.shape
    answers = np.zeros((n_annotators * n_classes, n_units))
    units, annotators = np.nonzero(observed)
    answers[annotators * n_classes + labels[units, annotators], units] = 1.0
    return answers


def _m_step(
    answers: FloatArray,
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
    counts = (answers @ posteriors.T).reshape(n_annotators, n_classes, n_classes)
    counts = counts.transpose(0, 2, 1) + smoothing
    row_totals = counts.sum(axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        confusion = np.where(row_totals > 0, counts / row_totals, 1.0 / n_classes)
    return priors, confusion


def _e_step(
    answers: FloatArray, priors: FloatArray, confusion: FloatArray, labelled: BoolArray
) -> tuple[FloatArray, float]:
    """Posteriors ``(classes, units)`` and the observed-data log-likelihood."""
    n_annotators, n_classes, _ = confusion.shape
    with np.errstate(divide="ignore"):
        log_confusion = np.maximum(np.log(confusion), _LOG_FLOOR)
        log_priors = np.maximum(np.log(priors), _LOG_FLOOR)
    # Rows true class, columns (annotator, given class), matching the rows of ``answers``.
    log_given = log_confusion.transpose(1, 0, 2).reshape(n_classes, n_annotators * n_classes)
    joint = log_given @ answers + log_priors[:, None]
    peak = joint.max(axis=0)
    log_evidence = peak + np.log(np.exp(joint - peak).sum(axis=0))
    posteriors = np.exp(joint - log_evidence)
    posteriors[:, ~labelled] = 1.0 / n_classes
    return posteriors, float(log_evidence[labelled].sum())
