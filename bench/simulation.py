"""The active-learning loop of ``bench/active_learning.py``, on the real services.

Imported once Django is set up (the command sets up an embedded SQLite database first). One
``Simulation`` holds one encoder and the embedding cache, shared by every strategy and repeat:
each text is embedded once for the whole run.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from typing import Any

import numpy as np
from django.contrib.auth.models import User
from django.test import override_settings

from annotator.importers.readers import ImportSource
from annotator.models import AssignmentOrder, Membership, Project, Role
from annotator.questions import validate_questions
from annotator.services.distribution import assignment_next, assignment_submit
from annotator.services.imports import items_import
from bench.active_learning import text_of
from judges import execution
from judges.active import active_learning_update
from judges.config import validate_config
from judges.crossfit import HeadModel, HeadNotTrainable, head_train_pairs
from judges.engines.encoder import EncoderEngine
from judges.engines.loading import ModelSpec
from judges.head_training import candidate_features, head_train
from judges.judging import CandidateText, ItemInput
from judges.models import ActiveLearning, HeadVersion, Judge, JudgeBatch
from judges.pairs import LabeledPair
from judges.priorities import priorities_compute
from judges.services import judge_create, judge_run_start

# Strategies that read the judges' predictions: the head must run over the items each round.
NEEDS_PREDICTIONS = frozenset({"uncertainty", "judge_disagreement", "position_inconsistency"})
Features = dict[tuple[int, str], Any]


class Simulation:
    """One database, one encoder and its embedding cache, shared by every strategy and repeat."""

    def __init__(self, args: argparse.Namespace, pool: list[Any], test: list[Any]) -> None:
        self.args = args
        self.pool = pool
        self.test = test
        # The head as a project gets it: the judge's defaults.
        self.config = validate_config("preference_head", {"encoder": args.encoder, "device": "cpu"})
        self.engine = EncoderEngine(ModelSpec(source=args.encoder, device="cpu"))
        started = time.perf_counter()
        self.test_features = self._features(test, first_id=-1)
        self.pool_features = self._features(pool, first_id=-1 - len(test))
        self.embed_seconds = time.perf_counter() - started

    def _features(self, rows: list[Any], first_id: int) -> Features:
        """Features of each row's chosen ("c") and rejected ("r") response; embeds them all."""
        items = [
            ItemInput(
                id=first_id - n,
                prompt=row["prompt"],
                candidates=[
                    CandidateText("c", text_of(row["chosen"])),
                    CandidateText("r", text_of(row["rejected"])),
                ],
                rubric=[],
            )
            for n, row in enumerate(rows)
        ]
        return candidate_features(items, self.config, self.engine.embed)

    def _noisy(self, rng: random.Random) -> bool:
        return bool(rng.random() < self.args.noise)

    def accuracy(self, model_bytes: bytes, features: Features) -> float:
        """Share of rows whose chosen response the head (fitted on every label) prefers."""
        ids = sorted({item_id for item_id, _ in features})
        head = HeadModel.from_bytes(model_bytes).full
        probs = head.probabilities(
            np.stack([features[i, "c"] for i in ids]), np.stack([features[i, "r"] for i in ids])
        )
        return float(np.mean(probs[:, 0] > probs[:, 1]))

    def reference(self, seed: int) -> float:
        """The head trained on the whole pool, each row labeled once by a noisy annotator."""
        rng = random.Random(f"reference:{seed}")  # noqa: S311  # a simulation
        first = -1 - len(self.test)
        pairs = [
            LabeledPair(first - n, "c", "r", 0.0 if self._noisy(rng) else 1.0)
            for n in range(len(self.pool))
        ]
        trained = head_train_pairs(pairs, self.pool_features, self.config)
        return self.accuracy(trained.model.to_bytes(), self.test_features)

    def _project(
        self, label: str, weights: dict[str, float], seed: int
    ) -> tuple[Project, Judge, list[User], dict[int, str]]:
        """A fresh project of the pool (imported as TRL), its head, annotators and the truth."""
        project = Project.objects.create(
            name=f"simulation {label} seed {seed}",
            questions=validate_questions([{"id": "pref", "kind": "pairwise", "tie": False}]),
            overlap=self.args.overlap,
            assignment=AssignmentOrder.ACTIVE,
        )
        data = "\n".join(json.dumps(row) for row in self.pool).encode()
        items_import(
            project=project, files=[ImportSource("pool.jsonl", io.BytesIO(data))], format="trl"
        )
        chosen = {row["id"]: text_of(row["chosen"]) for row in self.pool}
        winner = {
            item.pk: candidate.key
            for item in project.items.prefetch_related("candidates")
            for candidate in item.candidates.all()
            if candidate.text == chosen[item.external_id]
        }
        users = []
        for n in range(self.args.annotators):
            user = User.objects.create(username=f"sim-{project.pk}-{n}")
            Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
            users.append(user)
        judge = judge_create(
            project=project, user=users[0], name="head", kind="preference_head",
            config=self.config, questions=["pref"],
        )  # fmt: skip
        active_learning_update(
            project=project,
            changes={"head": judge, "strategies": weights, "retrain_every": 0, "seed": seed},
        )
        return project, judge, users, winner

    def _label(
        self, project: Project, users: list[User], winner: dict[int, str], rng: random.Random,
        done: int,
    ) -> int:  # fmt: skip
        """One round of labels through ``next`` and submit; how many were given."""
        given = 0
        for _ in range(self.args.batch):
            user = users[(done + given) % len(users)]
            assignment = assignment_next(project=project, user=user, rng=rng)
            if assignment is None:
                break
            right = winner[assignment.item_id]
            wrong = next(k for k in assignment.display_order if k != right)
            assignment_submit(
                assignment=assignment, user=user, time_spent_ms=1,
                answers={"pref": {"winner": wrong if self._noisy(rng) else right}},
            )  # fmt: skip
            given += 1
        return given

    def _predict(self, judge: Judge, version: HeadVersion) -> None:
        """Run the head over the project through the judge-run batches a worker executes."""
        with override_settings(MOOT_JUDGE_BATCH_ITEMS=1000):
            run = judge_run_start(judge=judge, user=None, queue=False, head_version=version)
        for batch in JudgeBatch.objects.filter(run=run).order_by("index"):
            execution.judge_batch_run(batch_id=batch.pk)

    def run(self, label: str, weights: dict[str, float], seed: int) -> list[dict[str, Any]]:
        """One strategy, one seed: the learning curve as [{labels, accuracy, seconds}]."""
        project, judge, users, winner = self._project(label, weights, seed)
        predicts = bool(NEEDS_PREDICTIONS & {k for k, v in weights.items() if v > 0})
        rng = random.Random(f"annotators:{seed}")  # noqa: S311  # a simulation
        curve: list[dict[str, Any]] = []
        labels = 0
        while labels < self.args.budget:
            started = time.perf_counter()
            given = self._label(project, users, winner, rng, labels)
            if given == 0:
                break
            labels += given
            try:
                version: HeadVersion | None = head_train(
                    judge=judge, reason="labels", embed=self.engine.embed
                )
            except HeadNotTrainable:
                version = None
            if version is not None and predicts:
                self._predict(judge, version)
            priorities_compute(active=ActiveLearning.objects.get(project=project))
            accuracy = None
            if version is not None:
                accuracy = self.accuracy(bytes(version.model), self.test_features)
            curve.append(
                {
                    "labels": labels,
                    "accuracy": accuracy,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
        project.delete()
        return curve
