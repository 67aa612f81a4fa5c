"""The preference head as a judge: training on people's labels, cross-fitting, predicting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from annotator.models import Item
from judges import execution
from judges.crossfit import HeadModel, HeadNotTrainable
from judges.embeddings import encoder_key
from judges.engines.encoder import EncoderEngine
from judges.engines.loading import ModelSpec
from judges.head_training import head_train
from judges.models import Embedding, HeadVersion, JudgeBatch, Prediction, RunStatus
from judges.services import JudgeInvalid, judge_run_start
from tests.judges.preference_fixtures import head_judge, label, preference_project

pytestmark = pytest.mark.django_db


def encoder(path: Path) -> EncoderEngine:
    return EncoderEngine(ModelSpec(source=str(path), device="cpu"))


def run_inline(run_id: int) -> None:
    for batch in JudgeBatch.objects.filter(run_id=run_id).order_by("index"):
        execution.judge_batch_run(batch_id=batch.pk)


def test_the_head_learns_which_answers_people_prefer(tiny_encoder: Path) -> None:
    project, better = preference_project(80)
    judge = head_judge(project, tiny_encoder, folds=4)
    assert label(project, better, 60) == 60

    version = head_train(judge=judge, reason="manual", embed=encoder(tiny_encoder).embed)

    assert (version.number, version.labels, version.pairs, version.items) == (1, 60, 60, 60)
    # Cross-validated on items the fold's head never saw: well above a coin's 0.5.
    assert version.cv_accuracy is not None
    assert version.cv_accuracy >= 0.85, version.cv_accuracy
    assert version.cv_pairs == 60
    assert version.cv_log_loss is not None
    assert version.cv_log_loss < np.log(3)  # better than a uniform guess over win/lose/tie
    # Every distinct text was embedded once: the labeled items' prompts and candidates.
    labeled = Item.objects.filter(project=project, done=True).prefetch_related("candidates")
    texts = {i.prompt for i in labeled} | {c.text for i in labeled for c in i.candidates.all()}
    assert Embedding.objects.filter(encoder=encoder_key(judge.config)).count() == len(texts)


def test_training_is_deterministic(tiny_encoder: Path) -> None:
    project, better = preference_project(40, seed=3)
    judge = head_judge(project, tiny_encoder)
    label(project, better, 30)
    engine = encoder(tiny_encoder)

    first = head_train(judge=judge, reason="manual", embed=engine.embed)
    second = head_train(judge=judge, reason="manual", embed=engine.embed)

    assert second.number == 2
    assert bytes(first.model) == bytes(second.model)
    assert (first.cv_accuracy, first.cv_log_loss) == (second.cv_accuracy, second.cv_log_loss)


def test_too_few_labels_say_how_many_are_missing(tiny_encoder: Path) -> None:
    project, better = preference_project(20)
    judge = head_judge(project, tiny_encoder, min_pairs=10)
    with pytest.raises(HeadNotTrainable, match="No human label"):
        head_train(judge=judge, reason="manual", embed=encoder(tiny_encoder).embed)
    label(project, better, 4)
    with pytest.raises(
        HeadNotTrainable, match="at least 10 labeled pairs with a winner; there are 4"
    ):
        head_train(judge=judge, reason="manual", embed=encoder(tiny_encoder).embed)
    assert not HeadVersion.objects.exists()


def test_an_untrained_head_cannot_run(tiny_encoder: Path) -> None:
    project, _ = preference_project(4)
    judge = head_judge(project, tiny_encoder)
    with pytest.raises(JudgeInvalid) as raised:
        judge_run_start(judge=judge, user=None, queue=False)
    assert "not been trained" in str(raised.value.errors["judge"])


def test_a_head_run_predicts_labeled_items_out_of_fold(tiny_encoder: Path) -> None:
    project, better = preference_project(30)
    judge = head_judge(project, tiny_encoder, folds=3)
    label(project, better, 20)
    version = head_train(judge=judge, reason="manual", embed=encoder(tiny_encoder).embed)

    run = judge_run_start(judge=judge, user=None, queue=False)
    run_inline(run.pk)

    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.head_version_id == version.pk
    predictions = list(Prediction.objects.filter(run=run).select_related("item"))
    assert len(predictions) == 30
    model = HeadModel.from_bytes(bytes(version.model))
    labeled = set(Item.objects.filter(project=project, done=True).values_list("id", flat=True))
    assert set(model.held_out) == labeled
    for p in predictions:
        assert p.error == ""
        assert p.details["out_of_fold"] is (p.item_id in labeled)
        assert p.details["head_version"] == 1
        probs = p.details["p"]
        assert set(probs) == {"a", "b", "tie"}
        assert sum(probs.values()) == pytest.approx(1)
        assert p.value == {"winner": max(probs, key=probs.__getitem__)}
    # Unlabeled items are predicted by the head fitted on every label; it should mostly agree
    # with what people would have said.
    unlabeled = [p for p in predictions if p.item_id not in labeled]
    right = sum(p.value == {"winner": better[p.item.external_id]} for p in unlabeled)
    assert right >= 0.8 * len(unlabeled), (right, len(unlabeled))


def test_ratings_feed_the_head_through_derived_pairs(tiny_encoder: Path) -> None:
    questions: list[dict[str, Any]] = [
        {"id": "pref", "kind": "pairwise"},
        {"id": "score", "kind": "rating", "dimensions": [{"id": "overall", "min": 1, "max": 5}]},
    ]
    project, better = preference_project(30, questions=questions)
    judge = head_judge(project, tiny_encoder, train_on=["score"], min_pairs=5)
    from annotator.models import Annotation, AnnotationStatus  # noqa: PLC0415
    from tests.factories import member  # noqa: PLC0415

    user = member(project, "annotator")
    for item in Item.objects.filter(project=project)[:12]:
        good = better[item.external_id]
        bad = "b" if good == "a" else "a"
        Annotation.objects.create(
            project=project, item=item, annotator=user, status=AnnotationStatus.SUBMITTED,
            answers={"score": {"scores": {good: {"overall": 5}, bad: {"overall": 2}}}},
            display_order=["a", "b"],
        )  # fmt: skip

    version = head_train(judge=judge, reason="manual", embed=encoder(tiny_encoder).embed)

    assert (version.labels, version.pairs) == (12, 12)


def test_a_new_head_run_replaces_the_older_runs_predictions(tiny_encoder: Path) -> None:
    project, better = preference_project(12)
    judge = head_judge(project, tiny_encoder, folds=2, min_pairs=4)
    label(project, better, 8)
    engine = encoder(tiny_encoder)
    runs = []
    for _ in range(2):
        version = head_train(judge=judge, reason="labels", embed=engine.embed)
        run = judge_run_start(judge=judge, user=None, queue=False, head_version=version)
        run_inline(run.pk)
        runs.append(run)

    assert set(Prediction.objects.filter(judge=judge).values_list("run_id", flat=True)) == {
        runs[1].pk
    }
    assert Prediction.objects.filter(judge=judge).count() == 12
    runs[0].refresh_from_db()
    assert (runs[0].status, runs[0].done_items) == (RunStatus.DONE, 12)  # the run's record stays
