"""What every inference engine offers the judge code, in plain types.

Engines turn conversations into numbers; they know nothing of projects, questions or the
database. ``judges`` renders prompts, calls an engine and turns its numbers into answers.

Two primitives cover every judge kind:

* ``RewardScorer.rewards``: a scalar (or several heads) per conversation, for reward models;
* ``ChoiceScorer.choice_probs``: the probability of each of a few short answers ("A", "B",
  "tie", or the levels "1".."5") as the next thing the assistant says, for LLM judges (a local
  causal LM reads it from one forward pass; an API judge from logprobs, or a parsed answer).

A failure that concerns one input (too long for the model, a malformed answer from an API)
comes back in that input's slot as an ``InputError``; the others still get their results. Any
other exception means the whole call failed.

This module must not import torch: the API engine and the web process's type checks use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, TypedDict


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


Conversation = list[Message]


@dataclass(frozen=True)
class InputError:
    """Why one input got no result (shown on that item; the run goes on)."""

    message: str


@dataclass(frozen=True)
class ChoiceResult:
    """Normalised probabilities over the offered choices, in their order (sum to 1)."""

    probs: list[float]
    # How the probabilities were obtained: "logprobs" (next-token distribution) or "parsed"
    # (an answer text matched to one choice: probability 1 for it).
    source: Literal["logprobs", "parsed"] = "logprobs"
    # Probability mass the model put on the choices before normalising (logprobs only); a low
    # value means the model mostly wanted to say something else.
    coverage: float | None = None


@dataclass(frozen=True)
class RewardResult:
    """One score per head (a scalar reward model has one)."""

    scores: list[float]


@dataclass(frozen=True)
class EngineStats:
    """Counters of the last call, for throughput reporting."""

    inputs: int = 0
    tokens: int = 0
    forward_calls: int = 0
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


class RewardScorer(Protocol):
    def rewards(self, conversations: list[Conversation]) -> list[RewardResult | InputError]:
        """Score each conversation (prompt turns then one assistant turn: the candidate)."""
        ...


class ChoiceScorer(Protocol):
    def choice_probs(
        self, conversations: list[Conversation], choices: list[str]
    ) -> list[ChoiceResult | InputError]:
        """For each conversation (ending with a user turn), P(next answer = each choice)."""
        ...

    def generate(
        self, conversations: list[Conversation], *, max_new_tokens: int = 256
    ) -> list[str | InputError]:
        """Free text answers (rationales); never used to read a verdict."""
        ...
