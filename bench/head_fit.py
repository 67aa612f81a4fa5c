"""Benchmark: training the preference head on CPU, beside scikit-learn's logistic regression.

Run (no database, no model; synthetic embedding-like features)::

    .venv/bin/python -m bench.head_fit [--pairs 1000,10000,30000] [--dims 768] [--repeats 3]

For each size it times, median of ``--repeats``:

* ``head_fit``: one Davidson (ties) fit, as a training fits each fold;
* ``head_train_pairs``: a whole training, the head on every pair plus one per fold (5 folds),
  with the out-of-fold accuracy;
* the baseline: scikit-learn's ``LogisticRegression`` (lbfgs, no intercept) on the difference
  vectors, which is the same model without ties, fitted by a maintained package.

Features are unit vectors with a few dominant directions, like sentence embeddings; outcomes
follow a known linear preference with 10% of pairs flipped and 5% ties. It prints one JSON
object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits

from judges.crossfit import head_train_pairs
from judges.head import head_fit
from judges.pairs import LabeledPair


def timed(fn: Callable[[], Any], repeats: int) -> float:
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    return round(statistics.median(seconds), 3)


def data(pairs: int, dims: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(16, dims))

    def vectors(n: int) -> np.ndarray:
        x = rng.normal(size=(n, 16)) @ basis + 0.3 * rng.normal(size=(n, dims))
        unit: np.ndarray = x / np.linalg.norm(x, axis=1, keepdims=True)
        return unit

    first, second = vectors(pairs), vectors(pairs)
    w = rng.normal(size=dims) * 8
    outcome = ((first - second) @ w > 0).astype(float)
    flip = rng.random(pairs) < 0.1
    outcome[flip] = 1 - outcome[flip]
    outcome[rng.random(pairs) < 0.05] = 0.5
    return first, second, outcome


def measure(size: int, dims: int, repeats: int) -> dict[str, Any]:
    first, second, outcome = data(size, dims)
    features = {}
    pairs = []
    for n in range(size):
        features[n, "a"], features[n, "b"] = first[n], second[n]
        pairs.append(LabeledPair(n, "a", "b", float(outcome[n])))
    config = {"l2": 300.0, "ties": True, "folds": 5, "min_pairs": 10}
    decided = outcome != 0.5
    diff = (first - second)[decided]
    labels = outcome[decided].astype(int)
    with threadpool_limits(limits=1, user_api="blas"):
        fit_s = timed(lambda: head_fit(first, second, outcome), repeats)
    trained = head_train_pairs(pairs, features, config)
    train_s = timed(lambda: head_train_pairs(pairs, features, config), repeats)
    baseline = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000)
    sklearn_s = timed(lambda: baseline.fit(diff, labels), repeats)
    return {
        "pairs": size,
        "dims": dims,
        "head_fit_s": fit_s,
        "head_train_5_folds_s": train_s,
        "cv_accuracy": round(trained.cv_accuracy or float("nan"), 4),
        "sklearn_logistic_s": sklearn_s,
        "head_fit_vs_sklearn": round(fit_s / sklearn_s, 2) if sklearn_s else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", default="1000,10000,30000")
    parser.add_argument("--dims", type=int, default=768)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    results = []
    for size in (int(n) for n in args.pairs.split(",")):
        results.append(measure(size, args.dims, args.repeats))
        print(json.dumps(results[-1]), flush=True)
    print(json.dumps({"results": results}, indent=1))


if __name__ == "__main__":
    main()
