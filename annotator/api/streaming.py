"""Streaming responses that stay streamed under ASGI, and byte ranges for file downloads.

Under ASGI, Django consumes a *synchronous* streaming iterator whole before sending the first
byte (``StreamingHttpResponse.__aiter__``), which would hold a multi-gigabyte export in
memory. These helpers hand ASGI an asynchronous iterator that pulls one block at a time in a
worker thread, and keep a plain iterator under WSGI (and the test client).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse

BLOCK_BYTES = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_END = object()


def _next(iterator: Iterator[bytes]) -> Any:
    return next(iterator, _END)


async def _pulled(iterator: Iterator[bytes]) -> AsyncIterator[bytes]:
    # thread_sensitive: every step runs on the request's one sync thread, so a generator that
    # reads the database keeps one connection and one transaction state.
    step = sync_to_async(_next, thread_sensitive=True)
    try:
        while (part := await step(iterator)) is not _END:
            yield part
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()


def streaming_response(
    request: HttpRequest, parts: Iterable[bytes], *, content_type: str, status: int = 200
) -> StreamingHttpResponse:
    """A response that streams ``parts`` without buffering them, under ASGI and WSGI alike."""
    iterator = iter(parts)
    content: Any = _pulled(iterator) if isinstance(request, ASGIRequest) else iterator
    return StreamingHttpResponse(content, content_type=content_type, status=status)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class RangeNotSatisfiable(ValueError):
    pass


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range a ``Range`` header asks for, or ``None`` for the whole file.

    Several ranges, or a unit other than bytes, get the whole file (allowed by RFC 9110);
    a range that starts past the end raises ``RangeNotSatisfiable``.
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(max(0, size - length), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        raise RangeNotSatisfiable(header)
    return ByteRange(start, end)


def file_blocks(path: Path, start: int, length: int) -> Iterator[bytes]:
    handle: IO[bytes] = path.open("rb")
    try:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(BLOCK_BYTES, left))
            if not block:
                return
            left -= len(block)
            yield block
    finally:
        handle.close()
