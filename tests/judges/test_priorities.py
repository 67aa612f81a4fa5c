"""Priorities from the strategies, on small hand-built projects, and `next` following them."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from annotator.models import Annotation, AnnotationStatus, AssignmentOrder, Item, Project, Role
from annotator.services.distribution import assignment_next, assignment_submit
from judges.active import active_learning_get, active_learning_update
from judges.embeddings import embeddings_get, encoder_key, prompt_text
from judges.models import ActiveLearning, Judge, JudgeRun, Prediction
from judges.priorities import priorities_compute
from tests.annotator.labeling import project_with_items
from tests.factories import member

pytestmark = pytest.mark.django_db

HEAD_CONFIG = {"encoder": "test-encoder", "pooling": "mean", "max_length": None}


def judge(project: Project, name: str, kind: str = "local_llm") -> Judge:
    return Judge.objects.create(
        project=project, name=name, kind=kind, config=dict(HEAD_CONFIG), questions=["pref"]
    )


def predict(judge_: Judge, item: Item, p_a: float, p_b: float, **fields: Any) -> None:
    run = JudgeRun.objects.create(judge=judge_, project=item.project, status="done")
    Prediction.objects.create(
        run=run, judge=judge_, project=item.project, item=item, question_id="pref",
        value={"winner": "a" if p_a >= p_b else "b"},
        details={"p": {"a": p_a, "b": p_b, "tie": max(0.0, 1 - p_a - p_b)}}, **fields,
    )  # fmt: skip


def setup(
    project: Project, strategies: dict[str, float], head: Judge | None = None
) -> ActiveLearning:
    changes: dict[str, Any] = {"strategies": strategies}
    if head is not None:
        changes["head"] = head
    return active_learning_update(project=project, changes=changes)


def served_order(project: Project) -> list[str]:
    """External ids in the order `next` hands them to one annotator who labels each."""
    user = member(project, Role.ANNOTATOR)
    order = []
    while (
        assignment := assignment_next(project=project, user=user, rng=random.Random(0))
    ) is not None:
        order.append(assignment.item.external_id)
        assignment_submit(
            assignment=assignment, user=user, time_spent_ms=1,
            answers={"pref": {"winner": assignment.display_order[0]}},
        )  # fmt: skip
    return order


def by_priority(project: Project) -> list[str]:
    return list(
        Item.objects.filter(project=project, done=False)
        .order_by("-priority", "id")
        .values_list("external_id", flat=True)
    )


def test_next_serves_by_the_priorities_the_head_makes(
    django_capture_on_commit_callbacks: Any,
) -> None:
    project = project_with_items(4, assignment=AssignmentOrder.ACTIVE)
    head = judge(project, "head", kind="preference_head")
    items = list(project.items.order_by("id"))
    # The head is surest about item 0 and least sure about item 2.
    for item, p_a in zip(items, [0.95, 0.7, 0.5, 0.6], strict=True):
        predict(head, item, p_a, 1 - p_a)
    active = setup(project, {"uncertainty": 1}, head=head)

    priorities_compute(active=active)

    assert by_priority(project) == ["item-00002", "item-00003", "item-00001", "item-00000"]
    assert served_order(project) == ["item-00002", "item-00003", "item-00001", "item-00000"]
    active.refresh_from_db()
    assert [row["external_id"] for row in active.queue] == [
        "item-00002", "item-00003", "item-00001", "item-00000",
    ]  # fmt: skip
    assert active.queue[0]["scores"]["uncertainty"] == pytest.approx(active.queue[0]["priority"])


def test_judge_disagreement_ranks_items_judges_split_on_first() -> None:
    project = project_with_items(3, assignment=AssignmentOrder.ACTIVE)
    first, second = judge(project, "llm"), judge(project, "rm", kind="reward_model")
    items = list(project.items.order_by("id"))
    for item, (p, q) in zip(items, [(0.9, 0.1), (0.6, 0.55), (0.8, 0.8)], strict=True):
        predict(first, item, p, 1 - p)
        predict(second, item, q, 1 - q)
    priorities_compute(active=setup(project, {"judge_disagreement": 1}))
    assert by_priority(project)[0] == "item-00000"
    assert by_priority(project)[-1] == "item-00002"


def test_position_inconsistency_ranks_flipping_verdicts_first() -> None:
    project = project_with_items(3, assignment=AssignmentOrder.ACTIVE)
    llm = judge(project, "llm")
    items = list(project.items.order_by("id"))
    for item, swap in zip(items, [0.05, 0.6, 0.3], strict=True):
        predict(llm, item, 0.7, 0.3, swap_inconsistency=swap)
    priorities_compute(active=setup(project, {"position_inconsistency": 1}))
    assert by_priority(project) == ["item-00001", "item-00002", "item-00000"]


def test_people_who_disagree_get_one_more_annotator() -> None:
    project = project_with_items(3, overlap=2, assignment=AssignmentOrder.ACTIVE)
    a, b = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    items = list(project.items.order_by("id"))
    # Item 0: the two people disagree; item 1: they agree; item 2: nobody labeled it yet.
    for item, answers in zip(items[:2], [("a", "b"), ("a", "a")], strict=True):
        for user, winner in zip((a, b), answers, strict=True):
            Annotation.objects.create(
                project=project, item=item, annotator=user, status=AnnotationStatus.SUBMITTED,
                answers={"pref": {"winner": winner}}, display_order=["a", "b"],
            )  # fmt: skip
        Item.objects.filter(pk=item.pk).update(annotation_count=2, done=True)
    active = setup(project, {"human_disagreement": 1, "random": 0.1})
    active.extra_labels = 1
    active.save()

    priorities_compute(active=active)

    reopened = Item.objects.get(pk=items[0].pk)
    assert (reopened.extra_overlap, reopened.done) == (1, False)
    assert Item.objects.get(pk=items[1].pk).done
    assert by_priority(project) == ["item-00000", "item-00002"]
    # A third person gets the disputed item first; then it is done again.
    third = member(project, Role.ANNOTATOR)
    assignment = assignment_next(project=project, user=third, rng=random.Random(0))
    assert assignment is not None
    assert assignment.item_id == items[0].pk
    assignment_submit(
        assignment=assignment, user=third, answers={"pref": {"winner": "a"}}, time_spent_ms=1
    )
    reopened.refresh_from_db()
    assert (reopened.annotation_count, reopened.done) == (3, True)
    # At most extra_labels more people: a later refresh does not reopen it again.
    priorities_compute(active=ActiveLearning.objects.get(pk=active.pk))
    reopened.refresh_from_db()
    assert (reopened.extra_overlap, reopened.done) == (1, True)


def _embed_items(project: Project, vectors: dict[str, list[float]]) -> None:
    """Store embeddings for every text of the items: the same vector for an item's texts."""
    for item in project.items.prefetch_related("candidates"):
        vector = np.array(vectors[item.external_id], dtype=np.float32)
        vector /= np.linalg.norm(vector)
        texts = [prompt_text(item.prompt), *(c.text for c in item.candidates.all())]

        def same(batch: list[str], v: Any = vector) -> Any:
            return np.stack([v] * len(batch))

        embeddings_get(encoder=encoder_key(HEAD_CONFIG), texts=texts, embed=same)


def test_diversity_prefers_items_unlike_the_labeled_ones() -> None:
    project = project_with_items(4, assignment=AssignmentOrder.ACTIVE)
    head = judge(project, "head", kind="preference_head")
    _embed_items(
        project,
        {
            "item-00000": [1, 0, 0],  # labeled below
            "item-00001": [0.99, 0.1, 0],  # next to the labeled one
            "item-00002": [0, 1, 0],  # far from it
            "item-00003": [0, 0.1, 0.99],  # far from both
        },
    )
    labeled = project.items.get(external_id="item-00000")
    Annotation.objects.create(
        project=project, item=labeled, annotator=member(project, Role.ANNOTATOR),
        status=AnnotationStatus.SUBMITTED, answers={"pref": {"winner": "a"}},
        display_order=["a", "b"],
    )  # fmt: skip
    Item.objects.filter(pk=labeled.pk).update(annotation_count=1, done=True)

    priorities_compute(active=setup(project, {"diversity": 1}, head=head))

    order = by_priority(project)
    assert order[-1] == "item-00001"
    assert set(order[:2]) == {"item-00002", "item-00003"}


def test_random_is_a_fixed_shuffle_per_seed() -> None:
    project = project_with_items(12, assignment=AssignmentOrder.ACTIVE)
    active = setup(project, {"random": 1})
    priorities_compute(active=active)
    first = by_priority(project)
    priorities_compute(active=ActiveLearning.objects.get(pk=active.pk))
    assert by_priority(project) == first
    assert first != sorted(first)
    active_learning_update(project=project, changes={"seed": 7})
    priorities_compute(active=ActiveLearning.objects.get(pk=active.pk))
    assert by_priority(project) != first


def test_a_weighted_mix_lies_between_its_strategies() -> None:
    project = project_with_items(3, assignment=AssignmentOrder.ACTIVE)
    head = judge(project, "head", kind="preference_head")
    llm = judge(project, "llm")
    items = list(project.items.order_by("id"))
    # Uncertainty alone: 0, 1, 2. Position inconsistency alone: 2, 1, 0.
    for item, p, swap in zip(items, [0.5, 0.7, 0.9], [0.0, 0.2, 0.9], strict=True):
        predict(head, item, p, 1 - p)
        predict(llm, item, 0.6, 0.4, swap_inconsistency=swap)
    active = setup(project, {"uncertainty": 0.8, "position_inconsistency": 0.2}, head=head)
    priorities_compute(active=active)
    assert by_priority(project) == ["item-00000", "item-00001", "item-00002"]
    active = setup(project, {"uncertainty": 0.2, "position_inconsistency": 0.8}, head=head)
    priorities_compute(active=active)
    assert by_priority(project) == ["item-00002", "item-00001", "item-00000"]


def test_the_settings_start_with_the_projects_head_and_a_default_mix() -> None:
    project = project_with_items(1)
    head = judge(project, "head", kind="preference_head")
    active = active_learning_get(project=project)
    assert active.head_id == head.pk
    assert active.strategies == {"uncertainty": 1.0}


def test_imported_items_get_priorities_soon(django_capture_on_commit_callbacks: Any) -> None:
    import io  # noqa: PLC0415
    from unittest import mock  # noqa: PLC0415

    from annotator.importers.readers import ImportSource  # noqa: PLC0415
    from annotator.services.imports import items_import  # noqa: PLC0415

    project = project_with_items(1, assignment=AssignmentOrder.ACTIVE)
    setup(project, {"random": 1})
    ActiveLearning.objects.filter(project=project).update(priorities_queued_at=None)
    row = b'{"prompt": "p", "chosen": "yes", "rejected": "no"}\n'
    with (
        mock.patch("judges.active.enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        items_import(
            project=project, files=[ImportSource("a.jsonl", io.BytesIO(row))], format="trl"
        )
    assert [c.args[0] for c in enqueue.call_args_list] == ["workers.priorities_refresh"]
