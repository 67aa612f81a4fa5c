"""``next`` while another transaction holds every open item's row lock (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction

from annotator.models import Item, Role
from annotator.services.distribution import assignment_next
from tests.annotator.labeling import project_with_items
from tests.factories import member

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HOLD_S = 1.0


def test_next_waits_for_locked_items_instead_of_saying_nothing_is_left() -> None:
    """Rewriting every item's priority locks every open row for a moment; an annotator asking
    then must get an item once the lock goes, not a 204 "nothing left"."""
    project = project_with_items(3)
    user = member(project, Role.ANNOTATOR)
    locked = threading.Event()

    def rewrite_priorities() -> None:
        try:
            with transaction.atomic():
                list(Item.objects.select_for_update().filter(project=project))
                locked.set()
                time.sleep(HOLD_S)
                Item.objects.filter(project=project).update(priority=1.0)
        finally:
            connections.close_all()

    writer = threading.Thread(target=rewrite_priorities)
    writer.start()
    assert locked.wait(10)
    started = time.monotonic()
    assignment = assignment_next(project=project, user=user)
    waited = time.monotonic() - started
    writer.join()
    assert assignment is not None
    assert waited >= HOLD_S * 0.5


def test_next_still_says_nothing_is_left_when_nothing_is() -> None:
    project = project_with_items(1)
    first, second = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    assert assignment_next(project=project, user=first) is not None
    assert assignment_next(project=project, user=second) is None  # overlap 1, held by first
