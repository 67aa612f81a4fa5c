"""A project full of real objects, so generated API calls reach them rather than only 404s.

``objects_build`` makes a project owned by one user, with every kind of question, items with
candidates (and item criteria, and a gold answer), members, assignments, annotations, a built
export, and judges with a finished run and its predictions. The ids come back keyed by the names
the API uses for them in its paths (``project_id``, ``item_id``, ...).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User

from annotator.exports.options import ExportOptions
from annotator.items import NativeItem
from annotator.models import Assignment, Membership, Project, ReviewDecision, Role
from annotator.services.annotations import annotation_review
from annotator.services.distribution import assignment_next, assignment_submit
from annotator.services.exports import export_build, export_create
from annotator.services.items import items_add_native
from annotator.services.projects import project_create
from judges.models import Judge, JudgeKind, JudgeRun, Prediction, RunStatus
from judges.services import judge_create
from tests.factories import member, new_user

QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "pref",
        "kind": "pairwise",
        "tie": True,
        "strength": ["slightly", "clearly", "much"],
        "both_bad": True,
    },
    {"id": "rank", "kind": "ranking"},
    {
        "id": "quality",
        "kind": "rating",
        "per": "candidate",
        "dimensions": [
            {"id": "helpfulness", "min": 1, "max": 5},
            {"id": "correctness", "min": 1, "max": 5},
        ],
    },
    {
        "id": "rubric",
        "kind": "rubric",
        "criteria": [{"id": "cites", "text": "Cites a source", "points": 2}],
        "item_criteria": True,
    },
    {
        "id": "flags",
        "kind": "labels",
        "options": ["unsafe", "hallucination"],
        "multiple": True,
        "per": "candidate",
    },
    {"id": "why", "kind": "text", "required": False},
]

ITEMS = 8


@dataclass(frozen=True)
class ApiObjects:
    """Who owns the project, the ids of its objects keyed by path parameter name, and someone
    who is not a member yet."""

    owner: User
    ids: dict[str, Any]
    outsider: User


def answers(candidates: list[str]) -> dict[str, Any]:
    """A complete, valid answer to every question, preferring the first candidate shown."""
    first, second = candidates[0], candidates[1]
    return {
        "pref": {"winner": first, "strength": 1, "both_bad": False},
        "rank": {"order": [[first], [second]]},
        "quality": {
            "scores": {key: {"helpfulness": 4, "correctness": 3} for key in candidates},
        },
        "rubric": {
            "criteria": {key: {"cites": "pass", "mentions-risk": "fail"} for key in candidates}
        },
        "flags": {"labels": {first: [], second: ["hallucination"]}},
        "why": {"text": f"{first} answers the question."},
    }


def _label(project: Project, user: User) -> Assignment:
    """Take the next item for ``user`` and answer it; returns the (now submitted) assignment."""
    assignment = assignment_next(project=project, user=user, rng=random.Random(0))
    assert assignment is not None, "the project ran out of items"
    assignment_submit(
        assignment=assignment,
        user=user,
        answers=answers(list(assignment.display_order)),
        time_spent_ms=4200,
    )
    return assignment


def _native(i: int, *, gold: bool = False) -> dict[str, Any]:
    return {
        "external_id": f"q-{i:03d}",
        "prompt": [{"role": "user", "content": f"Question {i}?"}] if i % 2 else f"Q{i}?",
        "candidates": [
            {"id": "a", "text": f"First answer to {i}.", "model": "model-x"},
            {"id": "b", "text": f"Second answer to {i}.", "model": "model-y"},
        ],
        "meta": {"source": "fixtures", "n": i},
        "rubric": [{"id": "mentions-risk", "text": "Mentions a risk", "points": 1}],
        "gold": {"pref": {"winner": "a"}} if gold else None,
    }


def native_line(number: int) -> str:
    """One item in the native import layout, as a JSONL line."""
    return json.dumps(_native(number)) + "\n"


def _items(count: int) -> list[NativeItem]:
    return [NativeItem.model_validate(_native(i, gold=i == count - 1)) for i in range(count)]


def _judged(project: Project, owner: User) -> tuple[Judge, JudgeRun]:
    """A reward model judge with a finished run that predicted every item."""
    judge = judge_create(
        project=project,
        user=owner,
        name="reward-model",
        kind=JudgeKind.REWARD_MODEL,
        config={"model": "/models/reward"},
        questions=["pref"],
    )
    run = JudgeRun.objects.create(
        judge=judge,
        project=project,
        questions=judge.questions,
        config=judge.config,
        status=RunStatus.DONE,
        total_items=project.items.count(),
        done_items=project.items.count(),
        created_by=owner,
    )
    Prediction.objects.bulk_create(
        Prediction(
            run=run,
            judge=judge,
            project=project,
            item=item,
            question_id="pref",
            value={"winner": "a" if item.pk % 3 else "b"},
            probability=0.55 + (item.pk % 4) / 10,
            details={"scores": {"a": 0.3, "b": -0.1}},
        )
        for item in project.items.all()
    )
    return judge, run


def objects_build(name: str = "fuzzed") -> ApiObjects:
    """A project owned by a new user, populated with one or more of everything the API serves."""
    owner = new_user()
    project = project_create(
        user=owner,
        fields={
            "name": name,
            "guidelines": "# Guidelines\nPick the more helpful answer.",
            "questions": QUESTIONS,
            "overlap": 2,
        },
    )
    items_add_native(project=project, items=_items(ITEMS))
    annotator = member(project, Role.ANNOTATOR)
    member(project, Role.REVIEWER)
    _label(project, annotator)
    labelled_by_annotator = _label(project, annotator)
    own = _label(project, owner)
    annotation = own.annotation
    other = labelled_by_annotator.annotation
    annotation_review(
        annotation=other, reviewer=owner, decision=ReviewDecision.ACCEPT, comment="Fine."
    )
    # Left open, for submit, skip and suggestions.
    open_assignment = assignment_next(project=project, user=owner, rng=random.Random(1))
    assert open_assignment is not None
    judge, run = _judged(project, owner)
    judge_create(
        project=project,
        user=owner,
        name="head",
        kind=JudgeKind.PREFERENCE_HEAD,
        config={},
        questions=["pref"],
    )
    export = export_create(project=project, user=owner, options=ExportOptions())
    export_build(export_id=export.pk)
    membership = Membership.objects.get(project=project, user=annotator)
    return ApiObjects(
        owner=owner,
        outsider=new_user(),
        ids={
            "project_id": project.pk,
            "member_id": membership.pk,
            "item_id": open_assignment.item_id,
            "assignment_id": open_assignment.pk,
            "annotation_id": annotation.pk,
            "export_id": export.pk,
            "judge_id": judge.pk,
            "run_id": run.pk,
        },
    )
