"""Items and their candidate responses."""

from __future__ import annotations

from django.db import models

from annotator.models.projects import Project


class Item(models.Model):
    """One unit to judge: a prompt (text or chat messages) and its candidates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=255)
    # A plain string, or a chat: a list of {"role", "content"} messages.
    prompt = models.JSONField()
    meta = models.JSONField(default=dict, blank=True)
    rubric = models.JSONField(default=list, blank=True)
    gold = models.JSONField(null=True, blank=True)
    priority = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"], name="item_unique_external_id"
            ),
        ]
        indexes = [models.Index(fields=["project", "-priority", "id"], name="item_priority")]

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
