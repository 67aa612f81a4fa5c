"""Shared helpers for labeling tests: projects with items, and answering what `next` hands out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from annotator.items import NativeItem
from annotator.models import Project
from annotator.questions import validate_questions
from annotator.services.items import items_add_native
from tests.factories import new_project

PAIRWISE = [{"id": "pref", "kind": "pairwise", "prompt": "", "required": True, "tie": True}]


def project_with_items(
    n: int,
    *,
    overlap: int = 1,
    candidates: int = 2,
    questions: list[Any] | None = None,
    **fields: Any,
) -> Project:
    # Questions as the API would store them: validated, defaults filled in.
    normalised = validate_questions(questions or PAIRWISE)
    project = new_project(overlap=overlap, questions=normalised, **fields)
    items_add_native(
        project=project,
        items=[
            NativeItem.model_validate(
                {
                    "external_id": f"item-{i:05d}",
                    "prompt": f"prompt {i}",
                    "candidates": [
                        {"id": chr(ord("a") + c), "text": f"answer {c} to {i}", "model": f"m{c}"}
                        for c in range(candidates)
                    ],
                }
            )
            for i in range(n)
        ],
    )
    return project


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def pick_first(body: dict[str, Any]) -> dict[str, Any]:
    """Answer every pairwise question with the first candidate shown."""
    return {"pref": {"winner": body["candidates"][0]["id"]}}
