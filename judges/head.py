"""Trained preference head: a linear Bradley-Terry model with ties over feature vectors.

Each candidate response has a feature vector ``x`` (a frozen text embedding) and a score
``s = w . x``. For a compared pair (a, b) Davidson's (1970) model with ``pi = exp(s)`` gives

    P(a wins) = pi_a / (pi_a + pi_b + nu sqrt(pi_a pi_b)),  P(tie) = nu sqrt(pi_a pi_b) / (same),

which with ``h = (s_a - s_b) / 2`` is ``e^h / (e^h + e^-h + nu)`` and ``nu / (same)``. Only the
difference ``x_a - x_b`` enters, so there is no intercept. This is the per-pair, feature-based
counterpart of :func:`annotator.metrics.ranking.fit_counts`, which fits one free strength per
model; with one-hot features and the same penalty the two agree.

Everything is NumPy over the ``(n, d)`` matrix of difference vectors, built once per fit: one
``O(n d^2)`` product for the preconditioner, then ``O(n d)`` per L-BFGS step (a few dozen), so
a fit of 30,000 pairs of 768-dimensional embeddings takes seconds. No torch and no Django here,
so the web process and the tests can use it freely.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from annotator.metrics.ranking import RIDGE

FloatArray = npt.NDArray[np.float64]

# Penalty on log nu: the same weak Gaussian prior N(0, 1/RIDGE) that fit_counts puts on it, not
# ``l2``. ``l2`` is a statement about how far the weights may stray in standardised feature
# space; nu is one scalar informed by every pair, so it needs only enough of a prior to stay
# finite when the data hold no ties (or only ties), and sharing fit_counts' prior keeps the
# one-hot case identical to the aggregate leaderboard.
TIE_RIDGE = RIDGE
# L-BFGS-B stopping rules on the objective divided by the total pair weight, so they mean the
# same for a hundred pairs as for a million. Tight enough to match the Newton solver of
# fit_counts (and scikit-learn) to ~1e-6; a fit that stops earlier still returns its iterate
# with ``converged=False``.
_GTOL = 1e-9
_FTOL = 1e-14
_MAX_CORRECTIONS = 20
# Probabilities below this are treated as this in log losses.
_CLIP = 1e-15

# Serialised form: magic, format version, then little-endian fields (see HeadWeights.to_bytes).
_MAGIC = b"MHW"
_VERSION = 1
_HEADER = struct.Struct("<3sBQQ?ddd")


@dataclass(frozen=True, eq=False)  # eq=False: arrays make a field-wise == ambiguous.
class HeadWeights:
    """A fitted preference head.

    ``weights`` are in the original feature space (any standardisation folded in), so
    ``scores = features @ weights``. ``log_nu`` is log of Davidson's tie parameter, ``-inf``
    for a head fitted with ``ties=False`` (plain Bradley-Terry: ties are never predicted).
    ``l2`` is the penalty it was fitted with; ``iterations``, ``converged`` and ``loss`` (the
    penalised objective divided by the total pair weight at the returned iterate) report how
    the optimiser finished, and keep their defaults for a head built by hand.
    """

    weights: FloatArray
    log_nu: float
    l2: float
    iterations: int = 0
    converged: bool = True
    loss: float = math.nan

    def __post_init__(self) -> None:
        # A frozen dataclass still hands out a mutable array; copy it and lock it so a head
        # (and its bytes) cannot change behind a caller's back.
        weights = np.array(self.weights, dtype=np.float64, copy=True)
        if weights.ndim != 1:
            raise ValueError("weights must be a 1-D array.")
        weights.flags.writeable = False
        object.__setattr__(self, "weights", weights)

    @property
    def ties(self) -> bool:
        """Whether this head predicts ties (Davidson) rather than plain Bradley-Terry."""
        return self.log_nu != -math.inf

    def scores(self, features: FloatArray) -> FloatArray:
        """Scores ``features @ weights`` of ``(n, d)`` candidates, shape ``(n,)``."""
        return _features(features, self.weights.size, "features") @ self.weights

    def probabilities(self, first: FloatArray, second: FloatArray) -> FloatArray:
        """``(n, 3)`` columns P(first wins), P(second wins), P(tie) for ``(n, d)`` pairs.

        Rows sum to 1 and stay finite for any score gap; the tie column is 0 for a head
        fitted with ``ties=False``.
        """
        first = _features(first, self.weights.size, "first")
        second = _features(second, self.weights.size, "second")
        if first.shape != second.shape:
            raise ValueError("first and second must have the same shape.")
        # The difference first keeps precision when both candidates have large features.
        half = 0.5 * ((first - second) @ self.weights)
        log_norm = _log_norm(half, self.log_nu)
        probs = np.empty((half.size, 3))
        probs[:, 0] = np.exp(half - log_norm)
        probs[:, 1] = np.exp(-half - log_norm)
        probs[:, 2] = np.exp(self.log_nu - log_norm)
        return probs

    def to_bytes(self) -> bytes:
        """Compact, exact serialisation: a fixed header and the weights as little-endian float64.

        No pickle, so loading bytes from a database or a file cannot run code.
        """
        header = _HEADER.pack(
            _MAGIC,
            _VERSION,
            self.weights.size,
            self.iterations,
            self.converged,
            self.log_nu,
            self.l2,
            self.loss,
        )
        return header + self.weights.astype("<f8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> HeadWeights:
        """The head that :meth:`to_bytes` wrote, bit for bit; ``ValueError`` for other bytes."""
        if len(data) < _HEADER.size:
            raise ValueError("Not a serialised preference head: too short.")
        magic, version, size, iterations, converged, log_nu, l2, loss = _HEADER.unpack_from(data)
        if magic != _MAGIC or version != _VERSION:
            raise ValueError("Not a serialised preference head (unknown magic or version).")
        if len(data) != _HEADER.size + 8 * size:
            raise ValueError("Serialised preference head has the wrong length.")
        weights = np.frombuffer(data, dtype="<f8", offset=_HEADER.size).astype(np.float64)
        return cls(
            weights=weights,
            log_nu=log_nu,
            l2=l2,
            iterations=iterations,
            converged=converged,
            loss=loss,
        )


def head_fit(
    first: FloatArray,
    second: FloatArray,
    outcome: FloatArray,
    *,
    weight: FloatArray | None = None,
    l2: float = 1.0,
    ties: bool = True,
    standardize: bool = True,
    max_iter: int = 500,
) -> HeadWeights:
    """Fit a preference head to compared pairs by penalised maximum likelihood.

    ``first`` and ``second`` are ``(n, d)`` features of the two candidates of each pair;
    ``outcome`` is 1.0 when ``first`` won, 0.0 when ``second`` won and 0.5 for a tie; ``weight``
    optional non-negative weights per pair (a pair with weight 2 counts as two copies of it).

    Minimises the weighted negative log-likelihood + ``l2/2 * ||w||^2`` on the (standardised)
    weights + ``TIE_RIDGE/2 * log_nu^2``, by L-BFGS-B with the analytic gradient from zeros, so
    the same inputs give bit-identical weights. The objective is convex, so the minimum found is
    the global one; with ``l2=0`` and separable pairs there is none, and the fit returns the
    finite iterate where L-BFGS-B stops (at most ``max_iter`` steps).

    ``standardize=True`` divides each feature by the root mean square (weighted like the pairs)
    of its difference ``first - second`` over the pairs (1 where that is 0) before the penalty
    applies, so one ``l2`` means the same for any encoder's scale; the returned weights undo it.
    ``ties=False`` fits plain Bradley-Terry, P(first wins) = sigmoid(s_first - s_second), with a
    tie counted as half a win each way, i.e. logistic regression on difference vectors with
    soft labels; the head's ``log_nu`` is then ``-inf``.
    """
    first, second, outcome, pair_weight = _validated(first, second, outcome, weight)
    if l2 < 0 or not math.isfinite(l2):
        raise ValueError("l2 must be a finite number >= 0.")
    if max_iter < 1:
        raise ValueError("max_iter must be at least 1.")
    diff = first - second
    dims = diff.shape[1]
    total = float(pair_weight.sum())
    share = pair_weight / total
    # Weighted second moments of the differences; its diagonal is the mean square per feature.
    # The same operand on both sides lets NumPy use the symmetric product (half the work).
    if np.all(share == share[0]):
        gram = (diff.T @ diff) * share[0]
    else:
        rooted = diff * np.sqrt(share)[:, None]
        gram = rooted.T @ rooted
        del rooted
    if standardize:
        rms = np.sqrt(np.diagonal(gram))
        scale = np.where(rms > 0, rms, 1.0)
    else:
        scale = np.ones(dims)
    penalty = l2 / total
    # The optimiser works in z: standardised weights u = unscale @ z, weights = u / scale.
    unscale = _preconditioner(gram / np.outer(scale, scale), penalty)
    # Only the direction of the decided outcome enters the linear term of h: +1 first won,
    # -1 second won, 0 a tie (whose own term is log nu, or nothing without ties).
    target = share * (2.0 * outcome - 1.0)
    tie_weight = float(share[outcome == 0.5].sum()) if ties else 0.0
    tie_penalty = TIE_RIDGE / total

    def objective(params: FloatArray) -> tuple[float, FloatArray]:
        # params are the preconditioned coordinates z of the weights, then log nu.
        whitened = params[:dims]
        log_nu = float(params[dims]) if ties else -math.inf
        standardized = unscale @ whitened
        half = 0.5 * (diff @ (standardized / scale))
        log_norm = _log_norm(half, log_nu)
        value = float(share @ log_norm - target @ half)
        value += 0.5 * penalty * float(standardized @ standardized)
        # dL/dh = P(first) - P(second); the pair's -target*h term adds -target.
        slope = share * (np.exp(half - log_norm) - np.exp(-half - log_norm)) - target
        gradient = np.empty_like(params)
        gradient[:dims] = ((0.5 * (slope @ diff)) / scale + penalty * standardized) @ unscale
        if ties:
            p_tie = np.exp(log_nu - log_norm)
            value += -tie_weight * log_nu + 0.5 * tie_penalty * log_nu * log_nu
            gradient[dims] = float(share @ p_tie) - tie_weight + tie_penalty * log_nu
        return value, gradient

    start = np.zeros(dims + 1 if ties else dims)
    result = minimize(
        objective,
        start,
        method="L-BFGS-B",
        jac=True,
        options={
            "maxiter": max_iter,
            "gtol": _GTOL,
            "ftol": _FTOL,
            "maxcor": _MAX_CORRECTIONS,
        },
    )
    params = np.asarray(result.x, dtype=np.float64)
    return HeadWeights(
        weights=(unscale @ params[:dims]) / scale,
        log_nu=float(params[dims]) if ties else -math.inf,
        l2=float(l2),
        iterations=int(result.nit),
        converged=bool(result.success),
        loss=float(result.fun),
    )


def _preconditioner(gram: FloatArray, penalty: float) -> FloatArray:
    """Change of variables ``u = unscale @ z`` whose objective has a Hessian near the identity.

    Embedding features are strongly correlated, so even standardised the Hessian in the weights
    is ill-conditioned and plain L-BFGS crawls (hundreds of iterations for 768 dimensions). At
    w = 0 the Hessian of the mean loss in the standardised weights u is about
    ``gram / 4 + penalty`` (each pair's curvature in ``h = diff . w / 2`` is 1 for
    Bradley-Terry and a little less with ties); with its Cholesky factor ``L L^T`` the variables
    ``z = L^T u`` start with a Hessian of about the identity, and L-BFGS only has to learn how
    it changes along the path (tens of iterations). ``gram`` is in standardised units.
    """
    dims = gram.shape[0]
    hessian = 0.25 * gram + penalty * np.eye(dims)
    # Without a penalty, features no pair varies along (or more features than pairs) leave
    # the Hessian singular; a jitter far below any curvature that matters keeps the change of
    # variables finite, and such directions get no gradient, so they stay at 0 anyway.
    jitter = max(float(np.mean(np.diagonal(hessian))), 1.0) * 1e-12
    for _attempt in range(8):
        try:
            factor = np.linalg.cholesky(hessian + jitter * np.eye(dims))
        except np.linalg.LinAlgError:
            jitter *= 1000.0
            continue
        unscale: FloatArray = np.linalg.inv(factor).T
        return unscale
    return np.eye(dims)  # unreachable for a finite Gram matrix; plain L-BFGS still works


def head_accuracy(probs: FloatArray, outcome: FloatArray) -> float:
    """Share of decided pairs (outcome 0 or 1) whose more likely winner is the observed one.

    ``probs`` as from :meth:`HeadWeights.probabilities`. Ties are left out, as no winner was
    observed; a pair with P(first) == P(second) counts as half right (a coin flip). ``nan``
    when no pair was decided.
    """
    probs, outcome = _validated_probs(probs, outcome)
    decided = outcome != 0.5
    if not decided.any():
        return math.nan
    first_wins = outcome[decided] == 1.0
    p_first = probs[decided, 0]
    p_second = probs[decided, 1]
    right = np.where(first_wins, p_first > p_second, p_second > p_first).astype(np.float64)
    right[p_first == p_second] = 0.5
    return float(right.mean())


def head_log_loss(probs: FloatArray, outcome: FloatArray) -> float:
    """Mean negative log-probability of the observed outcomes (``nan`` for no pairs).

    A tie scores ``-log P(tie)`` under a head that predicts ties. Under one that does not (its
    tie column is all 0, as with ``ties=False``) a tie counts as half a win each way, as in the
    fit: ``-(log P(first) + log P(second)) / 2``. Probabilities are clipped at 1e-15 so a
    confident mistake costs a large but finite loss.
    """
    probs, outcome = _validated_probs(probs, outcome)
    if outcome.size == 0:
        return math.nan
    logs = np.log(np.clip(probs, _CLIP, 1.0))
    tie_term = logs[:, 2] if probs[:, 2].any() else 0.5 * (logs[:, 0] + logs[:, 1])
    chosen = np.where(outcome == 1.0, logs[:, 0], np.where(outcome == 0.0, logs[:, 1], tie_term))
    return float(-chosen.mean())


def _log_norm(half: FloatArray, log_nu: float) -> FloatArray:
    """log(e^h + e^-h + nu) per pair, without overflow for any h (nu = 0 when log_nu = -inf)."""
    peak = np.abs(half)
    if log_nu == -math.inf:
        return peak + np.log1p(np.exp(-2.0 * peak))
    peak = np.maximum(peak, log_nu)
    result: FloatArray = peak + np.log(
        np.exp(half - peak) + np.exp(-half - peak) + np.exp(log_nu - peak)
    )
    return result


def _features(features: FloatArray, dims: int, name: str) -> FloatArray:
    array = np.asarray(features, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] != dims:
        raise ValueError(f"{name} must be an (n, {dims}) array.")
    return array


def _validated(
    first: FloatArray, second: FloatArray, outcome: FloatArray, weight: FloatArray | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    first = np.asarray(first, dtype=np.float64)
    second = np.asarray(second, dtype=np.float64)
    outcome = np.asarray(outcome, dtype=np.float64)
    if first.ndim != 2 or first.shape != second.shape:
        raise ValueError("first and second must be (n, d) arrays of the same shape.")
    n, dims = first.shape
    if n == 0:
        raise ValueError("No pairs to fit.")
    if dims == 0:
        raise ValueError("Features need at least one dimension.")
    if outcome.shape != (n,):
        raise ValueError(f"outcome must be a 1-D array of length {n}, one per pair.")
    if not (np.isfinite(first).all() and np.isfinite(second).all()):
        raise ValueError("first and second must be finite.")
    if not np.all((outcome == 0.0) | (outcome == 0.5) | (outcome == 1.0)):
        raise ValueError("outcome must be 1.0 (first won), 0.0 (second won) or 0.5 (tie).")
    if weight is None:
        pair_weight = np.ones(n)
    else:
        pair_weight = np.asarray(weight, dtype=np.float64)
        if pair_weight.shape != (n,):
            raise ValueError(f"weight must be a 1-D array of length {n}, one per pair.")
        if not np.isfinite(pair_weight).all() or (pair_weight < 0).any():
            raise ValueError("weight must be finite and non-negative.")
        if not pair_weight.any():
            raise ValueError("No pairs to fit: every weight is 0.")
    return first, second, outcome, pair_weight


def _validated_probs(probs: FloatArray, outcome: FloatArray) -> tuple[FloatArray, FloatArray]:
    probs = np.asarray(probs, dtype=np.float64)
    outcome = np.asarray(outcome, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[1] != 3 or outcome.shape != (probs.shape[0],):
        raise ValueError("probs must be (n, 3) and outcome (n,).")
    if not np.isfinite(probs).all():
        raise ValueError("probs must be finite.")
    if not np.all((outcome == 0.0) | (outcome == 0.5) | (outcome == 1.0)):
        raise ValueError("outcome must be 1.0 (first won), 0.0 (second won) or 0.5 (tie).")
    return probs, outcome
