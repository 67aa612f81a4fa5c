"""Pushing a snapshot to the Hugging Face Hub (the Hub client is replaced: no network here)."""

from __future__ import annotations

import json
from typing import Any

import huggingface_hub
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from annotator.models import Export, Project, Role
from annotator.services.exports import export_build, export_path
from tests.annotator.exports.builders import PAIRWISE, add_item, annotate, people, project_with
from tests.factories import member

pytestmark = pytest.mark.django_db


class FakeHub:
    """Records what an ``HfApi`` would have been asked to do."""

    calls: list[tuple[str, Any]] = []
    fail: str | None = None

    def __init__(self, token: str | None = None, endpoint: str | None = None) -> None:
        self.calls.append(("init", {"token": token, "endpoint": endpoint}))

    def create_repo(self, repo_id: str, **kwargs: Any) -> None:
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))

    def create_commit(self, repo_id: str, operations: list[Any], **kwargs: Any) -> Any:
        if self.fail:
            raise RuntimeError(self.fail)
        files = {}
        for op in operations:
            source = op.path_or_fileobj
            files[op.path_in_repo] = (
                source if isinstance(source, bytes) else open(source, "rb").read()  # noqa: SIM115
            )
        self.calls.append(("create_commit", {"repo_id": repo_id, "files": files, **kwargs}))
        return type("Commit", (), {"commit_url": f"https://hub.test/{repo_id}/commit/1"})()


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> type[FakeHub]:
    FakeHub.calls = []
    FakeHub.fail = None
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeHub)
    return FakeHub


@pytest.fixture
def project() -> Project:
    project = project_with(PAIRWISE)
    (user,) = people(1)
    annotate(add_item(project, "x", {"a": "A", "b": "B"}), user, {"pref": {"winner": "a"}})
    return project


def manager(project: Project) -> APIClient:
    api = APIClient()
    api.force_authenticate(member(project, Role.MANAGER))
    return api


@override_settings(MOOT_HF_TOKEN="hf_secret")
def test_a_built_snapshot_is_pushed_with_its_manifest(project: Project, hub: type[FakeHub]) -> None:
    created = manager(project).post(
        f"/api/projects/{project.pk}/exports/",
        {"file_type": "parquet", "push_to_hub": "acme/prefs"},
        format="json",
    )
    assert created.status_code == 202, created.json()
    export_build(export_id=created.json()["id"])
    export = Export.objects.get()
    assert export.status == "done"
    assert export.hub_url == "https://hub.test/acme/prefs/commit/1"
    assert export.hub_error == ""
    (_, init), (_, repo), (_, commit) = hub.calls
    assert init["token"] == "hf_secret"
    assert repo == {
        "repo_id": "acme/prefs",
        "repo_type": "dataset",
        "private": True,
        "exist_ok": True,
    }
    assert commit["files"]["data/train.parquet"] == export_path(export).read_bytes()
    assert json.loads(commit["files"]["moot_manifest.json"]) == export.manifest
    assert export.content_sha256 in commit["commit_message"]


@override_settings(MOOT_HF_TOKEN="hf_secret")
def test_a_failed_push_is_recorded_and_the_snapshot_kept(
    project: Project, hub: type[FakeHub]
) -> None:
    hub.fail = "401 Unauthorized"
    created = manager(project).post(
        f"/api/projects/{project.pk}/exports/", {"push_to_hub": "acme/prefs"}, format="json"
    )
    export_build(export_id=created.json()["id"])
    export = Export.objects.get()
    assert export.status == "done"
    assert export.hub_error == "401 Unauthorized"
    assert export.hub_url == ""


@pytest.mark.parametrize(
    ("token", "body", "message"),
    [
        ("", {"push_to_hub": "acme/prefs"}, "MOOT_HF_TOKEN"),
        ("hf_x", {"push_to_hub": "not a repo"}, "org/name"),
        ("hf_x", {"push_to_hub": "acme/prefs", "file_type": "hf"}, "not hf"),
    ],
)
def test_a_push_that_cannot_work_is_refused_up_front(
    project: Project, hub: type[FakeHub], token: str, body: dict[str, Any], message: str
) -> None:
    with override_settings(MOOT_HF_TOKEN=token):
        response = manager(project).post(
            f"/api/projects/{project.pk}/exports/", body, format="json"
        )
    assert response.status_code == 400
    assert message in response.json()["push_to_hub"][0]
    assert not Export.objects.exists()
    assert hub.calls == []
