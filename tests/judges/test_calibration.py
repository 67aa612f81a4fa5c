"""Rating calibration of reward models against human ratings."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.models import Annotation, AnnotationStatus, Project
from judges.calibration import fit_linear
from judges.execution import judge_batch_run
from judges.models import Judge, JudgeRun, Prediction
from judges.services import judge_run_start
from tests.annotator.labeling import project_with_items
from tests.factories import new_user


def ols(x: list[float], y: list[float]) -> tuple[float, float]:
    """Ordinary least squares written out, as the reference."""
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )
    return slope, my - slope * mx


def test_fit_matches_least_squares_on_random_data() -> None:
    rng = random.Random(3)
    x = [rng.uniform(-5, 5) for _ in range(50)]
    y = [2.5 * a - 1 + rng.gauss(0, 0.3) for a in x]

    fit = fit_linear(x, y)

    assert fit is not None
    slope, intercept = ols(x, y)
    assert fit.slope == pytest.approx(slope)
    assert fit.intercept == pytest.approx(intercept)
    assert fit.points == 50


@pytest.mark.parametrize(("x", "y"), [([1.0, 2.0], [1.0, 2.0]), ([1.0, 1.0, 1.0], [1, 2, 3])])
def test_too_little_to_fit_gives_none(x: list[float], y: list[float]) -> None:
    assert fit_linear(x, y) is None


def test_mismatched_lengths_are_an_error() -> None:
    with pytest.raises(ValueError, match="length"):
        fit_linear([1.0, 2.0, 3.0], [1.0])


RATING = [{"id": "help", "kind": "rating", "dimensions": [{"id": "h", "min": 1, "max": 9}]}]


def run_inline(project: Project, judge: Judge) -> JudgeRun:
    run = judge_run_start(judge=judge, user=None, queue=False)
    for batch_id in run.batches.values_list("id", flat=True):
        judge_batch_run(batch_id=batch_id)
    run.refresh_from_db()
    return run


@pytest.mark.django_db(transaction=True)
def test_a_reward_run_is_mapped_onto_the_human_scale(tiny_reward_model: Path) -> None:
    project = project_with_items(6, questions=RATING)
    judge = Judge.objects.create(
        project=project, name="rm", kind="reward_model",
        config={"model": str(tiny_reward_model)}, questions=["help"],
    )  # fmt: skip
    first = run_inline(project, judge)
    rewards = {
        (p.item_id, key): r["h"]
        for p in Prediction.objects.filter(run=first)
        for key, r in p.details["rewards"].items()
    }
    low, high = min(rewards.values()), max(rewards.values())
    # People rate exactly along the model's rewards, on 1..9: the fit must recover that line.
    truth = {k: 1 + 8 * (r - low) / (high - low) for k, r in rewards.items()}
    person = new_user()
    for item in project.items.all()[:4]:
        scores = {key: {"h": round(truth[item.pk, key])} for key in ("a", "b")}
        Annotation.objects.create(
            project=project, item=item, annotator=person, status=AnnotationStatus.SUBMITTED,
            answers={"help": {"scores": scores}},
        )  # fmt: skip

    second = run_inline(project, judge)

    predictions = list(Prediction.objects.filter(run=second))
    calibration = predictions[0].details["calibration"]["h"]
    assert calibration["points"] == 8
    for p in predictions:
        assert p.value is not None
        for key, dims in p.value["scores"].items():
            assert abs(dims["h"] - truth[p.item_id, key]) <= 1  # rounding of people and scale
    # Without human ratings, the first run used the fixed logistic map instead.
    assert "calibration" not in Prediction.objects.filter(run=first).first().details  # type: ignore[union-attr]
