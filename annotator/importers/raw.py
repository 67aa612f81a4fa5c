"""The ``raw`` layout: a project's ``raw`` export, items with their annotations.

A row is a native item (``annotator.importers.layouts.native``) plus ``annotations`` (each with
its edit history and reviews) and ``predictions`` (judges' predictions, accepted and ignored:
they are re-created by running the judges, not imported). Candidates may carry ``position``;
they are stored in that order.

Plain Python, no ORM, in two steps:

* ``raw`` (a layout adapter) checks everything a row can tell on its own: field types, status
  and review values, versions, times, display orders against the item's candidate keys, one
  annotation per annotator;
* ``check_answers`` checks the answers against the target project's questions, which the
  pipeline does not know; the import service calls it batch by batch.

Error fields are paths into the row, such as ``annotations[2].answers.pref.winner``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator

from annotator.answers import AnswersInvalid, validate_answers
from annotator.importers.base import (
    InvalidJson,
    ItemDraft,
    ParsedItem,
    RawAnnotation,
    RawReview,
    RawVersion,
    RowInvalid,
    jsonable,
    load_json,
    type_name,
    unstorable,
)
from annotator.importers.layouts import NATIVE_FIELDS, native

RAW_FIELDS = (*NATIVE_FIELDS, "id", "annotations", "predictions")
# Item fields that may come as JSON text (see ``_json_text``).
_FREE_FORM = frozenset({"meta", "rubric", "gold"})
STATUSES = ("submitted", "skipped")
REVIEW_STATUSES = ("pending", "accepted", "rejected")
DECISIONS = ("accept", "reject")
_ANNOTATION_FIELDS = frozenset(
    {
        "annotator",
        "status",
        "answers",
        "display_order",
        "time_spent_ms",
        "version",
        "review_status",
        "is_gold",
        "is_reference",
        "created_at",
        "updated_at",
        "history",
        "reviews",
    }
)
_VERSION_FIELDS = frozenset({"version", "answers", "time_spent_ms", "edited_by", "created_at"})
_REVIEW_FIELDS = frozenset({"reviewer", "decision", "comment", "created_at"})
# The database's integer columns (PositiveIntegerField) hold at most this.
_MAX_INT = 2**31 - 1
_USERNAME = re.compile(UnicodeUsernameValidator.regex)
_MAX_USERNAME = 150


def raw(row: dict[str, Any]) -> ItemDraft:
    """A ``raw`` export row: the item as in the native layout, plus its annotations."""
    unknown = sorted(set(row) - set(RAW_FIELDS))
    if unknown:
        raise RowInvalid(unknown[0], f"unknown field {unknown[0]} in the raw layout")
    item_row = {
        k: _json_text(v, k) if k in _FREE_FORM else v
        for k, v in row.items()
        if k not in ("annotations", "predictions")
    }
    positions = _positions(item_row.get("candidates"))
    if isinstance(item_row.get("candidates"), list):
        item_row["candidates"] = [
            _candidate(entry, f"candidates.{index}")
            for index, entry in enumerate(item_row["candidates"])
        ]
    draft = native(item_row)
    if positions is not None:
        order = sorted(range(len(draft.candidates)), key=lambda i: positions[i])
        draft.candidates = [draft.candidates[i] for i in order]
    keys = [c.key or "" for c in draft.candidates]
    draft.annotations = _annotations(row.get("annotations"), keys)
    return draft


def _json_text(value: Any, where: str) -> Any:
    """A free-form field, read as JSON when it is text. A raw export writes ``meta``,
    ``rubric``, ``gold``, candidates' ``meta`` and answers as JSON text in Parquet, where they
    have no fixed type; none of them is text otherwise, so this is never ambiguous."""
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None  # an empty CSV cell
    return _loaded(value, where, "expected JSON, got text that is not JSON")


def _loaded(text: str, where: str, message: str) -> Any:
    """JSON text read, and checked as the reader checks the row it came in (``unstorable``)."""
    try:
        value = load_json(text)
    except InvalidJson:
        raise RowInvalid(where, message) from None
    problem = unstorable(value)
    if problem is not None:
        inner, reason = problem
        raise RowInvalid(f"{where}.{inner}" if inner else where, reason)
    return value


def _candidate(entry: Any, where: str) -> Any:
    """A candidate for the native layout: ``position`` taken out, ``meta`` read as JSON."""
    if not isinstance(entry, dict):
        return entry  # native names the problem
    fields = {k: v for k, v in entry.items() if k != "position"}
    if "meta" in fields:
        fields["meta"] = _json_text(fields["meta"], f"{where}.meta")
    return fields


def _positions(candidates: Any) -> list[int] | None:
    """Each candidate's ``position`` (``None`` when no candidate has one)."""
    if not isinstance(candidates, list) or not any(
        isinstance(c, dict) and c.get("position") is not None for c in candidates
    ):
        return None
    positions: list[int] = []
    for index, entry in enumerate(candidates):
        value = entry.get("position") if isinstance(entry, dict) else None
        where = f"candidates.{index}.position"
        if value is None:
            raise RowInvalid(where, "give every candidate a position, or none")
        positions.append(_int(value, where, minimum=0))
        if positions[-1] in positions[:-1]:
            raise RowInvalid(where, f"position {value} appears twice")
    return positions


def _annotations(value: Any, keys: Sequence[str]) -> tuple[RawAnnotation, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RowInvalid("annotations", f"expected a list, got {type_name(value)}")
    seen: dict[str, int] = {}
    parsed: list[RawAnnotation] = []
    for index, entry in enumerate(value):
        annotation = _annotation(entry, f"annotations[{index}]", keys)
        first = seen.setdefault(annotation.annotator, index)
        if first != index:
            raise RowInvalid(
                f"annotations[{index}].annotator",
                f"{annotation.annotator!r} already annotated this item (annotations[{first}])",
            )
        parsed.append(annotation)
    return tuple(parsed)


def _annotation(entry: Any, where: str, keys: Sequence[str]) -> RawAnnotation:
    data = _object(entry, where, _ANNOTATION_FIELDS)
    status = _choice(data.get("status"), f"{where}.status", STATUSES)
    answers = _answers(data.get("answers"), f"{where}.answers")
    review_status = _choice(
        data.get("review_status", "pending"), f"{where}.review_status", REVIEW_STATUSES
    )
    history = _list(data.get("history"), f"{where}.history")
    versions = tuple(_version(v, f"{where}.history[{i}]") for i, v in enumerate(history))
    reviews = _list(data.get("reviews"), f"{where}.reviews")
    annotation = RawAnnotation(
        annotator=_username(data.get("annotator"), f"{where}.annotator"),
        status=status,
        answers=answers,
        display_order=_display_order(data.get("display_order"), f"{where}.display_order", keys),
        time_spent_ms=_int(data.get("time_spent_ms", 0), f"{where}.time_spent_ms", minimum=0),
        version=_int(
            data.get("version", max((v.version for v in versions), default=1)),
            f"{where}.version",
            minimum=1,
        ),
        review_status=review_status,
        is_gold=_bool(data.get("is_gold", False), f"{where}.is_gold"),
        is_reference=_bool(data.get("is_reference", False), f"{where}.is_reference"),
        created_at=_time(data.get("created_at"), f"{where}.created_at"),
        updated_at=_time(data.get("updated_at"), f"{where}.updated_at"),
        history=versions,
        reviews=tuple(_review(r, f"{where}.reviews[{i}]") for i, r in enumerate(reviews)),
    )
    _check_consistent(annotation, where)
    return annotation


def _check_consistent(annotation: RawAnnotation, where: str) -> None:
    """What Moot keeps true of every annotation: a skip has no answers and no review; the row
    holds the latest version of its history."""
    if annotation.status == "skipped":
        if annotation.answers:
            raise RowInvalid(f"{where}.answers", "a skipped annotation has no answers")
        for index, version in enumerate(annotation.history):
            if version.answers:
                raise RowInvalid(
                    f"{where}.history[{index}].answers", "a skipped annotation has no answers"
                )
        if annotation.reviews or annotation.review_status != "pending":
            field = "reviews" if annotation.reviews else "review_status"
            raise RowInvalid(f"{where}.{field}", "a skipped annotation cannot be reviewed")
    seen: set[int] = set()
    for index, version in enumerate(annotation.history):
        if version.version in seen:
            raise RowInvalid(
                f"{where}.history[{index}].version", f"version {version.version} appears twice"
            )
        seen.add(version.version)
    if annotation.history:
        latest = max(annotation.history, key=lambda v: v.version)
        if annotation.version != latest.version:
            raise RowInvalid(
                f"{where}.version",
                f"version {annotation.version}, but the latest in history is {latest.version}",
            )
        if latest.answers != annotation.answers:
            raise RowInvalid(
                f"{where}.answers",
                f"differ from the answers of the latest version in history ({latest.version})",
            )


def _version(entry: Any, where: str) -> RawVersion:
    data = _object(entry, where, _VERSION_FIELDS)
    if data.get("version") is None:
        raise RowInvalid(f"{where}.version", "missing field version")
    return RawVersion(
        version=_int(data["version"], f"{where}.version", minimum=1),
        answers=_answers(data.get("answers"), f"{where}.answers"),
        time_spent_ms=_int(data.get("time_spent_ms", 0), f"{where}.time_spent_ms", minimum=0),
        edited_by=_optional_username(data.get("edited_by"), f"{where}.edited_by"),
        created_at=_time(data.get("created_at"), f"{where}.created_at"),
    )


def _review(entry: Any, where: str) -> RawReview:
    data = _object(entry, where, _REVIEW_FIELDS)
    comment = data.get("comment", "")
    if not isinstance(comment, str):
        raise RowInvalid(f"{where}.comment", f"expected a string, got {type_name(comment)}")
    return RawReview(
        reviewer=_optional_username(data.get("reviewer"), f"{where}.reviewer"),
        decision=_choice(data.get("decision"), f"{where}.decision", DECISIONS),
        comment=comment,
        created_at=_time(data.get("created_at"), f"{where}.created_at"),
    )


def _object(value: Any, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    """An object with no unknown fields; fields holding null count as absent."""
    if not isinstance(value, dict):
        raise RowInvalid(where, f"expected an object, got {type_name(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise RowInvalid(f"{where}.{unknown[0]}", f"unknown field {unknown[0]}")
    return {k: v for k, v in value.items() if v is not None}


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowInvalid(where, f"expected a list, got {type_name(value)}")
    return value


def _choice(value: Any, where: str, choices: Sequence[str]) -> str:
    if value is None:
        raise RowInvalid(where, f"missing field {where.rsplit('.', 1)[-1]}")
    if value not in choices:
        raise RowInvalid(where, f"expected one of {', '.join(choices)}, got {value!r}")
    return str(value)


def _int(value: Any, where: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowInvalid(where, f"expected an integer, got {type_name(value)}")
    if not minimum <= value <= _MAX_INT:
        raise RowInvalid(where, f"expected an integer from {minimum} to {_MAX_INT}, got {value}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise RowInvalid(where, f"expected true or false, got {type_name(value)}")
    return value


def _optional_username(value: Any, where: str) -> str | None:
    return None if value is None else _username(value, where)


def _username(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise RowInvalid(where, f"expected a username, got {type_name(value)}")
    if len(value) > _MAX_USERNAME or not _USERNAME.match(value):
        raise RowInvalid(
            where, f"{value!r} is not a username: use letters, digits and @ . + - _ (150 at most)"
        )
    return value


def _answers(value: Any, where: str) -> dict[str, Any]:
    """Answers as an object. JSON text is read as JSON (a Parquet writer may store answers so);
    nulls inside objects are dropped: Parquet gives every row every key seen in the column,
    null where the row had none, and no stored answer holds a null."""
    if value is None:
        return {}
    if isinstance(value, str):
        value = _loaded(value, where, "expected an object of answers, got text that is not JSON")
    if not isinstance(value, dict):
        raise RowInvalid(where, f"expected an object of answers, got {type_name(value)}")
    # JSON-safe first (NaN becomes null, Parquet's dates and decimals text): the history's
    # answers are stored as they come, unchecked against the questions.
    cleaned = _without_nulls(jsonable(value))
    assert isinstance(cleaned, dict)  # noqa: S101  # a dict stays a dict
    return cleaned


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_nulls(v) for v in value]
    return value


def _display_order(value: Any, where: str, keys: Sequence[str]) -> list[str]:
    if not isinstance(value, list):
        raise RowInvalid(where, f"expected a list of candidate keys, got {type_name(value)}")
    for index, key in enumerate(value):
        if not isinstance(key, str) or key not in keys:
            raise RowInvalid(
                f"{where}[{index}]", f"{key!r} is not a candidate of this item ({', '.join(keys)})"
            )
        if key in value[:index]:
            raise RowInvalid(f"{where}[{index}]", f"candidate {key!r} appears twice")
    return list(value)


def _time(value: Any, where: str) -> datetime | None:
    """An ISO-8601 time (or a Parquet timestamp) in UTC; one without an offset is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RowInvalid(
                where, f"expected an ISO-8601 time such as 2024-05-01T12:00:00Z, got {value!r}"
            ) from None
    else:
        raise RowInvalid(where, f"expected an ISO-8601 time, got {type_name(value)}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        # Stored in UTC: a time in year 1 or 9999 may fall outside what can be read back.
        return moment.astimezone(UTC)
    except OverflowError:
        raise RowInvalid(
            where, f"{moment.isoformat()} is out of range (years 1 to 9999 in UTC)"
        ) from None


def check_answers(parsed: ParsedItem, questions: Sequence[dict[str, Any]]) -> ParsedItem:
    """``parsed`` with its submitted annotations' answers validated (and cleaned) against the
    project's questions, for the candidates each annotator was shown. Raises ``RowInvalid``
    naming the first wrong answer.

    Only the current answers are checked: earlier versions in the history are the record of
    what was there, and may predate a change to the questions.
    """
    if not parsed.annotations:
        return parsed
    criteria = [c.model_dump(mode="json") for c in parsed.item.rubric]
    checked: list[RawAnnotation] = []
    for index, annotation in enumerate(parsed.annotations):
        if annotation.status != "submitted":
            checked.append(annotation)
            continue
        try:
            cleaned = validate_answers(
                questions=questions,
                candidate_keys=annotation.display_order,
                item_criteria=criteria,
                answers=annotation.answers,
            )
        except AnswersInvalid as invalid:
            field, message = _first_error(invalid.errors)
            raise RowInvalid(f"annotations[{index}].answers{field}", message) from None
        checked.append(replace(annotation, answers=cleaned))
    return replace(parsed, annotations=tuple(checked))


def _first_error(errors: dict[str, Any]) -> tuple[str, str]:
    """The path suffix (``.question.field``) and message of an ``AnswersInvalid`` tree's first
    error; ``non_field_errors`` names the level above it."""
    path = ""
    node: Any = errors
    while isinstance(node, dict) and node:
        key, node = next(iter(node.items()))
        if key != "non_field_errors":
            path += f".{key}"
    while isinstance(node, list) and node:
        node = node[0]
    return path, str(node)
