"""Request body parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def unstorable_text(data: object) -> str | None:
    """Why a string in ``data`` (a key or a value, at any depth) cannot be stored; else None.

    JSON may spell characters that PostgreSQL refuses: NUL (``\\u0000``) in text or jsonb, and
    a lone UTF-16 surrogate (``\\ud800``), which has no UTF-8 form at all.
    """
    pending: list[object] = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return "strings cannot contain the NUL character (\\u0000)"
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return "strings cannot contain unpaired surrogates (\\ud800-\\udfff)"
        elif isinstance(node, Mapping):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return None


class StorableJSONParser(JSONParser):
    """JSON bodies, refused with a 400 when a string in them could not be stored."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        problem = unstorable_text(data)
        if problem is not None:
            raise ParseError(f"JSON parse error - {problem}.")
        return data
