"""Query-string parsing shared by the API views."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def int_param(request: Request, name: str) -> int | None:
    """A non-negative integer query parameter, ``None`` when absent; 400 naming it otherwise."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise ValidationError({name: ["Expected a non-negative integer."]})
    return int(raw)
