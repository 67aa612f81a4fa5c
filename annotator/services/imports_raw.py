"""Writing the annotations of a ``raw`` import: their users, versions, reviews and counts.

``annotator.services.imports`` calls ``RawAnnotations`` once per batch, inside the import's
transaction: ``check`` before anything is written (answers against the project's questions,
annotators who are members), ``write`` after the batch's items are. Annotators, editors and
reviewers are users named as in the file, created unable to log in and never made members, like
the reference annotator: a member's name is an error, since imported work would then mix with
what that person labels here. An annotation by the same person on the same item already in the
project is left as it is, so importing a file again writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now

from annotator.importers.base import ParsedItem, RawAnnotation, RawVersion, RowError, RowInvalid
from annotator.importers.raw import check_answers
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Item,
    Membership,
    Project,
    Review,
    ReviewStatus,
)

# Annotations that count toward an item's overlap (see services.annotations).
COUNTED = Q(status=AnnotationStatus.SUBMITTED, is_gold=False, is_reference=False) & ~Q(
    review_status=ReviewStatus.REJECTED
)
_UPDATE_BATCH = 1000


def _names(parsed: ParsedItem) -> Iterator[tuple[str, str]]:
    """(field, username) for every user a row names."""
    for index, annotation in enumerate(parsed.annotations):
        where = f"annotations[{index}]"
        yield f"{where}.annotator", annotation.annotator
        for number, version in enumerate(annotation.history):
            if version.edited_by is not None:
                yield f"{where}.history[{number}].edited_by", version.edited_by
        for number, review in enumerate(annotation.reviews):
            if review.reviewer is not None:
                yield f"{where}.reviews[{number}].reviewer", review.reviewer


def _versions(annotation: RawAnnotation, answers: dict[str, object]) -> Sequence[RawVersion]:
    """The history; without one, the current answers as the only version."""
    if annotation.history:
        return annotation.history
    return (
        RawVersion(
            version=annotation.version,
            answers=answers,
            time_spent_ms=annotation.time_spent_ms,
            edited_by=annotation.annotator,
            created_at=annotation.updated_at or annotation.created_at,
        ),
    )


@dataclass
class RawAnnotations:
    """The annotation side of one ``raw`` import; ``written`` counts annotations created."""

    project: Project
    # Username → user id, None while the user does not exist yet. Holds only the names seen.
    user_ids: dict[str, int | None] = field(default_factory=dict)
    members: set[str] = field(default_factory=set)
    written: int = 0

    def check(self, batch: list[ParsedItem]) -> tuple[list[ParsedItem], list[RowError]]:
        """The batch with answers cleaned, and the errors of rows whose annotations are wrong."""
        if not any(parsed.annotations for parsed in batch):
            return batch, []
        self._look_up({name for parsed in batch for _, name in _names(parsed)})
        checked: list[ParsedItem] = []
        errors: list[RowError] = []
        for parsed in batch:
            cleaned = parsed
            try:
                cleaned = check_answers(parsed, self.project.questions)
                self._no_members(parsed)
            except RowInvalid as exc:
                errors.append(RowError(parsed.line, exc.field, exc.message, parsed.file))
            checked.append(cleaned)
        return checked, errors

    def _look_up(self, names: set[str]) -> None:
        new = names - self.user_ids.keys()
        if not new:
            return
        users = get_user_model()
        found = dict(users.objects.filter(username__in=new).values_list("username", "pk"))
        self.user_ids.update({name: found.get(name) for name in new})
        self.members.update(
            Membership.objects.filter(project=self.project, user__username__in=new).values_list(
                "user__username", flat=True
            )
        )

    def _no_members(self, parsed: ParsedItem) -> None:
        for where, name in _names(parsed):
            if name in self.members:
                raise RowInvalid(
                    where,
                    f"{name!r} is a member of this project; imported annotations must belong "
                    "to users who are not",
                )

    def _create_users(self) -> None:
        missing = [name for name, pk in self.user_ids.items() if pk is None]
        if not missing:
            return
        users = get_user_model()
        rows = []
        for name in missing:
            user = users(username=name)
            user.set_unusable_password()
            rows.append(user)
        users.objects.bulk_create(rows, ignore_conflicts=True)
        self.user_ids.update(
            users.objects.filter(username__in=missing).values_list("username", "pk")
        )

    def write(
        self,
        fresh: list[tuple[ParsedItem, Item]],
        existing: list[tuple[ParsedItem, Item]],
    ) -> None:
        """Annotations of the batch's items: ``fresh`` ones were created by this batch (so hold
        none yet), ``existing`` ones were in the project and may hold some already."""
        todo = [(parsed, item) for parsed, item in [*fresh, *existing] if parsed.annotations]
        if not todo:
            return
        self._create_users()
        ids = {name: pk for name, pk in self.user_ids.items() if pk is not None}
        present = set(
            Annotation.objects.filter(
                item__in=[item for parsed, item in existing if parsed.annotations],
                annotator_id__in=ids.values(),
            ).values_list("item_id", "annotator_id")
        )
        pairs = [
            (annotation, self._annotation(annotation, item, ids[annotation.annotator]))
            for parsed, item in todo
            for annotation in parsed.annotations
            if (item.pk, ids[annotation.annotator]) not in present
        ]
        if not pairs:
            return
        rows = Annotation.objects.bulk_create([row for _, row in pairs], batch_size=_UPDATE_BATCH)
        # created_at and updated_at are auto fields, set to now by bulk_create; bulk_update
        # writes the values given instead (it does not call the fields' pre_save).
        stamped = []
        for annotation, row in pairs:
            if annotation.created_at is not None or annotation.updated_at is not None:
                row.created_at = annotation.created_at or row.created_at
                row.updated_at = annotation.updated_at or annotation.created_at or row.updated_at
                stamped.append(row)
        Annotation.objects.bulk_update(stamped, ["created_at", "updated_at"], _UPDATE_BATCH)
        self._history(pairs, ids)
        self._reviews(pairs, ids)
        self._recount({row.item_id for row in rows})
        self.written += len(rows)

    def _annotation(self, annotation: RawAnnotation, item: Item, annotator_id: int) -> Annotation:
        # Ids rather than objects: skips the related-object descriptors, which are slow.
        return Annotation(
            project_id=self.project.pk,
            item_id=item.pk,
            annotator_id=annotator_id,
            assignment=None,
            status=annotation.status,
            answers=annotation.answers,
            display_order=annotation.display_order,
            time_spent_ms=annotation.time_spent_ms,
            version=annotation.version,
            review_status=annotation.review_status,
            is_gold=annotation.is_gold,
            is_reference=annotation.is_reference,
        )

    def _history(self, pairs: list[tuple[RawAnnotation, Annotation]], ids: dict[str, int]) -> None:
        rows: list[AnnotationVersion] = []
        times: list[datetime | None] = []
        for annotation, row in pairs:
            for version in _versions(annotation, row.answers):
                rows.append(
                    AnnotationVersion(
                        annotation_id=row.pk,
                        version=version.version,
                        answers=version.answers,
                        time_spent_ms=version.time_spent_ms,
                        edited_by_id=ids[version.edited_by] if version.edited_by else None,
                    )
                )
                times.append(version.created_at)
        AnnotationVersion.objects.bulk_create(rows, batch_size=_UPDATE_BATCH)
        _stamp(AnnotationVersion, rows, times)

    def _reviews(self, pairs: list[tuple[RawAnnotation, Annotation]], ids: dict[str, int]) -> None:
        rows: list[Review] = []
        times: list[datetime | None] = []
        for annotation, row in pairs:
            for review in annotation.reviews:
                rows.append(
                    Review(
                        annotation_id=row.pk,
                        reviewer_id=ids[review.reviewer] if review.reviewer else None,
                        decision=review.decision,
                        comment=review.comment,
                    )
                )
                times.append(review.created_at)
        Review.objects.bulk_create(rows, batch_size=_UPDATE_BATCH)
        _stamp(Review, rows, times)

    def _recount(self, item_ids: set[int]) -> None:
        """Recount the items' counted annotations and whether they are done, from the table."""
        counted = (
            Annotation.objects.filter(COUNTED, item_id=OuterRef("pk"))
            .order_by()
            .values("item_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        items = Item.objects.filter(pk__in=item_ids)
        items.update(annotation_count=Coalesce(Subquery(counted), 0), updated_at=Now())
        # A second statement: the first one's SET cannot read the count it writes.
        items.update(
            done=ExpressionWrapper(
                Q(annotation_count__gte=self.project.overlap + F("extra_overlap")),
                output_field=BooleanField(),
            )
        )


def _stamp(
    model: type[AnnotationVersion] | type[Review],
    rows: Sequence[AnnotationVersion | Review],
    times: Sequence[datetime | None],
) -> None:
    """Give created rows the ``created_at`` the file holds (bulk_create set it to now)."""
    stamped = []
    for row, moment in zip(rows, times, strict=True):
        if moment is not None:
            row.created_at = moment
            stamped.append(row)
    model.objects.bulk_update(stamped, ["created_at"], _UPDATE_BATCH)  # type: ignore[arg-type]
