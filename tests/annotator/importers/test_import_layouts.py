"""Importing each supported layout from JSONL, CSV and Parquet into a project."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from annotator.models import Item, Project
from tests.annotator.importers.files import (
    run_import,
    texts_by_key,
    trl_rows,
    write_csv,
    write_jsonl,
    write_parquet,
)
from tests.factories import new_project

pytestmark = pytest.mark.django_db

Writer = Callable[[Path, list[dict[str, Any]]], Path]
WRITERS: dict[str, Writer] = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}

NATIVE_ROWS = [
    {
        "external_id": "q-1",
        "prompt": [{"role": "user", "content": "Say hi"}],
        "candidates": [
            {"id": "a", "text": "hi", "model": "m1", "meta": {"temp": 0.7}},
            {"id": "b", "text": "hello", "model": "m2", "meta": {"temp": 0.2}},
        ],
        "meta": {"source": "unit"},
        "rubric": [{"id": "polite", "text": "Is polite", "points": 1}],
    },
    {
        "external_id": "q-2",
        "prompt": "Count to two",
        "candidates": [
            {"id": "a", "text": "1 2", "model": "m1", "meta": {"temp": 0.7}},
            {"id": "b", "text": "one two", "model": "m2", "meta": {"temp": 0.2}},
        ],
        "meta": {"source": "unit"},
        "rubric": [],
    },
]


@pytest.mark.parametrize("file_type", ["jsonl", "csv", "parquet"])
def test_native_items_import_from_every_file_type(
    tmp_path: Path, project: Project, file_type: str
) -> None:
    rows = [dict(row) for row in NATIVE_ROWS]
    if file_type == "parquet":  # a Parquet column holds one type: all chats or all strings
        rows[1]["prompt"] = [{"role": "user", "content": "Count to two"}]
    path = WRITERS[file_type](tmp_path / f"items.{file_type}", rows)

    result = run_import(project, path, format="native")

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = Item.objects.get(project=project, external_id="q-1")
    assert first.prompt == [{"role": "user", "content": "Say hi"}]
    assert first.meta == {"source": "unit"}
    assert first.rubric[0]["id"] == "polite"
    stored = [(c.key, c.text, c.model_name, c.meta, c.position) for c in first.candidates.all()]
    assert stored == [("a", "hi", "m1", {"temp": 0.7}, 0), ("b", "hello", "m2", {"temp": 0.2}, 1)]
    second = Item.objects.get(external_id="q-2").prompt
    assert second == rows[1]["prompt"]


def test_trl_plain_text(tmp_path: Path, project: Project) -> None:
    path = write_jsonl(tmp_path / "trl.jsonl", trl_rows(3))

    result = run_import(project, path, format="trl")

    assert result.created == 3
    item = Item.objects.get(prompt="question 1")
    assert sorted(texts_by_key(item).values()) == ["bad 1", "good 1"]
    assert sorted(texts_by_key(item)) == ["a", "b"]


@pytest.mark.parametrize("file_type", ["jsonl", "parquet"])
def test_trl_conversational(tmp_path: Path, project: Project, file_type: str) -> None:
    path = WRITERS[file_type](tmp_path / f"trl.{file_type}", trl_rows(2, conversational=True))

    result = run_import(project, path)

    assert (result.created, result.format) == (2, "trl")
    item = Item.objects.get(prompt=[{"role": "user", "content": "question 0"}])
    assert sorted(texts_by_key(item).values()) == ["bad answer 0", "good answer 0"]


def test_trl_implicit_prompt_takes_the_shared_prefix(tmp_path: Path, project: Project) -> None:
    system = {"role": "system", "content": "Be brief."}
    user = {"role": "user", "content": "Capital of France?"}
    row = {
        "chosen": [system, user, {"role": "assistant", "content": "Paris."}],
        "rejected": [system, user, {"role": "assistant", "content": "Lyon."}],
    }
    path = write_jsonl(tmp_path / "implicit.jsonl", [row])

    result = run_import(project, path)

    assert result.format == "trl"
    item = Item.objects.get()
    assert item.prompt == [system, user]
    assert sorted(texts_by_key(item).values()) == ["Lyon.", "Paris."]


def test_hh_transcripts(tmp_path: Path, project: Project) -> None:
    shared = "\n\nHuman: What should I cook tonight?"
    rows = [
        {
            "chosen": shared + "\n\nAssistant: A vegetable stir-fry is quick.",
            "rejected": shared + "\n\nAssistant: Whatever.",
        }
    ]
    path = write_jsonl(tmp_path / "hh.jsonl", rows)

    result = run_import(project, path)

    assert result.format == "hh"
    item = Item.objects.get()
    assert item.prompt == [{"role": "user", "content": "What should I cook tonight?"}]
    assert sorted(texts_by_key(item).values()) == ["A vegetable stir-fry is quick.", "Whatever."]


def uf_completion(model: str, text: str, ratings: list[str], overall: float) -> dict[str, Any]:
    aspects = ["helpfulness", "honesty", "instruction_following", "truthfulness"]
    return {
        "model": model,
        "response": text,
        "annotations": {
            a: {"Rating": r, "Rationale": "..."} for a, r in zip(aspects, ratings, strict=True)
        },
        "overall_score": overall,
    }


UF_ROW = {
    "source": "evol_instruct",
    "instruction": "Explain recursion.",
    "completions": [
        uf_completion("m1", "It calls itself.", ["4", "5", "4", "5"], 7.5),
        uf_completion("m2", "A loop.", ["2", "3", "N/A", "3"], 4.0),
        uf_completion("m3", "See recursion.", ["1", "2", "1", "2"], 2.0),
    ],
}


@pytest.mark.parametrize("file_type", ["jsonl", "parquet"])
def test_ultrafeedback_keeps_ratings_in_candidate_meta(
    tmp_path: Path, project: Project, file_type: str
) -> None:
    path = WRITERS[file_type](tmp_path / f"uf.{file_type}", [UF_ROW])

    result = run_import(project, path)

    assert result.format == "ultrafeedback"
    item = Item.objects.get()
    assert item.prompt == "Explain recursion."
    assert item.meta == {"source": "evol_instruct"}
    first, second, third = item.candidates.all()
    assert (first.key, first.model_name, first.text) == ("a", "m1", "It calls itself.")
    assert first.meta["ratings"] == {
        "helpfulness": 4,
        "honesty": 5,
        "instruction_following": 4,
        "truthfulness": 5,
        "overall": 7.5,
    }
    assert "instruction_following" not in second.meta["ratings"]  # "N/A" is no rating
    assert third.meta["ratings"]["helpfulness"] == 1


def arena_row(winner: str, qid: str = "battle-1") -> dict[str, Any]:
    user = {"role": "user", "content": "Tell a joke"}
    return {
        "question_id": qid,
        "model_a": "alpha",
        "model_b": "beta",
        "winner": winner,
        "conversation_a": [user, {"role": "assistant", "content": "joke from alpha"}],
        "conversation_b": [user, {"role": "assistant", "content": "joke from beta"}],
        "language": "English",
        "turn": 1,
    }


@pytest.mark.parametrize("file_type", ["jsonl", "csv", "parquet"])
def test_arena_battles(tmp_path: Path, project: Project, file_type: str) -> None:
    path = WRITERS[file_type](tmp_path / f"arena.{file_type}", [arena_row("model_a")])

    result = run_import(project, path)

    assert result.format == "arena"
    item = Item.objects.get()
    assert item.external_id == "battle-1"
    assert item.prompt == [{"role": "user", "content": "Tell a joke"}]
    assert item.meta["language"] == "English"
    assert "winner" not in item.meta
    models = {c.model_name: c.text for c in item.candidates.all()}
    assert models == {"alpha": "joke from alpha", "beta": "joke from beta"}


def test_mapping_with_dotted_paths_into_objects_and_lists(tmp_path: Path, project: Project) -> None:
    row = {
        "uid": 17,
        "conversation": {"turns": [{"text": "ignored"}, {"text": "What is 3*3?"}]},
        "outputs": [
            {"who": {"name": "m1"}, "answer": "9"},
            {"who": {"name": "m2"}, "answer": "6"},
        ],
        "info": {"topic": "math"},
    }
    mapping = {
        "external_id": "uid",
        "prompt": "conversation.turns.-1.text",
        "candidates": [
            {"text": "outputs.0.answer", "model": "outputs.0.who.name"},
            {"text": "outputs.1.answer", "model": {"value": "baseline"}},
        ],
        "meta": {"topic": "info.topic"},
    }
    path = write_jsonl(tmp_path / "custom.jsonl", [row])

    result = run_import(project, path, format="mapping", mapping=json.dumps(mapping))

    assert (result.created, result.format) == (1, "mapping")
    item = Item.objects.get(external_id="17")
    assert item.prompt == "What is 3*3?"
    assert item.meta == {"topic": "math"}
    assert [(c.key, c.text, c.model_name) for c in item.candidates.all()] == [
        ("a", "9", "m1"),
        ("b", "6", "baseline"),
    ]


def test_group_by_joins_one_file_per_model_into_items(tmp_path: Path, project: Project) -> None:
    prompts = {"p1": "Write a haiku", "p2": "Define entropy"}
    files = [
        write_jsonl(
            tmp_path / f"{model}.jsonl",
            [
                {"prompt_id": pid, "prompt": text, "output": {"text": f"{model} on {pid}"}}
                for pid, text in prompts.items()
            ],
        )
        for model in ("model-x", "model-y")
    ]
    mapping = {
        "group_by": "prompt_id",
        "prompt": "prompt",
        "candidate": {"text": "output.text", "model": {"file_name": True}},
    }

    result = run_import(project, *files, format="mapping", mapping=mapping)

    assert result.created == 2
    item = Item.objects.get(external_id="p2")
    assert item.prompt == "Define entropy"
    assert [(c.key, c.model_name, c.text) for c in item.candidates.all()] == [
        ("a", "model-x", "model-x on p2"),
        ("b", "model-y", "model-y on p2"),
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (NATIVE_ROWS, "native"),
        (trl_rows(2), "trl"),
        (trl_rows(2, conversational=True), "trl"),
        (
            [
                {
                    "chosen": "\n\nHuman: hi\n\nAssistant: yo",
                    "rejected": "\n\nHuman: hi\n\nAssistant: no",
                }
            ],
            "hh",
        ),
        ([UF_ROW], "ultrafeedback"),
        ([arena_row("tie")], "arena"),
    ],
)
def test_auto_detects_the_layout(
    tmp_path: Path, project: Project, rows: list[dict[str, Any]], expected: str
) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", rows)

    result = run_import(project, path)

    assert result.format == expected
    assert Item.objects.count() == len(rows)


def test_source_ids_are_used_and_missing_ones_are_derived_from_content(
    tmp_path: Path,
) -> None:
    rows = [{"id": 5, **trl_rows(1)[0]}, trl_rows(2)[1]]
    first, second = new_project(), new_project()

    run_import(first, write_jsonl(tmp_path / "one.jsonl", rows))
    run_import(second, write_jsonl(tmp_path / "two.jsonl", rows[1:]))

    ids = sorted(Item.objects.filter(project=first).values_list("external_id", flat=True))
    assert "5" in ids
    derived = next(i for i in ids if i != "5")
    assert len(derived) == 24
    assert Item.objects.get(project=second).external_id == derived
