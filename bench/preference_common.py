"""What both profiles of ``bench.preference_data`` share: sampling, phrasing, prompts, row types.

The generator itself and its module docstring are in ``bench/preference_data.py``; the
``detailed`` profile is in ``bench/preference_detailed.py``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bench import preference_words as words

T = TypeVar("T")
UNIQUE_TRIES = 50


def pick(rng: random.Random, table: Sequence[tuple[T, float]]) -> T:
    """One value of ``table``, a sequence of ``(value, weight)``."""
    return rng.choices([value for value, _ in table], [weight for _, weight in table])[0]


def attach(connector: str, sentence: str) -> str:
    """``sentence`` after ``connector``, its first letter lowered unless a name keeps it."""
    if not connector:
        return sentence
    first = sentence.split(" ", 1)[0]
    if first not in words.KEEP_CAPITAL and not (len(first) > 1 and first.isupper()):
        sentence = sentence[0].lower() + sentence[1:]
    return connector + sentence


@dataclass(frozen=True)
class Rendered:
    text: str
    drift_topic: str | None
    factual_error_kind: str | None
    sentences: int = 0


def render_prompt(rng: random.Random, subject: str, brief: bool) -> str:
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(words.PROMPT_OPENERS))
    parts.append(rng.choice(words.QUESTION_TEMPLATES).format(subject=subject))
    if brief:
        parts.append(rng.choice(words.BRIEF_REQUESTS))
    elif rng.random() < 0.3:
        parts.append(rng.choice(words.PROMPT_CLOSERS))
    return " ".join(parts)


@dataclass(frozen=True)
class Side:
    """One response of a pair as it goes into a row."""

    text: str
    utility: float
    attributes: dict[str, Any]


# Draws a response again while its text was already used (see ``generate``).
Unique = Callable[[Callable[[], Rendered]], Rendered]
# A row before label noise and layout: the prompt, the truth's head, chosen, rejected.
Row = tuple[str, dict[str, Any], Side, Side]
