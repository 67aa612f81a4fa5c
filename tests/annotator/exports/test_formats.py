"""Ranking, ratings, rubric and raw rows; judges' labels standing in where no one answered."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from annotator.exports.build import export_rows, plan
from annotator.exports.options import ExportOptions
from annotator.exports.scores import kendall_w
from annotator.models import AnnotationStatus, Project, Review, ReviewStatus
from judges.models import Judge, JudgeKind, JudgeRun, Prediction, RunStatus
from tests.annotator.exports.builders import (
    PAIRWISE,
    RANKING,
    RATING,
    RUBRIC,
    add_item,
    annotate,
    people,
    project_with,
)

pytestmark = pytest.mark.django_db


def rows(project: Project, **options: Any) -> list[dict[str, Any]]:
    built = plan(project, ExportOptions.parse(options))
    return [row for _, found in export_rows(built) for row in found]


def test_kendall_w_matches_a_hand_computed_example() -> None:
    # Three raters, four objects; the third ties the first two and the last two (mean ranks).
    ranks = np.array([[1, 2, 3, 4], [1, 3, 2, 4], [1.5, 1.5, 3.5, 3.5]])
    # Rank sums 3.5, 6.5, 8.5, 11.5 (mean 7.5): S = 16 + 1 + 1 + 16 = 34. Tie correction:
    # T = (2³ - 2) + (2³ - 2) = 12. W = 12·34 / (3²·(4³ - 4) - 3·12) = 408 / 504.
    assert kendall_w(ranks) == pytest.approx(408 / 504)
    assert kendall_w(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]])) == pytest.approx(1.0)
    assert kendall_w(np.array([[1.0, 2.0], [2.0, 1.0]])) == pytest.approx(0.0)
    assert kendall_w(np.array([[1.0, 2.0]])) == 1.0


def test_ranking_rows_aggregate_by_mean_rank() -> None:
    project = project_with(RANKING)
    u1, u2, u3 = people(3)
    item = add_item(project, "r", {"a": "A", "b": "B", "c": "C"})
    annotate(item, u1, {"rank": {"order": [["b"], ["a"], ["c"]]}})
    annotate(item, u2, {"rank": {"order": [["b"], ["c"], ["a"]]}})
    annotate(item, u3, {"rank": {"order": [["a"], ["b"], ["c"]]}})
    (row,) = rows(project, format="ranking")
    # Mean ranks: a 2.0, b 1.33, c 2.67.
    assert row["order"] == [["b"], ["a"], ["c"]]
    assert [c["id"] for c in row["candidates"]] == ["a", "b", "c"]
    assert row["candidates"][0] == {"id": "a", "completion": "A", "model": "model-a"}
    assert row["votes"] == 3
    assert len(row["rankings"]) == 3
    assert row["display_orders"] == [["a", "b", "c"]] * 3
    assert 0 < row["agreement"] < 1
    assert rows(project, format="ranking", aggregation="unanimous") == []
    assert len(rows(project, format="ranking", aggregation="per_annotator")) == 3


def test_ranking_ties_in_the_aggregate() -> None:
    project = project_with(RANKING)
    u1, u2 = people(2)
    item = add_item(project, "r", {"a": "A", "b": "B"})
    annotate(item, u1, {"rank": {"order": [["a"], ["b"]]}})
    annotate(item, u2, {"rank": {"order": [["b"], ["a"]]}})
    assert rows(project, format="ranking") == []
    (row,) = rows(project, format="ranking", ties="keep")
    assert row["order"] == [["a", "b"]]
    assert row["agreement"] == 0.0


def test_ratings_rows_hold_every_score_and_the_mean() -> None:
    project = project_with(RATING)
    u1, u2 = people(2)
    item = add_item(project, "x", {"a": "A", "b": "B"})
    annotate(
        item,
        u1,
        {
            "quality": {
                "scores": {
                    "a": {"helpfulness": 4, "correctness": 5},
                    "b": {"helpfulness": 2, "correctness": 3},
                }
            }
        },
    )
    annotate(
        item,
        u2,
        {
            "quality": {
                "scores": {
                    "a": {"helpfulness": 5, "correctness": 5},
                    "b": {"helpfulness": 2, "correctness": 3},
                }
            }
        },
    )
    a, b = rows(project, format="ratings")
    assert (a["candidate_id"], a["completion"], a["helpfulness"], a["correctness"]) == (
        "a",
        "A",
        4.5,
        5.0,
    )
    assert a["scores"] == {"helpfulness": [4.0, 5.0], "correctness": [5.0, 5.0]}
    assert a["shown_at"] == [0, 0]
    assert b["shown_at"] == [1, 1]
    assert a["agreement"] == 0.5
    assert b["agreement"] == 1.0
    assert [
        r["candidate_id"] for r in rows(project, format="ratings", aggregation="unanimous")
    ] == ["b"]
    assert len(rows(project, format="ratings", aggregation="per_annotator")) == 4


def test_ratings_of_the_item_as_a_whole() -> None:
    question = {"id": "overall", "kind": "rating", "per": "item", "dimensions": [{"id": "quality"}]}
    project = project_with(question)
    (user,) = people(1)
    annotate(
        add_item(project, "x", {"a": "A", "b": "B"}),
        user,
        {"overall": {"scores": {"item": {"quality": 3}}}},
    )
    (row,) = rows(project, format="ratings")
    assert row["candidate_id"] is None
    assert row["completion"] is None
    assert row["quality"] == 3.0


def test_rubric_rows_score_each_criterion() -> None:
    project = project_with(RUBRIC)
    u1, u2 = people(2)
    item = add_item(project, "x", {"a": "A", "b": "B"})
    annotate(
        item,
        u1,
        {
            "rubric": {
                "criteria": {
                    "a": {"cites": "pass", "tone": "good"},
                    "b": {"cites": "fail", "tone": "ok"},
                }
            }
        },
    )
    annotate(
        item,
        u2,
        {
            "rubric": {
                "criteria": {
                    "a": {"cites": "pass", "tone": "ok"},
                    "b": {"cites": "fail", "tone": "ok"},
                }
            }
        },
    )
    a, b = rows(project, format="rubric")
    # a: cites 2 points from both; tone 1 (good) and 0.5 (ok) → mean 0.75. Total 2.75 of 3.
    assert a["total"] == 2.75
    assert a["max_total"] == 3.0
    assert a["totals"] == [3.0, 2.5]
    cites, tone = a["criteria"]
    assert cites == {
        "id": "cites",
        "points": 2.0,
        "max_points": 2.0,
        "levels": ["pass", "pass"],
        "agreement": 1.0,
    }
    assert tone["levels"] == ["good", "ok"]
    assert tone["agreement"] == 0.5
    assert b["total"] == 0.5
    assert b["agreement"] == 1.0


def test_rubric_includes_item_criteria() -> None:
    question = {**RUBRIC, "item_criteria": True}
    project = project_with(question)
    (user,) = people(1)
    extra = [{"id": "safe", "text": "Safe", "points": 1}]
    item = add_item(project, "x", {"a": "A", "b": "B"}, rubric=extra)
    levels = {"cites": "fail", "tone": "bad", "safe": "pass"}
    annotate(item, user, {"rubric": {"criteria": {"a": levels, "b": levels}}})
    a, _ = rows(project, format="rubric")
    assert [c["id"] for c in a["criteria"]] == ["cites", "tone", "safe"]
    assert a["total"] == 1.0
    assert a["max_total"] == 4.0


def test_raw_rows_hold_everything_with_history() -> None:
    project = project_with(PAIRWISE)
    u1, u2, reviewer = people(3)
    item = add_item(project, "x", {"a": "A", "b": "B"}, prompt=[{"role": "user", "content": "Q"}])
    edited = annotate(item, u1, {"pref": {"winner": "a"}}, shown=["b", "a"])
    edited.answers = {"pref": {"winner": "b"}}
    edited.version = 2
    edited.review_status = ReviewStatus.REJECTED
    edited.save()
    edited.versions.create(version=2, answers=edited.answers, time_spent_ms=50, edited_by=u1)
    Review.objects.create(annotation=edited, reviewer=reviewer, decision="reject", comment="Wrong.")
    annotate(item, u2, {}, status=AnnotationStatus.SKIPPED)
    (row,) = rows(project, format="raw")
    assert row["external_id"] == "x"
    assert row["prompt"] == [{"role": "user", "content": "Q"}]
    assert row["candidates"][1] == {
        "id": "b",
        "text": "B",
        "model": "model-b",
        "meta": {},
        "position": 1,
    }
    first, skipped = row["annotations"]
    assert first["answers"] == {"pref": {"winner": "b"}}
    assert first["display_order"] == ["b", "a"]
    assert [v["answers"]["pref"]["winner"] for v in first["history"]] == ["a", "b"]
    assert first["review_status"] == "rejected"
    (review,) = first["reviews"]
    assert review["decision"] == "reject"
    assert review["comment"] == "Wrong."
    assert review["reviewer"].startswith("ann-")
    assert review["reviewer"] != first["annotator"]
    assert skipped["status"] == "skipped"
    assert row["predictions"] == []


def _judge_predicts(project: Project, item_winners: dict[str, str], *, name: str = "rm") -> Judge:
    judge = Judge.objects.create(
        project=project,
        name=name,
        kind=JudgeKind.API,
        config={"model": "m-1", "base_url": "http://127.0.0.1:1", "templates": {}},
        questions=["pref"],
    )
    run = JudgeRun.objects.create(
        judge=judge, project=project, status=RunStatus.DONE, config=judge.config, questions=["pref"]
    )
    for external_id, winner in item_winners.items():
        Prediction.objects.create(
            run=run,
            judge=judge,
            project=project,
            item=project.items.get(external_id=external_id),
            question_id="pref",
            value={"winner": winner},
            probability=0.8,
        )
    return judge


def test_model_labels_stand_in_only_where_no_person_answered() -> None:
    project = project_with(PAIRWISE)
    (user,) = people(1)
    annotate(add_item(project, "human", {"a": "A", "b": "B"}), user, {"pref": {"winner": "a"}})
    add_item(project, "unlabelled", {"a": "A", "b": "B"})
    judge = _judge_predicts(project, {"human": "b", "unlabelled": "b"})
    assert [r["item_id"] for r in rows(project)] == ["human"]
    human, model = rows(project, include_model_labels=True)
    assert human["source"] == "human"
    assert human["chosen_id"] == "a"
    assert human["judge"] is None
    assert model["source"] == "model"
    assert model["chosen_id"] == "b"
    assert model["annotators"] == []
    assert model["agreement"] == 0.8
    lineage = model["judge"]
    assert lineage["id"] == judge.pk
    assert lineage["name"] == "rm"
    assert lineage["model"] == "m-1"
    assert lineage["kind"] == "api"
    assert len(lineage["template_sha256"]) == 64
    assert lineage["run"] == judge.runs.get().pk


def test_model_labels_prefer_the_judges_in_the_order_given() -> None:
    project = project_with(PAIRWISE)
    add_item(project, "x", {"a": "A", "b": "B"})
    first = _judge_predicts(project, {"x": "a"}, name="first")
    second = _judge_predicts(project, {"x": "b"}, name="second")
    (row,) = rows(project, include_model_labels=True)
    assert row["judge"]["id"] == first.pk
    (row,) = rows(project, include_model_labels=True, judges=[second.pk, first.pk])
    assert row["judge"]["id"] == second.pk
    assert row["chosen_id"] == "b"


def test_raw_lists_every_prediction() -> None:
    project = project_with(PAIRWISE)
    add_item(project, "x", {"a": "A", "b": "B"})
    _judge_predicts(project, {"x": "a"})
    (row,) = rows(project, format="raw")
    (prediction,) = row["predictions"]
    assert prediction["value"] == {"winner": "a"}
    assert prediction["judge"]["name"] == "rm"
