"""Signals the core sends for other apps to react to, without the core importing them.

``labels_changed`` is sent after a transaction that added, edited or reviewed human labels
commits, with ``project_id``. The judges app listens to retrain a project's preference head.
``items_changed`` is sent after an import added or changed items, so their priorities follow.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

labels_changed = Signal()
items_changed = Signal()


def labels_changed_on_commit(*, project_id: int) -> None:
    transaction.on_commit(lambda: labels_changed.send(sender=None, project_id=project_id))


def items_changed_on_commit(*, project_id: int) -> None:
    transaction.on_commit(lambda: items_changed.send(sender=None, project_id=project_id))
