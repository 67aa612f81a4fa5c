"""`next`, submit and skip: overlap honoured exactly, nothing lost, retries harmless."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from annotator.answers import AnswersInvalid
from annotator.models import Annotation, AnnotationVersion, Assignment, AssignmentStatus, Item, Role
from annotator.services.distribution import (
    AssignmentConflict,
    assignment_next,
    assignment_skip,
    assignment_submit,
)
from annotator.services.projects import project_update
from tests.annotator.labeling import project_with_items
from tests.factories import member

pytestmark = pytest.mark.django_db


def answer(assignment: Assignment) -> dict[str, object]:
    return {"pref": {"winner": assignment.display_order[0]}}


def test_each_item_gets_exactly_overlap_annotations_from_different_people() -> None:
    project = project_with_items(5, overlap=2)
    people = [member(project, Role.ANNOTATOR) for _ in range(3)]

    for _ in range(10):
        for person in people:
            assignment = assignment_next(project=project, user=person)
            if assignment is not None:
                assignment_submit(
                    assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=5
                )

    for item in Item.objects.filter(project=project):
        annotators = list(Annotation.objects.filter(item=item).values_list("annotator", flat=True))
        assert len(annotators) == 2
        assert len(set(annotators)) == 2
        assert item.done
    assert all(assignment_next(project=project, user=p) is None for p in people)


def test_a_held_assignment_is_handed_back_until_it_expires() -> None:
    project = project_with_items(3, lock_timeout_s=60)
    person = member(project, Role.ANNOTATOR)

    first = assignment_next(project=project, user=person)
    again = assignment_next(project=project, user=person)
    assert first is not None
    assert again is not None
    assert again.pk == first.pk

    Assignment.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    later = assignment_next(project=project, user=person)
    assert later is not None
    assert later.pk != first.pk


def test_an_expired_assignment_returns_its_slot_to_the_pool() -> None:
    project = project_with_items(1, overlap=1)
    slow, fast = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    held = assignment_next(project=project, user=slow)
    assert held is not None
    assert assignment_next(project=project, user=fast) is None  # the only slot is taken

    Assignment.objects.filter(pk=held.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    taken = assignment_next(project=project, user=fast)
    assert taken is not None
    assignment_submit(assignment=taken, user=fast, answers=answer(taken), time_spent_ms=1)

    # The slow annotator's late answer would exceed overlap: refused, and said so.
    with pytest.raises(AssignmentConflict, match="expired"):
        assignment_submit(assignment=held, user=slow, answers=answer(held), time_spent_ms=1)
    assert Annotation.objects.count() == 1


def test_a_late_submit_is_kept_when_the_slot_is_still_free() -> None:
    project = project_with_items(1, overlap=1)
    person = member(project, Role.ANNOTATOR)
    held = assignment_next(project=project, user=person)
    assert held is not None
    Assignment.objects.filter(pk=held.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    result = assignment_submit(assignment=held, user=person, answers=answer(held), time_spent_ms=1)

    assert result.created
    assert Item.objects.get().done


def test_a_retried_submit_returns_the_first_annotation() -> None:
    project = project_with_items(2)
    person = member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=person)
    assert assignment is not None

    first = assignment_submit(
        assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=10
    )
    retry = assignment_submit(
        assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=10
    )

    assert first.created
    assert not retry.created
    assert retry.annotation.pk == first.annotation.pk
    assert Annotation.objects.count() == 1
    assert AnnotationVersion.objects.count() == 1
    assert Item.objects.get(pk=assignment.item_id).annotation_count == 1


def test_invalid_answers_write_nothing() -> None:
    project = project_with_items(1)
    person = member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=person)
    assert assignment is not None

    with pytest.raises(AnswersInvalid):
        assignment_submit(
            assignment=assignment, user=person, answers={"pref": {"winner": "z"}}, time_spent_ms=1
        )

    assert Annotation.objects.count() == 0
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_answers_are_stored_in_canonical_ids_with_the_order_shown() -> None:
    project = project_with_items(1)
    person = member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=person, rng=random.Random(3))
    assert assignment is not None
    right = assignment.display_order[1]

    annotation = assignment_submit(
        assignment=assignment, user=person, answers={"pref": {"winner": right}}, time_spent_ms=1
    ).annotation

    assert annotation.answers == {"pref": {"winner": right}}
    assert annotation.display_order == assignment.display_order
    assert sorted(annotation.display_order) == ["a", "b"]


def test_display_order_is_randomised_per_assignment() -> None:
    project = project_with_items(40)
    person = member(project, Role.ANNOTATOR)
    orders = set()
    for _ in range(40):
        assignment = assignment_next(project=project, user=person)
        assert assignment is not None
        orders.add(tuple(assignment.display_order))
        assignment_skip(assignment=assignment, user=person)

    assert orders == {("a", "b"), ("b", "a")}


def test_skipped_items_are_not_offered_again_and_do_not_count() -> None:
    project = project_with_items(1)
    person, other = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=person)
    assert assignment is not None

    assignment_skip(assignment=assignment, user=person)
    assignment_skip(assignment=assignment, user=person)  # a retry is harmless

    assert assignment_next(project=project, user=person) is None
    assert assignment_next(project=project, user=other) is not None
    assert Item.objects.get().annotation_count == 0
    with pytest.raises(AssignmentConflict):
        assignment_submit(
            assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=1
        )


@pytest.mark.parametrize(
    ("order", "expected"),
    [("sequential", [0, 1, 2]), ("priority", [2, 0, 1])],
)
def test_assignment_order(order: str, expected: list[int]) -> None:
    project = project_with_items(3, assignment=order)
    Item.objects.filter(external_id="item-00002").update(priority=5)
    person = member(project, Role.ANNOTATOR)

    seen = []
    for _ in range(3):
        assignment = assignment_next(project=project, user=person)
        assert assignment is not None
        seen.append(int(assignment.item.external_id.split("-")[1]))
        assignment_skip(assignment=assignment, user=person)

    assert seen == expected


def test_random_order_follows_each_items_fixed_shuffle_rank() -> None:
    project = project_with_items(20, assignment="random")
    person = member(project, Role.ANNOTATOR)
    expected = list(
        Item.objects.filter(project=project).order_by("shuffle", "id").values_list("pk", flat=True)
    )

    seen = []
    for _ in range(20):
        assignment = assignment_next(project=project, user=person)
        assert assignment is not None
        seen.append(assignment.item_id)
        assignment_skip(assignment=assignment, user=person)

    assert seen == expected
    assert seen != sorted(seen)


def test_pairs_cover_every_pair_when_items_have_three_candidates() -> None:
    project = project_with_items(1, overlap=6, candidates=3)
    pairs = []
    for _ in range(6):
        person = member(project, Role.ANNOTATOR)
        assignment = assignment_next(project=project, user=person)
        assert assignment is not None
        assert len(assignment.display_order) == 2
        pairs.append(frozenset(assignment.display_order))
        assignment_submit(
            assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=1
        )

    assert sorted(map(sorted, set(pairs))) == [["a", "b"], ["a", "c"], ["b", "c"]]
    assert all(pairs.count(p) == 2 for p in set(pairs))


def test_gold_items_are_mixed_in_and_do_not_count_toward_overlap() -> None:
    project = project_with_items(4, gold_rate=1.0)
    Item.objects.filter(external_id="item-00000").update(gold={"pref": {"winner": "a"}})
    person = member(project, Role.ANNOTATOR)

    first = assignment_next(project=project, user=person)
    assert first is not None
    assert first.is_gold
    assignment_submit(
        assignment=first, user=person, answers={"pref": {"winner": "a"}}, time_spent_ms=1
    )

    gold_item = Item.objects.get(external_id="item-00000")
    assert gold_item.annotation_count == 0
    served = []
    while (assignment := assignment_next(project=project, user=person)) is not None:
        served.append(assignment.item.external_id)
        assignment_skip(assignment=assignment, user=person)
    assert served == ["item-00001", "item-00002", "item-00003"]


def test_raising_overlap_reopens_done_items() -> None:
    project = project_with_items(1, overlap=1)
    person = member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=person)
    assert assignment is not None
    assignment_submit(
        assignment=assignment, user=person, answers=answer(assignment), time_spent_ms=1
    )
    assert Item.objects.get().done

    project_update(project=project, changes={"overlap": 2})

    assert not Item.objects.get().done
    assert assignment_next(project=project, user=member(project, Role.ANNOTATOR)) is not None


def test_fetching_ahead_holds_one_more_item_and_a_reload_resumes_in_order() -> None:
    project = project_with_items(5)
    person = member(project, Role.ANNOTATOR)

    current = assignment_next(project=project, user=person)
    assert current is not None
    ahead = assignment_next(project=project, user=person, after=current.pk)
    assert ahead is not None
    assert ahead.item_id != current.item_id
    assert assignment_next(project=project, user=person, after=current.pk) == ahead
    assert assignment_next(project=project, user=person) == current  # a reload

    assignment_submit(assignment=current, user=person, answers=answer(current), time_spent_ms=1)

    assert assignment_next(project=project, user=person) == ahead
    following = assignment_next(project=project, user=person, after=ahead.pk)
    assert following is not None
    assert following.item_id not in {current.item_id, ahead.item_id}


def test_fetching_ahead_never_exceeds_overlap() -> None:
    project = project_with_items(1, overlap=1)
    person = member(project, Role.ANNOTATOR)
    current = assignment_next(project=project, user=person)
    assert current is not None

    assert assignment_next(project=project, user=person, after=current.pk) is None
    assert assignment_next(project=project, user=member(project, Role.ANNOTATOR)) is None
