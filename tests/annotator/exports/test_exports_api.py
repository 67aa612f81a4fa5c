"""The export API: snapshots (create, build, manifest, ranged download, delete) and records."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from celery import current_app
from django.db import transaction as django_transaction
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from annotator.exports.build import export_write
from annotator.models import Export, ExportStatus, Project, Role
from annotator.services import exports as exports_service
from annotator.services.exports import export_build, export_path
from tests.annotator.exports.builders import (
    PAIRWISE,
    RANKING,
    add_item,
    annotate,
    people,
    project_with,
)
from tests.factories import member, new_project, new_user

pytestmark = pytest.mark.django_db


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def project() -> Project:
    project = project_with(PAIRWISE, name="Helpfulness")
    u1, u2 = people(2)
    for i in range(30):
        item = add_item(project, f"q{i:02}", {"a": f"A{i} " * 20, "b": f"B{i} " * 20})
        annotate(item, u1, {"pref": {"winner": "a" if i % 3 else "b"}})
        annotate(item, u2, {"pref": {"winner": "a" if i % 5 else "b"}})
    return project


@pytest.fixture
def manager(project: Project) -> APIClient:
    return client(member(project, Role.MANAGER))


def built(manager: APIClient, project: Project, **options: Any) -> dict[str, Any]:
    """Create a snapshot through the API and build it here, as the worker would."""
    created = manager.post(f"/api/projects/{project.pk}/exports/", options, format="json")
    assert created.status_code == 202, created.json()
    assert created.json()["status"] == "queued"
    assert created.json()["download_url"] is None
    export_build(export_id=created.json()["id"])
    detail = manager.get(f"/api/exports/{created.json()['id']}/")
    assert detail.status_code == 200
    return dict(detail.json())


def test_a_snapshot_is_built_with_its_manifest(manager: APIClient, project: Project) -> None:
    export = built(manager, project, format="preference", margin="agreement")
    assert export["status"] == "done"
    assert export["rows"] == export["manifest"]["counts"]["rows"]
    manifest = export["manifest"]
    assert manifest["project"] == {"id": project.pk, "name": "Helpfulness"}
    assert manifest["format"] == "preference"
    assert manifest["file_type"] == "jsonl"
    assert manifest["schema_version"] == 1
    assert manifest["settings"]["aggregation"] == "majority"
    assert manifest["settings"]["question"] == "pref"  # the default, resolved
    assert manifest["counts"]["items"] == 30
    assert [c["name"] for c in manifest["columns"]][:4] == [
        "prompt",
        "chosen",
        "rejected",
        "margin",
    ]
    assert manifest["file_name"] == f"helpfulness-preference-{export['id']}.jsonl"
    body = manager.get(export["download_url"])
    assert body.status_code == 200
    content = b"".join(body.streaming_content)  # type: ignore[attr-defined]
    assert hashlib.sha256(content).hexdigest() == export["file_sha256"] == export["content_sha256"]
    assert len(content) == export["size_bytes"] == int(body["Content-Length"])
    assert body["Accept-Ranges"] == "bytes"
    assert 'filename="helpfulness-preference-' in body["Content-Disposition"]
    assert len(content.splitlines()) == export["rows"]


def test_exporting_twice_gives_the_same_hash(manager: APIClient, project: Project) -> None:
    first = built(manager, project, file_type="parquet")
    second = built(manager, project, file_type="parquet")
    assert first["id"] != second["id"]
    assert first["content_sha256"] == second["content_sha256"]
    assert first["file_sha256"] == second["file_sha256"]
    listed = manager.get(f"/api/projects/{project.pk}/exports/").json()
    assert [e["id"] for e in listed["results"]] == [second["id"], first["id"]]


def test_ranged_downloads_resume(manager: APIClient, project: Project) -> None:
    export = built(manager, project)
    url = export["download_url"]
    whole = b"".join(manager.get(url).streaming_content)  # type: ignore[attr-defined]
    part = manager.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[100:200]  # type: ignore[attr-defined]
    rest = manager.get(url, HTTP_RANGE="bytes=200-", HTTP_IF_RANGE=f'"{export["file_sha256"]}"')
    assert b"".join(rest.streaming_content) == whole[200:]  # type: ignore[attr-defined]
    tail = manager.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == whole[-10:]  # type: ignore[attr-defined]
    changed = manager.get(url, HTTP_RANGE="bytes=200-", HTTP_IF_RANGE='"another-file"')
    assert changed.status_code == 200
    refused = manager.get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert refused.status_code == 416
    assert refused["Content-Range"] == f"bytes */{len(whole)}"


def test_a_snapshot_not_built_yet_cannot_be_downloaded(
    manager: APIClient, project: Project
) -> None:
    created = manager.post(f"/api/projects/{project.pk}/exports/", {}, format="json").json()
    response = manager.get(f"/api/exports/{created['id']}/download/")
    assert response.status_code == 409
    assert "queued" in response.json()["detail"]


def test_delete_removes_the_file(
    manager: APIClient, project: Project, django_capture_on_commit_callbacks: Any
) -> None:
    export = built(manager, project)
    path = export_path(Export.objects.get(pk=export["id"]))
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.delete(f"/api/exports/{export['id']}/").status_code == 204
    assert not path.exists()
    assert not Export.objects.exists()


def test_the_file_stays_until_the_deletion_commits(manager: APIClient, project: Project) -> None:
    export = built(manager, project)
    path = export_path(Export.objects.get(pk=export["id"]))

    with django_transaction.atomic():
        exports_service.export_delete(Export.objects.get(pk=export["id"]))
        django_transaction.set_rollback(True)

    assert path.exists()
    assert Export.objects.filter(pk=export["id"]).exists()


def test_deleting_a_project_removes_its_export_files(
    project: Project, django_capture_on_commit_callbacks: Any
) -> None:
    owner = client(member(project, Role.OWNER))
    export = built(owner, project)
    path = export_path(Export.objects.get(pk=export["id"]))

    with django_capture_on_commit_callbacks(execute=True):
        assert owner.delete(f"/api/projects/{project.pk}/").status_code == 204

    assert not path.exists()


def test_a_failed_build_says_why(manager: APIClient, project: Project) -> None:
    created = manager.post(f"/api/projects/{project.pk}/exports/", {}, format="json").json()
    project.questions = [{"id": "other", "kind": "text"}]
    project.save()
    export_build(export_id=created["id"])
    export = manager.get(f"/api/exports/{created['id']}/").json()
    assert export["status"] == "failed"
    assert "no question 'pref'" in export["error"]
    assert not list(export_path(Export.objects.get(pk=created["id"])).parent.glob("*.partial"))


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"format": "nope"}, "format"),
        ({"format": "raw", "file_type": "csv"}, "file_type"),
        ({"format": "ranking"}, "format"),  # the project has no ranking question
        ({"question": "missing"}, "question"),
        ({"aggregation": "min_agreement", "min_agreement": 0.4}, "min_agreement"),
        ({"format": "unpaired", "margin": "agreement"}, "margin"),
        ({"dimension": "helpfulness"}, "dimension"),
        ({"judges": ["x"]}, "judges"),
    ],
)
def test_bad_options_are_a_400_naming_the_field(
    manager: APIClient, project: Project, options: dict[str, Any], field: str
) -> None:
    response = manager.post(f"/api/projects/{project.pk}/exports/", options, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Export.objects.exists()


def test_dawid_skene_needs_pairs() -> None:
    project = project_with(RANKING)
    manager = client(member(project, Role.MANAGER))
    response = manager.post(
        f"/api/projects/{project.pk}/exports/",
        {"format": "ranking", "aggregation": "dawid_skene"},
        format="json",
    )
    assert response.status_code == 400
    assert "aggregation" in response.json()


def test_a_broker_that_is_down_is_a_503(
    manager: APIClient, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(current_app, "send_task", refuse)
    response = manager.post(f"/api/projects/{project.pk}/exports/", {}, format="json")
    assert response.status_code == 503
    assert Export.objects.get().status == ExportStatus.FAILED


@pytest.mark.parametrize("role", [Role.ANNOTATOR, Role.REVIEWER, None])
def test_only_managers_and_owners_see_exports(project: Project, role: str | None) -> None:
    owner = client(member(project, Role.OWNER))
    export = built(owner, project)
    user = member(project, role) if role else new_user()
    expected = 403 if role else 404
    caller = client(user)
    paths = [
        f"/api/projects/{project.pk}/exports/",
        f"/api/exports/{export['id']}/",
        f"/api/exports/{export['id']}/download/",
        f"/api/projects/{project.pk}/records/",
    ]
    for path in paths:
        assert caller.get(path).status_code == expected, path
    assert caller.post(paths[0], {}, format="json").status_code == expected
    assert caller.delete(paths[1]).status_code == expected
    assert APIClient().get(paths[2]).status_code in (401, 403)
    # Another project's owner is a non-member here.
    stranger = client(member(new_project(), Role.OWNER))
    assert stranger.get(paths[2]).status_code == 404


def records(api: APIClient, project: Project, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    response = api.get(f"/api/projects/{project.pk}/records/", params)
    if response.status_code != 200:
        return response.status_code, [response.json()]
    assert response["Content-Type"] == "application/x-ndjson"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return 200, [json.loads(line) for line in body.splitlines()]


def test_records_stream_the_export_rows_with_cursors(manager: APIClient, project: Project) -> None:
    export = built(manager, project)
    status, found = records(manager, project)
    assert status == 200
    file_rows = [
        json.loads(line)
        for line in export_path(Export.objects.get(pk=export["id"])).read_text().splitlines()
    ]
    assert [{k: v for k, v in r.items() if k != "_cursor"} for r in found] == file_rows
    assert len({r["_cursor"] for r in found}) == len(found)


def test_a_broken_records_download_resumes_after_the_last_row(
    manager: APIClient, project: Project
) -> None:
    _, everything = records(manager, project, format="unpaired")
    pulled: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"format": "unpaired", "limit": 7} | ({"cursor": cursor} if cursor else {})
        _, page = records(manager, project, **params)
        if not page:
            break
        pulled += page
        cursor = page[-1]["_cursor"]
    assert pulled == everything
    assert len(everything) > 14


def test_records_reject_bad_parameters(manager: APIClient, project: Project) -> None:
    assert records(manager, project, cursor="garbage!")[0] == 400
    status, (body,) = records(manager, project, cursor="djE6eDox")  # "v1:x:1"
    assert status == 400
    assert "cursor" in body
    status, (body,) = records(manager, project, format="ranking")
    assert status == 400
    assert "format" in body
    status, (body,) = records(manager, project, weights="helpfulness")
    assert status == 400
    assert "weights" in body
    status, (body,) = records(manager, project, limit="-1")
    assert status == 400
    assert "limit" in body


@pytest.mark.parametrize("progress_every_s", [0.0, 3600.0])
def test_a_snapshot_deleted_while_it_builds_stays_deleted(
    manager: APIClient, project: Project, monkeypatch: pytest.MonkeyPatch, progress_every_s: float
) -> None:
    """Deleted mid-build, noticed at the next progress update (0 s) or at the end (3600 s)."""
    created = manager.post(f"/api/projects/{project.pk}/exports/", {}, format="json").json()
    path = export_path(Export.objects.get(pk=created["id"]))

    def delete_then_write(built: Any, target: Any, **kwargs: Any) -> Any:
        assert manager.delete(f"/api/exports/{created['id']}/").status_code == 204
        return export_write(built, target, **kwargs)

    monkeypatch.setattr(exports_service, "export_write", delete_then_write)
    monkeypatch.setattr(exports_service, "PROGRESS_EVERY_S", progress_every_s)
    export_build(export_id=created["id"])
    assert not Export.objects.exists()
    assert not list(path.parent.glob(f"{path.stem}*"))
