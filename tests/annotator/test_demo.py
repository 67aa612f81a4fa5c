"""The demo seed: a sample project with its items and a working login, safe to run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from annotator.demo import DEMO_PROJECT, demo_seed
from annotator.models import Candidate, Item, Membership, Project

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_a_usable_project_once() -> None:
    first = demo_seed()
    second = demo_seed()

    assert first.items_created == 36
    assert second.items_created == 0
    assert second.project_id == first.project_id
    assert Project.objects.filter(name=DEMO_PROJECT).count() == 1
    assert Item.objects.filter(project_id=first.project_id).count() == 36
    assert Candidate.objects.filter(item__project_id=first.project_id).count() >= 72
    assert authenticate(username=first.username, password=first.password) is not None
    assert Membership.objects.get(project_id=first.project_id).role == "owner"


def test_chat_prompts_keep_their_messages() -> None:
    login = demo_seed()

    chats = [
        i.prompt for i in Item.objects.filter(project_id=login.project_id)
        if isinstance(i.prompt, list)
    ]  # fmt: skip

    assert chats
    assert all(chat[-1]["role"] == "user" for chat in chats)
