"""The dashboard's judges-vs-people section, on predictions whose agreement is known."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.analytics.extract import Scope
from annotator.analytics.schema import Report
from annotator.models import Role
from annotator.questions import validate_questions
from annotator.services.metrics import metrics_compute
from judges.models import Judge, JudgeRun, Prediction
from tests.annotator.analytics.builders import answer, items_from
from tests.annotator.labeling import client_for
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"id": "pref", "kind": "pairwise", "tie": True},
    {"id": "quality", "kind": "rating", "dimensions": [{"id": "helpful", "min": 1, "max": 5}]},
]
# People's majority per item (a = the canonically first candidate) and the judge's verdicts.
PEOPLE = ["a", "a", "b", "tie", "b", "a"]
JUDGE = ["a", "b", "b", "a", "b", "a"]  # right on items 0, 2, 4, 5; wrong on 1 (b) and 3 (tie)
P_FIRST = [0.9, 0.4, 0.2, 0.7, 0.1, 0.8]  # the judge's P(a wins)


def build() -> tuple[Any, Judge, list[Any]]:
    project = new_project(questions=validate_questions(QUESTIONS))
    items = items_from(
        project, [(f"p{n}", "a long answer " * 5, "short") for n in range(6)], ("big", "small")
    )
    people = [member(project, Role.ANNOTATOR) for _ in range(3)]
    for item, winner in zip(items, PEOPLE, strict=True):
        for n, person in enumerate(people):
            # Two of three agree with the majority; the third dissents unless it is a tie.
            given = winner if n < 2 or winner == "tie" else ("b" if winner == "a" else "a")
            score = {"a": {"helpful": 4 + (n == 2)}, "b": {"helpful": 2}}
            answer(project, item, person, {"pref": {"winner": given}, "quality": {"scores": score}})
    manager = member(project, Role.MANAGER)
    judge = Judge.objects.create(
        project=project, name="llm", kind="llm", questions=["pref", "quality"], created_by=manager
    )
    old = JudgeRun.objects.create(judge=judge, project=project, created_by=manager)
    run = JudgeRun.objects.create(judge=judge, project=project, created_by=manager)
    for n, item in enumerate(items):
        # An older run said the opposite everywhere: only the latest prediction counts.
        Prediction.objects.create(
            run=old, judge=judge, project=project, item=item, question_id="pref",
            value={"winner": "b" if JUDGE[n] == "a" else "a"}, details={},
        )  # fmt: skip
        Prediction.objects.create(
            run=run, judge=judge, project=project, item=item, question_id="pref",
            value={"winner": JUDGE[n]}, probability=max(P_FIRST[n], 1 - P_FIRST[n]),
            details={"p": {"a": P_FIRST[n], "b": 1 - P_FIRST[n]}, "flipped": n < 2,
                     "first_position": 0.75},
        )  # fmt: skip
        Prediction.objects.create(
            run=run, judge=judge, project=project, item=item, question_id="quality",
            value={"scores": {"a": {"helpful": 3 + n % 3}, "b": {"helpful": 2}}}, details={},
        )  # fmt: skip
    return project, judge, items


def test_a_judge_is_measured_against_the_human_majority() -> None:
    project, judge, _ = build()

    report = metrics_compute(project=project, scope=Scope(), resamples=200)

    Report.model_validate(report)  # the documented shape
    (section,) = report["judges"]
    assert (section["judge"], section["name"]) == (judge.pk, "llm")
    pref = next(p for p in section["parts"] if p["key"] == "pref")
    assert pref["compared"] == 6
    assert pref["accuracy"]["value"] == pytest.approx(4 / 6)
    assert pref["accuracy_without_ties"]["value"] == pytest.approx(4 / 5)
    # Rows: people (first, second, tie); columns: the judge.
    assert pref["confusion"] == [[2, 1, 0], [0, 2, 0], [1, 0, 0]]
    assert pref["flip_rate"]["value"] == pytest.approx(2 / 6)
    assert pref["first_position"]["value"] == pytest.approx(0.75)
    assert pref["longer_wins"]["value"] == pytest.approx(3 / 6)  # a is the longer answer
    calibration = pref["calibration"]
    assert sum(calibration["count"]) == 6
    # ECE by hand: bins of 0.9, 0.4, 0.2, 0.7, 0.1, 0.8 against outcomes 1, 1, 0, .5, 0, 1.
    expected = (abs(0.9 - 1) + abs(0.4 - 1) + abs(0.2 - 0) + abs(0.7 - 0.5) + 0.1 + 0.2) / 6
    assert calibration["ece"] == pytest.approx(expected)
    helpful = next(p for p in section["parts"] if p["key"] == "quality.helpful")
    assert helpful["level"] == "interval"
    assert helpful["correlated"] == 12
    assert helpful["spearman"] is not None


def test_judge_leaderboard_sits_beside_peoples() -> None:
    project, _, _ = build()

    report = metrics_compute(project=project, scope=Scope(), resamples=100)

    (board,) = report["judges"][0]["leaderboards"]
    people = report["leaderboards"][0]
    assert board["models"][:2] == people["models"]
    big, small = board["models"].index("big"), board["models"].index("small")
    # The judge picks big 3 times of 6: even strengths. People prefer big (8 wins to 7).
    assert board["scores"][big] == pytest.approx(board["scores"][small], abs=1e-6)
    assert people["scores"][big] > people["scores"][small]
    assert board["comparisons"][big] == 6
    assert board["rank_correlation"]["n"] == 2
    assert board["rank_correlation"]["spearman"] is None  # the judge ties them: no order


def test_a_judge_filter_keeps_only_that_judge() -> None:
    project, judge, _ = build()
    other = Judge.objects.create(project=project, name="rm", kind="reward_model", questions=[])

    everyone = metrics_compute(project=project, scope=Scope(), resamples=10)
    only = metrics_compute(project=project, scope=Scope(judges=(other.pk,)), resamples=10)

    assert [j["judge"] for j in everyone["judges"]] == [judge.pk, other.pk]
    assert [j["judge"] for j in only["judges"]] == [other.pk]
    assert only["judges"][0]["parts"] == []


def test_failed_predictions_are_left_out() -> None:
    project, judge, items = build()
    run = JudgeRun.objects.create(judge=judge, project=project)
    Prediction.objects.create(
        run=run, judge=judge, project=project, item=items[1], question_id="pref",
        value=None, error="The input is too long.",
    )  # fmt: skip

    report = metrics_compute(project=project, scope=Scope(), resamples=10)

    pref = next(p for p in report["judges"][0]["parts"] if p["key"] == "pref")
    assert pref["compared"] == 6  # item 1 keeps its latest successful prediction


def test_a_confusion_cell_lists_its_items() -> None:
    project, judge, items = build()
    manager = member(project, Role.MANAGER)
    client = client_for(manager)
    url = f"/api/judges/{judge.pk}/confusion-items/?part=pref"

    # People said a (first), the judge b (second): item 1 only.
    cell = client.get(f"{url}&people=0&predicted=1").json()
    right = client.get(f"{url}&people=0&predicted=0").json()
    bad = client.get(f"{url}&people=x&predicted=0")
    annotator = client_for(member(project, Role.ANNOTATOR)).get(f"{url}&people=0&predicted=0")

    assert cell == {"count": 1, "items": [{"id": items[1].pk, "external_id": "e1"}]}
    assert [row["id"] for row in right["items"]] == [items[0].pk, items[5].pk]
    assert bad.status_code == 400
    assert "people" in bad.json()
    assert annotator.status_code == 403
