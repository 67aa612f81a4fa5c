"""Projects whose people prefer a known kind of answer, labeled through the real services."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from annotator.items import NativeItem
from annotator.models import Project, Role
from annotator.questions import validate_questions
from annotator.services.distribution import assignment_next, assignment_submit
from annotator.services.items import items_add_native
from judges.models import Judge
from judges.services import judge_create
from tests.factories import member, new_project

PAIRWISE = [{"id": "pref", "kind": "pairwise", "tie": True}]
GOOD = ["clear", "helpful", "correct", "precise", "kind", "careful", "complete", "honest"]
BAD = ["rude", "wrong", "vague", "confusing", "lazy", "careless", "partial", "misleading"]
TOPICS = ["python", "cooking", "planets", "gardens", "taxes", "music", "history", "chess"]


def answer_text(rng: random.Random, topic: str, good: bool) -> str:
    words = rng.sample(GOOD if good else BAD, 2)
    return f"About {topic}: this answer is {words[0]} and {words[1]}."


def preference_project(
    n: int, *, seed: int = 0, questions: list[dict[str, Any]] | None = None, **fields: Any
) -> tuple[Project, dict[str, str]]:
    """A project of ``n`` two-candidate items and, per external id, the better candidate's key."""
    rng = random.Random(seed)
    project = new_project(questions=validate_questions(questions or PAIRWISE), **fields)
    better: dict[str, str] = {}
    items = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        good_key = rng.choice("ab")
        better[f"item-{i:04d}"] = good_key
        items.append(
            NativeItem.model_validate(
                {
                    "external_id": f"item-{i:04d}",
                    "prompt": f"Question {i} about {topic}?",
                    "candidates": [
                        {"id": key, "text": answer_text(rng, topic, key == good_key)}
                        for key in "ab"
                    ],
                }
            )
        )
    items_add_native(project=project, items=items)
    return project, better


def label(project: Project, better: dict[str, str], count: int, user: User | None = None) -> int:
    """``count`` labels by one annotator, always choosing the better candidate; how many given."""
    user = user or member(project, Role.ANNOTATOR)
    given = 0
    for _ in range(count):
        assignment = assignment_next(project=project, user=user, rng=random.Random(given))
        if assignment is None:
            break
        winner = better[assignment.item.external_id]
        assignment_submit(
            assignment=assignment, user=user, answers={"pref": {"winner": winner}}, time_spent_ms=1
        )
        given += 1
    return given


def head_judge(project: Project, encoder: Path | str, **config: Any) -> Judge:
    owner = member(project, Role.OWNER)
    return judge_create(
        project=project,
        user=owner,
        name="head",
        kind="preference_head",
        config={"encoder": str(encoder), "device": "cpu", **config},
        questions=["pref"],
    )
