"""Reading a project for export: items in id order, a chunk at a time, never all at once.

Each chunk is a few queries (items, their candidates, their counted annotations, and for the
``raw`` format every version, review and prediction), read as plain tuples rather than model
instances. Memory holds one chunk, whatever the size of the project.

Model predictions belong to ``judges``, which the core never imports: that app registers a
``ModelLabels`` provider here from its ``AppConfig.ready``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q, QuerySet

from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Candidate,
    Item,
    Project,
    Review,
    ReviewStatus,
)

CHUNK_ITEMS = 500


def pseudonym(project_id: int, user_id: int | None) -> str | None:
    """A stable id for a person in one project's exports that does not reveal who they are.

    Keyed by ``MOOT_EXPORT_PSEUDONYM_KEY`` (the secret key by default): the same person gets
    the same id in every export of a project, and different ids in different projects.
    """
    if user_id is None:
        return None
    key = (settings.MOOT_EXPORT_PSEUDONYM_KEY or settings.SECRET_KEY).encode()
    digest = hmac.new(key, f"{project_id}:{user_id}".encode(), hashlib.sha256).hexdigest()
    return f"ann-{digest[:12]}"


@dataclass(frozen=True)
class CandidateRecord:
    key: str
    text: str
    model: str
    meta: dict[str, Any]
    position: int


@dataclass(frozen=True)
class AnnotationRecord:
    """One counted answer set; ``source`` is ``human``, or ``model`` for a stand-in prediction."""

    annotator: str
    answers: dict[str, Any]
    display_order: list[str]
    source: str = "human"
    judge: dict[str, Any] | None = None
    probability: float | None = None


@dataclass
class ItemRecord:
    id: int
    external_id: str
    prompt: str | list[dict[str, str]]
    meta: dict[str, Any]
    rubric: list[dict[str, Any]]
    gold: Any
    candidates: list[CandidateRecord] = field(default_factory=list)
    annotations: list[AnnotationRecord] = field(default_factory=list)
    # raw only: every annotation with its history and reviews, and every prediction.
    raw_annotations: list[dict[str, Any]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)

    def candidate(self, key: str) -> CandidateRecord | None:
        return next((c for c in self.candidates if c.key == key), None)


class ModelLabels(Protocol):
    """What ``judges`` provides: stand-in labels and, for ``raw``, every prediction."""

    def labels(
        self, *, project_id: int, item_ids: Sequence[int], question: str, judges: Sequence[int]
    ) -> dict[int, AnnotationRecord]:
        """For each item that has one, the preferred judge's latest answer to ``question``."""
        ...

    def predictions(self, *, project_id: int, item_ids: Sequence[int]) -> dict[int, list[Any]]:
        """Every prediction of the items, as JSON objects, oldest first."""
        ...

    def judge_ids(self, *, project_id: int) -> list[int]:
        """The project's judges, oldest first."""
        ...


_providers: list[ModelLabels] = []


def model_labels_register(provider: ModelLabels) -> None:
    """Install the provider of model labels (``judges`` calls this once, at start-up)."""
    _providers[:] = [provider]


def model_labels() -> ModelLabels | None:
    return _providers[0] if _providers else None


def counted_annotations(*, reviewed_only: bool) -> Q:
    """Annotations that carry labels: submitted, not rejected (or only accepted ones)."""
    condition = Q(status=AnnotationStatus.SUBMITTED)
    if reviewed_only:
        return condition & Q(review_status=ReviewStatus.ACCEPTED)
    return condition & ~Q(review_status=ReviewStatus.REJECTED)


def has_chat_items(project: Project) -> bool:
    """Whether any item's prompt is a chat (then every row is conversational)."""
    return Item.objects.filter(project=project, prompt__0__role__isnull=False).exists()


@dataclass(frozen=True)
class ReadOptions:
    exclude_gold: bool = False
    reviewed_only: bool = False
    raw: bool = False
    model_labels_for: str | None = None  # a question id: stand-in labels where no human answered
    judges: tuple[int, ...] = ()


def items_read(project: Project, options: ReadOptions) -> QuerySet[Item]:
    """The items an export reads."""
    items = Item.objects.filter(project=project)
    if options.exclude_gold:
        items = items.filter(gold__isnull=True)
    return items


def item_chunks(
    project: Project,
    options: ReadOptions,
    *,
    after: int = 0,
    chunk_items: int = CHUNK_ITEMS,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[ItemRecord]]:
    """The project's items with id above ``after``, in id order, ``chunk_items`` at a time."""
    items = items_read(project, options)
    provider = model_labels() if (options.model_labels_for or options.raw) else None
    judges: Sequence[int] = options.judges
    if provider is not None and not judges:
        judges = provider.judge_ids(project_id=project.pk)
    last = after
    while True:
        rows = list(
            items.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "external_id", "prompt", "meta", "rubric", "gold")[:chunk_items]
        )
        if not rows:
            return
        last = rows[-1][0]
        chunk = {
            pk: ItemRecord(pk, external_id, prompt, meta, rubric, gold)
            for pk, external_id, prompt, meta, rubric, gold in rows
        }
        ids = list(chunk)
        _candidates(chunk, ids)
        if options.raw:
            _raw_annotations(project.pk, chunk, ids)
            if provider is not None:
                for item_id, found in provider.predictions(
                    project_id=project.pk, item_ids=ids
                ).items():
                    chunk[item_id].predictions = found
        else:
            _annotations(project.pk, chunk, ids, reviewed_only=options.reviewed_only)
            if provider is not None and options.model_labels_for and judges:
                unlabelled = [
                    pk
                    for pk, record in chunk.items()
                    if not any(options.model_labels_for in a.answers for a in record.annotations)
                ]
                if unlabelled:
                    found_labels = provider.labels(
                        project_id=project.pk,
                        item_ids=unlabelled,
                        question=options.model_labels_for,
                        judges=judges,
                    )
                    for item_id, label in found_labels.items():
                        # A judge saw every candidate (in both orders when it swaps them).
                        keys = [c.key for c in chunk[item_id].candidates]
                        chunk[item_id].annotations.append(replace(label, display_order=keys))
        yield list(chunk.values())
        if progress is not None:
            progress(len(rows))


def _candidates(chunk: dict[int, ItemRecord], ids: list[int]) -> None:
    for item_id, key, text, model, meta, position in (
        Candidate.objects.filter(item_id__in=ids)
        .order_by("item_id", "position")
        .values_list("item_id", "key", "text", "model_name", "meta", "position")
    ):
        chunk[item_id].candidates.append(CandidateRecord(key, text, model, meta, position))


def _annotations(
    project_id: int, chunk: dict[int, ItemRecord], ids: list[int], *, reviewed_only: bool
) -> None:
    for item_id, user_id, answers, display_order in (
        Annotation.objects.filter(counted_annotations(reviewed_only=reviewed_only), item_id__in=ids)
        .order_by("item_id", "pk")
        .values_list("item_id", "annotator_id", "answers", "display_order")
    ):
        chunk[item_id].annotations.append(
            AnnotationRecord(str(pseudonym(project_id, user_id)), answers, display_order)
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _raw_annotations(project_id: int, chunk: dict[int, ItemRecord], ids: list[int]) -> None:
    """Every annotation of the items (skips and rejected ones too) with history and reviews."""
    fields = (
        "pk",
        "item_id",
        "annotator_id",
        "status",
        "answers",
        "display_order",
        "time_spent_ms",
        "version",
        "review_status",
        "is_gold",
        "is_reference",
        "created_at",
        "updated_at",
    )
    found = list(
        Annotation.objects.filter(item_id__in=ids).order_by("item_id", "pk").values_list(*fields)
    )
    annotation_ids = [row[0] for row in found]
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for annotation_id, version, answers, spent, edited_by, created_at in (
        AnnotationVersion.objects.filter(annotation_id__in=annotation_ids)
        .order_by("annotation_id", "version")
        .values_list(
            "annotation_id", "version", "answers", "time_spent_ms", "edited_by_id", "created_at"
        )
    ):
        history[annotation_id].append(
            {
                "version": version,
                "answers": answers,
                "time_spent_ms": spent,
                "edited_by": pseudonym(project_id, edited_by),
                "created_at": _iso(created_at),
            }
        )
    reviews: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for annotation_id, reviewer, decision, comment, created_at in (
        Review.objects.filter(annotation_id__in=annotation_ids)
        .order_by("annotation_id", "pk")
        .values_list("annotation_id", "reviewer_id", "decision", "comment", "created_at")
    ):
        reviews[annotation_id].append(
            {
                "reviewer": pseudonym(project_id, reviewer),
                "decision": decision,
                "comment": comment,
                "created_at": _iso(created_at),
            }
        )
    for row in found:
        values = dict(zip(fields, row, strict=True))
        annotation_id, item_id = values.pop("pk"), values.pop("item_id")
        values["annotator"] = pseudonym(project_id, values.pop("annotator_id"))
        values["created_at"] = _iso(values["created_at"])
        values["updated_at"] = _iso(values["updated_at"])
        values["history"] = history.get(annotation_id, [])
        values["reviews"] = reviews.get(annotation_id, [])
        chunk[item_id].raw_annotations.append(values)
