"""Export snapshots: immutable datasets built from a project at one point in time."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from annotator.models.projects import Project


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Export(models.Model):
    """One snapshot: its options, the state of its build, and once done its file and manifest.

    The file lives under ``MOOT_EXPORT_DIR`` at a random, unguessable name and is served only
    through the download endpoint, after an access check. Once ``done`` nothing changes.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exports")
    # The options as resolved against the project (see annotator.exports.options).
    options = models.JSONField()
    format = models.CharField(max_length=32)
    file_type = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    manifest = models.JSONField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True, default="")
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    size_bytes = models.PositiveBigIntegerField(default=0)
    file_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    error = models.TextField(blank=True, default="")
    # While running: which worker builds it and until when, unless renewed (annotator.leases).
    worker = models.CharField(max_length=200, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Optional push to the Hugging Face Hub once built: the repository, then the outcome.
    hub_repo = models.CharField(max_length=200, blank=True, default="")
    hub_url = models.CharField(max_length=500, blank=True, default="")
    hub_error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["project", "-id"], name="export_project"),
            models.Index(fields=["status", "lease_until"], name="export_lease"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of project {self.project_id} ({self.status})"
