"""RewardEngine on tiny saved models: loading, batching, pooling, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from judges.engines.base import Conversation, InputError, RewardResult
from judges.engines.batching import BatchPolicy
from judges.engines.loading import (
    ModelSpec,
    clear_model_cache,
    load_reward_model,
    resolve_device,
    resolve_dtype,
)
from judges.engines.reward import RewardEngine
from tests.judges.tiny_models import build_reward_model

# Everything in one batch, however uneven: the hardest case for padding.
ONE_BATCH = BatchPolicy(token_budget=1_000_000, max_batch_size=1_000, call_cost_tokens=1_000_000)
WORDS = str.split("the answer is A because the first response is more helpful than the second one")


def pair(prompt: str, answer: str) -> Conversation:
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]


def candidates(count: int) -> list[Conversation]:
    """Conversations of very different lengths."""
    return [
        pair(f"Question {n}: which is better?", " ".join(WORDS[: 1 + n % 14] * (1 + n % 4)))
        for n in range(count)
    ]


def scores(results: list[RewardResult | InputError]) -> list[list[float]]:
    assert all(isinstance(r, RewardResult) for r in results), results
    return [r.scores for r in results if isinstance(r, RewardResult)]


def assert_close(got: list[list[float]], expected: list[list[float]]) -> None:
    torch.testing.assert_close(torch.tensor(got), torch.tensor(expected), atol=1e-4, rtol=0)


def plain(conversation: Conversation) -> list[dict[str, str]]:
    return [{"role": m["role"], "content": m["content"]} for m in conversation]


def reference_scores(path: Path, conversations: list[Conversation]) -> list[list[float]]:
    """The checkpoint's own forward pass and pooling, one unpadded input at a time."""
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path)  # eval mode already
    out = []
    with torch.no_grad():
        for conversation in conversations:
            text = tokenizer.apply_chat_template(plain(conversation), tokenize=False)
            ids = tokenizer(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
            out.append(model(input_ids=ids).logits[0].tolist())
    return out


def test_models_load_once_per_process(tiny_reward_model: Path) -> None:
    spec = ModelSpec(source=str(tiny_reward_model))

    first = load_reward_model(spec)
    again = load_reward_model(ModelSpec(source=str(tiny_reward_model), device="cpu"))

    assert again.model is first.model
    assert again.tokenizer is first.tokenizer
    assert first.device == torch.device("cpu")
    assert first.dtype == torch.float32
    assert first.max_length == 512  # the config's max_position_embeddings
    assert not first.model.training
    clear_model_cache()
    assert load_reward_model(spec).model is not first.model


def test_auto_resolves_to_cpu_and_float32_without_a_gpu() -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert resolve_device("auto") == torch.device("cpu")
    assert resolve_dtype("auto", torch.device("cpu")) == torch.float32
    assert resolve_dtype("bfloat16", torch.device("cpu")) == torch.bfloat16
    with pytest.raises(ValueError, match="dtype"):
        resolve_dtype("int8", torch.device("cpu"))
    with pytest.raises(ValueError, match="device"):
        resolve_device("mps")


def test_scores_match_the_checkpoints_own_forward_pass(tiny_reward_model: Path) -> None:
    conversations = candidates(6)
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)), policy=ONE_BATCH)

    got = scores(engine.rewards(conversations))

    expected = reference_scores(tiny_reward_model, conversations)
    assert_close(got, expected)
    assert len({round(s[0], 4) for s in got}) == len(got)  # the inputs are told apart


@pytest.mark.parametrize("policy", [ONE_BATCH, None], ids=["one_batch", "device_policy"])
def test_batched_scores_equal_one_at_a_time(tiny_reward_model: Path, policy: object) -> None:
    conversations = candidates(20)
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)), policy=policy)  # type: ignore[arg-type]

    batched = scores(engine.rewards(conversations))
    assert engine.last_stats.forward_calls < len(conversations)
    alone = [scores(engine.rewards([c]))[0] for c in conversations]

    assert_close(batched, alone)


def test_stats_count_inputs_tokens_and_calls(tiny_reward_model: Path) -> None:
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)), policy=ONE_BATCH)
    conversations = candidates(5)

    engine.rewards(conversations)

    lengths = [
        len(engine.loaded.encode(c, add_generation_prompt=False))  # type: ignore[arg-type]
        for c in conversations
    ]
    stats = engine.last_stats
    assert (stats.inputs, stats.tokens, stats.forward_calls) == (5, sum(lengths), 1)
    assert stats.extra["padded_tokens"] == 5 * max(lengths)
    assert stats.seconds > 0


def test_a_text_ending_with_the_pad_token_is_pooled_at_its_real_end(tmp_path: Path) -> None:
    # Without a chat template the text ends where the candidate ends, here with the end-of-text
    # token that is also the pad token: pooling "the last token that is not padding" would take
    # the token before it.
    path = build_reward_model(tmp_path, seed=3)
    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.chat_template = None
    tokenizer.save_pretrained(path)
    (path / "chat_template.jinja").unlink(missing_ok=True)
    conversations = [pair("Rate this.", "A fine answer.<|endoftext|>"), pair("Rate.", "Short.")]
    engine = RewardEngine(ModelSpec(source=str(path)), policy=ONE_BATCH)

    got = scores(engine.rewards(conversations))

    model = AutoModelForSequenceClassification.from_pretrained(path)  # eval mode already
    model.config.pad_token_id = None  # batch of one: pool the very last token
    with torch.no_grad():
        text = "user: Rate this.\n\nassistant: A fine answer.<|endoftext|>"
        ids = tokenizer(text, return_tensors="pt")["input_ids"]
        assert ids[0, -1].item() == tokenizer.pad_token_id
        expected = model(input_ids=ids).logits[0].tolist()
    assert_close(got[:1], [expected])


def test_too_long_input_gets_an_error_and_the_others_scores(tiny_reward_model: Path) -> None:
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model), max_length=64))
    conversations = [pair("Hi", "Short."), pair("Hi", "word " * 200), pair("Hi", "Also short.")]

    results = engine.rewards(conversations)

    assert isinstance(results[0], RewardResult)
    assert isinstance(results[2], RewardResult)
    assert isinstance(results[1], InputError)
    assert "tokens; the model takes at most 64" in results[1].message
    assert engine.last_stats.extra["errors"] == 1


def test_two_heads_give_two_scores_each(tiny_reward_model_2heads: Path) -> None:
    conversations = candidates(7)
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model_2heads)), policy=ONE_BATCH)

    got = scores(engine.rewards(conversations))

    assert all(len(s) == 2 for s in got)
    assert_close(got, reference_scores(tiny_reward_model_2heads, conversations))


def test_malformed_conversations_get_errors(tiny_reward_model: Path) -> None:
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)))
    conversations: list[Conversation] = [
        [],
        [{"role": "user", "content": "No answer yet"}],
        [{"role": "assistant", "content": "An answer to nothing"}],
        pair("Fine", "Fine."),
    ]

    results = engine.rewards(conversations)

    assert [type(r).__name__ for r in results] == ["InputError"] * 3 + ["RewardResult"]


def test_a_conversation_the_chat_template_rejects_gets_an_error(tmp_path: Path) -> None:
    path = build_reward_model(tmp_path, seed=4)
    # Like Llama 2's and Mistral's templates: user and assistant turns must alternate.
    strict = (
        "{%- for m in messages %}{%- if (m['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{- raise_exception('Conversation roles must alternate user/assistant') }}{%- endif %}"
        "{{- m['role'] + ': ' + m['content'] + '\\n' }}{%- endfor %}"
    )
    (path / "chat_template.jinja").write_text(strict)
    engine = RewardEngine(ModelSpec(source=str(path)))
    doubled: Conversation = [
        {"role": "user", "content": "Hi"},
        {"role": "user", "content": "Hello?"},
        {"role": "assistant", "content": "Hi."},
    ]

    rejected, accepted = engine.rewards([doubled, pair("Hi", "Hi.")])

    assert isinstance(rejected, InputError)
    assert "roles must alternate" in rejected.message
    assert isinstance(accepted, RewardResult)


def test_no_conversations_no_results(tiny_reward_model: Path) -> None:
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)))

    assert engine.rewards([]) == []
    assert engine.last_stats.inputs == 0


def test_a_batch_that_runs_out_of_memory_is_retried_smaller(
    tiny_reward_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = RewardEngine(ModelSpec(source=str(tiny_reward_model)), policy=ONE_BATCH)
    conversations = candidates(6)
    expected = scores(engine.rewards(conversations))
    score = engine._score

    def tight_memory(sequences: list[list[int]]) -> list[RewardResult]:
        if len(sequences) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1 GiB")
        return score(sequences)

    monkeypatch.setattr(engine, "_score", tight_memory)

    assert_close(scores(engine.rewards(conversations)), expected)
    assert engine.policy.token_budget < ONE_BATCH.token_budget
