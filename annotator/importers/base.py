"""Shared shapes of the import pipeline: row errors, parsed items and their reference labels.

Plain Python, no ORM. A layout adapter turns one raw row (a dict from a reader) into a
``ParsedItem``: a validated ``NativeItem`` plus any labels the source carried (and, for the
``raw`` layout, the annotations it holds). Anything wrong with a row is a ``RowError`` naming
the line and the source field.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import string
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from annotator.items import NativeItem

# Canonical candidate keys, in order: a, b, c, ... (NativeItem allows at most 26 candidates).
CANDIDATE_KEYS = tuple(string.ascii_lowercase)
# Fields in the source that name an item, tried in this order.
ID_FIELDS = ("external_id", "id", "question_id")
# Deeper values are refused: no layout needs them, and walking them would exhaust the stack.
MAX_DEPTH = 100
# PostgreSQL stores neither NUL characters nor unpaired surrogates, in text or in JSON.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class RowError:
    """One problem with the input. ``line`` is 1-based; 0 means the file (or request) as a whole."""

    line: int
    field: str | None
    message: str
    file: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message, "file": self.file}


class RowInvalid(Exception):
    """Raised by adapters for a bad row; the pipeline turns it into a ``RowError``."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ReferenceLabels:
    """Labels found in the source, in canonical candidate keys.

    ``winner`` is a key or ``"tie"``; ``ratings`` maps key → aspect → number.
    """

    winner: str | None = None
    both_bad: bool = False
    ratings: dict[str, dict[str, float]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.winner is not None or bool(self.ratings)


@dataclass(frozen=True)
class RawVersion:
    """One entry of an annotation's edit history (``raw`` layout)."""

    version: int
    answers: dict[str, Any]
    time_spent_ms: int = 0
    edited_by: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class RawReview:
    """One review decision on an annotation (``raw`` layout)."""

    reviewer: str | None
    decision: str
    comment: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class RawAnnotation:
    """An annotation as a ``raw`` export holds it, checked for shape but not yet against the
    project's questions (the pipeline does not know the project). ``None`` times mean "now"."""

    annotator: str
    status: str
    answers: dict[str, Any]
    display_order: list[str]
    time_spent_ms: int = 0
    version: int = 1
    review_status: str = "pending"
    is_gold: bool = False
    is_reference: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: tuple[RawVersion, ...] = ()
    reviews: tuple[RawReview, ...] = ()


@dataclass(frozen=True)
class ParsedItem:
    line: int
    file: str
    item: NativeItem
    labels: ReferenceLabels
    annotations: tuple[RawAnnotation, ...] = ()


@dataclass
class CandidateDraft:
    """A candidate as an adapter found it, before keys are assigned."""

    text: str
    model: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    ratings: dict[str, float] = field(default_factory=dict)


@dataclass
class ItemDraft:
    """What an adapter extracted from one row (or one group of rows)."""

    prompt: str | list[dict[str, str]]
    candidates: list[CandidateDraft]
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    rubric: Any = None
    gold: Any = None
    # Index into ``candidates`` (source order) of the preferred one, or "tie".
    winner: int | str | None = None
    both_bad: bool = False
    # Assign keys by a shuffle seeded by the external id, so a key does not reveal the label.
    shuffle_keys: bool = False
    # Annotations carried by the row (``raw`` layout only).
    annotations: tuple[RawAnnotation, ...] = ()


def _normalise_text(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()


def content_id(prompt: str | list[dict[str, str]], texts: Sequence[str]) -> str:
    """An external id derived from content: the same prompt and candidates give the same id."""
    if isinstance(prompt, str):
        norm_prompt: Any = _normalise_text(prompt)
    else:
        norm_prompt = [[m["role"], _normalise_text(m["content"])] for m in prompt]
    payload = json.dumps(
        {"prompt": norm_prompt, "candidates": [_normalise_text(t) for t in texts]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def shuffled_keys(external_id: str, count: int) -> list[str]:
    """Keys for ``count`` candidates in source order, permuted by a hash of the external id.

    Deterministic (a re-import gives every candidate the same key) and independent of Python's
    ``random`` implementation.
    """

    def rank(position: int) -> bytes:
        return hashlib.sha256(f"{external_id}\x00{position}".encode()).digest()

    order = sorted(range(count), key=rank)
    keys = [""] * count
    for key_index, position in enumerate(order):
        keys[position] = CANDIDATE_KEYS[key_index]
    return keys


def source_id(row: dict[str, Any], fields: Sequence[str] = ID_FIELDS) -> str | None:
    """The row's own id from the first of ``fields`` present (numbers become strings)."""
    for name in fields:
        value = row.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RowInvalid(name, f"expected a string or an integer id, got {type_name(value)}")
        return str(value)
    return None


_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    ((list, tuple), "a list"),
    (dict, "an object"),
)


def type_name(value: object) -> str:
    """How a JSON value's type is named in messages."""
    if value is None:
        return "null"
    for types, name in _TYPE_NAMES:
        if isinstance(value, types):
            return name
    return type(value).__name__


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a value read from Parquet or JSON (dates as text, NaN as null)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _text_problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character (\\u0000), which cannot be stored; remove it"
    return f"contains an unpaired surrogate ({_escaped(found.group())}), which is not valid text"


def _escaped(text: str) -> str:
    """``text`` with what cannot be stored (or sent back as UTF-8) written as ``\\uXXXX``."""
    return _UNSTORABLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def unstorable(value: Any) -> tuple[str | None, str] | None:
    """Where in a parsed value there is something the database cannot store, and what.

    Finds NUL characters and unpaired surrogates (in text, bytes and object keys) and nesting over
    ``MAX_DEPTH``; returns ``(dotted path, message)`` for the first, or ``None``. Iterative, so
    a deep value cannot overflow the stack here.
    """
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if isinstance(node, bytes):  # a Parquet binary value, kept as text (``jsonable``)
            node = node.decode("utf-8", errors="replace")
        if isinstance(node, str):
            problem = _text_problem(node)
            if problem:
                return where or None, problem
        elif isinstance(node, dict | list | tuple):
            if depth >= MAX_DEPTH:
                # The whole path would be a hundred segments long; its start finds it.
                return where.split(".", 1)[0] or None, f"nested more than {MAX_DEPTH} levels deep"
            pairs = node.items() if isinstance(node, dict) else enumerate(node)
            children = []
            for key, child in pairs:
                name = _escaped(key) if isinstance(key, str) else str(key)
                inner = f"{where}.{name}" if where else name
                problem = _text_problem(key) if isinstance(key, str) else None
                if problem:
                    return inner, f"the name {problem}"
                children.append((child, inner, depth + 1))
            stack.extend(reversed(children))
    return None


class InvalidJson(ValueError):
    """JSON text that cannot be read; the message says why, in words for the user."""


def load_json(text: str | bytes) -> Any:
    """``json.loads``, failing only with ``InvalidJson``: besides bad syntax, ``json.loads``
    raises ``RecursionError`` for deep nesting and a plain ``ValueError`` for an integer over
    Python's digit limit (4300 by default)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidJson(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise InvalidJson(f"invalid JSON: nested more than {MAX_DEPTH} levels deep") from None
    except UnicodeDecodeError:  # bytes given
        raise InvalidJson("invalid JSON: not valid UTF-8") from None
    except ValueError:
        limit = sys.get_int_max_str_digits()
        raise InvalidJson(f"invalid JSON: a number has more than {limit} digits") from None


def finite_float(value: int | float) -> float | None:
    """A number as a float, or ``None`` for NaN, infinities and integers too large for a float.

    Ratings that are not finite count as no rating: pandas writes a missing float as NaN.
    """
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def error_from_validation(exc: ValidationError) -> RowInvalid:
    """The first pydantic error as a ``RowInvalid`` with a dotted field path."""
    err = exc.errors()[0]
    path = ".".join(str(part) for part in err["loc"]) or None
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        message = f"missing field {path}"
    return RowInvalid(path, message)


def finish_item(
    draft: ItemDraft, *, candidates_field: str = "candidates"
) -> tuple[NativeItem, ReferenceLabels]:
    """Assign external id and keys, validate as a ``NativeItem`` and map labels to keys."""
    count = len(draft.candidates)
    if count < 2:
        raise RowInvalid(
            candidates_field, f"an item needs at least 2 candidates, this one has {count}"
        )
    if count > len(CANDIDATE_KEYS):
        raise RowInvalid(
            candidates_field, f"an item has at most {len(CANDIDATE_KEYS)} candidates, not {count}"
        )
    external_id = draft.external_id or content_id(draft.prompt, [c.text for c in draft.candidates])
    if draft.shuffle_keys:
        keys = shuffled_keys(external_id, count)
    else:
        keys = [c.key or CANDIDATE_KEYS[i] for i, c in enumerate(draft.candidates)]
    # Stored in key order: the database's candidate position then reveals nothing either.
    order = sorted(range(count), key=lambda i: keys[i]) if draft.shuffle_keys else range(count)
    raw = {
        "external_id": external_id,
        "prompt": draft.prompt,
        "candidates": [
            {
                "id": keys[i],
                "text": draft.candidates[i].text,
                "model": draft.candidates[i].model,
                "meta": draft.candidates[i].meta,
            }
            for i in order
        ],
        "meta": draft.meta,
        "rubric": [] if draft.rubric in (None, "") else draft.rubric,
        "gold": None if draft.gold == "" else draft.gold,
    }
    try:
        item = NativeItem.model_validate(raw)
    except ValidationError as exc:
        raise error_from_validation(exc) from None
    winner: str | None = None
    if draft.winner == "tie":
        winner = "tie"
    elif isinstance(draft.winner, int):
        winner = keys[draft.winner]
    ratings = {keys[i]: dict(c.ratings) for i, c in enumerate(draft.candidates) if c.ratings}
    return item, ReferenceLabels(winner=winner, both_bad=draft.both_bad, ratings=ratings)
