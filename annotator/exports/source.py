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
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

import orjson
from django.conf import settings
from django.db import connections
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


@dataclass(slots=True)
class CandidateRecord:
    key: str
    text: str
    model: str
    meta: dict[str, Any]
    position: int


@dataclass(slots=True)
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
    # Candidate key -> its place in the source order.
    positions: dict[str, int] = field(default_factory=dict)
    annotations: list[AnnotationRecord] = field(default_factory=list)
    # raw only: every annotation with its history and reviews, and every prediction.
    raw_annotations: list[dict[str, Any]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)


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
    # The one question an aggregated format reads: only its answers are fetched.
    question: str | None = None
    model_labels: bool = False  # a judge's answer stands in where no person answered
    judges: tuple[int, ...] = ()
    with_rubric: bool = False  # item criteria (the rubric format)


def items_read(project: Project, options: ReadOptions) -> QuerySet[Item]:
    """The items an export reads."""
    items = Item.objects.filter(project=project)
    if options.exclude_gold:
        items = items.filter(gold__isnull=True)
    return items


def _tuples(queryset: QuerySet[Any, Any], json_columns: Sequence[int]) -> list[Sequence[Any]]:
    """The rows of a ``values_list`` query, its JSON columns decoded here.

    Reading through a plain cursor skips Django's per-value conversion, which costs more than the
    query itself on a large export; JSON columns are decoded a column at a time with orjson.
    JSON comes back as text on both back ends. A JSON path that SQLite returns as a bare string
    is kept as it is, as ``JSONField`` does.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[Sequence[Any]] = cursor.fetchall()
    if not rows or not json_columns:
        return rows
    columns = [list(column) for column in zip(*rows, strict=True)]
    for index in json_columns:
        try:
            columns[index] = [orjson.loads(v) if v is not None else None for v in columns[index]]
        except orjson.JSONDecodeError:
            columns[index] = [_json_or_text(v) for v in columns[index]]
    return list(zip(*columns, strict=True))


def _json_or_text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


class _Pseudonyms(dict[int, str]):
    """``pseudonym`` per user, computed once per export."""

    def __init__(self, project_id: int) -> None:
        super().__init__()
        self.project_id = project_id

    def __missing__(self, user_id: int) -> str:
        self[user_id] = str(pseudonym(self.project_id, user_id))
        return self[user_id]


def item_chunks(
    project: Project,
    options: ReadOptions,
    *,
    after: int = 0,
    chunk_items: int = CHUNK_ITEMS,
    progress: Callable[[int], None] | None = None,
    read_ahead: bool = False,
) -> Iterator[list[ItemRecord]]:
    """The project's items with id above ``after``, in id order, ``chunk_items`` at a time.

    ``read_ahead`` reads the next chunk on a thread of its own (its own database connection)
    while the caller works on this one, so waiting on the database overlaps the work. It applies
    only outside a transaction: another connection would not see uncommitted rows.
    """
    chunks = _chunks(project, options, after, chunk_items)
    if read_ahead and not connections[Item.objects.db].in_atomic_block:
        chunks = _read_ahead(chunks)
    for chunk in chunks:
        yield chunk
        if progress is not None:
            progress(len(chunk))


_DONE = object()


def _read_ahead(chunks: Iterator[list[ItemRecord]]) -> Iterator[list[ItemRecord]]:
    """``chunks``, produced on another thread at most two chunks ahead of the consumer."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def offer(found: Any) -> bool:
        """Queue ``found`` unless the consumer has gone; whether it was queued."""
        while not stop.is_set():
            try:
                ready.put(found, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            offer(exc)
        finally:
            connections.close_all()  # this thread's own connections

    producer = threading.Thread(target=produce, name="moot-export-read", daemon=True)
    producer.start()
    try:
        while (found := ready.get()) is not _DONE:
            if isinstance(found, BaseException):
                raise found
            yield found
    finally:
        stop.set()
        producer.join()


def _chunks(
    project: Project, options: ReadOptions, after: int, chunk_items: int
) -> Iterator[list[ItemRecord]]:
    items = items_read(project, options)
    provider = model_labels() if (options.model_labels or options.raw) else None
    judges: Sequence[int] = options.judges
    if provider is not None and not judges:
        judges = provider.judge_ids(project_id=project.pk)
    names = _Pseudonyms(project.pk)
    # Aggregated formats need neither metadata nor gold answers; raw needs everything.
    fields = ["pk", "external_id", "prompt"]
    if options.raw or options.with_rubric:
        fields.append("rubric")
    if options.raw:
        fields += ["meta", "gold"]
    last = after
    while True:
        page = items.filter(pk__gt=last).order_by("pk").values_list(*fields)[:chunk_items]
        rows = _tuples(page, range(2, len(fields)))
        if not rows:
            return
        last = rows[-1][0]
        chunk: dict[int, ItemRecord] = {}
        for row in rows:
            found = dict(zip(fields, row, strict=True))
            chunk[row[0]] = ItemRecord(
                row[0],
                row[1],
                row[2],
                found.get("meta") or {},
                found.get("rubric") or [],
                found.get("gold"),
            )
        ids = list(chunk)
        _candidates(chunk, ids[0], ids[-1], with_meta=options.raw)
        if options.raw:
            _raw_annotations(chunk, ids, names)
            if provider is not None:
                for item_id, predictions in provider.predictions(
                    project_id=project.pk, item_ids=ids
                ).items():
                    chunk[item_id].predictions = predictions
        elif options.question is not None:
            _annotations(chunk, ids[0], ids[-1], options, names)
            if provider is not None and options.model_labels and judges:
                _stand_ins(project, chunk, options.question, judges, provider)
        yield list(chunk.values())


def _stand_ins(
    project: Project,
    chunk: dict[int, ItemRecord],
    question: str,
    judges: Sequence[int],
    provider: ModelLabels,
) -> None:
    """Judges' answers for the items of the chunk that no person answered."""
    unlabelled = [pk for pk, record in chunk.items() if not record.annotations]
    if not unlabelled:
        return
    found = provider.labels(
        project_id=project.pk, item_ids=unlabelled, question=question, judges=judges
    )
    for item_id, label in found.items():
        # A judge saw every candidate (in both orders when it swaps them).
        keys = [c.key for c in chunk[item_id].candidates]
        chunk[item_id].annotations.append(replace(label, display_order=keys))


# A chunk's items are consecutive in id order, so their rows are read by an id range (cheaper to
# build and to plan than a list of 500 ids); rows of items outside the chunk (another project's,
# or gold items left out) are skipped.


def _candidates(chunk: dict[int, ItemRecord], first: int, last: int, *, with_meta: bool) -> None:
    fields = ["item_id", "key", "text", "model_name", "position"]
    if with_meta:
        fields.append("meta")
    query = Candidate.objects.filter(item_id__gte=first, item_id__lte=last)
    for row in _tuples(query.order_by("item_id", "position").values_list(*fields), [5] * with_meta):
        item = chunk.get(row[0])
        if item is not None:
            meta = row[5] if with_meta else {}
            item.candidates.append(CandidateRecord(row[1], row[2], row[3], meta, row[4]))
            item.positions[row[1]] = row[4]


def _annotations(
    chunk: dict[int, ItemRecord],
    first: int,
    last: int,
    options: ReadOptions,
    names: _Pseudonyms,
) -> None:
    """The counted answers to the export's question (only that question's part is read)."""
    question = str(options.question)
    query = (
        Annotation.objects.filter(
            counted_annotations(reviewed_only=options.reviewed_only),
            project_id=names.project_id,
            item_id__gte=first,
            item_id__lte=last,
        )
        .order_by("item_id", "pk")
        .values_list("item_id", "annotator_id", f"answers__{question}", "display_order")
    )
    for item_id, user_id, answer, display_order in _tuples(query, [2, 3]):
        item = chunk.get(item_id)
        if item is not None and answer is not None:
            item.annotations.append(
                AnnotationRecord(names[user_id], {question: answer}, display_order)
            )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _raw_annotations(chunk: dict[int, ItemRecord], ids: list[int], names: _Pseudonyms) -> None:
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
                "edited_by": None if edited_by is None else names[edited_by],
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
                "reviewer": None if reviewer is None else names[reviewer],
                "decision": decision,
                "comment": comment,
                "created_at": _iso(created_at),
            }
        )
    for row in found:
        values = dict(zip(fields, row, strict=True))
        annotation_id, item_id = values.pop("pk"), values.pop("item_id")
        values["annotator"] = names[values.pop("annotator_id")]
        values["created_at"] = _iso(values["created_at"])
        values["updated_at"] = _iso(values["updated_at"])
        values["history"] = history.get(annotation_id, [])
        values["reviews"] = reviews.get(annotation_id, [])
        chunk[item_id].raw_annotations.append(values)
