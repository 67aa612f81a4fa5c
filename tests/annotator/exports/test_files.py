"""Export files: JSONL, Parquet, CSV and Hugging Face folders hold the same rows and hash."""

from __future__ import annotations

import csv
import hashlib
import json
import tarfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from annotator.exports.build import Written, export_rows, export_write, plan
from annotator.exports.options import ExportOptions
from annotator.models import Project
from tests.annotator.exports.builders import PAIRWISE, add_item, annotate, people, project_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    project = project_with(PAIRWISE, name="Helpfulness v3")
    u1, u2 = people(2)
    for i in range(12):
        item = add_item(
            project, f"q{i}", {"a": f'Answer A{i}, with "quotes"\nand lines', "b": f"B{i} ✓"}
        )
        annotate(item, u1, {"pref": {"winner": "a" if i % 3 else "b", "strength": i % 3}})
        annotate(item, u2, {"pref": {"winner": "a" if i % 4 else "b"}})
    return project


def write(project: Project, path: Path, **options: Any) -> Written:
    return export_write(plan(project, ExportOptions.parse(options)), path)


def expected(project: Project, **options: Any) -> list[dict[str, Any]]:
    built = plan(project, ExportOptions.parse(options))
    return [row for _, found in export_rows(built) for row in found]


def test_jsonl_is_the_rows_and_its_hash_is_the_files(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    written = write(project, path, margin="both")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == expected(project, margin="both")
    assert written.counts.rows == len(lines) > 0
    assert written.counts.items == 12
    assert written.counts.human_rows == written.counts.rows
    assert written.counts.model_rows == 0
    assert written.content_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert "✓" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes


def test_same_settings_same_data_same_hash_in_every_file_type(
    project: Project, tmp_path: Path
) -> None:
    hashes = {
        file_type: write(project, tmp_path / f"out.{file_type}", file_type=file_type).content_sha256
        for file_type in ("jsonl", "parquet", "csv")
    }
    hashes["again"] = write(project, tmp_path / "again.jsonl").content_sha256
    assert len(set(hashes.values())) == 1
    # Parquet files are byte-identical too.
    write(project, tmp_path / "twice.parquet", file_type="parquet")
    assert (tmp_path / "twice.parquet").read_bytes() == (tmp_path / "out.parquet").read_bytes()
    # Any change to the data changes the hash.
    annotation = project.annotations.first()
    assert annotation is not None
    annotation.answers = {"pref": {"winner": "tie"}}
    annotation.save()
    assert write(project, tmp_path / "changed.jsonl").content_sha256 != hashes["jsonl"]


def test_parquet_has_a_typed_schema(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "out.parquet"
    write(project, path, file_type="parquet", margin="agreement")
    table = pq.read_table(path)
    types = {field.name: str(field.type) for field in table.schema}
    assert types["prompt"] == "string"
    assert types["chosen"] == "string"
    assert types["margin"] == "double"
    assert types["votes"] == "int32"
    assert types["annotators"] == "list<element: string>"
    assert types["judge"].startswith("struct<id: int64, name: string")
    assert table.to_pylist() == expected(project, margin="agreement")


def test_conversational_parquet_holds_message_lists(tmp_path: Path) -> None:
    project = project_with(PAIRWISE)
    (user,) = people(1)
    item = add_item(
        project, "c", {"a": "Hi.", "b": "Hello."}, prompt=[{"role": "user", "content": "Hey"}]
    )
    annotate(item, user, {"pref": {"winner": "a"}})
    path = tmp_path / "chat.parquet"
    write(project, path, file_type="parquet")
    table = pq.read_table(path)
    assert (
        str(table.schema.field("prompt").type)
        == "list<element: struct<role: string, content: string>>"
    )
    assert table.to_pylist()[0]["chosen"] == [{"role": "assistant", "content": "Hi."}]


def test_csv_is_flat_with_json_cells(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write(project, path, file_type="csv")
    with path.open(encoding="utf-8", newline="") as handle:
        found = list(csv.DictReader(handle))
    rows = expected(project)
    assert len(found) == len(rows)
    assert found[0]["chosen"] == rows[0]["chosen"]  # quotes and new lines survive
    assert json.loads(found[0]["annotators"]) == rows[0]["annotators"]
    assert found[0]["judge"] == ""


def test_hf_folder_packs_into_a_reproducible_tar(project: Project, tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    tar_path = tmp_path / "out.tar"
    write(project, tar_path, file_type="hf")
    with tarfile.open(tar_path) as tar:
        names = tar.getnames()
        tar.extractall(tmp_path / "unpacked", filter="data")
    assert "dataset/dataset_info.json" in names
    assert "dataset/state.json" in names
    loaded = datasets.load_from_disk(str(tmp_path / "unpacked" / "dataset"))
    assert loaded.to_list() == expected(project)


def test_raw_parquet_keeps_free_form_fields_as_json_text(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "raw.parquet"
    write(project, path, format="raw", file_type="parquet")
    first = pq.read_table(path).to_pylist()[0]
    annotation = first["annotations"][0]
    assert json.loads(annotation["answers"]) == {"pref": {"winner": "b", "strength": 0}}
    assert json.loads(first["meta"]) == {}
    assert first["gold"] is None


def test_hf_tar_is_byte_identical_when_written_twice(project: Project, tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    write(project, tmp_path / "one.tar", file_type="hf")
    write(project, tmp_path / "two.tar", file_type="hf")
    assert (tmp_path / "one.tar").read_bytes() == (tmp_path / "two.tar").read_bytes()
