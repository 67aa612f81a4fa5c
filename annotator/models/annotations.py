"""Assignments, annotations with their full edit history, and reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotator.models.items import Item
from annotator.models.projects import Project


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"
    EXPIRED = "expired", "Expired"


class Assignment(models.Model):
    """An item handed to one annotator, with the candidates they were shown, in order.

    An active assignment holds one of the item's ``overlap`` slots until ``expires_at``; after
    that it no longer counts and the slot returns to the pool (no sweeper needed).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    # Candidate keys in the order they were shown (left to right / top to bottom).
    display_order = models.JSONField()
    status = models.CharField(
        max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    is_gold = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["item", "status", "expires_at"], name="assignment_item_active"),
            models.Index(
                fields=["project", "annotator", "status"], name="assignment_annotator_status"
            ),
        ]

    def __str__(self) -> str:
        return f"assignment {self.pk} ({self.status})"


class AnnotationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Annotation(models.Model):
    """One annotator's answers to all questions of one item, in canonical candidate keys.

    The row holds the current version; every version, the first included, is also kept in
    ``AnnotationVersion`` so an edit never destroys what was there before.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annotations")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="annotations")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    # One annotation per assignment: a retried submit finds the first one instead of adding one.
    assignment = models.OneToOneField(
        Assignment, null=True, on_delete=models.SET_NULL, related_name="annotation"
    )
    status = models.CharField(max_length=16, choices=AnnotationStatus.choices)
    answers = models.JSONField(default=dict)
    display_order = models.JSONField(default=list)
    time_spent_ms = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    review_status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    is_gold = models.BooleanField(default=False)
    # A reference annotation comes from labels in an imported file, not from a person.
    is_reference = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Never two annotations (or a skip and an annotation) by one person on one item.
            models.UniqueConstraint(fields=["item", "annotator"], name="annotation_one_per_person"),
        ]
        indexes = [
            models.Index(fields=["project", "review_status"], name="annotation_review"),
            models.Index(fields=["project", "annotator"], name="annotation_annotator"),
        ]

    def __str__(self) -> str:
        return f"annotation {self.pk} v{self.version}"


class AnnotationVersion(models.Model):
    """An immutable copy of an annotation's answers as of one submit or edit."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    answers = models.JSONField()
    time_spent_ms = models.PositiveIntegerField(default=0)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "version"], name="annotation_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"annotation {self.annotation_id} v{self.version}"


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"


class Review(models.Model):
    """A reviewer's decision on an annotation; the latest one sets its review status."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices)
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation_id", "id"]

    def __str__(self) -> str:
        return f"review {self.pk}: {self.decision}"
