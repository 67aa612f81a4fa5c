"""Layout adapters: one raw row of a known public layout → an ``ItemDraft``.

Each adapter reads the fields its layout defines, checks their types, and raises
``RowInvalid(field, message)`` naming the source field that is wrong. Labels the source carries
(chosen/rejected, an arena winner, UltraFeedback ratings) come back as candidate indexes and
ratings on the draft; ``finish_item`` turns those into canonical keys.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from annotator.importers.base import (
    CandidateDraft,
    ItemDraft,
    RowInvalid,
    finite_float,
    jsonable,
    source_id,
    type_name,
)
from annotator.importers.chat import (
    completion_text,
    hh_transcript,
    looks_like_hh,
    messages,
    prompt_value,
    split_conversations,
    strip_prompt,
)

Adapter = Callable[[dict[str, Any]], ItemDraft]
NATIVE_FIELDS = ("external_id", "prompt", "candidates", "meta", "rubric", "gold")
# Column names that may hold the answer: never copied into item meta, which annotators may see.
_LABEL_HINTS = ("chosen", "rejected", "winner", "score", "label", "rating", "preference")
_IDS = frozenset({"external_id", "id", "question_id"})
_TRL_USED = _IDS | {"prompt", "chosen", "rejected"}
_UF_USED = _IDS | {"instruction", "prompt", "completions"}
_ARENA_USED = _IDS | {"conversation_a", "conversation_b", "model_a", "model_b"}
UF_ASPECTS = ("helpfulness", "honesty", "instruction_following", "truthfulness")


def require(row: dict[str, Any], field: str) -> Any:
    value = row.get(field)
    if value is None:
        raise RowInvalid(field, f"missing field {field}")
    return value


def text_field(row: dict[str, Any], field: str) -> str:
    value = require(row, field)
    if not isinstance(value, str):
        raise RowInvalid(field, f"expected a string, got {type_name(value)}")
    return value


@functools.lru_cache(maxsize=1024)
def _may_hold_label(column: str) -> bool:
    lowered = column.lower()
    return any(hint in lowered for hint in _LABEL_HINTS)


def extra_meta(row: dict[str, Any], used: frozenset[str]) -> dict[str, Any]:
    """Other scalar columns, for item meta; columns that look like labels are left out."""
    return {
        key: jsonable(value)
        for key, value in row.items()
        if key not in used
        and (value is None or isinstance(value, str | int | float | bool))
        and not _may_hold_label(key)
    }


def native(row: dict[str, Any]) -> ItemDraft:
    """Moot's own layout (``annotator.items.NativeItem``), one object per row."""
    unknown = sorted(set(row) - {*NATIVE_FIELDS, "id"})
    if unknown:
        raise RowInvalid(unknown[0], f"unknown field {unknown[0]} in the native layout")
    raw = require(row, "candidates")
    if not isinstance(raw, list):
        raise RowInvalid("candidates", f"expected a list of candidates, got {type_name(raw)}")
    candidates: list[CandidateDraft] = []
    for index, entry in enumerate(raw):
        where = f"candidates.{index}"
        if not isinstance(entry, dict):
            raise RowInvalid(where, f"expected a candidate object, got {type_name(entry)}")
        unknown = sorted(set(entry) - {"id", "text", "model", "meta"})
        if unknown:
            raise RowInvalid(f"{where}.{unknown[0]}", f"unknown field {unknown[0]}")
        key = entry.get("id")
        if not isinstance(key, str):
            raise RowInvalid(f"{where}.id", f"expected a string id, got {type_name(key)}")
        text = entry.get("text")
        if not isinstance(text, str):
            raise RowInvalid(f"{where}.text", f"expected a string, got {type_name(text)}")
        model = entry.get("model") or ""
        meta = entry.get("meta") or {}
        if not isinstance(model, str):
            raise RowInvalid(f"{where}.model", f"expected a string, got {type_name(model)}")
        if not isinstance(meta, dict):
            raise RowInvalid(f"{where}.meta", f"expected an object, got {type_name(meta)}")
        candidates.append(CandidateDraft(text=text, model=model, meta=jsonable(meta), key=key))
    meta = row.get("meta") or {}
    if not isinstance(meta, dict):
        raise RowInvalid("meta", f"expected an object, got {type_name(meta)}")
    return ItemDraft(
        prompt=prompt_value(require(row, "prompt"), "prompt"),
        candidates=candidates,
        external_id=source_id(row, ("external_id", "id")),
        meta=jsonable(meta),
        rubric=row.get("rubric"),
        gold=jsonable(row.get("gold")),
    )


def _trl_side(value: Any, field: str) -> str | list[dict[str, str]]:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return messages(value, field)
    raise RowInvalid(field, f"expected a string or a list of messages, got {type_name(value)}")


def trl(row: dict[str, Any]) -> ItemDraft:
    """TRL preference rows: ``prompt``/``chosen``/``rejected``, plain or conversational.

    Without a ``prompt`` column the conversations' shared prefix is the prompt. Candidates are
    the completions after the prompt; keys are shuffled so ``a`` is not always the chosen one.
    """
    chosen = _trl_side(require(row, "chosen"), "chosen")
    rejected = _trl_side(require(row, "rejected"), "rejected")
    raw_prompt = row.get("prompt")
    prompt: str | list[dict[str, str]]
    if raw_prompt is None or raw_prompt == "":
        if isinstance(chosen, str) and isinstance(rejected, str):
            if looks_like_hh(chosen):
                return hh(row)
            raise RowInvalid("prompt", "missing field prompt (needed when chosen is plain text)")
        if isinstance(chosen, str) or isinstance(rejected, str):
            raise RowInvalid("chosen", "chosen and rejected must both be lists of messages")
        prompt, sides = split_conversations([chosen, rejected], ("chosen", "rejected"))
    else:
        prompt = prompt_value(raw_prompt, "prompt")
        if isinstance(chosen, str) and isinstance(rejected, str):
            sides = [[{"role": "assistant", "content": chosen}]]
            sides.append([{"role": "assistant", "content": rejected}])
        else:
            chat = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else prompt
            convs = [
                [{"role": "assistant", "content": side}]
                if isinstance(side, str)
                else strip_prompt(chat, side)
                for side in (chosen, rejected)
            ]
            # Several turns: what chosen and rejected share moves into the prompt.
            shared, sides = split_conversations(convs, ("chosen", "rejected"), need_prompt=False)
            prompt = [*chat, *shared] if shared else prompt
    return _chosen_rejected(row, prompt, sides)


def _chosen_rejected(row: dict[str, Any], prompt: Any, sides: list[Any]) -> ItemDraft:
    """An item of two candidates, chosen first (the winner), keys shuffled on import."""
    candidates = []
    for side in sides:
        text, meta = completion_text(side)
        candidates.append(CandidateDraft(text=text, meta=meta))
    return ItemDraft(
        prompt=prompt,
        candidates=candidates,
        external_id=source_id(row),
        meta=extra_meta(row, _TRL_USED),
        winner=0,
        shuffle_keys=True,
    )


def hh(row: dict[str, Any]) -> ItemDraft:
    """Anthropic HH-RLHF: ``chosen``/``rejected`` whole transcripts sharing a prefix."""
    chosen = hh_transcript(require(row, "chosen"), "chosen")
    rejected = hh_transcript(require(row, "rejected"), "rejected")
    prompt, sides = split_conversations([chosen, rejected], ("chosen", "rejected"))
    return _chosen_rejected(row, prompt, sides)


def _rating(value: Any) -> float | None:
    """A rating as a number: numbers and numeric strings; "N/A" and blanks are no rating."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return finite_float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _uf_ratings(completion: dict[str, Any]) -> dict[str, float]:
    ratings: dict[str, float] = {}
    annotations = completion.get("annotations")
    if isinstance(annotations, dict):
        for aspect in UF_ASPECTS:
            entry = annotations.get(aspect)
            # Some releases wrap each aspect in a one-element list.
            if isinstance(entry, list) and entry:
                entry = entry[0]
            if isinstance(entry, dict):
                value = _rating(entry.get("Rating"))
                if value is not None:
                    ratings[aspect] = value
    for field, aspect in (("overall_score", "overall"), ("fine-grained_score", "fine_grained")):
        value = _rating(completion.get(field))
        if value is not None:
            ratings[aspect] = value
    return ratings


def ultrafeedback(row: dict[str, Any]) -> ItemDraft:
    """UltraFeedback: one instruction, several rated completions (ratings kept in meta)."""
    prompt_field = "instruction" if row.get("instruction") is not None else "prompt"
    prompt = prompt_value(require(row, prompt_field), prompt_field)
    completions = require(row, "completions")
    if not isinstance(completions, list):
        raise RowInvalid("completions", f"expected a list, got {type_name(completions)}")
    candidates = []
    for index, completion in enumerate(completions):
        where = f"completions.{index}"
        if not isinstance(completion, dict):
            raise RowInvalid(where, f"expected an object, got {type_name(completion)}")
        text_key = "response" if completion.get("response") is not None else "text"
        text = completion.get(text_key)
        if not isinstance(text, str):
            if text is None:
                raise RowInvalid(f"{where}.response", "missing field response")
            raise RowInvalid(f"{where}.{text_key}", f"expected a string, got {type_name(text)}")
        model = completion.get("model") or completion.get("model_name") or ""
        if not isinstance(model, str):
            raise RowInvalid(f"{where}.model", f"expected a string, got {type_name(model)}")
        ratings = _uf_ratings(completion)
        meta: dict[str, Any] = {"ratings": ratings} if ratings else {}
        candidates.append(CandidateDraft(text=text, model=model, meta=meta, ratings=ratings))
    return ItemDraft(
        prompt=prompt,
        candidates=candidates,
        external_id=source_id(row),
        meta=extra_meta(row, _UF_USED),
    )


ARENA_WINNERS: dict[str, int | str] = {
    "model_a": 0,
    "model_b": 1,
    "tie": "tie",
    "tie (bothbad)": "tie",
}


def arena(row: dict[str, Any]) -> ItemDraft:
    """Chatbot Arena battles: two models' conversations and the voter's ``winner``."""
    conv_a = messages(require(row, "conversation_a"), "conversation_a")
    conv_b = messages(require(row, "conversation_b"), "conversation_b")
    prompt, sides = split_conversations([conv_a, conv_b], ("conversation_a", "conversation_b"))
    candidates = []
    for side, model_field in zip(sides, ("model_a", "model_b"), strict=True):
        text, meta = completion_text(side)
        model = require(row, model_field)
        if not isinstance(model, str):
            raise RowInvalid(model_field, f"expected a string, got {type_name(model)}")
        candidates.append(CandidateDraft(text=text, model=model, meta=meta))
    winner_raw = row.get("winner")
    winner: int | str | None = None
    if winner_raw not in (None, ""):
        # Checked as text first: a list or an object cannot be looked up in a dict.
        if not isinstance(winner_raw, str) or winner_raw not in ARENA_WINNERS:
            choices = ", ".join(ARENA_WINNERS)
            raise RowInvalid("winner", f"winner must be one of {choices}: {winner_raw!r}")
        winner = ARENA_WINNERS[winner_raw]
    return ItemDraft(
        prompt=prompt,
        candidates=candidates,
        external_id=source_id(row, ("question_id", "external_id", "id")),
        meta=extra_meta(row, _ARENA_USED),
        winner=winner,
        both_bad=winner_raw == "tie (bothbad)",
        shuffle_keys=True,
    )


ADAPTERS: dict[str, Adapter] = {
    "native": native,
    "trl": trl,
    "hh": hh,
    "ultrafeedback": ultrafeedback,
    "arena": arena,
}


def detect(row: dict[str, Any]) -> str | None:
    """The layout a row looks like, from its columns (and, for chosen/rejected, their values)."""
    keys = set(row)
    if {"conversation_a", "conversation_b"} <= keys:
        return "arena"
    if "completions" in keys and ({"instruction", "prompt"} & keys):
        return "ultrafeedback"
    if "candidates" in keys and "prompt" in keys:
        # A project's raw export: native items with their annotations.
        return "raw" if isinstance(row.get("annotations"), list) else "native"
    if {"chosen", "rejected"} <= keys:
        if row.get("prompt") in (None, "") and looks_like_hh(row["chosen"]):
            return "hh"
        return "trl"
    return None
