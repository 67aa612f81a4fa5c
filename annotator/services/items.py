"""Adding items to a project."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from annotator.items import NativeItem
from annotator.models import Candidate, Item, Project


@dataclass(frozen=True)
class ItemsAdded:
    created: int
    unchanged: int


@transaction.atomic
def items_add_native(*, project: Project, items: Iterable[NativeItem]) -> ItemsAdded:
    """Add validated native items; an ``external_id`` already in the project is left as it is.

    All or nothing: runs in one transaction.
    """
    batch = list(items)
    seen: set[str] = set()
    for item in batch:
        if item.external_id in seen:
            raise ValueError(f"external_id {item.external_id!r} appears twice")
        seen.add(item.external_id)
    existing = set(
        Item.objects.filter(
            project=project, external_id__in=[i.external_id for i in batch]
        ).values_list("external_id", flat=True)
    )
    fresh = [i for i in batch if i.external_id not in existing]
    rows = Item.objects.bulk_create(
        [
            Item(
                project=project,
                external_id=i.external_id,
                prompt=i.prompt
                if isinstance(i.prompt, str)
                else [m.model_dump() for m in i.prompt],
                meta=i.meta,
                rubric=[c.model_dump(mode="json") for c in i.rubric],
                gold=i.gold,
            )
            for i in fresh
        ]
    )
    # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35 (RETURNING).
    Candidate.objects.bulk_create(
        [
            Candidate(
                item=row,
                key=c.id,
                text=c.text,
                model_name=c.model,
                meta=c.meta,
                position=position,
            )
            for row, source in zip(rows, fresh, strict=True)
            for position, c in enumerate(source.candidates)
        ]
    )
    return ItemsAdded(created=len(fresh), unchanged=len(batch) - len(fresh))
