"""LlmEngine on a tiny saved causal LM: choice probabilities, generation, errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from judges.engines.base import ChoiceResult, Conversation, InputError
from judges.engines.batching import BatchPolicy
from judges.engines.llm import LlmEngine, choice_token_ids
from judges.engines.loading import ModelSpec, load_causal_lm

ONE_BATCH = BatchPolicy(token_budget=1_000_000, max_batch_size=1_000, call_cost_tokens=1_000_000)
CHOICES = ["A", "B", "tie"]


def ask(text: str) -> Conversation:
    return [
        {"role": "system", "content": "You compare two answers."},
        {"role": "user", "content": text},
    ]


def prompts(count: int) -> list[Conversation]:
    return [
        ask(f"Question {n}. Answer A: " + "more detail " * (n % 9) + f"Answer B: {n}. A, B or tie?")
        for n in range(count)
    ]


def probs(results: list[ChoiceResult | InputError]) -> list[list[float]]:
    assert all(isinstance(r, ChoiceResult) for r in results), results
    return [r.probs for r in results if isinstance(r, ChoiceResult)]


def plain(conversation: Conversation) -> list[dict[str, str]]:
    return [{"role": m["role"], "content": m["content"]} for m in conversation]


def reference(path: Path, conversation: Conversation, tokens: list[list[str]]) -> list[float]:
    """P(each choice) from a plain forward pass: softmax of the last logits, summed over the
    choice's token strings, normalised; the mass before normalising comes last."""
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)  # eval mode already
    text = tokenizer.apply_chat_template(
        plain(conversation), tokenize=False, add_generation_prompt=True
    )
    ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        distribution = torch.softmax(model(input_ids=ids).logits[0, -1].double(), dim=-1)
    mass = [
        sum(distribution[tokenizer.convert_tokens_to_ids(t)].item() for t in ts) for ts in tokens
    ]
    return [m / sum(mass) for m in mass] + [sum(mass)]


@pytest.fixture
def engine(tiny_causal_lm: Path) -> LlmEngine:
    return LlmEngine(ModelSpec(source=str(tiny_causal_lm)), policy=ONE_BATCH)


def test_loads_once_with_a_pad_token(tiny_causal_lm: Path) -> None:
    spec = ModelSpec(source=str(tiny_causal_lm))

    loaded = load_causal_lm(spec)

    assert load_causal_lm(spec).model is loaded.model
    assert loaded.tokenizer.pad_token_id is not None
    assert loaded.model.config.pad_token_id == loaded.tokenizer.pad_token_id


def test_each_choice_counts_its_spaced_and_unspaced_token(engine: LlmEngine) -> None:
    tokenizer = engine.loaded.tokenizer

    ids = choice_token_ids(tokenizer, ["A", "tie", "10"])

    assert [tokenizer.convert_ids_to_tokens(i) for i in ids] == [
        ["A", "ĠA"],
        ["tie", "Ġtie"],
        ["10", "Ġ10"],
    ]


def test_choice_probs_match_a_plain_forward_pass(tiny_causal_lm: Path, engine: LlmEngine) -> None:
    conversations = prompts(4)

    results = engine.choice_probs(conversations, CHOICES)

    tokens = [["A", "ĠA"], ["B", "ĠB"], ["tie", "Ġtie"]]
    for conversation, result in zip(conversations, results, strict=True):
        assert isinstance(result, ChoiceResult)
        expected = reference(tiny_causal_lm, conversation, tokens)
        assert result.probs == pytest.approx(expected[:3], abs=1e-5)
        assert result.coverage == pytest.approx(expected[3], rel=1e-4)
        assert result.source == "logprobs"
        assert all(0 <= p <= 1 for p in result.probs)
        assert math.isclose(sum(result.probs), 1.0, abs_tol=1e-9)


@pytest.mark.parametrize("policy", [ONE_BATCH, None], ids=["one_batch", "device_policy"])
def test_batched_probs_equal_one_at_a_time(tiny_causal_lm: Path, policy: object) -> None:
    engine = LlmEngine(ModelSpec(source=str(tiny_causal_lm)), policy=policy)  # type: ignore[arg-type]
    conversations = prompts(16)
    levels = [str(n) for n in range(1, 11)]

    batched = probs(engine.choice_probs(conversations, levels))
    assert engine.last_stats.forward_calls < len(conversations)
    alone = [probs(engine.choice_probs([c], levels))[0] for c in conversations]

    torch.testing.assert_close(torch.tensor(batched), torch.tensor(alone), atol=1e-4, rtol=0)
    assert len({round(p[0], 4) for p in batched}) > 1  # the prompts are told apart


def test_choices_that_start_alike_are_a_configuration_error(engine: LlmEngine) -> None:
    with pytest.raises(ValueError, match="same token"):
        engine.choice_probs(prompts(1), ["Yes", "Yes!"])
    with pytest.raises(ValueError, match="repeat"):
        engine.choice_probs(prompts(1), ["A", "A"])
    with pytest.raises(ValueError, match="empty"):
        engine.choice_probs(prompts(1), ["A", " "])
    with pytest.raises(ValueError, match="At least one"):
        engine.choice_probs(prompts(1), [])


def test_too_long_prompt_gets_an_error_and_the_others_probs(tiny_causal_lm: Path) -> None:
    engine = LlmEngine(ModelSpec(source=str(tiny_causal_lm), max_length=48))
    conversations = [ask("A or B?"), ask("word " * 100), ask("B or A?")]

    results = engine.choice_probs(conversations, CHOICES)

    assert isinstance(results[0], ChoiceResult)
    assert isinstance(results[2], ChoiceResult)
    assert isinstance(results[1], InputError)
    assert "tokens; the model takes at most 48" in results[1].message


def test_prompts_must_end_with_a_user_turn(engine: LlmEngine) -> None:
    conversations: list[Conversation] = [
        [],
        [{"role": "user", "content": "A or B?"}, {"role": "assistant", "content": "A"}],
        [{"role": "system", "content": "Judge."}],
        ask("A or B?"),
    ]

    results = engine.choice_probs(conversations, CHOICES)

    assert [type(r).__name__ for r in results] == ["InputError"] * 3 + ["ChoiceResult"]
    assert engine.choice_probs([], CHOICES) == []


def test_stats_count_one_forward_call_per_batch(engine: LlmEngine) -> None:
    conversations = prompts(5)

    engine.choice_probs(conversations, CHOICES)

    lengths = [
        len(engine.loaded.encode(c, add_generation_prompt=True))  # type: ignore[arg-type]
        for c in conversations
    ]
    stats = engine.last_stats
    assert (stats.inputs, stats.tokens, stats.forward_calls) == (5, sum(lengths), 1)


def test_generate_batched_equals_one_at_a_time(engine: LlmEngine) -> None:
    conversations = prompts(6)

    batched = engine.generate(conversations, max_new_tokens=8)
    stats = engine.last_stats
    alone = [engine.generate([c], max_new_tokens=8)[0] for c in conversations]

    assert batched == alone
    assert all(isinstance(text, str) and text for text in batched)
    assert 0 < stats.extra["generated_tokens"] <= 6 * 8


def test_generate_respects_max_new_tokens_and_the_length_limit(tiny_causal_lm: Path) -> None:
    engine = LlmEngine(ModelSpec(source=str(tiny_causal_lm), max_length=40))

    short, too_long = engine.generate([ask("A?"), ask("word " * 60)], max_new_tokens=3)

    assert isinstance(short, str)
    assert 0 < engine.last_stats.extra["generated_tokens"] <= 3
    assert isinstance(too_long, InputError)
    with pytest.raises(ValueError, match="max_new_tokens"):
        engine.generate([ask("A?")], max_new_tokens=0)
