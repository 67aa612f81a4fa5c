"""Uploads stop at the size limit while they stream in, not after they are stored."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils.datastructures import MultiValueDict

from annotator.models import Item, Role
from annotator.uploads import SizeLimitUploadHandler
from tests.annotator.labeling import client_for, project_with_items
from tests.factories import member


def parse(body: bytes, limit: int) -> tuple[SizeLimitUploadHandler, MultiValueDict[str, Any]]:
    handler = SizeLimitUploadHandler(limit=limit)
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    parser = MultiPartParser(meta, io.BytesIO(body), [handler, MemoryFileUploadHandler()])
    _, files = parser.parse()
    return handler, files


def upload_body(size: int) -> bytes:
    return encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("a.jsonl", b"x" * size)})


def test_a_file_under_the_limit_is_parsed_whole() -> None:
    handler, files = parse(upload_body(1000), limit=1000)

    assert handler.exceeded is False
    assert files.getlist("file")[0].size == 1000


def test_parsing_stops_at_the_first_chunk_past_the_limit() -> None:
    handler, files = parse(upload_body(5 * 2**20), limit=2**20)

    assert handler.exceeded is True
    assert "file" not in files
    assert handler.received <= 2**20 + 64 * 2**10  # one chunk past the limit, not the file


@pytest.mark.django_db
def test_an_import_over_the_limit_is_refused_with_413_and_writes_nothing() -> None:
    project = project_with_items(1)
    client = client_for(member(project, Role.MANAGER))
    row = b'{"id": "x", "prompt": "p", "candidates": [{"id": "a", "text": "t"}]}\n'

    with override_settings(MOOT_IMPORT_MAX_BYTES=len(row) * 10):
        response = client.post(
            f"/api/projects/{project.pk}/import/",
            {"file": SimpleUploadedFile("items.jsonl", row * 50)},
            format="multipart",
        )

    assert response.status_code == 413
    assert "MOOT_IMPORT_MAX_BYTES" in response.json()["errors"][0]["message"]
    assert Item.objects.filter(project=project).count() == 1
