"""Dashboard figures, computed in the background and kept until the data changes."""

from __future__ import annotations

from django.db import models

from annotator.models.projects import Project


class MetricsSnapshot(models.Model):
    """The latest report of a project for one scope (filters), and the state of its refresh.

    ``requested_at`` moves whenever the data may have changed or someone asked for the scope;
    the report is stale while it is later than ``computed_at``. ``queued_at`` is set while a
    refresh is queued or running, so that a burst of changes queues one refresh.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    # "" for everything; otherwise a digest of ``scope``.
    scope_key = models.CharField(max_length=64, blank=True, default="")
    scope = models.JSONField(default=dict)
    report = models.JSONField(null=True)
    computed_at = models.DateTimeField(null=True)
    duration_ms = models.PositiveIntegerField(default=0)
    requested_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True)
    # Last asked for; reports of filters nobody looks at any more are dropped.
    viewed_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "scope_key"], name="metrics_one_per_scope")
        ]

    def __str__(self) -> str:
        return f"metrics of project {self.project_id} [{self.scope_key or 'all'}]"
