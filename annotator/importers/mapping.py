"""Field mappings: any other layout, described by dotted paths into each row.

A mapping is JSON validated by ``ItemMapping``. A *field* is one of:

* ``"path.to.value"`` — a dotted path. Segments walk into objects by key and into lists by
  index (negative counts from the end): ``messages.0.content``, ``turns.-1.text``. A key
  that itself contains dots is found too: at each object the rest of the path is first tried
  whole as a key (``scores.v1.2`` finds ``{"scores": {"v1.2": ...}}``).
* ``{"path": "...", "default": ...}`` — a path with a value to use when it is missing.
* ``{"value": ...}`` — a literal, e.g. ``{"value": "gpt-4o"}`` for a model name.
* ``{"file_name": true}`` — the uploaded file's name without its extensions (``gpt-4o.jsonl``
  gives ``gpt-4o``): handy with one file per model.

Two forms:

1. Fixed candidates, one item per row::

    {"external_id": "uid", "prompt": "messages.0.content",
     "candidates": [{"text": "answers.0.text", "model": "answers.0.model"},
                    {"text": "answers.1.text", "model": {"value": "baseline"}}],
     "meta": {"topic": "info.topic"}, "winner": "preferred", "shuffle_keys": true}

2. ``group_by``, one candidate per row: rows with the same value at the ``group_by`` path (from
   one file, or from all files uploaded together) become one item, one candidate per row, in
   file order then row order::

    {"group_by": "prompt_id", "prompt": "prompt",
     "candidate": {"text": "response", "model": {"file_name": true}}}

   Item fields (prompt, external_id, meta, rubric, gold) come from a group's first row, and a
   later row whose prompt differs is an error. The external id defaults to the group value.
   This form keeps every group in memory until all files are read (only the mapped values,
   not whole rows).

Candidate keys are ``a``, ``b``, ... in order, or a candidate's ``id``; ``shuffle_keys``
assigns them by a shuffle seeded by the external id instead (use it when the source order gives
the label away). ``winner`` names the preferred candidate by its key before shuffling (``a``,
``b``, ... or its ``id``) or ``"tie"``; ``ratings`` (per candidate: aspect → field) are kept in
candidate meta (a NaN, infinite or huge number is no rating, as a missing one). Both can become
reference labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from annotator.importers.base import (
    CANDIDATE_KEYS,
    CandidateDraft,
    InvalidJson,
    ItemDraft,
    RowError,
    RowInvalid,
    finite_float,
    jsonable,
    load_json,
    source_id,
    type_name,
    unstorable,
)
from annotator.importers.chat import prompt_value
from annotator.questions import Slug

Path = Annotated[str, Field(min_length=1, max_length=500)]


class PathField(BaseModel):
    """A path, with a default used when the row has nothing there."""

    model_config = ConfigDict(extra="forbid")

    path: Path
    default: Any = None


class ValueField(BaseModel):
    """A literal value, the same for every row."""

    model_config = ConfigDict(extra="forbid")

    value: Any


class FileNameField(BaseModel):
    """The uploaded file's name without extensions."""

    model_config = ConfigDict(extra="forbid")

    file_name: Literal[True]


FieldSpec = Path | PathField | ValueField | FileNameField


class CandidateMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug | None = Field(default=None, description="Fixed key (default a, b, c, ...).")
    text: FieldSpec
    model: FieldSpec | None = None
    meta: dict[str, FieldSpec] = Field(default_factory=dict)
    ratings: dict[Slug, FieldSpec] = Field(
        default_factory=dict, description="Aspect → numeric field, kept in meta['ratings']."
    )


class ItemMapping(BaseModel):
    """How to read items from an arbitrary layout (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    external_id: FieldSpec | None = None
    prompt: FieldSpec
    candidates: list[CandidateMapping] | None = Field(default=None, min_length=2, max_length=26)
    group_by: Path | None = None
    candidate: CandidateMapping | None = None
    meta: dict[str, FieldSpec] = Field(default_factory=dict)
    rubric: FieldSpec | None = None
    gold: FieldSpec | None = None
    winner: FieldSpec | None = None
    shuffle_keys: bool = False

    @model_validator(mode="after")
    def _check(self) -> ItemMapping:
        if self.group_by is not None:
            if self.candidate is None or self.candidates is not None:
                raise ValueError("with group_by, give `candidate` (one per row), not `candidates`")
            if self.winner is not None:
                raise ValueError("winner is not available with group_by")
            if self.candidate.id is not None:
                raise ValueError("with group_by, keys come from the row order; drop candidate.id")
            return self
        if self.candidates is None or self.candidate is not None:
            raise ValueError("give `candidates` (a list), or `group_by` with `candidate`")
        ids = [c.id or CANDIDATE_KEYS[i] for i, c in enumerate(self.candidates)]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique")
        if self.shuffle_keys and any(c.id for c in self.candidates):
            raise ValueError("shuffle_keys assigns the keys; drop the candidates' ids")
        return self


def parse_mapping(raw: object) -> ItemMapping | list[RowError]:
    """A mapping from JSON text or an already-parsed object, or the errors that stop it."""
    if isinstance(raw, str | bytes):
        try:
            raw = load_json(raw)
        except InvalidJson as exc:
            return [RowError(0, "mapping", str(exc))]
    if not isinstance(raw, dict):
        return [RowError(0, "mapping", f"expected a JSON object, got {type_name(raw)}")]
    problem = unstorable(raw)
    if problem is not None:
        # Literal values ({"value": ...}) are stored with the items.
        where, message = problem
        return [RowError(0, f"mapping.{where}" if where else "mapping", message)]
    try:
        return ItemMapping.model_validate(raw)
    except ValidationError as exc:
        errors = []
        for err in exc.errors()[:50]:
            # Union members add their class names to the location; keep the user's path.
            loc = [str(p) for p in err["loc"] if not str(p)[:1].isupper() and "[" not in str(p)]
            path = ".".join(["mapping", *loc])
            errors.append(RowError(0, path, err["msg"].removeprefix("Value error, ")))
        return errors


MISSING = object()


def get_path(row: Any, path: str) -> Any:
    """The value at a dotted path, or ``MISSING``."""
    node = row
    rest = path
    while rest:
        if isinstance(node, dict):
            if rest in node:
                return node[rest]
            head, _, rest = rest.partition(".")
            if head not in node:
                return MISSING
            node = node[head]
        elif isinstance(node, list):
            head, _, rest = rest.partition(".")
            try:
                node = node[int(head)]
            except (ValueError, IndexError):
                return MISSING
        else:
            return MISSING
    return node


def file_stem(name: str) -> str:
    """``dir/gpt-4o.jsonl.gz`` → ``gpt-4o``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".jsonl", ".ndjson", ".json", ".csv", ".parquet", ".pq"):
        base = base.removesuffix(suffix)
    return base


def source_path(spec: FieldSpec, target: str) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, PathField):
        return spec.path
    return target


def resolve(row: dict[str, Any], spec: FieldSpec, file_name: str, *, target: str) -> Any:
    """The value a field gives for this row; ``MISSING`` when the row has nothing there."""
    if isinstance(spec, ValueField):
        return spec.value
    if isinstance(spec, FileNameField):
        stem = file_stem(file_name)
        problem = unstorable(stem)
        if problem is not None:  # a name given to the service directly, not by an upload
            raise RowInvalid(target, f"the file name {problem[1]}")
        return stem
    if isinstance(spec, PathField):
        value = get_path(row, spec.path)
        if value is MISSING or value is None:
            return spec.default if "default" in spec.model_fields_set else MISSING
        return value
    value = get_path(row, spec)
    return MISSING if value is None else value


def _required(row: dict[str, Any], spec: FieldSpec, file_name: str, target: str) -> Any:
    value = resolve(row, spec, file_name, target=target)
    if value is MISSING:
        where = source_path(spec, target)
        raise RowInvalid(where, f"missing field {where} (mapped to {target})")
    return value


def _string(row: dict[str, Any], spec: FieldSpec | None, file_name: str, target: str) -> str:
    if spec is None:
        return ""
    value = resolve(row, spec, file_name, target=target)
    if value is MISSING:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise RowInvalid(source_path(spec, target), f"expected a string, got {type_name(value)}")
    return value


def candidate_draft(
    row: dict[str, Any], spec: CandidateMapping, file_name: str, target: str
) -> CandidateDraft:
    text = _required(row, spec.text, file_name, f"{target}.text")
    if not isinstance(text, str):
        where = source_path(spec.text, f"{target}.text")
        raise RowInvalid(where, f"expected a string, got {type_name(text)}")
    meta = {}
    for name, meta_spec in spec.meta.items():
        value = resolve(row, meta_spec, file_name, target=f"{target}.meta.{name}")
        if value is not MISSING:
            meta[name] = jsonable(value)
    ratings: dict[str, float] = {}
    for aspect, rating_spec in spec.ratings.items():
        value = resolve(row, rating_spec, file_name, target=f"{target}.ratings.{aspect}")
        if value is MISSING:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            where = source_path(rating_spec, aspect)
            raise RowInvalid(where, f"expected a number, got {type_name(value)}")
        number = finite_float(value)
        if number is not None:
            ratings[aspect] = number
    if ratings:
        meta["ratings"] = ratings
    return CandidateDraft(
        text=text,
        model=_string(row, spec.model, file_name, f"{target}.model"),
        meta=meta,
        key=spec.id,
        ratings=ratings,
    )


@dataclass
class ItemFields:
    prompt: str | list[dict[str, str]]
    external_id: str | None
    meta: dict[str, Any]
    rubric: Any
    gold: Any


def item_fields(row: dict[str, Any], mapping: ItemMapping, file_name: str) -> ItemFields:
    prompt_raw = _required(row, mapping.prompt, file_name, "prompt")
    prompt = prompt_value(prompt_raw, source_path(mapping.prompt, "prompt"))
    if mapping.external_id is not None:
        external_id: str | None = _string(row, mapping.external_id, file_name, "external_id")
        if not external_id:
            where = source_path(mapping.external_id, "external_id")
            raise RowInvalid(where, f"missing field {where} (mapped to external_id)")
    else:
        external_id = None
    meta = {}
    for name, spec in mapping.meta.items():
        value = resolve(row, spec, file_name, target=f"meta.{name}")
        if value is not MISSING:
            meta[name] = jsonable(value)
    optional = {}
    for name in ("rubric", "gold"):
        spec = getattr(mapping, name)
        value = MISSING if spec is None else resolve(row, spec, file_name, target=name)
        optional[name] = None if value is MISSING else jsonable(value)
    return ItemFields(prompt, external_id, meta, optional["rubric"], optional["gold"])


def mapped_row(mapping: ItemMapping, file_name: str, row: dict[str, Any]) -> ItemDraft:
    """One item from one row (the fixed-candidates form)."""
    specs = mapping.candidates or []
    fields = item_fields(row, mapping, file_name)
    if fields.external_id is None:
        fields.external_id = source_id(row)
    candidates = [
        candidate_draft(row, spec, file_name, f"candidates.{i}") for i, spec in enumerate(specs)
    ]
    winner: int | str | None = None
    if mapping.winner is not None:
        value = resolve(row, mapping.winner, file_name, target="winner")
        if value is not MISSING:
            ids = [spec.id or CANDIDATE_KEYS[i] for i, spec in enumerate(specs)]
            if value == "tie":
                winner = "tie"
            elif value in ids:
                winner = ids.index(value)
            else:
                where = source_path(mapping.winner, "winner")
                allowed = ", ".join([*ids, "tie"])
                raise RowInvalid(where, f"winner must be one of {allowed}: {value!r}")
    return ItemDraft(
        prompt=fields.prompt,
        candidates=candidates,
        external_id=fields.external_id,
        meta=fields.meta,
        rubric=fields.rubric,
        gold=fields.gold,
        winner=winner,
        shuffle_keys=mapping.shuffle_keys,
    )
