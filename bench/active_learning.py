"""Simulation: how many human labels each acquisition strategy needs, beside random order.

Run (embedded mode: a SQLite database in a scratch folder; no services, no downloads)::

    .venv/bin/python -m bench.preference_data --out /tmp/prefs.jsonl --pairs 2000
    .venv/bin/python -m bench.active_learning --data /tmp/prefs.jsonl \\
        [--strategy uncertainty --strategy diversity --strategy uncertainty=0.8,diversity=0.2] \\
        [--seed 0] [--repeats 3] [--noise 0.1] [--batch 25] [--budget 600] [--test-share 0.2] \\
        [--target-share 0.97 | --target 0.85] [--encoder all-MiniLM-L6-v2] [--plot FILE.png]

``--data`` is a labeled preference file in TRL's layout (``prompt``, ``chosen``, ``rejected``;
plain or conversational). Rows are split into a labeling pool and a held-out test split. For
each strategy (random order is always included, as the baseline) and each repeat, the pool is
imported into a fresh project through the TRL importer, and rounds of the real loop run:

1. simulated annotators ask ``next`` (``annotator.services.distribution``) for ``--batch`` items,
   answer from the file's labels, wrong with probability ``--noise``, and submit;
2. the project's preference head is trained on every label so far (``judges.head_training``);
3. when the strategy reads predictions, a run of the head predicts every pool item through the
   judge-run batches a worker executes (``judges.execution``);
4. the priorities are recomputed (``judges.priorities``) and written to the items, which the
   next round's ``next`` follows;
5. the head (fitted on every label) is scored on the test split: accuracy against the file's
   chosen response.

The reference accuracy is the head's on the test split when trained on the whole pool, each
row labeled once by the same noisy annotators; the target is ``--target-share`` of it (or an
absolute ``--target``). For each strategy it reports the learning curve (mean over repeats),
the labels at which the mean curve first reaches the target, and the saving against random
order. It prints one JSON object and writes a PNG of the curves (``--plot``).

The judge-based strategies (``judge_disagreement``, ``position_inconsistency``) need the
predictions of other judges (reward models, LLM judges), which this simulation does not have;
``human_disagreement`` needs ``--overlap`` above 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIMULATED = ("uncertainty", "diversity", "random", "human_disagreement")
DEFAULT_STRATEGIES = ["uncertainty", "diversity", "uncertainty=0.8,diversity=0.2"]


def parse_strategy(text: str) -> tuple[str, dict[str, float]]:
    """``uncertainty`` or ``uncertainty=0.8,diversity=0.2`` → (label, weights)."""
    weights: dict[str, float] = {}
    for part in text.split(","):
        name, _, weight = part.strip().partition("=")
        if name not in SIMULATED:
            raise argparse.ArgumentTypeError(
                f"{name!r}: the simulation runs {', '.join(SIMULATED)} (the judge-based "
                "strategies need other judges' predictions)"
            )
        try:
            weights[name] = float(weight) if weight else 1.0
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r}: the weight is not a number") from None
        if not weights[name] >= 0:
            raise argparse.ArgumentTypeError(f"{part!r}: a weight is a number >= 0")
    if not any(weights.values()):
        raise argparse.ArgumentTypeError(f"{text!r}: every weight is zero")
    return text, weights


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("expected a number between 0 and 1")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("expected an integer >= 1")
    return value


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="TRL preference file (JSONL).")
    parser.add_argument(
        "--strategy", action="append", type=parse_strategy, dest="strategies",
        help="A strategy or weighted mix; repeatable. Random order always runs as the baseline.",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="First seed; repeats use the next.")
    parser.add_argument("--repeats", type=_positive, default=3)
    parser.add_argument("--noise", type=float, default=0.1, help="P(an annotator is wrong).")
    parser.add_argument("--batch", type=_positive, default=25, help="Labels per round.")
    parser.add_argument("--budget", type=_positive, default=600, help="Labels per run.")
    parser.add_argument("--test-share", type=_share, default=0.2)
    parser.add_argument("--target-share", type=_share, default=0.97)
    parser.add_argument("--target", type=_share, default=None, help="Absolute target accuracy.")
    parser.add_argument("--overlap", type=_positive, default=1, help="Annotators per item.")
    parser.add_argument("--annotators", type=_positive, default=3)
    parser.add_argument("--encoder", default="all-MiniLM-L6-v2")
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N rows.")
    parser.add_argument("--workdir", type=Path, default=None, help="Scratch folder (SQLite).")
    parser.add_argument("--plot", type=Path, default=Path("active_learning.png"))
    args = parser.parse_args(argv)
    if not 0 <= args.noise < 0.5:
        parser.error("--noise must be in [0, 0.5)")
    labels = [label for label, _ in args.strategies or []]
    if not args.strategies:
        args.strategies = [parse_strategy(s) for s in DEFAULT_STRATEGIES]
    if "random" not in labels:
        args.strategies = [parse_strategy("random"), *args.strategies]
    return args


# --- The data ---------------------------------------------------------------------------------


def text_of(value: Any) -> str:
    """A completion as the importer reads it: a string, or the last message's content."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and isinstance(value[-1], dict):
        return str(value[-1].get("content", ""))
    raise ValueError("chosen/rejected must be a string or a list of messages")


def load_rows(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = []
    with path.open() as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not all(k in row for k in ("prompt", "chosen", "rejected")):
                raise SystemExit(f"{path}:{number}: a TRL row needs prompt, chosen and rejected")
            rows.append(
                {
                    "id": f"row-{number}",
                    "prompt": row["prompt"],
                    "chosen": row["chosen"],
                    "rejected": row["rejected"],
                }
            )
            if limit is not None and len(rows) >= limit:
                break
    return rows


def split(rows: list[dict[str, Any]], test_share: float, seed: int) -> tuple[list[Any], list[Any]]:
    shuffled = list(rows)
    random.Random(f"split:{seed}").shuffle(shuffled)  # noqa: S311  # a simulation
    cut = round(len(shuffled) * test_share)
    return shuffled[cut:], shuffled[:cut]


# --- Summaries --------------------------------------------------------------------------------


def mean_curve(curves: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Mean accuracy per label count over the repeats (rounds where every repeat has a head)."""
    by_labels: dict[int, list[float | None]] = {}
    for curve in curves:
        for point in curve:
            by_labels.setdefault(point["labels"], []).append(point["accuracy"])
    out = []
    for labels in sorted(by_labels):
        values = by_labels[labels]
        done = [v for v in values if v is not None]
        mean = statistics.fmean(done) if len(done) == len(curves) else None
        out.append(
            {
                "labels": labels,
                "accuracy": None if mean is None else round(mean, 4),
                "per_seed": [None if v is None else round(v, 4) for v in values],
            }
        )
    return out


def labels_to_target(curve: list[dict[str, Any]], target: float) -> int | None:
    """The first label count at which the curve reaches ``target`` (None: never)."""
    for point in curve:
        if point["accuracy"] is not None and point["accuracy"] >= target:
            return int(point["labels"])
    return None


def saving(mine: int | None, random_labels: int | None, budget: int) -> dict[str, Any]:
    """Labels a strategy saves against random order: exact when both reached the accuracy,
    a lower bound when only the strategy did (random would need more than ``budget``)."""
    if mine is None:
        return {"saving": None, "at_least": False}
    if random_labels is None:
        return {"saving": round(1 - mine / budget, 3), "at_least": True}
    return {"saving": round(1 - mine / random_labels, 3), "at_least": False}


def compare_with_random(results: dict[str, Any]) -> None:
    """Each strategy against random order, on the target and on random's final accuracy.

    The second is the usual active-learning figure: how many labels the strategy needs to do
    as well as random order does with the whole budget.
    """
    random_curve = results["random"]["curve"]
    budget = max(p["labels"] for p in random_curve)
    random_final = random_curve[-1]["accuracy"]
    for label, result in results.items():
        mine = result["labels_to_target"]
        result["vs_random_at_target"] = saving(mine, results["random"]["labels_to_target"], budget)
        if label == "random":
            matched: int | None = budget  # by definition (its curve wobbles before that)
        else:
            matched = (
                None if random_final is None else labels_to_target(result["curve"], random_final)
            )
        result["labels_to_random_final"] = matched
        result["vs_random_at_random_final"] = saving(matched, budget, budget)


def plot(path: Path, results: dict[str, Any], target: float, reference: float) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axes = plt.subplots(figsize=(8, 5))
    for label, result in results.items():
        points = [p for p in result["curve"] if p["accuracy"] is not None]
        axes.plot(
            [p["labels"] for p in points], [p["accuracy"] for p in points], marker=".", label=label
        )
    axes.axhline(target, color="grey", linestyle="--", label=f"target {target:.3f}")
    axes.axhline(reference, color="black", linestyle=":", label=f"whole pool {reference:.3f}")
    axes.set_xlabel("human labels")
    axes.set_ylabel("held-out accuracy of the preference head")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = arguments(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="moot-al-"))
    os.environ.setdefault("MOOT_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django  # noqa: PLC0415

    django.setup()
    from annotator.embedded import database_prepare  # noqa: PLC0415

    database_prepare()

    from bench.simulation import Simulation  # noqa: PLC0415  # needs Django set up

    rows = load_rows(args.data, args.limit)
    pool, test = split(rows, args.test_share, args.seed)
    simulation = Simulation(args, pool, test)
    seeds = [args.seed + n for n in range(args.repeats)]
    reference = statistics.fmean(simulation.reference(seed) for seed in seeds)
    target = args.target if args.target is not None else args.target_share * reference
    results: dict[str, Any] = {}
    for label, weights in args.strategies:
        started = time.perf_counter()
        curves = [simulation.run(label, weights, seed) for seed in seeds]
        curve = mean_curve(curves)
        results[label] = {
            "weights": weights,
            "curve": curve,
            "labels_to_target": labels_to_target(curve, target),
            "labels_to_target_per_seed": [
                labels_to_target(
                    [{"labels": p["labels"], "accuracy": p["per_seed"][n]} for p in curve], target
                )
                for n in range(len(seeds))
            ],
            "final_accuracy": curve[-1]["accuracy"] if curve else None,
            "seconds": round(time.perf_counter() - started, 1),
        }
    compare_with_random(results)
    plot(args.plot, results, target, reference)
    report = {
        "data": str(args.data),
        "rows": len(rows),
        "pool": len(pool),
        "test": len(test),
        "encoder": args.encoder,
        "noise": args.noise,
        "batch": args.batch,
        "budget": args.budget,
        "overlap": args.overlap,
        "seeds": seeds,
        "reference_accuracy": round(reference, 4),
        "target_accuracy": round(target, 4),
        "embed_seconds": round(simulation.embed_seconds, 1),
        "strategies": results,
        "plot": str(args.plot),
    }
    print(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
