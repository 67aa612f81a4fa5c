"""Malformed input: every problem named by line and field, and nothing written at all."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from annotator.models import Project
from annotator.services.imports import MAX_ERRORS, ImportFailed
from tests.annotator.importers.files import (
    counts,
    run_import,
    trl_rows,
    write_jsonl,
    write_parquet,
)

pytestmark = pytest.mark.django_db

GOOD = json.dumps({"prompt": "p", "chosen": "c", "rejected": "r"})


def failed_import(project: Project, path: Path, **options: Any) -> list[tuple[int, Any, str]]:
    """Run an import that must fail; return (line, field, message) and check nothing was written."""
    with pytest.raises(ImportFailed) as failed:
        run_import(project, path, **options)
    assert counts() == (0, 0, 0)
    return [(e.line, e.field, e.message) for e in failed.value.errors]


def lines(tmp_path: Path, *rows: str, name: str = "rows.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_bad_json_on_one_line(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, GOOD, GOOD.replace('"p"', '"q"'), '{"prompt": "x", "chosen": ', GOOD)

    errors = failed_import(project, path, format="trl")

    assert len(errors) == 2  # line 3 is broken; line 4 repeats line 1
    assert errors[0][:2] == (3, None)
    assert errors[0][2].startswith("invalid JSON")
    assert errors[1][:2] == (4, "external_id")
    assert "first on line 1" in errors[1][2]


def test_missing_field(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, GOOD, json.dumps({"prompt": "p2", "chosen": "c"}))

    assert failed_import(project, path, format="trl") == [(2, "rejected", "missing field rejected")]


def test_wrong_type(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, json.dumps({"prompt": "p", "chosen": 5, "rejected": "r"}))

    errors = failed_import(project, path, format="trl")

    assert errors == [(1, "chosen", "expected a string or a list of messages, got a number")]


def test_wrong_type_deep_in_a_native_row(tmp_path: Path, project: Project) -> None:
    row = {
        "external_id": "x",
        "prompt": [{"role": "user", "content": "hi"}],
        "candidates": [{"id": "a", "text": "t"}, {"id": "b", "text": ["not", "text"]}],
    }
    path = lines(tmp_path, json.dumps(row))

    assert failed_import(project, path, format="native") == [
        (1, "candidates.1.text", "expected a string, got a list")
    ]


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [("empty.jsonl", b"", 0), ("blank.jsonl", b"\n  \n", 0), ("empty.csv", b"", 0)],
)
def test_empty_file(tmp_path: Path, project: Project, name: str, content: bytes, line: int) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    errors = failed_import(project, path)

    assert len(errors) == 1
    assert errors[0][0] == line
    assert "empty" in errors[0][2]


def test_csv_with_only_a_header(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "header.csv"
    path.write_text("prompt,chosen,rejected\n")

    assert failed_import(project, path) == [(1, None, "the file has a header but no data rows")]


def test_empty_parquet(tmp_path: Path, project: Project) -> None:
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    path = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"prompt": pa.array([], pa.string())}), path)

    assert failed_import(project, path)[0][0] == 0


@pytest.mark.parametrize("name", ["rows.jsonl", "rows.csv"])
def test_non_utf8_bytes_name_the_line(tmp_path: Path, project: Project, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        body = b"prompt,chosen,rejected\np,c,r\nq,caf\xe9,r\n"
    else:
        body = (GOOD + "\n" + GOOD.replace('"c"', '"caf\xe9"')).encode("latin-1") + b"\n"
    path.write_bytes(body)

    errors = failed_import(project, path, format="trl")

    assert len(errors) == 1
    assert errors[0][0] == (3 if name.endswith(".csv") else 2)
    assert "not valid UTF-8" in errors[0][2]


@override_settings(MOOT_IMPORT_MAX_LINE_BYTES=1000)
def test_a_huge_line_is_refused_without_loading_it(tmp_path: Path, project: Project) -> None:
    big = json.dumps({"prompt": "p" * 5000, "chosen": "c", "rejected": "r"})
    path = lines(tmp_path, GOOD, big, GOOD.replace('"p"', '"z"'))

    errors = failed_import(project, path, format="trl")

    assert errors == [(2, None, "the line is longer than the limit of 1000 bytes")]


def test_duplicate_external_id_within_the_file(tmp_path: Path, project: Project) -> None:
    rows = [{"external_id": "same", **row} for row in trl_rows(2)]
    path = write_jsonl(tmp_path / "dup.jsonl", rows)

    errors = failed_import(project, path)

    assert errors == [(2, "external_id", "duplicate external_id 'same' (first on line 1)")]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (
            {
                "external_id": "one",
                "prompt": "p",
                "candidates": [{"id": "a", "text": "only me"}],
            },
            "candidates",
        ),
        ({"instruction": "p", "completions": [{"model": "m", "response": "r"}]}, "completions"),
    ],
)
def test_an_item_with_one_candidate(
    tmp_path: Path, project: Project, row: dict[str, Any], field: str
) -> None:
    path = write_jsonl(tmp_path / "one.jsonl", [row])

    assert failed_import(project, path) == [
        (1, field, "an item needs at least 2 candidates, this one has 1")
    ]


def test_unknown_format(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, GOOD)

    errors = failed_import(project, path, format="sharegpt")

    assert errors[0][:2] == (0, "format")


def test_unknown_file_type(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, GOOD, name="rows.txt")

    errors = failed_import(project, path)

    assert errors[0][:2] == (0, "file_type")
    assert "rows.txt" in errors[0][2]


def test_a_mapping_that_does_not_match_the_rows(tmp_path: Path, project: Project) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", [{"q": "p", "answers": [{"t": "x"}]}])
    mapping = {
        "prompt": "q",
        "candidates": [{"text": "answers.0.t"}, {"text": "answers.1.t"}],
    }

    errors = failed_import(project, path, format="mapping", mapping=mapping)

    assert errors == [(1, "answers.1.t", "missing field answers.1.t (mapped to candidates.1.text)")]


def test_a_group_with_one_row(tmp_path: Path, project: Project) -> None:
    rows = [
        {"pid": 1, "prompt": "p1", "out": "x"},
        {"pid": 2, "prompt": "p2", "out": "y"},
        {"pid": 1, "prompt": "p1", "out": "z"},
    ]
    mapping = {"group_by": "pid", "prompt": "prompt", "candidate": {"text": "out"}}

    errors = failed_import(
        project, write_jsonl(tmp_path / "rows.jsonl", rows), format="mapping", mapping=mapping
    )

    assert errors == [(2, "pid", "group '2' has 1 row; an item needs 2 or more")]


def test_errors_stop_at_fifty(tmp_path: Path, project: Project) -> None:
    path = lines(tmp_path, *["{broken"] * 120)

    errors = failed_import(project, path, format="trl")

    assert len(errors) == MAX_ERRORS
    assert errors[-1][0] == MAX_ERRORS


def test_a_bad_row_after_many_good_batches_writes_nothing(tmp_path: Path, project: Project) -> None:
    rows = [json.dumps(row) for row in trl_rows(2500)]
    path = lines(tmp_path, *rows, '{"prompt": 1, "chosen": "c", "rejected": "r"}')

    errors = failed_import(project, path)

    assert errors == [(2501, "prompt", "expected a string or a list of messages, got a number")]


def test_gzip_parquet_is_refused(tmp_path: Path, project: Project) -> None:
    plain = write_parquet(tmp_path / "rows.parquet", trl_rows(2))
    path = tmp_path / "rows.parquet.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))

    errors = failed_import(project, path)

    assert "gzip" in errors[0][2]
