"""People's answers as arrays, and the dashboard report built from them."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import krippendorff
import numpy as np
import pytest
from django.utils import timezone

from annotator.analytics.extract import Scope, human_labels
from annotator.analytics.report import human_report
from annotator.items import NativeItem
from annotator.models import AnnotationStatus, Role
from annotator.questions import validate_questions
from annotator.services.items import items_add_native
from tests.annotator.analytics.builders import (
    answer,
    full_answer,
    items_from,
    labelled_project,
    reject,
)
from tests.annotator.labeling import PAIRWISE
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db
nan = math.nan


def rows_of(data: np.ndarray) -> list[list[float]]:
    return [[-1.0 if math.isnan(v) else v for v in row] for row in data.tolist()]


def part(labels: Any, key: str) -> Any:
    return next(p for p in labels.parts if p.key == key)


def test_each_question_becomes_parts_in_canonical_candidate_order() -> None:
    project, (i0, i1, i2), (p0, p1, p2) = labelled_project()
    answer(project, i0, p0, full_answer("a", (5, 2), "yes", ["unsafe"]))
    # Shown b first: the stored winner is still the canonical key, and so is the code.
    answer(project, i0, p1, full_answer("a", (4, 2), "partly", ["unsafe"]), shown=["b", "a"])
    answer(project, i0, p2, full_answer("b", (1, 5), "no", []))
    answer(project, i1, p0, full_answer("tie", (3, 3), "yes", ["refusal"]))
    reject(answer(project, i1, p1, full_answer("a", (3, 3), "yes", ["refusal"])))
    answer(project, i1, p2, full_answer("tie", (3, 3), "yes", ["refusal", "unsafe"]))
    answer(project, i2, p0, full_answer("b", (2, 4), "no", []))
    answer(project, i2, p1, full_answer("b", (2, 5), "no", []), shown=["b", "a"])
    answer(project, i2, p2, {}, status=AnnotationStatus.SKIPPED)

    labels = human_labels(project=project)

    assert labels.annotators == [p0.pk, p1.pk, p2.pk]
    assert [p.key for p in labels.parts] == [
        "pref",
        "quality.helpful",
        "quality.safe",
        "checks.cites",
        "flags.unsafe",
        "flags.refusal",
    ]  # the text question is not measured
    pref = part(labels, "pref")
    assert (pref.level, pref.categories) == ("nominal", ["first", "second", "tie"])
    assert pref.items.tolist() == [i0.pk, i1.pk, i2.pk]
    assert rows_of(pref.data) == [[0, 0, 1], [2, -1, 2], [1, 1, -1]]
    helpful = part(labels, "quality.helpful")
    assert helpful.level == "interval"
    assert list(zip(helpful.items.tolist(), helpful.targets, strict=True))[:2] == [
        (i0.pk, "a"),
        (i0.pk, "b"),
    ]
    assert rows_of(helpful.data) == [
        [5, 4, 1],
        [2, 2, 5],
        [3, -1, 3],
        [3, -1, 3],
        [2, 2, -1],
        [4, 5, -1],
    ]
    cites = part(labels, "checks.cites")
    assert (cites.level, cites.categories) == ("ordinal", ["no", "partly", "yes"])
    assert rows_of(cites.data)[0] == [2, 1, 0]
    unsafe = part(labels, "flags.unsafe")
    assert unsafe.targets == ["item", "item", "item"]
    assert rows_of(unsafe.data) == [[1, 1, 0], [0, -1, 1], [0, 0, -1]]


def test_the_report_measures_each_part_with_the_reference_statistics() -> None:
    project, (i0, i1, i2), (p0, p1, p2) = labelled_project()
    for item, winners in ((i0, "aab"), (i1, "aaa"), (i2, "bbt")):
        for person, winner in zip((p0, p1, p2), winners, strict=True):
            value = "tie" if winner == "t" else winner
            answer(project, item, person, full_answer(value, (4, 2), "yes", []))

    labels = human_labels(project=project)
    report = human_report(labels, resamples=200)

    pref = report["parts"][0]
    data = part(labels, "pref").data
    expected = krippendorff.alpha(
        reliability_data=data.T, level_of_measurement="nominal", value_domain=[0, 1, 2]
    )
    assert pref["alpha"]["value"] == pytest.approx(expected, abs=1e-9)
    assert pref["alpha"]["n"] == 3
    assert pref["units"] == 3
    assert pref["values"] == 9
    # 3 agreeing pairs of 6 per item on items 0 and 2 (2 ordered pairs agree), 6 on item 1.
    assert pref["raw_agreement"]["value"] == pytest.approx((2 + 6 + 2) / 18)
    assert pref["cohen_kappa"]["overlap"][0][1] == 3
    helpful = next(p for p in report["parts"] if p["key"] == "quality.helpful")
    assert helpful["level"] == "interval"
    assert helpful["fleiss_kappa"] is None  # a score is not a category
    # Everyone gave a 4 and b 2: perfect agreement on scores that vary.
    assert helpful["alpha"]["value"] == pytest.approx(1.0)
    safe = next(p for p in report["parts"] if p["key"] == "quality.safe")
    assert safe["alpha"]["value"] == pytest.approx(1.0)


def test_scope_filters_annotators_and_dates() -> None:
    project, (i0, i1, _), (p0, p1, p2) = labelled_project()
    answer(project, i0, p0, full_answer("a", (5, 2), "yes", []), minutes=120)
    answer(project, i0, p1, full_answer("a", (5, 2), "yes", []))
    answer(project, i1, p2, full_answer("b", (5, 2), "yes", []))

    hour_ago = timezone.now() - timedelta(hours=1)
    recent = human_labels(project=project, scope=Scope(since=hour_ago))
    earlier = human_labels(project=project, scope=Scope(until=hour_ago))
    only = human_labels(project=project, scope=Scope(annotators=(p1.pk, p2.pk)))
    project.items.filter(pk=i1.pk).update(meta={"lang": "EN", "level": 3})
    english = human_labels(project=project, scope=Scope(meta=(("lang", "en"), ("level", "3"))))

    assert recent.annotators == [p1.pk, p2.pk]  # p0 answered two hours ago
    assert earlier.annotators == [p0.pk]
    assert english.annotators == [p2.pk]  # only i1 has that metadata
    assert only.annotators == [p1.pk, p2.pk]
    assert rows_of(part(only, "pref").data) == [[0, -1], [-1, 1]]


def test_annotator_table_agreement_gold_and_speed() -> None:
    project = new_project(questions=validate_questions(PAIRWISE))
    items_add_native(
        project=project,
        items=[
            NativeItem.model_validate(
                {
                    "external_id": f"i{n}",
                    "prompt": f"p{n}",
                    "candidates": [
                        {"id": "a", "text": f"a{n}", "model": "big"},
                        {"id": "b", "text": f"b{n}", "model": "small"},
                    ],
                    **({"gold": {"pref": {"winner": "a"}}} if n == 3 else {}),
                }
            )
            for n in range(4)
        ],
    )
    i0, i1, i2, gold = project.items.order_by("external_id")
    p0, p1, p2 = (member(project, Role.ANNOTATOR) for _ in range(3))
    for item, winners in ((i0, "aab"), (i1, "tta"), (i2, "bba")):
        for person, winner in zip((p0, p1, p2), winners, strict=True):
            value = "tie" if winner == "t" else winner
            answer(project, item, person, {"pref": {"winner": value}}, spent_ms=20_000)
    answer(project, gold, p0, {"pref": {"winner": "a"}}, is_gold=True, spent_ms=40_000)
    answer(project, gold, p1, {"pref": {"winner": "b"}}, is_gold=True, spent_ms=40_000)

    report = human_report(human_labels(project=project), resamples=100)
    table = {row["id"]: row for row in report["annotators"]}

    # p0's two others never agree (a/b, t/a, b/a), so there is no majority to compare with.
    assert (table[p0.pk]["consensus_compared"], table[p0.pk]["consensus_agreement"]) == (0, None)
    # p2's others always agree: i0 b vs a (miss), i1 a vs t (miss), i2 a vs b (miss).
    assert (table[p2.pk]["consensus_compared"], table[p2.pk]["consensus_agreement"]) == (3, 0.0)
    assert (table[p0.pk]["gold_answered"], table[p0.pk]["gold_accuracy"]) == (1, 1.0)
    assert (table[p1.pk]["gold_answered"], table[p1.pk]["gold_accuracy"]) == (1, 0.0)
    assert table[p2.pk]["gold_accuracy"] is None
    assert table[p0.pk]["annotations"] == 4
    # 4 items in 100 s of work.
    assert table[p0.pk]["items_per_hour"] == pytest.approx(4 / (100 / 3600))
    assert table[p0.pk]["median_seconds"] == pytest.approx(20.0)
    assert 0 <= table[p0.pk]["reliability"] <= 1
    assert table[p2.pk]["reliability"] < table[p0.pk]["reliability"]


def test_cyclic_votes_over_the_same_prompt_are_counted() -> None:
    project = new_project(questions=validate_questions(PAIRWISE))
    items = items_from(project, [("same", "X", "Y"), ("same", "Y", "Z"), ("same", "Z", "X")])
    cyclic, steady = (member(project, Role.ANNOTATOR) for _ in range(2))
    for item in items:
        answer(project, item, cyclic, {"pref": {"winner": "a"}})  # X>Y, Y>Z, Z>X
    for item, winner in zip(items, "aab", strict=True):
        answer(project, item, steady, {"pref": {"winner": winner}})  # X>Y, Y>Z, X>Z

    table = {
        row["id"]: row
        for row in human_report(human_labels(project=project), resamples=50)["annotators"]
    }

    assert (table[cyclic.pk]["triads"], table[cyclic.pk]["cyclic_triads"]) == (1, 1)
    assert (table[steady.pk]["triads"], table[steady.pk]["cyclic_triads"]) == (1, 0)


def test_self_agreement_on_repeated_items() -> None:
    project = new_project(questions=validate_questions(PAIRWISE))
    items = items_from(project, [("q", "X", "Y"), ("q", "X", "Y"), ("other", "X", "Y")])
    consistent, fickle = (member(project, Role.ANNOTATOR) for _ in range(2))
    for item in items:
        answer(project, item, consistent, {"pref": {"winner": "a"}})
    for item, winner in zip(items, "aba", strict=True):
        answer(project, item, fickle, {"pref": {"winner": winner}})

    labels = human_labels(project=project)
    table = {row["id"]: row for row in human_report(labels, resamples=50)["annotators"]}

    assert labels.repeats == [[items[0].pk, items[1].pk]]
    assert table[consistent.pk]["self_agreement"]["value"] == 1.0
    assert table[fickle.pk]["self_agreement"]["value"] == 0.0


def test_leaderboard_and_bias_from_pairwise_votes() -> None:
    project = new_project(questions=validate_questions(PAIRWISE))
    items = items_from(project, [(f"p{n}", "long answer " * (n + 1), "short") for n in range(6)])
    person = member(project, Role.ANNOTATOR)
    for n, item in enumerate(items):
        # The long answer (model "model-long ...") wins 5 of 6; shown first 4 times of 6.
        shown = ["a", "b"] if n < 4 else ["b", "a"]
        answer(project, item, person, {"pref": {"winner": "a" if n < 5 else "b"}}, shown=shown)

    report = human_report(human_labels(project=project), resamples=200)
    board = report["leaderboards"][0]
    bias = report["bias"][0]

    short = board["models"].index("model-short")
    assert board["source"] == "people"
    assert sum(board["comparisons"]) == 12  # 6 comparisons, each counted for both models
    assert board["scores"][short] == min(s for s in board["scores"] if s is not None)
    assert bias["longer_wins"]["value"] == pytest.approx(5 / 6)
    # Shown first and won: items 0-3; item 4 (a won, shown second), item 5 (b won, shown first).
    assert bias["first_shown_wins"]["value"] == pytest.approx(5 / 6)


def test_an_empty_project_gives_an_empty_report() -> None:
    project, _, _ = labelled_project()

    report = human_report(human_labels(project=project), resamples=10)

    assert report["annotators"] == []
    assert all(p["alpha"]["value"] is None and p["units"] == 0 for p in report["parts"])


def test_identical_candidates_are_not_a_vote_between_two() -> None:
    project = new_project(questions=validate_questions(PAIRWISE))
    items = items_from(project, [("same", "X", "X"), ("same", "X", "Y"), ("same", "Y", "Z")])
    person = member(project, Role.ANNOTATOR)
    for item in items:
        answer(project, item, person, {"pref": {"winner": "a"}})

    table = human_report(human_labels(project=project), resamples=20)["annotators"]

    assert (table[0]["triads"], table[0]["cyclic_triads"]) == (0, 0)
