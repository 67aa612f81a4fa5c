"""Judges, their runs (split into batches) and the predictions they store."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotator.models import Item, Project


class JudgeKind(models.TextChoices):
    REWARD_MODEL = "reward_model", "Reward model"
    LOCAL_LLM = "local_llm", "Local LLM judge"
    API = "api", "API judge"


class Judge(models.Model):
    """A model that answers some of a project's questions; ``config`` is validated per kind."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="judges")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=JudgeKind.choices)
    config = models.JSONField(default=dict)
    # Ids of the project questions this judge answers.
    questions = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="judge_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED = (RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED)


class JudgeRun(models.Model):
    """One pass of a judge over a set of items, executed as batches on the ``gpu`` queue."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="runs")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    # {"kind": "all" | "unlabeled" | "filter", "filter": {...}} as requested.
    scope = models.JSONField(default=dict)
    # The judge's configuration and questions when the run started (the judge may change).
    config = models.JSONField(default=dict)
    questions = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total_items = models.PositiveIntegerField(default=0)
    done_items = models.PositiveIntegerField(default=0)
    failed_items = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status"], name="judgerun_status")]

    def __str__(self) -> str:
        return f"run {self.pk} of judge {self.judge_id} ({self.status})"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class JudgeBatch(models.Model):
    """A slice of a run's items: the unit of work of one task.

    A running batch holds a lease that its worker renews as it goes; a batch whose lease ran
    out (its worker died) is handed out again, and the predictions already stored for it are
    not recomputed.
    """

    run = models.ForeignKey(JudgeRun, on_delete=models.CASCADE, related_name="batches")
    index = models.PositiveIntegerField()
    item_ids = models.JSONField()
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True, default="")
    done_items = models.PositiveIntegerField(default=0)
    failed_items = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="judgebatch_unique_index"),
        ]
        indexes = [
            models.Index(fields=["status", "lease_until"], name="judgebatch_lease"),
        ]

    def __str__(self) -> str:
        return f"batch {self.index} of run {self.run_id} ({self.status})"


class Prediction(models.Model):
    """A judge's answer to one question of one item, in the same canonical form as a person's.

    Exactly one per (run, item, question): results are written as upserts on that key, so a
    batch that runs twice changes nothing. ``value`` is empty and ``error`` says why when the
    item could not be judged.
    """

    run = models.ForeignKey(JudgeRun, on_delete=models.CASCADE, related_name="predictions")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="predictions")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="predictions")
    question_id = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)
    # Probability of the predicted answer (pairwise: of the winner; levels: of the chosen level).
    probability = models.FloatField(null=True, blank=True)
    # Distributions, rewards, expected scores, position-swap statistics.
    details = models.JSONField(default=dict, blank=True)
    # Pairwise, when judged in both orders: total variation distance between the two verdicts.
    swap_inconsistency = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "item", "question_id"], name="prediction_unique_key"
            ),
            models.CheckConstraint(
                condition=models.Q(probability__isnull=True)
                | models.Q(probability__gte=0, probability__lte=1),
                name="prediction_probability_range",
            ),
        ]
        indexes = [
            models.Index(fields=["judge", "item"], name="prediction_judge_item"),
            models.Index(fields=["project", "question_id"], name="prediction_question"),
        ]

    def __str__(self) -> str:
        return f"prediction {self.pk} ({self.question_id})"
