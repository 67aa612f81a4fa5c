"""Model leaderboard from pairwise preferences: Bradley-Terry with ties, and raw win rates.

A comparison says which of two models' candidates was preferred, or that they tied. Everything
here is fitted on the aggregated counts per pair of models (``n_models**2`` cells), so a fit costs
the same for a thousand comparisons as for a million, and bootstrap refits are batched: all
replicates are solved together by Newton's method on ``(replicates, models, models)`` arrays.

Model codes are ``0..n_models-1``; ``outcome`` is 1.0 when ``first`` won, 0.0 when ``second``
won and 0.5 for a tie.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from annotator.metrics.estimates import DEFAULT_RESAMPLES, percentile_interval

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
TieModel = Literal["davidson", "half"]

# Gaussian prior N(0, 1/RIDGE) on every log-strength (and on log nu): penalty RIDGE/2 * x**2.
# A standard deviation of ~32 in log-strength is far wider than any real gap between models, so
# it is invisible next to the likelihood of even a few dozen comparisons, yet it keeps the fit
# finite when a model won all its comparisons or the comparison graph falls apart.
RIDGE = 1e-3
# Bootstrap refits are solved this many (replicate x model x model) cells at a time.
_CHUNK_CELLS = 400_000
_MAX_NEWTON = 100
_STEP_TOL = 1e-11


@dataclass(frozen=True)
class Leaderboard:
    """A Bradley-Terry (or Davidson) fit of model strengths.

    ``scores`` are log-strengths centred to mean 0 over the models that have comparisons (``nan``
    for a model with none); ``low``/``high`` their percentile bootstrap interval (resampling
    comparisons); ``tie_parameter`` Davidson's nu (``nan`` for the "half" model or no data);
    ``comparisons`` the number of comparisons each model took part in; ``win_rate`` and
    ``counts`` the matrices of :func:`win_rate_matrix`; ``n`` the number of comparisons.
    """

    scores: FloatArray
    low: FloatArray
    high: FloatArray
    tie_parameter: float
    comparisons: IntArray
    win_rate: FloatArray
    counts: IntArray
    n: int

    def rank(self) -> IntArray:
        """Model codes from strongest to weakest; models without comparisons come last."""
        # argsort puts nan last; the stable sort keeps equal scores in model-code order.
        return np.argsort(-self.scores, kind="stable").astype(np.int64)


def outcome_counts(
    first: IntArray, second: IntArray, outcome: FloatArray, n_models: int
) -> tuple[FloatArray, FloatArray]:
    """Aggregate comparisons into ``wins`` and ``ties``, both ``(n_models, n_models)``.

    ``wins[i, j]`` counts the comparisons in which ``i`` beat ``j`` (whichever was shown first);
    ``ties[i, j]`` the ties between ``i`` and ``j`` (symmetric). Raises ``ValueError`` for
    arrays of different lengths, codes out of range, a model compared with itself or an outcome
    other than 0, 0.5 or 1.
    """
    first, second, outcome = _validated(first, second, outcome, n_models)
    won = outcome == 1.0
    tied = outcome == 0.5
    winner = np.where(won, first, second)
    loser = np.where(won, second, first)
    cells = n_models * n_models
    decided = ~tied
    wins = np.bincount(winner[decided] * n_models + loser[decided], minlength=cells)
    one_way = np.bincount(first[tied] * n_models + second[tied], minlength=cells)
    wins_matrix = wins.reshape(n_models, n_models).astype(np.float64)
    ties_matrix = one_way.reshape(n_models, n_models).astype(np.float64)
    return wins_matrix, ties_matrix + ties_matrix.T


def win_rate_matrix(
    first: IntArray, second: IntArray, outcome: FloatArray, n_models: int
) -> tuple[FloatArray, IntArray]:
    """Pairwise win rates and comparison counts, each ``(n_models, n_models)``.

    ``W[i, j]`` = (wins of ``i`` over ``j`` + 0.5 * ties between them) / comparisons between them,
    so ``W[i, j] + W[j, i] = 1``; ``nan`` where the two were never compared (always on the
    diagonal). The second matrix counts comparisons per pair (symmetric). Inputs as in
    :func:`outcome_counts`.
    """
    return _win_rate(*outcome_counts(first, second, outcome, n_models))


def _win_rate(wins: FloatArray, ties: FloatArray) -> tuple[FloatArray, IntArray]:
    total = wins + wins.T + ties
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(total > 0, (wins + 0.5 * ties) / total, np.nan)
    return rate, total.astype(np.int64)


def fit_counts(
    wins: FloatArray, ties: FloatArray, *, ties_model: TieModel = "davidson", ridge: float = RIDGE
) -> tuple[FloatArray, FloatArray]:
    """Penalised maximum-likelihood strengths from aggregated counts, batched over replicates.

    ``wins`` and ``ties`` are ``(..., n_models, n_models)`` as from :func:`outcome_counts`
    (counts may be fractional weights). Returns ``(scores, nu)``: log-strengths ``(..., n_models)``
    centred to mean 0 over the models compared anywhere in the batch (``nan`` for the others),
    and Davidson's tie parameter ``(...)`` (``nan`` for "half" and where there are no
    comparisons).

    Davidson (1970): P(i beats j) = p_i / (p_i + p_j + nu sqrt(p_i p_j)), P(tie) = nu sqrt(p_i
    p_j) / (same). "half" is Bradley-Terry (1952) with a tie counted as half a win each way. The
    negative log-likelihood is convex in (log p, log nu) -- a log-sum-exp of affine functions -- so
    Newton's method with backtracking finds the optimum; the ridge ``ridge/2 * x**2`` on every
    parameter (see ``RIDGE``) makes it unique and finite. With ``ridge=0`` this is the plain MLE,
    which is finite only for a connected comparison graph in which no group of models won every
    comparison against the rest.
    """
    if ties_model not in ("davidson", "half"):
        raise ValueError(f"Unknown ties model {ties_model!r}: use 'davidson' or 'half'.")
    if ridge < 0 or not math.isfinite(ridge):
        raise ValueError("ridge must be a finite number >= 0.")
    if wins.shape != ties.shape or wins.ndim < 2 or wins.shape[-1] != wins.shape[-2]:
        raise ValueError("wins and ties must both be (..., n_models, n_models).")
    if not (np.all(np.isfinite(wins)) and np.all(np.isfinite(ties))):
        raise ValueError("wins and ties must be finite counts.")
    if np.any(wins < 0) or np.any(ties < 0) or not np.array_equal(ties, np.swapaxes(ties, -1, -2)):
        raise ValueError("wins and ties must be non-negative, and ties symmetric.")
    batch_shape = wins.shape[:-2]
    n_models = wins.shape[-1]
    flat_wins = wins.reshape(-1, n_models, n_models).astype(np.float64)
    flat_ties = ties.reshape(-1, n_models, n_models).astype(np.float64)
    totals = flat_wins + flat_wins.transpose(0, 2, 1) + flat_ties
    active = totals.sum(axis=(0, 2)) > 0
    scores = np.full((flat_wins.shape[0], n_models), np.nan)
    nu = np.full(flat_wins.shape[0], np.nan)
    if active.any():
        index = np.flatnonzero(active)
        sub = np.ix_(np.arange(flat_wins.shape[0]), index, index)
        theta, log_nu = _newton(flat_wins[sub], flat_ties[sub], ties_model, ridge)
        scores[:, index] = theta - theta.mean(axis=1, keepdims=True)
        if ties_model == "davidson":
            nu = np.where(totals.sum(axis=(1, 2)) > 0, np.exp(log_nu), np.nan)
    return scores.reshape(*batch_shape, n_models), nu.reshape(batch_shape)


def bradley_terry(
    first: IntArray,
    second: IntArray,
    outcome: FloatArray,
    n_models: int,
    *,
    ties: TieModel = "davidson",
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
    ridge: float = RIDGE,
) -> Leaderboard:
    """Leaderboard of model strengths fitted to pairwise comparisons, with bootstrap intervals.

    Inputs as in :func:`outcome_counts`; ``ties`` picks Davidson's (1970) tie model or the
    "half" Bradley-Terry model, and ``ridge`` the prior of :func:`fit_counts`. The resampling
    unit is the comparison: drawing ``n`` comparisons with replacement is the same as drawing the
    per-pair win/loss/tie cell counts from a multinomial with the observed cell shares, so each
    replicate is a refit on resampled counts, never on the raw list. Intervals are percentile
    intervals of the replicates; ``nan`` with fewer than two comparisons or ``n_resamples=0``.
    With no comparisons every score is ``nan``; a model never compared has a ``nan`` score.
    Scores of models in separate components of the comparison graph are each centred by the
    prior and are not comparable with each other.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    if n_resamples < 0:
        raise ValueError("n_resamples must be >= 0.")
    wins, tie_counts = outcome_counts(first, second, outcome, n_models)
    win_rate, counts = _win_rate(wins, tie_counts)
    scores, nu = fit_counts(wins, tie_counts, ties_model=ties, ridge=ridge)
    n = len(first)
    low = np.full(n_models, np.nan)
    high = np.full(n_models, np.nan)
    if n >= 2 and n_resamples > 0:
        replicates = _bootstrap(
            wins, tie_counts, ties_model=ties, ridge=ridge, n_resamples=n_resamples, seed=seed
        )
        for model in np.flatnonzero(np.isfinite(scores)):
            low[model], high[model] = percentile_interval(replicates[:, model], confidence)
    return Leaderboard(
        scores=scores,
        low=low,
        high=high,
        tie_parameter=float(nu),
        comparisons=counts.sum(axis=1),
        win_rate=win_rate,
        counts=counts,
        n=n,
    )


def _validated(
    first: IntArray, second: IntArray, outcome: FloatArray, n_models: int
) -> tuple[IntArray, IntArray, FloatArray]:
    if n_models < 1:
        raise ValueError("n_models must be at least 1.")
    first = np.asarray(first)
    second = np.asarray(second)
    outcome = np.asarray(outcome, dtype=np.float64)
    if first.ndim != 1 or first.shape != second.shape or first.shape != outcome.shape:
        raise ValueError("first, second and outcome must be 1-D arrays of the same length.")
    if first.size and not (
        np.issubdtype(first.dtype, np.integer) and np.issubdtype(second.dtype, np.integer)
    ):
        raise ValueError("first and second must hold integer model codes.")
    first = first.astype(np.int64)
    second = second.astype(np.int64)
    if first.size == 0:
        return first, second, outcome
    if min(first.min(), second.min()) < 0 or max(first.max(), second.max()) >= n_models:
        raise ValueError(f"Model codes must lie in 0..{n_models - 1}.")
    if np.any(first == second):
        raise ValueError("A comparison needs two different models (first != second).")
    if not np.all((outcome == 0.0) | (outcome == 0.5) | (outcome == 1.0)):
        raise ValueError("outcome must be 1.0 (first won), 0.0 (second won) or 0.5 (tie).")
    return first, second, outcome


def _bootstrap(
    wins: FloatArray,
    ties: FloatArray,
    *,
    ties_model: TieModel,
    ridge: float,
    n_resamples: int,
    seed: int,
) -> FloatArray:
    """``(n_resamples, n_models)`` refitted scores on multinomially resampled cell counts."""
    n_models = wins.shape[0]
    upper = np.triu(ties, k=1)
    cells = np.concatenate([wins.ravel(), upper.ravel()])
    used = np.flatnonzero(cells)
    total = round(float(cells.sum()))
    rng = np.random.default_rng(seed)
    active = (wins + wins.T + ties).sum(axis=1) > 0
    n_active = int(active.sum())
    rows = max(1, _CHUNK_CELLS // max(1, n_active * n_active))
    chunks: list[FloatArray] = []
    done = 0
    while done < n_resamples:
        size = min(rows, n_resamples - done)
        draws = rng.multinomial(total, cells[used] / total, size=size)
        resampled = np.zeros((size, cells.size))
        resampled[:, used] = draws
        square = n_models * n_models
        rep_wins = resampled[:, :square].reshape(size, n_models, n_models)
        rep_upper = resampled[:, square:].reshape(size, n_models, n_models)
        rep_ties = rep_upper + rep_upper.transpose(0, 2, 1)
        scores = np.full((size, n_models), np.nan)
        sub = np.ix_(np.arange(size), np.flatnonzero(active), np.flatnonzero(active))
        # Centre over the models compared in the full data, as the point estimate is, even in
        # a replicate that happened to draw none of some model's comparisons.
        theta, _ = _newton(rep_wins[sub], rep_ties[sub], ties_model, ridge)
        scores[:, active] = theta - theta.mean(axis=1, keepdims=True)
        chunks.append(scores)
        done += size
    return np.concatenate(chunks)


def _newton(
    wins: FloatArray, ties: FloatArray, ties_model: TieModel, ridge: float
) -> tuple[FloatArray, FloatArray]:
    """Minimise the penalised negative log-likelihood for each of a batch of count matrices.

    Returns ``(theta, log_nu)`` of shapes ``(batch, m)`` and ``(batch,)`` (``log_nu`` is 0 for
    "half").
    """
    if ties_model == "half":
        wins = wins + 0.5 * ties
        ties = np.zeros_like(ties)
    davidson = ties_model == "davidson"
    batch, m, _ = wins.shape
    size = m + 1 if davidson else m
    x = np.zeros((batch, size))
    for _ in range(_MAX_NEWTON):
        value, gradient, hessian = _objective(x, wins, ties, davidson, ridge, derivatives=True)
        # A tiny jitter only guards the solve when ridge=0 leaves a flat direction (a
        # disconnected graph); the fixed point, gradient zero, is unchanged by it.
        hessian[:, np.arange(size), np.arange(size)] += 1e-12
        step = np.linalg.solve(hessian, gradient[..., None])[..., 0]
        decrement = np.einsum("bi,bi->b", gradient, step)
        t = np.ones(batch)
        for _halving in range(50):
            trial, _, _ = _objective(x - t[:, None] * step, wins, ties, davidson, ridge)
            # Near the optimum rounding noise in the objective exceeds the predicted decrease,
            # and a full Newton step is safe there anyway.
            accept = (trial <= value - 1e-4 * t * decrement) | (decrement < 1e-9)
            if accept.all():
                break
            t = np.where(accept, t, 0.5 * t)
        x = x - t[:, None] * step
        if np.max(np.abs(t[:, None] * step)) < _STEP_TOL:
            break
    theta = x[:, :m]
    log_nu = x[:, m] if davidson else np.zeros(batch)
    return theta, log_nu


def _objective(
    x: FloatArray,
    wins: FloatArray,
    ties: FloatArray,
    davidson: bool,
    ridge: float,
    *,
    derivatives: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Penalised negative log-likelihood per batch row, with gradient and Hessian on request.

    Over ordered pairs (i, j): each decided comparison is one ``wins[i, j]`` cell and each tie
    appears in both ``ties[i, j]`` and ``ties[j, i]``, so ties get weight one half.
    """
    batch, m, _ = wins.shape
    theta = x[:, :m]
    own = theta[:, :, None] + np.zeros((1, 1, m))
    other = theta[:, None, :] + np.zeros((1, m, 1))
    if davidson:
        tie_logit = x[:, m, None, None] + 0.5 * (own + other)
        logits = np.stack([own, other, tie_logit], axis=-1)
    else:
        logits = np.stack([own, other], axis=-1)
    peak = logits.max(axis=-1, keepdims=True)
    log_norm = peak[..., 0] + np.log(np.exp(logits - peak).sum(axis=-1))
    log_lik = (wins * (own - log_norm)).sum(axis=(1, 2))
    if davidson:
        log_lik = log_lik + 0.5 * (ties * (tie_logit - log_norm)).sum(axis=(1, 2))
    # (sum theta)^2 / 2 pins the mean of theta without moving the optimum: the likelihood only
    # sees differences, so at the optimum the ridge already forces sum(theta) = 0, and with
    # ridge=0 it removes the one flat direction of a connected graph.
    total_theta = theta.sum(axis=1)
    value = -log_lik + 0.5 * ridge * (x * x).sum(axis=1) + 0.5 * total_theta**2
    if not derivatives:
        return value, value, value
    prob = np.exp(logits - log_norm[..., None])
    p_win = prob[..., 0]
    p_tie = prob[..., 2] if davidson else np.zeros_like(p_win)
    n_pair = wins + wins.transpose(0, 2, 1) + ties
    # Expected score of i against j (a tie scores a half): the gradient is observed - expected,
    # and the Hessian is the covariance of the sufficient statistics (win_i, win_j, tie) seen
    # through the scores (1, 0, 1/2), (0, 1, 1/2) and the tie indicator.
    expected = p_win + 0.5 * p_tie
    score_grad = (wins + 0.5 * ties - n_pair * expected).sum(axis=2)
    size = x.shape[1]
    gradient = np.empty((batch, size))
    gradient[:, :m] = -score_grad + ridge * theta + total_theta[:, None]
    hessian = np.zeros((batch, size, size))
    cross = n_pair * (0.25 * p_tie - expected * expected.transpose(0, 2, 1))
    own_var = (n_pair * (p_win + 0.25 * p_tie - expected**2)).sum(axis=2)
    hessian[:, :m, :m] = cross
    diagonal = np.arange(m)
    hessian[:, diagonal, diagonal] = own_var
    if davidson:
        gradient[:, m] = -0.5 * (ties - n_pair * p_tie).sum(axis=(1, 2)) + ridge * x[:, m]
        theta_nu = (n_pair * p_tie * (0.5 - expected)).sum(axis=2)
        hessian[:, :m, m] = theta_nu
        hessian[:, m, :m] = theta_nu
        hessian[:, m, m] = 0.5 * (n_pair * p_tie * (1 - p_tie)).sum(axis=(1, 2))
    all_size = np.arange(size)
    hessian[:, all_size, all_size] += ridge
    hessian[:, :m, :m] += 1.0
    return value, gradient, hessian
