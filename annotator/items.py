"""The native item layout, validated with pydantic (one object per JSONL line)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from annotator.questions import RubricCriterion, Slug


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["system", "user", "assistant", "tool"]
    content: str


class NativeCandidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    text: str
    model: str = Field(default="", max_length=200)
    meta: dict[str, Any] = Field(default_factory=dict)


class NativeItem(BaseModel):
    """An item in Moot's own layout; see DESIGN.md's "native item" sketch."""

    model_config = ConfigDict(extra="forbid")

    external_id: Annotated[str, Field(min_length=1, max_length=255)]
    prompt: str | list[Message]
    candidates: list[NativeCandidate] = Field(min_length=2, max_length=26)
    meta: dict[str, Any] = Field(default_factory=dict)
    rubric: list[RubricCriterion] = Field(default_factory=list)
    gold: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> NativeItem:
        ids = [c.id for c in self.candidates]
        if len(set(ids)) != len(ids):
            raise ValueError("candidate ids must be unique within an item")
        if isinstance(self.prompt, list) and not self.prompt:
            raise ValueError("a chat prompt needs at least one message")
        return self
