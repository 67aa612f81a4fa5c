"""Judges, their runs (split into batches) and the predictions they store."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotator.models import Item, Project


class JudgeKind(models.TextChoices):
    REWARD_MODEL = "reward_model", "Reward model"
    LOCAL_LLM = "local_llm", "Local LLM judge"
    API = "api", "API judge"
    PREFERENCE_HEAD = "preference_head", "Trained preference head"


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
    # Preference heads: the trained version whose weights this run predicts with.
    head_version = models.ForeignKey(
        "HeadVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
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


class Embedding(models.Model):
    """A frozen text embedding, computed once per (encoder, text) and shared by every project.

    ``encoder`` is a digest of everything that changes the numbers (model, revision, pooling,
    maximum length), so a reconfigured encoder never reads another's vectors. ``vector`` is
    little-endian float32.
    """

    encoder = models.CharField(max_length=64)
    text_hash = models.CharField(max_length=64)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["encoder", "text_hash"], name="embedding_unique_text"),
        ]

    def __str__(self) -> str:
        return f"embedding {self.text_hash[:12]} ({self.encoder[:12]})"


class HeadVersion(models.Model):
    """One training of a preference head: its weights and how well it did on unseen labels.

    ``model`` holds the weights fitted on every label and, for cross-fitting, one set per fold
    fitted without that fold's items (numpy ``.npz``, no pickle). The cross-validated figures
    come from those out-of-fold predictions, so they measure the head on labels it never saw.
    """

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="head_versions")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, default="manual")  # "labels" | "manual"
    encoder = models.CharField(max_length=64)
    config = models.JSONField(default=dict)
    model = models.BinaryField()
    # Human labels (annotations) and the pairs derived from them, when trained.
    labels = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    # Out-of-fold accuracy on non-tie pairs, log loss on every pair, and how many were scored.
    cv_accuracy = models.FloatField(null=True, blank=True)
    cv_log_loss = models.FloatField(null=True, blank=True)
    cv_pairs = models.PositiveIntegerField(default=0)
    embed_seconds = models.FloatField(default=0)
    fit_seconds = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["judge_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "number"], name="headversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"head {self.judge_id} v{self.number}"


class ActiveLearning(models.Model):
    """A project's active-learning settings and the state of its priority queue.

    ``strategies`` is a weighted mix (strategy name -> weight, see ``judges.acquisition``).
    The head is retrained every ``retrain_every`` new human labels (0: only on demand).
    """

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="active_learning"
    )
    head = models.ForeignKey(
        Judge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    strategies = models.JSONField(default=dict)
    retrain_every = models.PositiveIntegerField(default=50)
    # Disagreement between people: at most this many annotators beyond the project's overlap.
    extra_labels = models.PositiveSmallIntegerField(default=1)
    seed = models.IntegerField(default=0)
    # Set while a training is queued or running (cleared when it ends), so a burst of labels
    # queues one training; a claim older than MOOT_HEAD_TRAIN_LOST_AFTER_S counts as lost.
    train_queued_at = models.DateTimeField(null=True, blank=True)
    priorities_queued_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # The top of the queue after the last refresh: [{item, external_id, priority, scores}].
    queue = models.JSONField(default=list, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"active learning of project {self.project_id}"
