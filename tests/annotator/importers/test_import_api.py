"""POST /api/projects/{id}/import/: uploads, results, errors and who may import."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from annotator.models import Annotation, Item, Project, Role
from tests.annotator.importers.files import counts, trl_rows, write_parquet
from tests.factories import member, new_project, new_user

pytestmark = pytest.mark.django_db


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(project: Project) -> str:
    return f"/api/projects/{project.pk}/import/"


def jsonl_upload(rows: list[dict[str, Any]], name: str = "rows.jsonl") -> SimpleUploadedFile:
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    return SimpleUploadedFile(name, body, content_type="application/x-ndjson")


@pytest.mark.parametrize("role", [Role.OWNER, Role.MANAGER])
def test_managers_and_owners_import(project: Project, role: str) -> None:
    response = as_user(member(project, role)).post(
        url(project), {"file": jsonl_upload(trl_rows(3))}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "format": "trl",
        "references": 0,
        "annotations": 0,
    }
    assert Item.objects.filter(project=project).count() == 3


def test_second_upload_of_the_same_file_is_all_unchanged(project: Project) -> None:
    client = as_user(member(project, Role.MANAGER))
    client.post(url(project), {"file": jsonl_upload(trl_rows(4))}, format="multipart")

    again = client.post(url(project), {"file": jsonl_upload(trl_rows(4))}, format="multipart")

    assert again.json()["unchanged"] == 4
    assert Item.objects.count() == 4


def test_parquet_upload_with_explicit_format(tmp_path: Path, project: Project) -> None:
    path = write_parquet(tmp_path / "t.parquet", trl_rows(2, conversational=True))
    upload = SimpleUploadedFile("t.parquet", path.read_bytes())

    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"file": upload, "format": "trl"}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2


def test_file_type_overrides_the_name(project: Project) -> None:
    upload = SimpleUploadedFile("export.txt", b"prompt,chosen,rejected\np,c,r\n")

    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"file": upload, "file_type": "csv"}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 1


def test_group_by_mapping_over_two_uploaded_files(project: Project) -> None:
    files = [
        jsonl_upload([{"pid": "p1", "q": "Hi?", "a": f"{m} says hi"}], name=f"{m}.jsonl")
        for m in ("gpt", "llama")
    ]
    mapping = {
        "group_by": "pid",
        "prompt": "q",
        "candidate": {"text": "a", "model": {"file_name": True}},
    }

    response = as_user(member(project, Role.OWNER)).post(
        url(project),
        {"file": files, "format": "mapping", "mapping": json.dumps(mapping)},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    item = Item.objects.get()
    assert [(c.key, c.model_name) for c in item.candidates.all()] == [
        ("a", "gpt"),
        ("b", "llama"),
    ]


def test_reference_annotator_through_the_api(project: Project) -> None:
    row = {
        "question_id": "b1",
        "model_a": "x",
        "model_b": "y",
        "winner": "model_b",
        "conversation_a": [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "from x"},
        ],
        "conversation_b": [
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "from y"},
        ],
    }

    response = as_user(member(project, Role.OWNER)).post(
        url(project),
        {"file": jsonl_upload([row]), "reference_annotator": "arena"},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["references"] == 1
    winner = Item.objects.get().candidates.get(model_name="y").key
    assert Annotation.objects.get().answers == {"pref": {"winner": winner}}


def test_bad_rows_answer_400_with_lines_and_write_nothing(project: Project) -> None:
    body = b'{"prompt": "p", "chosen": "c", "rejected": "r"}\n{"prompt": "q", "chosen": "c"}\n'
    upload = SimpleUploadedFile("bad.jsonl", body)

    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "line": 2,
                "field": "rejected",
                "message": "missing field rejected",
                "file": "bad.jsonl",
            }
        ]
    }
    assert counts() == (0, 0, 0)


def test_missing_file_is_a_400_in_the_same_shape(project: Project) -> None:
    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"format": "trl"}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_bad_mapping_json_is_a_400(project: Project) -> None:
    response = as_user(member(project, Role.OWNER)).post(
        url(project),
        {"file": jsonl_upload(trl_rows(1)), "format": "mapping", "mapping": "{nope"},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "mapping"


@override_settings(MOOT_IMPORT_MAX_BYTES=100)
def test_uploads_over_the_size_limit_are_refused(project: Project) -> None:
    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"file": jsonl_upload(trl_rows(20))}, format="multipart"
    )

    assert response.status_code == 413
    assert "MOOT_IMPORT_MAX_BYTES" in response.json()["errors"][0]["message"]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("role", [Role.ANNOTATOR, Role.REVIEWER])
def test_annotators_and_reviewers_get_403(project: Project, role: str) -> None:
    response = as_user(member(project, role)).post(
        url(project), {"file": jsonl_upload(trl_rows(1))}, format="multipart"
    )

    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_non_members_get_404(project: Project) -> None:
    elsewhere = new_project()
    outsider = member(elsewhere, Role.OWNER)

    response = as_user(outsider).post(
        url(project), {"file": jsonl_upload(trl_rows(1))}, format="multipart"
    )

    assert response.status_code == 404
    assert counts() == (0, 0, 0)


def test_anonymous_gets_401(api: APIClient, project: Project) -> None:
    response = api.post(url(project), {"file": jsonl_upload(trl_rows(1))}, format="multipart")

    assert response.status_code == 401


def test_a_user_without_projects_gets_404_for_a_missing_project() -> None:
    response = as_user(new_user()).post(
        "/api/projects/999999/import/",
        {"file": io.BytesIO(b"x")},
        format="multipart",
    )

    assert response.status_code == 404


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0)
@pytest.mark.parametrize("name", ["rows.parquet", "rows.jsonl.gz"])
def test_uploads_spooled_to_disk_are_read_too(tmp_path: Path, project: Project, name: str) -> None:
    rows = trl_rows(3, conversational=True)
    if name.endswith(".parquet"):
        body = write_parquet(tmp_path / name, rows).read_bytes()
    else:
        body = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())

    response = as_user(member(project, Role.OWNER)).post(
        url(project), {"file": SimpleUploadedFile(name, body)}, format="multipart"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 3
