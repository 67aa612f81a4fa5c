"""Query-string parsing shared by the API views."""

from __future__ import annotations

from collections.abc import Sequence

from rest_framework.exceptions import ValidationError
from rest_framework.request import Request


def int_param(request: Request, name: str) -> int | None:
    """A non-negative integer query parameter, ``None`` when absent; 400 naming it otherwise
    (empty included: ``?limit=`` is not a number)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isdigit():
        raise ValidationError({name: ["Expected a non-negative integer."]})
    return int(raw)


def bool_param(request: Request, name: str) -> bool | None:
    """``true`` or ``false``, ``None`` when absent; 400 naming it otherwise (empty included)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw not in {"true", "false"}:
        raise ValidationError({name: ["Expected true or false."]})
    return raw == "true"


def choice_param(request: Request, name: str, choices: Sequence[str]) -> str | None:
    """One of ``choices``, ``None`` when absent; 400 naming it otherwise (empty included)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if raw not in choices:
        raise ValidationError({name: [f"Use one of: {', '.join(choices)}."]})
    return raw
