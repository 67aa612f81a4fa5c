"""Projects and their members."""

from __future__ import annotations

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


class Project(models.Model):
    """A labeling job: guidelines, ordered questions, distribution and blinding settings."""

    name = models.CharField(max_length=200)
    guidelines = models.TextField(blank=True, default="")
    questions = models.JSONField(default=list)
    overlap = models.PositiveSmallIntegerField(default=1)
    assignment = models.CharField(
        max_length=16, choices=AssignmentOrder.choices, default=AssignmentOrder.SEQUENTIAL
    )
    blind = models.BooleanField(default=True)
    # Show judges' predictions to annotators as suggestions (never while the project is blind).
    suggestions = models.BooleanField(default=False)
    lock_timeout_s = models.PositiveIntegerField(default=900)
    gold_rate = models.FloatField(
        default=0.0, help_text="Share of next-item requests answered with a gold item, 0 to 1."
    )
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
            models.CheckConstraint(
                condition=models.Q(gold_rate__gte=0) & models.Q(gold_rate__lte=1),
                name="project_gold_rate_range",
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
