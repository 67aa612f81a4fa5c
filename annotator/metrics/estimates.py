"""A statistic with its bootstrap confidence interval, computed without a Python loop per resample.

Most statistics here are a function of sums over units (items, pairs, comparisons): Krippendorff's
alpha of the coincidence matrix, Fleiss' kappa of category counts, accuracy of hits and trials.
Resampling units with replacement then only changes how many times each unit's contribution is
counted, so ``B`` bootstrap replicates of the sums are one ``(B, units) @ (units, m)`` product of
resampling counts with the per-unit contributions. The counts are drawn in chunks, so memory stays
bounded however many units there are. On many units with few distinct contributions (categorical
answers), the counts are drawn per group of identical units instead, which costs the same for
a million units as for a thousand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

DEFAULT_RESAMPLES = 1000
# Resampling counts are drawn this many cells at a time (chunk rows x units): 8 MB of int64.
_CHUNK_CELLS = 1_000_000
# From this many units, units whose contributions are identical are resampled as groups when
# there are at most this many distinct contributions (see ``bootstrap_sums``).
GROUPED_MIN_UNITS = 5000
GROUPED_MAX_DISTINCT = 1024


@dataclass(frozen=True)
class Estimate:
    """A point value with a percentile bootstrap interval; ``nan`` where it is undefined.

    ``n`` is the number of units the value rests on (items with two or more answers, pairs
    compared...), so a reader can tell a value from 3 items from one from 30,000.
    """

    value: float
    low: float
    high: float
    n: int

    @classmethod
    def undefined(cls, n: int = 0) -> Estimate:
        return cls(math.nan, math.nan, math.nan, n)

    def as_dict(self) -> dict[str, float | int | None]:
        """JSON-safe: ``nan`` becomes ``None``."""
        return {
            "value": finite_or_none(self.value),
            "low": finite_or_none(self.low),
            "high": finite_or_none(self.high),
            "n": self.n,
        }


def finite_or_none(value: float) -> float | None:
    """``value``, or ``None`` for nan and infinities (JSON has neither)."""
    return value if math.isfinite(value) else None


def resampling_counts(
    n_units: int, n_resamples: int, rng: np.random.Generator
) -> Iterator[npt.NDArray[np.int64]]:
    """Chunks of shape ``(rows, n_units)``: how often each unit is drawn in each resample."""
    if n_units <= 0:
        return
    rows = max(1, min(n_resamples, _CHUNK_CELLS // n_units))
    done = 0
    while done < n_resamples:
        size = min(rows, n_resamples - done)
        draws = rng.integers(0, n_units, size=(size, n_units))
        offsets = (np.arange(size) * n_units)[:, None]
        counts = np.bincount((draws + offsets).ravel(), minlength=size * n_units)
        yield counts.reshape(size, n_units)
        done += size


def bootstrap_sums(
    per_unit: FloatArray,
    statistic: Callable[[FloatArray], FloatArray],
    *,
    n_resamples: int = DEFAULT_RESAMPLES,
    confidence: float = 0.95,
    seed: int = 0,
) -> Estimate:
    """``statistic`` of the column sums of ``per_unit``, with a percentile bootstrap interval.

    ``per_unit`` is ``(units, m)``: each unit's contribution to ``m`` sums. ``statistic`` maps
    an array of sums of shape ``(k, m)`` to ``k`` values (vectorised over replicates); it may
    return ``nan`` for a replicate where the statistic is undefined, and such replicates are
    left out of the interval. With fewer than two units there is no interval.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    if per_unit.ndim != 2:
        raise ValueError("per_unit must be a (units, m) array.")
    n_units = per_unit.shape[0]
    if n_units == 0:
        return Estimate.undefined()
    value = float(statistic(per_unit.sum(axis=0, keepdims=True))[0])
    if n_units < 2 or n_resamples < 1 or not math.isfinite(value):
        return Estimate(value, math.nan, math.nan, n_units)
    rng = np.random.default_rng(seed)
    grouped = _groups(per_unit) if n_units >= GROUPED_MIN_UNITS else None
    if grouped is not None:
        distinct, sizes = grouped
        # Drawing n units with replacement only matters through how many fall in each group of
        # identical units: a multinomial over the groups, the same distribution at a cost that
        # does not grow with the number of units.
        counts = rng.multinomial(n_units, sizes / n_units, size=n_resamples)
        replicates = statistic(counts.astype(np.float64) @ distinct)
    else:
        replicates = np.concatenate(
            [
                statistic(counts.astype(np.float64) @ per_unit)
                for counts in resampling_counts(n_units, n_resamples, rng)
            ]
        )
    low, high = percentile_interval(replicates, confidence)
    return Estimate(value, low, high, n_units)


def _groups(per_unit: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]] | None:
    """The distinct rows of ``per_unit`` and how many units have each, when there are few.

    Categorical statistics have few distinct contributions (five annotators choosing among
    three answers give at most a few dozen), continuous ones about as many as units.
    """
    distinct, sizes = np.unique(per_unit, axis=0, return_counts=True)
    if len(distinct) > GROUPED_MAX_DISTINCT:
        return None
    return distinct, sizes.astype(np.int64)


def percentile_interval(replicates: FloatArray, confidence: float) -> tuple[float, float]:
    """The central ``confidence`` interval of the finite replicates (``nan`` if none are)."""
    finite = replicates[np.isfinite(replicates)]
    if finite.size == 0:
        return math.nan, math.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)
