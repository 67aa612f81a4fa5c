"""``manage.py export_dataset``, and a raw export imported into a new project."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Item,
    Project,
    Review,
    ReviewStatus,
)
from tests.annotator.exports.builders import (
    PAIRWISE,
    RATING,
    add_item,
    annotate,
    people,
    project_with,
)
from tests.factories import new_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    project = project_with(PAIRWISE, RATING, name="Round trip")
    u1, u2, reviewer = people(3)
    chat = [{"role": "user", "content": "Plan a trip."}]
    for i in range(6):
        item = add_item(
            project,
            f"q{i}",
            {"a": f"Plan A {i}", "b": f"Plan B {i}"},
            prompt=chat if i % 2 else f"Question {i}?",
            models={"a": "m-a", "b": "m-b"},
        )
        item.meta = {"topic": "travel", "n": i}
        item.save()
        scores = {
            "a": {"helpfulness": 4, "correctness": 3},
            "b": {"helpfulness": 2, "correctness": 5},
        }
        first = annotate(
            item,
            u1,
            {"pref": {"winner": "a", "strength": 1}, "quality": {"scores": scores}},
            shown=["b", "a"],
        )
        if i == 0:  # an edit and a rejection with a review
            first.answers = {"pref": {"winner": "b"}, "quality": {"scores": scores}}
            first.version = 2
            first.review_status = ReviewStatus.REJECTED
            first.save()
            first.versions.create(version=2, answers=first.answers, time_spent_ms=10, edited_by=u1)
            Review.objects.create(
                annotation=first, reviewer=reviewer, decision="reject", comment="No."
            )
        if i == 1:
            annotate(item, u2, {}, status=AnnotationStatus.SKIPPED)
        else:
            annotate(item, u2, {"pref": {"winner": "tie"}, "quality": {"scores": scores}})
    return project


def snapshot(project: Project) -> list[dict[str, Any]]:
    """Everything the round trip must keep, by external id and annotator order."""
    out = []
    for item in Item.objects.filter(project=project).order_by("external_id"):
        annotations = []
        for a in Annotation.objects.filter(item=item).order_by("created_at", "pk"):
            annotations.append(
                {
                    "status": a.status,
                    "answers": a.answers,
                    "display_order": a.display_order,
                    "time_spent_ms": a.time_spent_ms,
                    "version": a.version,
                    "review_status": a.review_status,
                    "created_at": a.created_at,
                    "history": list(
                        AnnotationVersion.objects.filter(annotation=a)
                        .order_by("version")
                        .values_list("version", "answers", "time_spent_ms", "created_at")
                    ),
                    "reviews": list(
                        Review.objects.filter(annotation=a).values_list(
                            "decision", "comment", "created_at"
                        )
                    ),
                }
            )
        out.append(
            {
                "external_id": item.external_id,
                "prompt": item.prompt,
                "meta": item.meta,
                "candidates": list(
                    item.candidates.order_by("position").values_list(
                        "key", "text", "model_name", "position"
                    )
                ),
                "annotations": annotations,
            }
        )
    return out


@pytest.mark.parametrize("file_type", ["jsonl", "parquet"])
def test_raw_export_imported_into_a_new_project_reproduces_it(
    project: Project, tmp_path: Path, file_type: str
) -> None:
    out = tmp_path / f"raw.{file_type}"
    call_command("export_dataset", str(project.pk), "--format", "raw", "--out", str(out))
    target = new_project(questions=project.questions, name="Copy")
    printed = io.StringIO()
    call_command("import_items", str(target.pk), str(out), stdout=printed)
    assert "created 6, updated 0, unchanged 0 (format raw, 12 annotations)" in printed.getvalue()
    copied, original = snapshot(target), snapshot(project)
    if file_type == "parquet":
        # One Parquet column holds one type: plain prompts become one user message there.
        for item in original:
            if isinstance(item["prompt"], str):
                item["prompt"] = [{"role": "user", "content": item["prompt"]}]
    assert copied == original
    # Counted toward overlap: submitted and not rejected (q0's first one was rejected).
    counts = dict(
        Item.objects.filter(project=target).values_list("external_id", "annotation_count")
    )
    assert counts == {"q0": 1, "q1": 1, "q2": 2, "q3": 2, "q4": 2, "q5": 2}
    # Exporting the copy gives the same labels under the copy's own pseudonyms.
    again = tmp_path / "again.jsonl"
    call_command("export_dataset", str(target.pk), "--format", "preference", "--out", str(again))
    first = tmp_path / "first.jsonl"
    call_command("export_dataset", str(project.pk), "--format", "preference", "--out", str(first))

    def labels(path: Path) -> list[tuple[str, str, str]]:
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        return [(r["item_id"], r["chosen_id"], r["rejected_id"]) for r in rows]

    assert labels(again) == labels(first)
    assert labels(first)


def test_export_command_writes_a_manifest(project: Project, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "deep" / "ratings.csv"
    call_command(
        "export_dataset",
        str(project.pk),
        "--format",
        "ratings",
        "--aggregation",
        "unanimous",
        "--out",
        str(out),
    )
    manifest = json.loads((tmp_path / "deep" / "ratings.csv.manifest.json").read_text())
    assert manifest["file_type"] == "csv"
    assert manifest["settings"]["aggregation"] == "unanimous"
    assert manifest["counts"]["rows"] == len(out.read_text().splitlines()) - 1 > 0
    assert manifest["content_sha256"] in capsys.readouterr().out
    assert not list(out.parent.glob("*.partial"))


def test_export_command_writes_a_datasets_folder(project: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    out = tmp_path / "pref_ds"
    weights = '{"helpfulness": 1}'
    call_command(
        "export_dataset", str(project.pk), "--format", "preference", "--weights", weights,
        "--question", "quality", "--out", str(out),
    )  # fmt: skip
    loaded = datasets.load_from_disk(str(out))
    assert loaded.num_rows == 6
    assert loaded[0]["chosen"] == [{"role": "assistant", "content": "Plan A 0"}]
    assert (tmp_path / "pref_ds.manifest.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "raw", "--out", "x.csv"], "CSV holds flat formats only"),
        (["--format", "ranking", "--out", "x.jsonl"], "needs a ranking question"),
        (["--format", "preference", "--weights", "{", "--out", "x.jsonl"], "not JSON"),
    ],
)
def test_export_command_refuses_bad_options(
    project: Project, tmp_path: Path, args: list[str], message: str, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command("export_dataset", str(project.pk), *args)
    with pytest.raises(CommandError, match="no project"):
        call_command("export_dataset", "999999", "--format", "raw", "--out", "x.jsonl")
    assert not list(tmp_path.iterdir())
