"""Chats: message lists, the prompt two conversations share, and HH-style transcripts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from annotator.importers.base import RowInvalid, type_name

Message = dict[str, str]
ROLES = ("system", "user", "assistant", "tool")
# Other spellings seen in public datasets (ShareGPT's "from"/"value", "human", "gpt", "bot").
ROLE_ALIASES = {"human": "user", "gpt": "assistant", "bot": "assistant", "model": "assistant"}
_HH_TURN = re.compile(r"\n\n(Human|Assistant): ?")


def _content(value: Any, field: str) -> str:
    if isinstance(value, str):
        return value
    # OpenAI-style content parts: [{"type": "text", "text": "..."}].
    if isinstance(value, list) and all(
        isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        for p in value
    ):
        return "\n".join(p["text"] for p in value)
    raise RowInvalid(field, f"expected the message content as a string, got {type_name(value)}")


def messages(value: Any, field: str) -> list[Message]:
    """A list of ``{role, content}`` messages, checked and reduced to those two keys."""
    if not isinstance(value, list):
        raise RowInvalid(field, f"expected a list of messages, got {type_name(value)}")
    out: list[Message] = []
    for index, entry in enumerate(value):
        where = f"{field}.{index}"
        if not isinstance(entry, dict):
            raise RowInvalid(where, f"expected a message object, got {type_name(entry)}")
        role = entry.get("role", entry.get("from"))
        content = entry.get("content", entry.get("value"))
        if role is None:
            raise RowInvalid(f"{where}.role", "missing field role")
        if content is None:
            raise RowInvalid(f"{where}.content", "missing field content")
        role = ROLE_ALIASES.get(role, role) if isinstance(role, str) else role
        if role not in ROLES:
            raise RowInvalid(f"{where}.role", f"role must be one of {', '.join(ROLES)}: {role!r}")
        out.append({"role": role, "content": _content(content, f"{where}.content")})
    return out


def prompt_value(value: Any, field: str) -> str | list[Message]:
    """A prompt: plain text, or a non-empty chat."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        chat = messages(value, field)
        if not chat:
            raise RowInvalid(field, "a chat prompt needs at least one message")
        return chat
    raise RowInvalid(field, f"expected a string or a list of messages, got {type_name(value)}")


def completion_text(rest: Sequence[Message]) -> tuple[str, dict[str, Any]]:
    """A candidate's text from the messages after the prompt, and meta to keep.

    One assistant message is the usual case: its content is the text. Several messages (a
    multi-turn completion) are written out one after another with their roles, and kept whole
    in ``meta["messages"]``.
    """
    if len(rest) == 1:
        return rest[0]["content"], {}
    text = "\n\n".join(
        m["content"] if i == 0 and m["role"] == "assistant" else f"[{m['role']}]\n{m['content']}"
        for i, m in enumerate(rest)
    )
    return text, {"messages": [dict(m) for m in rest]}


def split_conversations(
    conversations: Sequence[list[Message]], fields: Sequence[str], *, need_prompt: bool = True
) -> tuple[list[Message], list[list[Message]]]:
    """The prefix all conversations share (the prompt) and what follows it in each.

    Every conversation must end with an assistant message; the prompt stops before the last
    message of the shortest conversation, so each candidate keeps at least its final answer.
    With ``need_prompt`` an empty shared prefix is an error.
    """
    for conv, field in zip(conversations, fields, strict=True):
        if not conv:
            raise RowInvalid(field, "the conversation is empty")
        if conv[-1]["role"] != "assistant":
            raise RowInvalid(field, "the conversation must end with an assistant message")
    shared = 0
    limit = min(len(c) for c in conversations) - 1
    first = conversations[0]
    while shared < limit and all(c[shared] == first[shared] for c in conversations[1:]):
        shared += 1
    if shared == 0 and need_prompt:
        raise RowInvalid(
            fields[0], f"{' and '.join(fields)} share no prompt: their first messages differ"
        )
    return list(first[:shared]), [list(c[shared:]) for c in conversations]


def strip_prompt(prompt: Sequence[Message], conv: list[Message]) -> list[Message]:
    """A conversation without the prompt messages it repeats at its start (if it does)."""
    if len(conv) > len(prompt) and conv[: len(prompt)] == list(prompt):
        return conv[len(prompt) :]
    return conv


def hh_transcript(value: Any, field: str) -> list[Message]:
    """An Anthropic HH-RLHF transcript ("\\n\\nHuman: ... \\n\\nAssistant: ...") as messages."""
    if not isinstance(value, str):
        raise RowInvalid(field, f"expected a transcript string, got {type_name(value)}")
    text = value if value.startswith("\n\n") else "\n\n" + value.lstrip()
    parts = _HH_TURN.split(text)
    if parts[0].strip():
        raise RowInvalid(field, 'the transcript must start with "Human:" (or "\\n\\nHuman:")')
    turns = [
        {"role": "user" if who == "Human" else "assistant", "content": content.strip()}
        for who, content in zip(parts[1::2], parts[2::2], strict=True)
    ]
    if not turns:
        raise RowInvalid(field, 'no "Human:" / "Assistant:" turns found in the transcript')
    return turns


def looks_like_hh(value: Any) -> bool:
    """Whether a value is an HH-style transcript."""
    return (
        isinstance(value, str)
        and value.lstrip().startswith("Human:")
        and ("\n\nAssistant:" in value)
    )
