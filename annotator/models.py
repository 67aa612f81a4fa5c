"""Core domain tables. Fields and constraints only; behaviour lives in services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    REVIEWER = "reviewer", "Reviewer"
    ANNOTATOR = "annotator", "Annotator"


class AssignmentOrder(models.TextChoices):
    SEQUENTIAL = "sequential", "Sequential"
    RANDOM = "random", "Random"
    PRIORITY = "priority", "By priority"
    ACTIVE = "active", "Active learning"


def _default_questions() -> list[dict[str, Any]]:
    return []


class Project(models.Model):
    """A labeling job: guidelines, ordered questions, distribution and blinding settings."""

    name = models.CharField(max_length=200)
    guidelines = models.TextField(blank=True, default="")
    questions = models.JSONField(default=_default_questions)
    overlap = models.PositiveSmallIntegerField(default=1)
    assignment = models.CharField(
        max_length=16, choices=AssignmentOrder.choices, default=AssignmentOrder.SEQUENTIAL
    )
    blind = models.BooleanField(default=True)
    lock_timeout_s = models.PositiveIntegerField(default=900)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overlap__gte=1) & models.Q(overlap__lte=100),
                name="project_overlap_range",
            ),
            models.CheckConstraint(
                condition=models.Q(lock_timeout_s__gte=30), name="project_lock_timeout_min"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one project. Every access check goes through this table."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.project_id}:{self.role}"


def _empty_dict() -> dict[str, Any]:
    return {}


def _empty_list() -> list[Any]:
    return []


class Item(models.Model):
    """One unit to judge: a prompt (text or chat messages) and its candidates."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=255)
    # A plain string, or a chat: a list of {"role", "content"} messages.
    prompt = models.JSONField()
    meta = models.JSONField(default=_empty_dict, blank=True)
    rubric = models.JSONField(default=_empty_list, blank=True)
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
    meta = models.JSONField(default=_empty_dict, blank=True)
    position = models.PositiveSmallIntegerField(help_text="Order in the source, from 0.")

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="candidate_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.key}"
