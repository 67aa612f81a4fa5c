"""The parsing side of import, without a database: readers, layouts, keys and mappings."""

from __future__ import annotations

import gzip
import io
import json
from typing import Any

import pytest

from annotator.importers import ImportSource, ItemStream, ParsedItem, RowError
from annotator.importers.base import content_id, shuffled_keys
from annotator.importers.mapping import MISSING, get_path


def parse(name: str, data: bytes, **options: Any) -> tuple[list[ParsedItem], list[RowError]]:
    stream = ItemStream(sources=[ImportSource(name, io.BytesIO(data))], **options)
    out = list(stream)
    items = [e for e in out if isinstance(e, ParsedItem)]
    errors = [e for e in out if isinstance(e, RowError)]
    return items, errors


def jsonl(*rows: Any) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def only_item(name: str, data: bytes, **options: Any) -> ParsedItem:
    items, errors = parse(name, data, **options)
    assert errors == []
    assert len(items) == 1
    return items[0]


def by_key(parsed: ParsedItem) -> dict[str, str]:
    return {c.id: c.text for c in parsed.item.candidates}


def test_hh_transcripts_split_into_chat_prompt_and_two_answers() -> None:
    shared = "\n\nHuman: Hi there\n\nAssistant: Hello! How can I help?\n\nHuman: Name a colour."
    row = {"chosen": shared + "\n\nAssistant: Blue.", "rejected": shared + "\n\nAssistant: No."}

    parsed = only_item("hh.jsonl", jsonl(row), format="hh")

    assert parsed.item.model_dump()["prompt"] == [
        {"role": "user", "content": "Hi there"},
        {"role": "assistant", "content": "Hello! How can I help?"},
        {"role": "user", "content": "Name a colour."},
    ]
    assert sorted(by_key(parsed).values()) == ["Blue.", "No."]
    assert by_key(parsed)[parsed.labels.winner or ""] == "Blue."


def test_trl_several_assistant_turns_move_the_shared_prefix_into_the_prompt() -> None:
    prompt = [{"role": "user", "content": "Plan a trip"}]
    common = [
        {"role": "assistant", "content": "Where to?"},
        {"role": "user", "content": "Rome"},
    ]
    row = {
        "prompt": prompt,
        "chosen": [*common, {"role": "assistant", "content": "Day 1: the Forum"}],
        "rejected": [*common, {"role": "assistant", "content": "No idea"}],
    }

    parsed = only_item("t.jsonl", jsonl(row), format="trl")

    prompt = parsed.item.model_dump()["prompt"]
    assert [m["content"] for m in prompt] == ["Plan a trip", "Where to?", "Rome"]
    assert sorted(by_key(parsed).values()) == ["Day 1: the Forum", "No idea"]


def test_trl_chosen_that_repeats_a_text_prompt_is_stripped() -> None:
    # ultrafeedback_binarized: prompt is text, chosen/rejected are the whole conversation.
    row = {
        "prompt": "What is 2+2?",
        "chosen": [
            {"role": "user", "content": "What is 2+2?"},
            {"role": "assistant", "content": "4"},
        ],
        "rejected": [
            {"role": "user", "content": "What is 2+2?"},
            {"role": "assistant", "content": "5"},
        ],
        "score_chosen": 9.0,
        "source": "math",
    }

    parsed = only_item("u.jsonl", jsonl(row))

    assert parsed.item.prompt == "What is 2+2?"
    assert sorted(by_key(parsed).values()) == ["4", "5"]
    # Columns that look like labels stay out of meta (annotators may see it).
    assert parsed.item.meta == {"source": "math"}


def test_arena_multi_turn_battle_keeps_the_whole_completion() -> None:
    def conv(answer: str) -> list[dict[str, str]]:
        return [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": f"{answer} 1"},
            {"role": "user", "content": "more"},
            {"role": "assistant", "content": f"{answer} 2"},
        ]

    row = {
        "question_id": "q1",
        "model_a": "m-a",
        "model_b": "m-b",
        "conversation_a": conv("A"),
        "conversation_b": conv("B"),
        "winner": "model_b",
    }

    parsed = only_item("a.jsonl", jsonl(row))

    winner = next(c for c in parsed.item.candidates if c.id == parsed.labels.winner)
    assert winner.model == "m-b"
    assert winner.text == "B 1\n\n[user]\nmore\n\n[assistant]\nB 2"
    assert [m["content"] for m in winner.meta["messages"]] == ["B 1", "more", "B 2"]


def test_content_ids_are_stable_and_ignore_line_endings() -> None:
    first = content_id("Say hi\r\n", ["hi", "hello"])

    assert first == content_id("Say hi", ["hi", "hello"])
    assert first != content_id("Say hi", ["hello", "hi"])
    assert len(first) == 24


def test_shuffled_keys_are_a_deterministic_permutation() -> None:
    keys = shuffled_keys("item-7", 4)

    assert sorted(keys) == ["a", "b", "c", "d"]
    assert shuffled_keys("item-7", 4) == keys
    assert {tuple(shuffled_keys(f"x{i}", 2)) for i in range(20)} == {("a", "b"), ("b", "a")}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("messages.0.content", "first"),
        ("messages.-1.content", "last"),
        ("meta.tags.1", "y"),
        ("dotted.key", 5),
        ("messages.9.content", MISSING),
        ("meta.missing", MISSING),
        ("meta.tags.x", MISSING),
    ],
)
def test_dotted_paths(path: str, expected: object) -> None:
    row = {
        "messages": [{"content": "first"}, {"content": "last"}],
        "meta": {"tags": ["x", "y"]},
        "dotted.key": 5,
    }

    assert get_path(row, path) == expected


def test_gzip_jsonl_is_read_transparently() -> None:
    data = gzip.compress(jsonl({"prompt": "p", "chosen": "c", "rejected": "r"}))

    parsed = only_item("rows.jsonl.gz", data)

    assert parsed.item.prompt == "p"


def test_csv_json_cells_and_line_numbers_with_a_multiline_cell() -> None:
    data = (
        b"prompt,chosen,rejected\n"
        b'"two\nlines",good,bad\n'
        b'"[{""role"": ""user"", ""content"": ""hi""}]",x,y\n'
        b"only,two\n"
    )

    items, errors = parse("rows.csv", data, format="trl")

    assert [i.item.model_dump()["prompt"] for i in items] == [
        "two\nlines",
        [{"role": "user", "content": "hi"}],
    ]
    assert [(e.line, e.message) for e in errors] == [
        (5, "the row has 2 cells but the header has 3")
    ]


def test_a_mapping_that_does_not_validate_names_the_field() -> None:
    _, errors = parse(
        "x.jsonl",
        jsonl({"q": "p"}),
        format="mapping",
        mapping='{"prompt": "q", "candidates": [{"txt": "a"}, {"text": "b"}]}',
    )

    assert errors
    assert errors[0].line == 0
    assert errors[0].field is not None
    assert errors[0].field.startswith("mapping.candidates.0")


def test_unknown_layout_in_auto_names_the_columns() -> None:
    _, errors = parse("x.jsonl", jsonl({"question": "q", "answer": "a"}))

    assert len(errors) == 1
    assert errors[0].line == 1
    assert "answer, question" in errors[0].message
