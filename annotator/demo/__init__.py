"""The sample project that ``manage.py demo`` seeds: items and guidelines written for it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from annotator.items import NativeItem
from annotator.models import Project
from annotator.services.items import items_add_native
from annotator.services.projects import project_create

HERE = Path(__file__).resolve().parent
DEMO_USERNAME = "demo"
DEMO_PROJECT = "Demo: which answer is better?"
DEMO_QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "pref",
        "kind": "pairwise",
        "prompt": "Which response is better overall?",
        "tie": True,
        "strength": ["slightly", "clearly", "much"],
        "both_bad": True,
    },
    {
        "id": "quality",
        "kind": "rating",
        "prompt": "Rate each response.",
        "per": "candidate",
        "dimensions": [
            {"id": "helpfulness", "min": 1, "max": 5},
            {"id": "correctness", "min": 1, "max": 5},
            {"id": "verbosity", "min": 1, "max": 5, "labels": {"1": "too terse", "5": "too long"}},
        ],
    },
    {
        "id": "rubric",
        "kind": "rubric",
        "prompt": "Check the item's own criteria.",
        "item_criteria": True,
        "required": False,
    },
    {
        "id": "flags",
        "kind": "labels",
        "prompt": "Flag problems.",
        "options": ["unsafe", "hallucination", "refusal"],
        "multiple": True,
        "per": "candidate",
        "required": False,
    },
    {"id": "why", "kind": "text", "prompt": "Why? (optional)", "required": False},
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    project_id: int
    items_created: int


def demo_items() -> list[NativeItem]:
    """The sample items, validated."""
    path = HERE / "sample_items.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [NativeItem.model_validate_json(line) for line in lines if line.strip()]


def _demo_password() -> str:
    # Generated once per data folder and shown at every start, so the login stays the same.
    path = settings.DATA_DIR / "demo-password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def demo_seed() -> DemoLogin:
    """Create the demo user and sample project if missing; safe to run again."""
    password = _demo_password()
    users = get_user_model()
    user = users.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = users.objects.create_user(username=DEMO_USERNAME, password=password)
    elif not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    project = Project.objects.filter(name=DEMO_PROJECT, memberships__user=user).first()
    if project is None:
        guidelines = (HERE / "guidelines.md").read_text(encoding="utf-8")
        project = project_create(
            user=user,
            fields={"name": DEMO_PROJECT, "guidelines": guidelines, "questions": DEMO_QUESTIONS},
        )
    added = items_add_native(project=project, items=demo_items())
    return DemoLogin(
        username=DEMO_USERNAME,
        password=password,
        project_id=project.pk,
        items_created=added.created,
    )
