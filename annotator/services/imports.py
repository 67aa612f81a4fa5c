"""Importing items from files into a project: streamed, idempotent, all or nothing.

Rows are parsed one at a time (``annotator.importers``) and written in batches of
``BATCH_SIZE`` items with ``bulk_create`` inside one transaction; the annotations a ``raw``
file carries are written with their items (``annotator.services.imports_raw``). Any bad row,
whether the file is wrong or the database disagrees (an annotated item whose content changed),
rolls the whole import back: scanning goes on to collect up to ``MAX_ERRORS`` errors, then
``ImportFailed`` is raised and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotator.importers import (
    ImportSource,
    ItemStream,
    ParsedItem,
    RowError,
    reference_answers,
)
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Assignment,
    AssignmentStatus,
    Candidate,
    Item,
    Membership,
    Project,
    ReviewStatus,
)
from annotator.services.imports_raw import RawAnnotations
from annotator.services.metrics import metrics_touch_on_commit
from annotator.signals import items_changed_on_commit, labels_changed_on_commit

BATCH_SIZE = 1000
MAX_ERRORS = 50
DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024
HAS_ANNOTATIONS = "item has annotations; its content cannot change"
ON_SCREEN = (
    "item is being labeled right now; import the change once that assignment is submitted or "
    "expires"
)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    format: str
    references: int = 0
    # Annotations written by a raw import (an annotation already there is not counted).
    annotations: int = 0


class ImportFailed(Exception):
    """Nothing was written; ``errors`` (at most ``MAX_ERRORS``) say why, by line and field."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"import failed with {len(errors)} error(s)")
        self.errors = list(errors)[:MAX_ERRORS]

    def as_list(self) -> list[dict[str, Any]]:
        return [error.as_dict() for error in self.errors]


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    references: int = 0


def _content(parsed: ParsedItem) -> dict[str, Any]:
    """What an item row and its candidates hold, as plain JSON, for storing and comparing."""
    data = parsed.item.model_dump(mode="json")
    return {
        "prompt": data["prompt"],
        "meta": data["meta"],
        "rubric": data["rubric"],
        "gold": data["gold"],
        "candidates": [(c["id"], c["text"], c["model"], c["meta"]) for c in data["candidates"]],
    }


def _stored(item: Item) -> dict[str, Any]:
    return {
        "prompt": item.prompt,
        "meta": item.meta,
        "rubric": item.rubric,
        "gold": item.gold,
        "candidates": [(c.key, c.text, c.model_name, c.meta) for c in item.candidates.all()],
    }


def _candidates(item: Item, content: dict[str, Any]) -> list[Candidate]:
    # item_id rather than item: skips the related-object descriptor, a large share of the cost.
    return [
        Candidate(
            item_id=item.pk, key=key, text=text, model_name=model, meta=meta, position=position
        )
        for position, (key, text, model, meta) in enumerate(content["candidates"])
    ]


@dataclass
class _Writer:
    """Writes one batch at a time; with ``write=False`` it only checks against the database."""

    project: Project
    reference: User | None
    raw: RawAnnotations
    # An empty project needs no look-ups: duplicates within the import are caught while
    # parsing. (Looking up rows this transaction just inserted can also be slow: the planner's
    # statistics still describe the table as it was before.)
    had_items: bool = True
    counts: _Counts = field(default_factory=_Counts)

    def flush(self, batch: list[ParsedItem], *, write: bool) -> list[RowError]:
        batch, raw_errors = self.raw.check(batch)
        existing = (
            {
                item.external_id: item
                for item in Item.objects.filter(
                    project=self.project, external_id__in=[p.item.external_id for p in batch]
                ).prefetch_related("candidates")
            }
            if self.had_items
            else {}
        )
        fresh: list[tuple[ParsedItem, dict[str, Any]]] = []
        changed: list[tuple[ParsedItem, dict[str, Any], Item]] = []
        same: list[tuple[ParsedItem, Item]] = []
        for parsed in batch:
            content = _content(parsed)
            row = existing.get(parsed.item.external_id)
            if row is None:
                fresh.append((parsed, content))
            elif _stored(row) == content:
                same.append((parsed, row))
            else:
                changed.append((parsed, content, row))
        annotated = set(
            Annotation.objects.filter(
                item__in=[row for _, _, row in changed],
                is_reference=False,
                status=AnnotationStatus.SUBMITTED,  # a skip holds no answer to protect
            ).values_list("item_id", flat=True)
        )
        # Someone may be answering the old content right now: wait until they are done.
        on_screen = set(
            Assignment.objects.filter(
                item__in=[row for _, _, row in changed],
                status=AssignmentStatus.ACTIVE,
                expires_at__gt=timezone.now(),
            ).values_list("item_id", flat=True)
        )
        errors = raw_errors + [
            RowError(parsed.line, "external_id", HAS_ANNOTATIONS, parsed.file)
            if row.pk in annotated
            else RowError(parsed.line, "external_id", ON_SCREEN, parsed.file)
            for parsed, _, row in changed
            if row.pk in annotated or row.pk in on_screen
        ]
        if errors or not write:
            return errors
        created = self._create(fresh)
        updated = self._update(changed)
        self._references([*created, *updated], [(p, row) for p, row in same])
        self.raw.write(created, [*updated, *same])
        self.counts.created += len(fresh)
        self.counts.updated += len(changed)
        self.counts.unchanged += len(same)
        return []

    def _create(
        self, fresh: list[tuple[ParsedItem, dict[str, Any]]]
    ) -> list[tuple[ParsedItem, Item]]:
        rows = Item.objects.bulk_create(
            [
                Item(
                    project_id=self.project.pk,
                    external_id=parsed.item.external_id,
                    prompt=content["prompt"],
                    meta=content["meta"],
                    rubric=content["rubric"],
                    gold=content["gold"],
                )
                for parsed, content in fresh
            ]
        )
        # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35 (RETURNING).
        Candidate.objects.bulk_create(
            [
                c
                for row, (_, content) in zip(rows, fresh, strict=True)
                for c in _candidates(row, content)
            ],
            batch_size=5000,
        )
        return [(parsed, row) for row, (parsed, _) in zip(rows, fresh, strict=True)]

    def _update(
        self, changed: list[tuple[ParsedItem, dict[str, Any], Item]]
    ) -> list[tuple[ParsedItem, Item]]:
        if not changed:
            return []
        now = timezone.now()
        rows = []
        for _, content, row in changed:
            row.prompt, row.meta = content["prompt"], content["meta"]
            row.rubric, row.gold, row.updated_at = content["rubric"], content["gold"], now
            rows.append(row)
        Item.objects.bulk_update(rows, ["prompt", "meta", "rubric", "gold", "updated_at"])
        Candidate.objects.filter(item__in=rows).delete()
        # Reference labels were given against the old content; they go with it.
        Annotation.objects.filter(item__in=rows, is_reference=True).delete()
        Candidate.objects.bulk_create(
            [c for _, content, row in changed for c in _candidates(row, content)], batch_size=5000
        )
        return [(parsed, row) for parsed, _, row in changed]

    def _references(
        self, written: list[tuple[ParsedItem, Item]], same: list[tuple[ParsedItem, Item]]
    ) -> None:
        if self.reference is None:
            return
        labelled_same = [(p, row) for p, row in same if p.labels]
        has_one = set(
            Annotation.objects.filter(
                annotator=self.reference, item__in=[row for _, row in labelled_same]
            ).values_list("item_id", flat=True)
        )
        todo = [(p, row) for p, row in written if p.labels]
        todo += [(p, row) for p, row in labelled_same if row.pk not in has_one]
        annotations: list[Annotation] = []
        for parsed, row in todo:
            keys = sorted(c.id for c in parsed.item.candidates)
            answers = reference_answers(
                questions=self.project.questions,
                labels=parsed.labels,
                candidate_keys=keys,
                item_criteria=[c.model_dump(mode="json") for c in parsed.item.rubric],
            )
            if not answers:
                continue
            annotations.append(
                Annotation(
                    project=self.project,
                    item=row,
                    annotator=self.reference,
                    status=AnnotationStatus.SUBMITTED,
                    answers=answers,
                    display_order=keys,
                    version=1,
                    review_status=ReviewStatus.ACCEPTED,
                    is_reference=True,
                )
            )
        Annotation.objects.bulk_create(annotations)
        AnnotationVersion.objects.bulk_create(
            [
                AnnotationVersion(
                    annotation=a, version=1, answers=a.answers, edited_by=self.reference
                )
                for a in annotations
            ]
        )
        self.counts.references += len(annotations)


def _reference_user(project: Project, username: str) -> User | RowError:
    """The reference annotator, created (unable to log in) if missing; never a member."""
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        return RowError(
            0, "reference_annotator", "use letters, digits and @ . + - _ only (150 at most)"
        )
    if len(username) > 150:
        return RowError(0, "reference_annotator", "at most 150 characters")
    users = get_user_model()
    user = users.objects.filter(username=username).first()
    if user is None:
        user = users.objects.create_user(username=username, password=None)
    elif Membership.objects.filter(project=project, user=user).exists():
        return RowError(
            0,
            "reference_annotator",
            f"{username!r} is a member of this project; name a reference annotator who is not",
        )
    return user


def items_import(
    *,
    project: Project,
    files: Sequence[ImportSource],
    format: str = "auto",
    mapping: object = None,
    file_type: str | None = None,
    reference_annotator: str | None = None,
) -> ImportResult:
    """Import items from ``files`` (read in order) into ``project``, all or nothing.

    ``format`` is ``auto`` or a layout name; ``mapping`` (JSON text or an object) describes a
    ``mapping`` layout. Items whose ``external_id`` is already in the project are unchanged
    when their content is the same, updated when it differs and nobody has annotated them,
    and an error otherwise. With ``reference_annotator``, labels found in the source become
    that user's accepted reference annotations (the user is created if missing, cannot log in,
    and is not made a member). A ``raw`` file's annotations are written with their items (see
    ``annotator.services.imports_raw``). Raises ``ImportFailed`` with the errors, having
    written nothing.
    """
    stream = ItemStream(
        sources=files,
        format=format,
        mapping=mapping,
        file_type=file_type,
        max_line_bytes=getattr(settings, "MOOT_IMPORT_MAX_LINE_BYTES", DEFAULT_MAX_LINE_BYTES),
    )
    if stream.setup_errors:
        raise ImportFailed(stream.setup_errors)
    with transaction.atomic():
        # One import at a time per project: a second one waits, then sees the first's items
        # (instead of failing on the unique external_id constraint).
        Project.objects.select_for_update().filter(pk=project.pk).first()
        reference: User | None = None
        if reference_annotator:
            found = _reference_user(project, reference_annotator)
            if isinstance(found, RowError):
                raise ImportFailed([found])
            reference = found
        writer = _Writer(
            project=project,
            reference=reference,
            raw=RawAnnotations(project=project),
            had_items=Item.objects.filter(project=project).exists(),
        )
        errors: list[RowError] = []
        batch: list[ParsedItem] = []
        for entry in stream:
            if isinstance(entry, RowError):
                errors.append(entry)
                if len(errors) >= MAX_ERRORS:
                    break
                continue
            batch.append(entry)
            if len(batch) >= BATCH_SIZE:
                errors += writer.flush(batch, write=not errors)
                batch = []
        if batch and len(errors) < MAX_ERRORS:
            errors += writer.flush(batch, write=not errors)
        if errors:
            raise ImportFailed(errors)  # leaving the atomic block rolls everything back
        metrics_touch_on_commit(project_id=project.pk)
        labels_changed_on_commit(project_id=project.pk)
        items_changed_on_commit(project_id=project.pk)
    counts = writer.counts
    return ImportResult(
        created=counts.created,
        updated=counts.updated,
        unchanged=counts.unchanged,
        format=stream.format,
        references=counts.references,
        annotations=writer.raw.written,
    )
