"""Benchmark: the dashboard's statistics, beside the reference packages, and the report end to end.

Run against PostgreSQL (the database must exist; the script applies migrations to it)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/moot_bench MOOT_DATA_DIR=/tmp/moot-bench \\
        .venv/bin/python bench/metrics.py [--items 200000] [--annotators 5] [--resamples 1000] \\
        [--skip-references] [--skip-statistics] [--skip-report]

Synthetic labels of ``--items`` two-candidate items, each answered by all ``--annotators``
people on 3 questions (a pairwise preference, a 1-5 rating of each candidate, a 3-level rubric
criterion of each candidate) and by 2 judges. People are right 80% of the time, with a little
noise; judges 70% (pairwise) and correlated with the truth (ratings).

1. ``statistics``: each statistic of ``annotator.metrics`` on the arrays, with and without its
   bootstrap interval, beside the maintained package computing the same value on the same data
   in the same run (a point value only: none of them gives an interval). Seconds (median of
   ``--repeats``) and peak memory (tracemalloc, which sees NumPy's allocations).
2. ``report``: the same labels written to PostgreSQL as a project (with COPY), then the refresh
   task's whole computation (read the rows, build the arrays, every figure of the report, the
   judges section), and the dashboard endpoint answering from the stored report, over HTTP
   through Django's test client, beside computing the report per request (the baseline a
   dashboard without stored reports would have).

It prints one JSON object. The project it creates is deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")

QUESTIONS: list[dict[str, Any]] = [
    {"id": "pref", "kind": "pairwise", "tie": True},
    {"id": "quality", "kind": "rating", "dimensions": [{"id": "helpful", "min": 1, "max": 5}]},
    {
        "id": "checks",
        "kind": "rubric",
        "criteria": [{"id": "cites", "text": "Cites sources", "levels": ["no", "partly", "yes"]}],
    },
]


def timed(fn: Callable[[], Any], repeats: int) -> dict[str, float]:
    """Median seconds over ``repeats`` and the peak traced memory of one call (MiB)."""
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": round(statistics.median(seconds), 3), "peak_mib": round(peak / 2**20, 1)}


def synthetic(items: int, annotators: int, seed: int = 0) -> dict[str, Any]:
    """Labels as the report's arrays see them: units x annotators, plus two judges' answers."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(3, size=items, p=[0.45, 0.45, 0.1])
    right = rng.random((items, annotators)) < 0.8
    pref = np.where(right, truth[:, None], rng.integers(0, 3, (items, annotators)))
    quality_truth = rng.integers(1, 6, size=2 * items)
    noise = rng.integers(-1, 2, size=(2 * items, annotators))
    quality = np.clip(quality_truth[:, None] + noise * (rng.random(noise.shape) < 0.3), 1, 5)
    cites_truth = rng.integers(0, 3, size=2 * items)
    cites = np.where(
        rng.random((2 * items, annotators)) < 0.85,
        cites_truth[:, None],
        rng.integers(0, 3, (2 * items, annotators)),
    )
    judges = []
    for accuracy in (0.7, 0.6):
        judged = np.where(rng.random(items) < accuracy, truth, rng.integers(0, 3, items))
        probability = np.clip(0.5 + 0.4 * (judged == 0) - 0.4 * (judged == 1), 0, 1)
        judges.append({"pref": judged, "p_first": probability + rng.normal(0, 0.05, items)})
    return {
        "pref": pref.astype(np.float64),
        "quality": quality.astype(np.float64),
        "cites": cites.astype(np.float64),
        "truth": truth,
        "judges": judges,
        "lengths": rng.integers(50, 2000, size=(items, 2)).astype(np.float64),
    }


def statistics_bench(  # noqa: PLR0915 - one case per statistic, in the order printed
    data: dict[str, Any], resamples: int, repeats: int, refs: bool
) -> Any:
    """Ours (with and without intervals) beside the reference packages, statistic by statistic."""
    from annotator.metrics import agreement, comparison, ranking, reliability  # noqa: PLC0415

    pref, quality, cites = data["pref"], data["quality"], data["cites"]
    judge = data["judges"][0]["pref"].astype(np.int64)
    majority = agreement.majority_vote(pref, 3)
    n_annotators = pref.shape[1]
    out: dict[str, dict[str, Any]] = {}

    def case(name: str, ours: Callable[[], Any], reference: Callable[[], Any] | None) -> None:
        entry: dict[str, Any] = {"ours": timed(ours, repeats)}
        if reference is not None and refs:
            entry["reference"] = timed(reference, 1)
            entry["ratio_reference_over_ours"] = round(
                entry["reference"]["seconds"] / max(entry["ours"]["seconds"], 1e-9), 1
            )
        out[name] = entry
        print(json.dumps({name: entry}), file=sys.stderr, flush=True)

    import krippendorff  # noqa: PLC0415

    def alpha(matrix: Any, level: Any, k: int | None, resamples: int) -> Callable[[], Any]:
        return lambda: agreement.krippendorff_alpha(
            matrix, level, n_categories=k, n_resamples=resamples
        )

    def reference_alpha(matrix: Any, level: Any, k: int | None) -> Callable[[], Any]:
        domain = None if k is None else list(range(k))
        return lambda: krippendorff.alpha(
            reliability_data=matrix.T, level_of_measurement=level, value_domain=domain
        )

    for name, matrix, level, k in (
        ("alpha_nominal_pref", pref, "nominal", 3),
        ("alpha_interval_quality", quality, "interval", None),
        ("alpha_ordinal_cites", cites, "ordinal", 3),
    ):
        case(f"{name}_point", alpha(matrix, level, k, 0), reference_alpha(matrix, level, k))
        case(f"{name}_with_interval", alpha(matrix, level, k, resamples), None)

    from statsmodels.stats.inter_rater import (  # type: ignore[import-untyped]  # noqa: PLC0415
        aggregate_raters,
        fleiss_kappa,
    )

    case(
        "fleiss_kappa_pref",
        lambda: agreement.fleiss_kappa(pref, 3, n_resamples=0),
        lambda: fleiss_kappa(aggregate_raters(pref.astype(int))[0], method="fleiss"),
    )
    from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]  # noqa: PLC0415

    def sklearn_matrix() -> None:
        for a in range(n_annotators):
            for b in range(a + 1, n_annotators):
                cohen_kappa_score(pref[:, a], pref[:, b])

    case("cohen_kappa_matrix_pref", lambda: agreement.cohen_kappa_matrix(pref, 3), sklearn_matrix)
    case("raw_agreement_pref", lambda: agreement.raw_agreement(pref, n_resamples=resamples), None)

    labels = pref.astype(np.int64)

    def crowdkit_ds() -> None:
        import pandas as pd  # type: ignore[import-untyped]  # noqa: PLC0415
        from crowdkit.aggregation import DawidSkene  # noqa: PLC0415

        units, workers = np.nonzero(labels >= 0)
        frame = pd.DataFrame({"task": units, "worker": workers, "label": labels[units, workers]})
        DawidSkene(n_iter=100, tol=1e-6).fit(frame)

    case("dawid_skene_pref", lambda: reliability.dawid_skene(labels, 3), crowdkit_ds)

    items = pref.shape[0]
    rng = np.random.default_rng(1)
    models = rng.integers(0, 8, size=(items * n_annotators, 2))
    models[:, 1] = (models[:, 0] + 1 + rng.integers(0, 7, size=len(models))) % 8
    outcome = np.where(pref.ravel() == 0, 1.0, np.where(pref.ravel() == 1, 0.0, 0.5))

    def choix_bt() -> None:
        import choix  # noqa: PLC0415

        decisive = outcome != 0.5
        winners = np.where(outcome[decisive] == 1, models[decisive, 0], models[decisive, 1])
        losers = np.where(outcome[decisive] == 1, models[decisive, 1], models[decisive, 0])
        # choix takes any (winner, loser) rows; its stubs ask for a sequence of tuples.
        pairs = np.column_stack([winners, losers])
        choix.ilsr_pairwise(8, pairs, alpha=1e-3)  # type: ignore[arg-type]

    case(
        "bradley_terry_davidson_point",
        lambda: ranking.bradley_terry(models[:, 0], models[:, 1], outcome, 8, n_resamples=0),
        choix_bt,
    )
    case(
        "bradley_terry_davidson_with_interval",
        lambda: ranking.bradley_terry(
            models[:, 0], models[:, 1], outcome, 8, n_resamples=resamples
        ),
        None,
    )
    from sklearn.metrics import accuracy_score  # noqa: PLC0415

    answered = majority >= 0
    case(
        "judge_accuracy_point",
        lambda: comparison.accuracy(judge, majority, tie=2, n_resamples=0),
        lambda: accuracy_score(majority[answered], judge[answered]),
    )
    case(
        "judge_accuracy_with_interval",
        lambda: comparison.accuracy(judge, majority, tie=2, n_resamples=resamples),
        None,
    )
    from sklearn.calibration import calibration_curve  # type: ignore[import-untyped]  # noqa: PLC0415

    p_first = np.clip(data["judges"][0]["p_first"], 0, 1)
    won = (majority == 0).astype(np.float64)
    case(
        "reliability_curve",
        lambda: comparison.expected_calibration_error(comparison.reliability_curve(p_first, won)),
        lambda: calibration_curve(won, p_first, n_bins=10),
    )
    from scipy import stats  # noqa: PLC0415

    judged_quality = np.clip(np.nanmean(quality, axis=1) + rng.normal(0, 1, len(quality)), 1, 5)
    case(
        "rank_correlation_quality",
        lambda: comparison.rank_correlation(judged_quality, np.nanmean(quality, axis=1)),
        lambda: stats.kendalltau(judged_quality, np.nanmean(quality, axis=1)),
    )
    case(
        "length_bias",
        lambda: comparison.length_bias(
            judge, data["lengths"][:, 0], data["lengths"][:, 1], n_resamples=resamples
        ),
        None,
    )
    return out


def report_bench(data: dict[str, Any], resamples: int, repeats: int) -> Any:
    """Write the labels as a project, time the refresh task's work and the endpoint."""
    import django  # noqa: PLC0415

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the module docstring).")
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from annotator.analytics.extract import Scope  # noqa: PLC0415
    from annotator.models import MetricsSnapshot, Project  # noqa: PLC0415
    from annotator.services.metrics import metrics_compute  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    project, manager = load_project(data)
    try:
        compute = timed(
            lambda: metrics_compute(project=project, scope=Scope(), resamples=resamples), 1
        )
        report = metrics_compute(project=project, scope=Scope(), resamples=resamples)
        now = timezone.now()
        MetricsSnapshot.objects.update_or_create(
            project=project,
            scope_key="",
            defaults={"report": report, "computed_at": now, "requested_at": now},
        )
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(manager)
        url = f"/api/projects/{project.pk}/metrics/"
        first = client.get(url)
        assert first.status_code == 200, (first.status_code, first.content[:300])
        latencies = []
        for _ in range(max(repeats, 20)):
            started = time.perf_counter()
            response = client.get(url)
            latencies.append(time.perf_counter() - started)
        return {
            "annotations": int(data["pref"].size),
            "report_bytes": len(response.content),
            "refresh_task": compute,
            "endpoint_from_stored_report_ms": {
                "p50": round(statistics.median(latencies) * 1000, 1),
                "max": round(max(latencies) * 1000, 1),
            },
            "baseline_compute_per_request_s": compute["seconds"],
            "ratio_baseline_over_stored": round(
                compute["seconds"] / statistics.median(latencies), 0
            ),
        }
    finally:
        Project.objects.filter(pk=project.pk).delete()


def load_project(data: dict[str, Any]) -> Any:
    """The synthetic labels as rows, written with COPY (the ORM would take many minutes)."""
    from django.contrib.auth.models import User  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from annotator.models import Membership, Project, Role  # noqa: PLC0415
    from annotator.questions import validate_questions  # noqa: PLC0415
    from judges.models import Judge, JudgeRun  # noqa: PLC0415

    pref, quality, cites = data["pref"], data["quality"], data["cites"]
    items, n_annotators = pref.shape
    owner, _ = User.objects.get_or_create(username="bench-metrics-owner")
    people = [
        User.objects.get_or_create(username=f"bench-metrics-{n}")[0] for n in range(n_annotators)
    ]
    project = Project.objects.create(
        name="bench-metrics", questions=validate_questions(QUESTIONS), created_by=owner
    )
    Membership.objects.create(project=project, user=owner, role=Role.MANAGER)
    for person in people:
        Membership.objects.create(project=project, user=person, role=Role.ANNOTATOR)
    winners = ["a", "b", "tie"]
    levels = ["no", "partly", "yes"]
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(
            "COPY annotator_item (project_id, external_id, prompt, meta, rubric, priority, "
            "shuffle, annotation_count, done, created_at, updated_at) FROM STDIN"
        ) as copy:
            for n in range(items):
                copy.write_row(
                    (project.pk, f"b{n}", json.dumps(f"prompt {n}"), "{}", "[]", 0, 0.5,
                     n_annotators, True, "now", "now")
                )  # fmt: skip
        cursor.execute(
            "SELECT id FROM annotator_item WHERE project_id = %s ORDER BY id", [project.pk]
        )
        ids = [row[0] for row in cursor.fetchall()]
        with raw.cursor().copy(
            "COPY annotator_candidate (item_id, key, text, model_name, meta, position) FROM STDIN"
        ) as copy:
            for n, item in enumerate(ids):
                for position, key in enumerate("ab"):
                    length = int(data["lengths"][n, position])
                    copy.write_row(
                        (item, key, "x" * length, f"model-{(n + position) % 8}", "{}", position)
                    )
        with raw.cursor().copy(
            "COPY annotator_annotation (project_id, item_id, annotator_id, status, answers, "
            "display_order, time_spent_ms, version, review_status, is_gold, is_reference, "
            "created_at, updated_at) FROM STDIN"
        ) as copy:
            for n, item in enumerate(ids):
                for a, person in enumerate(people):
                    answers = {
                        "pref": {"winner": winners[int(pref[n, a])]},
                        "quality": {"scores": {
                            "a": {"helpful": int(quality[2 * n, a])},
                            "b": {"helpful": int(quality[2 * n + 1, a])},
                        }},
                        "checks": {"criteria": {
                            "a": {"cites": levels[int(cites[2 * n, a])]},
                            "b": {"cites": levels[int(cites[2 * n + 1, a])]},
                        }},
                    }  # fmt: skip
                    copy.write_row(
                        (project.pk, item, person.pk, "submitted", json.dumps(answers),
                         json.dumps(["a", "b"] if (n + a) % 2 else ["b", "a"]), 20000, 1,
                         "pending", False, False, "now", "now")
                    )  # fmt: skip
        for number, judged in enumerate(data["judges"]):
            judge = Judge.objects.create(
                project=project, name=f"judge-{number}", kind="llm", questions=["pref"]
            )
            run = JudgeRun.objects.create(judge=judge, project=project, status="done")
            with raw.cursor().copy(
                "COPY judges_prediction (run_id, judge_id, project_id, item_id, question_id, "
                "value, probability, details, error, created_at, updated_at) FROM STDIN"
            ) as copy:
                for n, item in enumerate(ids):
                    p_first = float(np.clip(judged["p_first"][n], 0, 1))
                    details = {"p": {"a": p_first, "b": 1 - p_first}, "flipped": bool(n % 7 == 0),
                               "first_position": 0.55}  # fmt: skip
                    copy.write_row(
                        (run.pk, judge.pk, project.pk, item, "pref",
                         json.dumps({"winner": winners[int(judged["pref"][n])]}),
                         max(p_first, 1 - p_first), json.dumps(details), "", "now", "now")
                    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return project, owner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-references", action="store_true")
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--skip-statistics", action="store_true")
    args = parser.parse_args()
    data = synthetic(args.items, args.annotators)
    result: dict[str, Any] = {
        "items": args.items,
        "annotators": args.annotators,
        "questions": len(QUESTIONS),
        "judges": len(data["judges"]),
        "resamples": args.resamples,
    }
    if not args.skip_statistics:
        result["statistics"] = statistics_bench(
            data, args.resamples, args.repeats, refs=not args.skip_references
        )
    if not args.skip_report:
        result["report"] = report_bench(data, args.resamples, args.repeats)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
