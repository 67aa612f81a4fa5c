"""Small labelled projects for the export tests, written straight through the ORM."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Candidate,
    Item,
    Project,
    ReviewStatus,
)
from tests.factories import new_project, new_user

PAIRWISE = {
    "id": "pref",
    "kind": "pairwise",
    "tie": True,
    "strength": ["slightly", "clearly", "much"],
    "both_bad": True,
}
RANKING = {"id": "rank", "kind": "ranking"}
RATING = {
    "id": "quality",
    "kind": "rating",
    "per": "candidate",
    "dimensions": [
        {"id": "helpfulness", "min": 1, "max": 5},
        {"id": "correctness", "min": 1, "max": 5},
    ],
}
RUBRIC = {
    "id": "rubric",
    "kind": "rubric",
    "criteria": [
        {"id": "cites", "text": "Cites a source", "points": 2},
        {"id": "tone", "text": "Tone", "points": 1, "levels": ["bad", "ok", "good"]},
    ],
}


def project_with(*questions: dict[str, Any], **fields: Any) -> Project:
    return new_project(questions=list(questions), **fields)


def add_item(
    project: Project,
    external_id: str,
    texts: dict[str, str],
    *,
    prompt: Any = "Say something.",
    models: dict[str, str] | None = None,
    gold: Any = None,
    rubric: list[dict[str, Any]] | None = None,
) -> Item:
    item = Item.objects.create(
        project=project, external_id=external_id, prompt=prompt, gold=gold, rubric=rubric or []
    )
    for position, (key, text) in enumerate(texts.items()):
        Candidate.objects.create(
            item=item,
            key=key,
            text=text,
            model_name=(models or {}).get(key, f"model-{key}"),
            position=position,
        )
    return item


def annotate(
    item: Item,
    user: User,
    answers: dict[str, Any],
    *,
    shown: list[str] | None = None,
    review: str = ReviewStatus.PENDING,
    status: str = AnnotationStatus.SUBMITTED,
) -> Annotation:
    annotation = Annotation.objects.create(
        project=item.project,
        item=item,
        annotator=user,
        status=status,
        answers=answers,
        display_order=shown or list(item.candidates.values_list("key", flat=True)),
        review_status=review,
        time_spent_ms=1200,
    )
    AnnotationVersion.objects.create(
        annotation=annotation, version=1, answers=answers, time_spent_ms=1200, edited_by=user
    )
    return annotation


def people(count: int) -> list[User]:
    return [new_user() for _ in range(count)]
