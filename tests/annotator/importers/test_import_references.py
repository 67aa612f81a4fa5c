"""Labels in the source kept as a reference annotator's accepted annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from annotator.models import Annotation, AnnotationVersion, Item, Membership, ReviewStatus
from annotator.services.imports import ImportFailed
from tests.annotator.importers.files import counts, run_import, trl_rows, write_jsonl
from tests.annotator.importers.test_import_layouts import UF_ROW, arena_row, uf_completion
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db

PAIRWISE = {"id": "pref", "kind": "pairwise", "tie": True, "both_bad": True}
RATING = {
    "id": "quality",
    "kind": "rating",
    "per": "candidate",
    "dimensions": [
        {"id": "helpfulness", "min": 1, "max": 5},
        {"id": "honesty", "min": 1, "max": 5},
    ],
}
RANKING = {"id": "order", "kind": "ranking"}


def chosen_key(item: Item) -> str:
    return next(c.key for c in item.candidates.all() if c.text.startswith("good"))


def test_trl_chosen_becomes_the_reference_winner_and_is_not_counted(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE, RANKING])
    path = write_jsonl(tmp_path / "trl.jsonl", trl_rows(30))

    result = run_import(project, path, reference_annotator="hh-labels")

    assert result.references == 30
    reference = User.objects.get(username="hh-labels")
    assert not reference.has_usable_password()
    assert not Membership.objects.filter(user=reference).exists()
    for item in Item.objects.filter(project=project).prefetch_related("candidates"):
        annotation = Annotation.objects.get(item=item)
        winner = chosen_key(item)
        loser = "b" if winner == "a" else "a"
        assert annotation.annotator == reference
        assert annotation.answers == {
            "pref": {"winner": winner},
            "order": {"order": [[winner], [loser]]},
        }
        assert annotation.is_reference
        assert (annotation.status, annotation.review_status) == ("submitted", "accepted")
        assert (annotation.version, annotation.display_order) == (1, ["a", "b"])
        assert item.annotation_count == 0
        assert not item.done
    versions = AnnotationVersion.objects.filter(annotation__project=project)
    assert versions.count() == 30
    assert {v.version for v in versions} == {1}


def test_candidate_keys_do_not_reveal_the_chosen_answer(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE])
    run_import(project, write_jsonl(tmp_path / "trl.jsonl", trl_rows(200)), format="trl")

    winners = [chosen_key(item) for item in Item.objects.prefetch_related("candidates")]

    assert 60 < winners.count("a") < 140
    assert winners.count("a") + winners.count("b") == 200


def test_reimport_with_references_adds_no_second_annotation(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE])
    path = write_jsonl(tmp_path / "trl.jsonl", trl_rows(5))
    run_import(project, path, reference_annotator="ref")

    again = run_import(project, path, reference_annotator="ref")

    assert (again.unchanged, again.references) == (5, 0)
    assert Annotation.objects.count() == 5


@pytest.mark.parametrize(
    ("winner", "both_bad_allowed", "expected"),
    [
        ("model_a", True, lambda keys: {"winner": keys["alpha"]}),
        ("model_b", True, lambda keys: {"winner": keys["beta"]}),
        ("tie", True, lambda keys: {"winner": "tie"}),
        ("tie (bothbad)", True, lambda keys: {"winner": "tie", "both_bad": True}),
        ("tie (bothbad)", False, lambda keys: {"winner": "tie"}),
    ],
)
def test_arena_winner(tmp_path: Path, winner: str, both_bad_allowed: bool, expected: Any) -> None:
    project = new_project(questions=[{**PAIRWISE, "both_bad": both_bad_allowed}])
    path = write_jsonl(tmp_path / "arena.jsonl", [arena_row(winner)])

    run_import(project, path, reference_annotator="arena-voters")

    item = Item.objects.get()
    keys = {c.model_name: c.key for c in item.candidates.all()}
    assert Annotation.objects.get(item=item).answers == {"pref": expected(keys)}


def test_ultrafeedback_ratings_fill_a_rating_question(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE, RATING])
    path = write_jsonl(tmp_path / "uf.jsonl", [UF_ROW])

    run_import(project, path, reference_annotator="uf")

    annotation = Annotation.objects.get()
    assert annotation.answers == {
        "quality": {
            "scores": {
                "a": {"helpfulness": 4, "honesty": 5},
                "b": {"helpfulness": 2, "honesty": 3},
                "c": {"helpfulness": 1, "honesty": 2},
            }
        }
    }
    assert annotation.review_status == ReviewStatus.ACCEPTED


def test_a_rating_question_is_skipped_unless_every_candidate_is_rated(tmp_path: Path) -> None:
    row = {
        "instruction": "Explain recursion.",
        "completions": [
            uf_completion("m1", "x", ["4", "5", "4", "5"], 7.5),
            uf_completion("m2", "y", ["N/A", "3", "3", "3"], 4.0),
        ],
    }
    project = new_project(questions=[RATING])

    result = run_import(
        project, write_jsonl(tmp_path / "uf.jsonl", [row]), reference_annotator="uf"
    )

    assert result.references == 0
    assert counts() == (1, 2, 0)


def test_labels_are_skipped_without_a_matching_question(tmp_path: Path) -> None:
    project = new_project(questions=[{"id": "why", "kind": "text"}])

    result = run_import(
        project, write_jsonl(tmp_path / "trl.jsonl", trl_rows(3)), reference_annotator="ref"
    )

    assert (result.created, result.references) == (3, 0)
    assert Annotation.objects.count() == 0


def test_a_project_member_cannot_be_the_reference_annotator(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE])
    person = member(project, "annotator")

    with pytest.raises(ImportFailed) as failed:
        run_import(
            project,
            write_jsonl(tmp_path / "trl.jsonl", trl_rows(2)),
            reference_annotator=person.username,
        )

    assert failed.value.errors[0].field == "reference_annotator"
    assert counts() == (0, 0, 0)


def test_a_failed_import_does_not_leave_the_reference_user_behind(tmp_path: Path) -> None:
    project = new_project(questions=[PAIRWISE])
    path = tmp_path / "bad.jsonl"
    path.write_text('{"prompt": "p", "chosen": "c", "rejected": "r"}\n{oops\n')

    with pytest.raises(ImportFailed):
        run_import(project, path, reference_annotator="ghost")

    assert not User.objects.filter(username="ghost").exists()


def test_a_mapping_winner_and_ratings_become_reference_labels(tmp_path: Path) -> None:
    rows = [
        {
            "uid": f"r{i}",
            "q": f"question {i}",
            "left": {"text": f"left {i}", "help": 4, "honest": 5},
            "right": {"text": f"right {i}", "help": 2, "honest": 3},
            "best": "left",
        }
        for i in range(40)
    ]
    mapping = {
        "external_id": "uid",
        "prompt": "q",
        "candidates": [
            {
                "id": "left",
                "text": "left.text",
                "ratings": {"helpfulness": "left.help", "honesty": "left.honest"},
            },
            {
                "id": "right",
                "text": "right.text",
                "ratings": {"helpfulness": "right.help", "honesty": "right.honest"},
            },
        ],
        "winner": "best",
    }
    project = new_project(questions=[PAIRWISE, RATING])

    result = run_import(
        project,
        write_jsonl(tmp_path / "rows.jsonl", rows),
        format="mapping",
        mapping=mapping,
        reference_annotator="mapped",
    )

    assert result.references == 40
    item = Item.objects.get(external_id="r0")
    assert {c.key: c.meta for c in item.candidates.all()} == {
        "left": {"ratings": {"helpfulness": 4, "honesty": 5}},
        "right": {"ratings": {"helpfulness": 2, "honesty": 3}},
    }
    assert Annotation.objects.get(item=item).answers == {
        "pref": {"winner": "left"},
        "quality": {
            "scores": {
                "left": {"helpfulness": 4, "honesty": 5},
                "right": {"helpfulness": 2, "honesty": 3},
            }
        },
    }


def test_shuffled_mapping_keys_hide_which_column_won(tmp_path: Path) -> None:
    rows = [{"q": f"q{i}", "good": f"good {i}", "bad": f"bad {i}", "w": "a"} for i in range(60)]
    mapping = {
        "prompt": "q",
        "candidates": [{"text": "good"}, {"text": "bad"}],
        "winner": "w",
        "shuffle_keys": True,
    }
    project = new_project(questions=[PAIRWISE])

    run_import(
        project,
        write_jsonl(tmp_path / "rows.jsonl", rows),
        format="mapping",
        mapping=mapping,
        reference_annotator="mapped",
    )

    winners = []
    for annotation in Annotation.objects.select_related("item"):
        key = annotation.answers["pref"]["winner"]
        assert annotation.item.candidates.get(key=key).text.startswith("good")
        winners.append(key)
    assert {"a", "b"} <= set(winners)
