"""Prompts for LLM judges: a default template per question kind, and rendering into messages.

Templates use ``str.format`` fields (the allowed ones per kind are in ``TEMPLATE_FIELDS`` and are
checked when a judge is saved). Every template ends by asking for a bare answer out of a few
choices, because the verdict is read from the probabilities of those choices as the model's
next token, not parsed from free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from judges.engines.base import Conversation, Message

TEMPLATE_FIELDS: dict[str, set[str]] = {
    "pairwise": {"prompt", "response_a", "response_b", "question", "choices"},
    "rating": {"prompt", "response", "question", "dimension", "scale", "choices"},
    "rubric": {"prompt", "response", "criterion", "scale", "choices"},
    "rationale": {"prompt", "response_a", "response_b", "question", "choices"},
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "pairwise": (
        "You are comparing two responses to the same conversation.\n\n"
        "[Conversation]\n{prompt}\n\n"
        "[Response A]\n{response_a}\n\n"
        "[Response B]\n{response_b}\n\n"
        "{question}\n"
        "Answer with exactly one of: {choices}."
    ),
    "rating": (
        "You are rating a response to a conversation.\n\n"
        "[Conversation]\n{prompt}\n\n"
        "[Response]\n{response}\n\n"
        "{question}\n"
        "Rate the response for: {dimension}\n"
        "Scale:\n{scale}\n"
        "Answer with exactly one of: {choices}."
    ),
    "rubric": (
        "You are grading a response to a conversation against one criterion.\n\n"
        "[Conversation]\n{prompt}\n\n"
        "[Response]\n{response}\n\n"
        "Criterion: {criterion}\n"
        "Levels:\n{scale}\n"
        "Answer with exactly one of: {choices}."
    ),
}
DEFAULT_TEMPLATES["rationale"] = (
    "You are comparing two responses to the same conversation.\n\n"
    "[Conversation]\n{prompt}\n\n"
    "[Response A]\n{response_a}\n\n"
    "[Response B]\n{response_b}\n\n"
    "{question}\n"
    "Explain in two or three sentences which response is better and why."
)
DEFAULT_QUESTION = {
    "pairwise": "Which response is better?",
    "rating": "",
}
# Up to nine levels are named by digits; finer scales by letters (digit tokens such as "10"
# would share their first token with "1").
DIGITS = [str(n) for n in range(1, 10)]
LETTERS = [chr(ord("A") + n) for n in range(26)]


def level_choices(count: int) -> list[str]:
    """Single-token names for ``count`` ordered levels, worst first."""
    if count <= len(DIGITS):
        return DIGITS[:count]
    if count <= len(LETTERS):
        return LETTERS[:count]
    raise ValueError(f"an LLM judge can read at most {len(LETTERS)} levels, not {count}")


def transcript(prompt: Any) -> str:
    """A prompt (plain text or chat messages) as text for a judge to read."""
    if isinstance(prompt, str):
        return prompt
    lines = []
    for message in prompt:
        role = str(message.get("role", "user")).capitalize()
        lines.append(f"{role}: {message.get('content', '')}")
    return "\n\n".join(lines)


def _or_list(choices: Sequence[str]) -> str:
    return ", ".join(choices[:-1]) + f" or {choices[-1]}" if len(choices) > 1 else choices[0]


def render(template: str, *, system_prompt: str = "", **fields: str) -> Conversation:
    """Messages for one judgement: an optional system turn and the filled-in user turn."""
    messages: Conversation = []
    if system_prompt:
        messages.append(Message(role="system", content=system_prompt))
    messages.append(Message(role="user", content=template.format(**fields)))
    return messages


def pairwise_fields(
    *, prompt: Any, first: str, second: str, question: str, choices: Sequence[str]
) -> dict[str, str]:
    """Fields of the pairwise template; ``first`` is shown as Response A."""
    return {
        "prompt": transcript(prompt),
        "response_a": first,
        "response_b": second,
        "question": question or DEFAULT_QUESTION["pairwise"],
        "choices": _or_list(choices),
    }


def scale_text(names: Sequence[str], labels: Sequence[str]) -> str:
    """One line per level: its choice name, then what it means."""
    return "\n".join(f"{name} = {label}" for name, label in zip(names, labels, strict=True))


def rating_fields(
    *,
    prompt: Any,
    response: str,
    question: str,
    dimension: str,
    names: Sequence[str],
    labels: Sequence[str],
) -> dict[str, str]:
    return {
        "prompt": transcript(prompt),
        "response": response,
        "question": question,
        "dimension": dimension,
        "scale": scale_text(names, labels),
        "choices": _or_list(names),
    }


def rubric_fields(
    *, prompt: Any, response: str, criterion: str, names: Sequence[str], labels: Sequence[str]
) -> dict[str, str]:
    return {
        "prompt": transcript(prompt),
        "response": response,
        "criterion": criterion,
        "scale": scale_text(names, labels),
        "choices": _or_list(names),
    }
