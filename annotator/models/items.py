"""Items and their candidate responses."""

from __future__ import annotations

import random

from django.db import models

from annotator.models.projects import Project


def random_rank() -> float:
    """A uniform random number in [0, 1) (a module-level function so migrations can name it)."""
    return random.random()  # noqa: S311  # ordering, not security


# The items `next` draws from: not yet labeled `overlap` times, and not gold (gold items are
# served separately, to everyone).
OPEN_ITEMS = models.Q(done=False, gold__isnull=True)


class Item(models.Model):
    """One unit to judge: a prompt (text or chat messages) and its candidates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=255)
    # A plain string, or a chat: a list of {"role", "content"} messages.
    prompt = models.JSONField()
    meta = models.JSONField(default=dict, blank=True)
    rubric = models.JSONField(default=list, blank=True)
    gold = models.JSONField(null=True, blank=True)
    priority = models.FloatField(default=0, help_text="Higher is served first (priority order).")
    # A random rank fixed at creation: "random" order walks an index instead of sorting by
    # random() over the whole table on every request.
    shuffle = models.FloatField(default=random_rank)
    # Submitted annotations that count toward the project's overlap (rejected ones do not).
    annotation_count = models.PositiveIntegerField(default=0)
    # Annotators wanted beyond the project's overlap (active learning asks for one more person
    # where people disagree).
    extra_overlap = models.PositiveSmallIntegerField(default=0)
    # annotation_count >= overlap + extra_overlap. Kept on the row so the queue indexes cover
    # only open items.
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"], name="item_unique_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "id"], condition=OPEN_ITEMS, name="item_queue_seq"),
            models.Index(
                fields=["project", "shuffle", "id"], condition=OPEN_ITEMS, name="item_queue_random"
            ),
            models.Index(
                fields=["project", "-priority", "id"],
                condition=OPEN_ITEMS,
                name="item_queue_priority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.external_id}"


class Candidate(models.Model):
    """One response to an item. ``key`` is its canonical id within the item."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="candidates")
    key = models.CharField(max_length=64)
    text = models.TextField()
    model_name = models.CharField(max_length=200, blank=True, default="")
    meta = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(help_text="Order in the source, from 0.")

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="candidate_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.key}"
