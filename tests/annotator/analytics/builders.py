"""Projects with known answers, written straight to the tables (the extraction reads tables)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from annotator.items import NativeItem
from annotator.models import Annotation, AnnotationStatus, Item, Project, ReviewStatus, Role
from annotator.services.items import items_add_native
from tests.annotator.labeling import project_with_items
from tests.factories import member

QUESTIONS: list[dict[str, Any]] = [
    {"id": "pref", "kind": "pairwise", "tie": True},
    {
        "id": "quality",
        "kind": "rating",
        "dimensions": [{"id": "helpful", "min": 1, "max": 5}, {"id": "safe", "min": 1, "max": 3}],
    },
    {
        "id": "checks",
        "kind": "rubric",
        "criteria": [{"id": "cites", "text": "Cites sources", "levels": ["no", "partly", "yes"]}],
    },
    {"id": "flags", "kind": "labels", "options": ["unsafe", "refusal"], "multiple": True},
    {"id": "why", "kind": "text", "required": False},
]


def answer(
    project: Project,
    item: Item,
    user: User,
    answers: dict[str, Any],
    *,
    shown: list[str] | None = None,
    minutes: int = 0,
    spent_ms: int = 30_000,
    **fields: Any,
) -> Annotation:
    annotation = Annotation.objects.create(
        project=project,
        item=item,
        annotator=user,
        status=fields.pop("status", AnnotationStatus.SUBMITTED),
        answers=answers,
        display_order=shown or ["a", "b"],
        time_spent_ms=spent_ms,
        **fields,
    )
    Annotation.objects.filter(pk=annotation.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )
    return annotation


def full_answer(
    winner: str, helpful: tuple[int, int], cites: str, flags: list[str]
) -> dict[str, Any]:
    return {
        "pref": {"winner": winner},
        "quality": {
            "scores": {
                "a": {"helpful": helpful[0], "safe": 3},
                "b": {"helpful": helpful[1], "safe": 2},
            }
        },
        "checks": {"criteria": {"a": {"cites": cites}, "b": {"cites": "no"}}},
        "flags": {"labels": {"item": flags}},
        "why": {"text": "because"},
    }


def labelled_project(**fields: Any) -> tuple[Project, list[Item], list[User]]:
    """Three items, three annotators; see the tests for the answers."""
    project = project_with_items(3, questions=QUESTIONS, **fields)
    items = list(project.items.order_by("external_id"))
    people = [member(project, Role.ANNOTATOR) for _ in range(3)]
    return project, items, people


def reject(annotation: Annotation) -> None:
    Annotation.objects.filter(pk=annotation.pk).update(review_status=ReviewStatus.REJECTED)


def items_from(
    project: Project, rows: list[tuple[str, str, str]], models: tuple[str, str] | None = None
) -> list[Item]:
    """Two-candidate items from (prompt, text a, text b); models named after the texts' first
    words unless given."""
    model_a, model_b = models or (None, None)

    def named(text: str, model: str | None) -> str:
        return model or f"model-{text.split(maxsplit=1)[0]}"

    items_add_native(
        project=project,
        items=[
            NativeItem.model_validate(
                {
                    "external_id": f"e{n}",
                    "prompt": prompt,
                    "candidates": [
                        {"id": "a", "text": first, "model": named(first, model_a)},
                        {
                            "id": "b",
                            "text": second,
                            "model": model_b or f"model-{second.split()[0]}",
                        },
                    ],
                }
            )
            for n, (prompt, first, second) in enumerate(rows)
        ],
    )
    return list(project.items.order_by("external_id"))
