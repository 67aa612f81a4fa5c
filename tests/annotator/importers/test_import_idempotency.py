"""Re-importing: nothing is duplicated, changed content updates unannotated items only."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.models import Annotation, AnnotationStatus, Candidate, Item, Project, Role
from annotator.services.distribution import assignment_next, assignment_skip
from annotator.services.imports import HAS_ANNOTATIONS, ON_SCREEN, ImportFailed
from tests.annotator.importers.files import counts, run_import, trl_rows, write_jsonl
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db


def native_row(external_id: str, answer: str) -> dict[str, object]:
    return {
        "external_id": external_id,
        "prompt": f"prompt {external_id}",
        "candidates": [{"id": "a", "text": answer}, {"id": "b", "text": "other"}],
    }


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path, project: Project) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", trl_rows(25, conversational=True))
    first = run_import(project, path)
    snapshot = sorted(Candidate.objects.values_list("item__external_id", "key", "text", "pk"))

    second = run_import(project, path)

    assert (first.created, first.unchanged) == (25, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 25)
    assert Item.objects.filter(project=project).count() == 25
    # Same rows, same keys: candidates were not even rewritten.
    assert sorted(Candidate.objects.values_list("item__external_id", "key", "text", "pk")) == (
        snapshot
    )


def test_changed_content_updates_an_item_nobody_annotated(tmp_path: Path, project: Project) -> None:
    run_import(
        project,
        write_jsonl(tmp_path / "v1.jsonl", [native_row("x", "old"), native_row("y", "same")]),
    )
    item = Item.objects.get(external_id="x")

    result = run_import(
        project,
        write_jsonl(tmp_path / "v2.jsonl", [native_row("x", "new"), native_row("y", "same")]),
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    item.refresh_from_db()
    assert {c.key: c.text for c in item.candidates.all()} == {"a": "new", "b": "other"}
    assert Item.objects.count() == 2


def test_changed_content_of_an_annotated_item_is_an_error(tmp_path: Path, project: Project) -> None:
    run_import(project, write_jsonl(tmp_path / "v1.jsonl", [native_row("x", "old")]))
    item = Item.objects.get(external_id="x")
    Annotation.objects.create(
        project=project,
        item=item,
        annotator=member(project, Role.ANNOTATOR),
        status=AnnotationStatus.SUBMITTED,
        answers={"pref": {"winner": "a"}},
        display_order=["a", "b"],
    )
    v2 = write_jsonl(tmp_path / "v2.jsonl", [native_row("new-one", "x"), native_row("x", "new")])

    with pytest.raises(ImportFailed) as failed:
        run_import(project, v2)

    assert failed.value.as_list() == [
        {"line": 2, "field": "external_id", "message": HAS_ANNOTATIONS, "file": "v2.jsonl"}
    ]
    assert {c.text for c in item.candidates.all()} == {"old", "other"}
    assert not Item.objects.filter(external_id="new-one").exists()
    assert counts() == (1, 2, 1)


def test_changed_content_of_an_item_on_someones_screen_waits(
    tmp_path: Path, project: Project
) -> None:
    run_import(project, write_jsonl(tmp_path / "v1.jsonl", [native_row("x", "old")]))
    annotator = member(project, Role.ANNOTATOR)
    held = assignment_next(project=project, user=annotator)
    assert held is not None
    v2 = write_jsonl(tmp_path / "v2.jsonl", [native_row("x", "new")])

    with pytest.raises(ImportFailed) as failed:
        run_import(project, v2)
    assignment_skip(assignment=held, user=annotator)
    after = run_import(project, v2)

    assert failed.value.as_list() == [
        {"line": 1, "field": "external_id", "message": ON_SCREEN, "file": "v2.jsonl"}
    ]
    assert after.updated == 1


def test_an_unchanged_annotated_item_is_fine(tmp_path: Path, project: Project) -> None:
    path = write_jsonl(tmp_path / "v1.jsonl", [native_row("x", "old")])
    run_import(project, path)
    Annotation.objects.create(
        project=project,
        item=Item.objects.get(),
        annotator=member(project, Role.ANNOTATOR),
        status=AnnotationStatus.SUBMITTED,
        answers={},
    )

    result = run_import(project, path)

    assert result.unchanged == 1


def test_items_of_other_projects_are_not_touched(tmp_path: Path, project: Project) -> None:
    other = new_project()
    path = write_jsonl(tmp_path / "rows.jsonl", [native_row("x", "old")])
    run_import(other, path)

    result = run_import(project, write_jsonl(tmp_path / "v2.jsonl", [native_row("x", "new")]))

    assert result.created == 1
    assert Item.objects.get(project=other).candidates.get(key="a").text == "old"
