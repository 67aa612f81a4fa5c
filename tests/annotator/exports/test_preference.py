"""Preference and unpaired rows: pairs from pairwise, ranking and rating answers, aggregated."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.exports.build import export_rows, plan
from annotator.exports.options import ExportOptions
from annotator.models import Project, ReviewStatus
from tests.annotator.exports.builders import (
    PAIRWISE,
    RANKING,
    RATING,
    add_item,
    annotate,
    people,
    project_with,
)

pytestmark = pytest.mark.django_db


def rows(project: Project, **options: Any) -> list[dict[str, Any]]:
    built = plan(project, ExportOptions.parse(options))
    return [row for _, found in export_rows(built) for row in found]


def vote(winner: str, strength: int | None = None, both_bad: bool = False) -> dict[str, Any]:
    value: dict[str, Any] = {"winner": winner}
    if strength is not None:
        value["strength"] = strength
    if both_bad:
        value["both_bad"] = True
    return {"pref": value}


@pytest.fixture
def split_project() -> Project:
    """Item q1: a beats b 2-1. Item q2: a tie and a b-win (no majority). Item q3: unanimous b."""
    project = project_with(PAIRWISE)
    u1, u2, u3 = people(3)
    q1 = add_item(project, "q1", {"a": "Alpha", "b": "Beta"})
    annotate(q1, u1, vote("a", 2), shown=["b", "a"])
    annotate(q1, u2, vote("a", 0), shown=["a", "b"])
    annotate(q1, u3, vote("b", 1), shown=["a", "b"])
    q2 = add_item(project, "q2", {"a": "One", "b": "Two"})
    annotate(q2, u1, vote("tie"))
    annotate(q2, u2, vote("b"))
    q3 = add_item(project, "q3", {"a": "Left", "b": "Right"})
    annotate(q3, u1, vote("b"))
    annotate(q3, u2, vote("b"))
    return project


def test_majority_rows_follow_trl_layout_with_lineage(split_project: Project) -> None:
    found = rows(split_project)
    assert [r["item_id"] for r in found] == ["q1", "q3"]
    first = found[0]
    assert (first["prompt"], first["chosen"], first["rejected"]) == (
        "Say something.",
        "Alpha",
        "Beta",
    )
    assert list(first)[:3] == ["prompt", "chosen", "rejected"]
    assert first["chosen_id"] == "a"
    assert first["rejected_id"] == "b"
    assert first["chosen_model"] == "model-a"
    assert first["source"] == "human"
    assert first["judge"] is None
    assert first["votes"] == 3
    assert first["agreement"] == pytest.approx(2 / 3, abs=1e-6)
    assert len(first["annotators"]) == 3
    assert all(a.startswith("ann-") for a in first["annotators"])
    # Where the chosen candidate was shown to each voter (0 = first on screen).
    assert first["chosen_shown_at"] == [1, 0, 0]
    assert "margin" not in first
    assert "tie" not in first


def test_pseudonyms_are_stable_and_hide_the_user(split_project: Project) -> None:
    first, again = rows(split_project)[0], rows(split_project)[0]
    assert first["annotators"] == again["annotators"]
    names = set(split_project.annotations.values_list("annotator__username", flat=True))
    ids = {str(i) for i in split_project.annotations.values_list("annotator_id", flat=True)}
    assert not (names | ids) & set(first["annotators"])
    other = project_with(PAIRWISE)
    user = split_project.annotations.first().annotator  # type: ignore[union-attr]
    annotate(add_item(other, "o", {"a": "A", "b": "B"}), user, vote("a"))
    assert rows(other)[0]["annotators"][0] not in first["annotators"]


def test_unanimous_and_min_agreement(split_project: Project) -> None:
    assert [r["item_id"] for r in rows(split_project, aggregation="unanimous")] == ["q3"]
    assert [r["item_id"] for r in rows(split_project, aggregation="min_agreement")] == ["q3"]
    kept = rows(split_project, aggregation="min_agreement", min_agreement=0.6)
    assert [r["item_id"] for r in kept] == ["q1", "q3"]


def test_per_annotator_rows(split_project: Project) -> None:
    found = rows(split_project, aggregation="per_annotator")
    # q1: three votes; q2: the tie is dropped, the b vote kept; q3: two votes.
    assert [r["item_id"] for r in found] == ["q1", "q1", "q1", "q2", "q3", "q3"]
    assert all(len(r["annotators"]) == 1 and r["votes"] == 1 for r in found)
    assert [r["chosen_id"] for r in found[:3]] == ["a", "a", "b"]


def test_ties_kept_are_flagged(split_project: Project) -> None:
    project = project_with(PAIRWISE)
    u1, u2 = people(2)
    item = add_item(project, "t", {"a": "A", "b": "B"})
    annotate(item, u1, vote("tie"))
    annotate(item, u2, vote("tie"))
    assert rows(project) == []
    (row,) = rows(project, ties="keep", margin="agreement")
    assert row["tie"] is True
    assert row["margin"] == 0.0


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        # votes a(much=3/3), a(slightly=1/3), b(clearly=2/3) on a 3-level scale
        ("agreement", (2 - 1) / 3),
        ("strength", (1.0 + 1 / 3) / 2),
        ("both", (1.0 + 1 / 3 - 2 / 3) / 3),
    ],
)
def test_margin(split_project: Project, mode: str, expected: float) -> None:
    first = rows(split_project, margin=mode)[0]
    assert first["margin"] == pytest.approx(expected, abs=1e-6)


def test_rejected_annotations_never_count_and_reviewed_only(split_project: Project) -> None:
    q3 = split_project.items.get(external_id="q3")
    q3.annotations.update(review_status=ReviewStatus.REJECTED)
    assert [r["item_id"] for r in rows(split_project)] == ["q1"]
    split_project.items.get(external_id="q1").annotations.filter(answers__pref__winner="a").update(
        review_status=ReviewStatus.ACCEPTED
    )
    (row,) = rows(split_project, reviewed_only=True)
    assert row["votes"] == 2
    assert row["agreement"] == 1.0


def test_gold_items_can_be_left_out() -> None:
    project = project_with(PAIRWISE)
    (user,) = people(1)
    annotate(
        add_item(project, "g", {"a": "A", "b": "B"}, gold={"pref": {"winner": "a"}}),
        user,
        vote("a"),
    )
    annotate(add_item(project, "n", {"a": "A", "b": "B"}), user, vote("b"))
    assert [r["item_id"] for r in rows(project)] == ["g", "n"]
    assert [r["item_id"] for r in rows(project, exclude_gold=True)] == ["n"]


def test_conversational_when_any_item_is_a_chat() -> None:
    project = project_with(PAIRWISE)
    (user,) = people(1)
    chat = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}]
    annotate(add_item(project, "c", {"a": "Hello.", "b": "Hey."}, prompt=chat), user, vote("b"))
    annotate(add_item(project, "p", {"a": "X", "b": "Y"}, prompt="Plain?"), user, vote("a"))
    first, second = rows(project)
    assert first["prompt"] == chat
    assert first["chosen"] == [{"role": "assistant", "content": "Hey."}]
    assert first["rejected"] == [{"role": "assistant", "content": "Hello."}]
    assert second["prompt"] == [{"role": "user", "content": "Plain?"}]


def test_pairs_from_a_ranking_of_three() -> None:
    project = project_with(RANKING)
    u1, u2 = people(2)
    item = add_item(project, "r", {"a": "A", "b": "B", "c": "C"})
    annotate(item, u1, {"rank": {"order": [["c"], ["a"], ["b"]]}})
    annotate(item, u2, {"rank": {"order": [["c"], ["a", "b"]]}})
    found = rows(project)
    # a-b: one vote for a and one tie, so no majority; a-c and b-c: c, unanimously.
    assert [(r["chosen_id"], r["rejected_id"]) for r in found] == [("c", "a"), ("c", "b")]
    assert found[0]["agreement"] == 1.0
    assert found[0]["chosen_shown_at"] == [2, 2]
    kept = rows(project, aggregation="per_annotator", ties="keep")
    assert [(r["chosen_id"], r["rejected_id"], r["tie"]) for r in kept] == [
        ("a", "b", False),
        ("a", "b", True),
        ("c", "a", False),
        ("c", "a", False),
        ("c", "b", False),
        ("c", "b", False),
    ]


def test_pairs_from_ratings_by_dimension_and_weights() -> None:
    project = project_with(RATING)
    (user,) = people(1)
    item = add_item(project, "x", {"a": "A", "b": "B"})
    scores = {"a": {"helpfulness": 5, "correctness": 1}, "b": {"helpfulness": 2, "correctness": 5}}
    annotate(item, user, {"quality": {"scores": scores}})
    by_help = rows(project, dimension="helpfulness")
    assert by_help[0]["chosen_id"] == "a"
    by_correct = rows(project, weights={"helpfulness": 0.2, "correctness": 0.8})
    assert by_correct[0]["chosen_id"] == "b"


def test_unpaired_rows_from_pairs() -> None:
    project = project_with({**PAIRWISE, "pairs": "all"})
    u1, u2 = people(2)
    won = add_item(project, "w", {"a": "A", "b": "B"})
    annotate(won, u1, vote("a"))
    bad = add_item(project, "bb", {"a": "A2", "b": "B2"})
    annotate(bad, u1, vote("tie", both_bad=True))
    annotate(bad, u2, vote("tie", both_bad=True))
    found = rows(project, format="unpaired", ties="keep")
    assert [(r["item_id"], r["candidate_id"], r["label"]) for r in found] == [
        ("w", "a", True),
        ("w", "b", False),
        ("bb", "a", False),
        ("bb", "b", False),
    ]
    assert list(found[0])[:3] == ["prompt", "completion", "label"]


def test_unpaired_leaves_out_a_candidate_with_mixed_outcomes() -> None:
    project = project_with(RANKING)
    (user,) = people(1)
    item = add_item(project, "r", {"a": "A", "b": "B", "c": "C"})
    annotate(item, user, {"rank": {"order": [["a"], ["b"], ["c"]]}})
    found = rows(project, format="unpaired")
    assert [(r["candidate_id"], r["label"]) for r in found] == [("a", True), ("c", False)]


def test_dawid_skene_outweighs_a_careless_annotator() -> None:
    """Two careful annotators agree on 40 items; a careless one answers the opposite of
    them on every item. On an item only one careful and the careless one labelled, majority
    has no outcome, while Dawid-Skene trusts the careful annotator."""
    project = project_with({**PAIRWISE, "tie": False})
    careful, careful2, careless = people(3)
    for i in range(40):
        item = add_item(project, f"i{i}", {"a": "A", "b": "B"})
        truth = "a" if i % 2 else "b"
        other = "b" if truth == "a" else "a"
        annotate(item, careful, vote(truth))
        annotate(item, careful2, vote(truth))
        annotate(item, careless, vote(other))
    contested = add_item(project, "contested", {"a": "A", "b": "B"})
    annotate(contested, careful, vote("a"))
    annotate(contested, careless, vote("b"))
    by_majority = {r["item_id"] for r in rows(project)}
    assert "contested" not in by_majority
    assert len(by_majority) == 40
    weighted = {r["item_id"]: r for r in rows(project, aggregation="dawid_skene")}
    assert weighted["contested"]["chosen_id"] == "a"
    assert weighted["contested"]["agreement"] > 0.9
