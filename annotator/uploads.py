"""Refusing an upload once it passes a size limit, while it streams in.

``Content-Length`` is checked before reading, but a chunked request has none: without this
handler Django would spool the whole body to a temporary file before the view could measure it.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops parsing (and says so in ``exceeded``) once the files' bytes pass ``limit``."""

    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handlers (memory, then temporary file) build the file


def limit_uploads(request: HttpRequest, limit: int) -> SizeLimitUploadHandler:
    """Put a size limit in front of ``request``'s upload handlers; call before reading files."""
    handler = SizeLimitUploadHandler(request, limit=limit)
    request.upload_handlers.insert(0, handler)
    return handler
