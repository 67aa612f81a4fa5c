"""A local causal LM as a judge: verdicts from one forward pass, rationales by generation."""

from __future__ import annotations

import inspect
import math
import time
from typing import cast

import torch
from transformers import GenerationMixin, PreTrainedTokenizerBase

from judges.engines.base import ChoiceResult, Conversation, EngineStats, InputError
from judges.engines.batching import BatchPolicy, batch_policy, run_planned, shrink_after_oom
from judges.engines.loading import ModelSpec, load_causal_lm, pad_right


class LlmEngine:
    """``ChoiceScorer`` over a Hugging Face causal LM.

    ``choice_probs`` reads the verdict from the next-token distribution after the assistant
    header: one forward pass per batch, no sampling, and a probability for every choice rather
    than one parsed answer. ``generate`` exists for rationales shown beside a verdict.
    """

    def __init__(self, spec: ModelSpec, *, policy: BatchPolicy | None = None) -> None:
        self.loaded = load_causal_lm(spec)
        self.policy = policy or batch_policy(self.loaded.device.type)
        self.last_stats = EngineStats()
        self._forward_calls = 0
        self._padded_tokens = 0
        self._generated_tokens = 0
        # Most causal LMs can project only the positions asked for onto the vocabulary, which
        # for a 150k-token vocabulary is most of the cost of short inputs.
        forward = inspect.signature(self.loaded.model.forward).parameters
        self._logits_to_keep = "logits_to_keep" in forward

    def choice_probs(
        self, conversations: list[Conversation], choices: list[str]
    ) -> list[ChoiceResult | InputError]:
        """P(the assistant's answer starts with each choice), normalised over the choices.

        A choice's probability is that of its first token, counting both the form at the start
        of a text and the form after a space (" A") when the tokenizer has both. Choices that
        start with the same token cannot be told apart: ``ValueError``, as for any bad choice
        list. ``coverage`` is the mass on the choices before normalising.
        """
        token_ids = choice_token_ids(self.loaded.tokenizer, choices)
        started = time.perf_counter()
        encoded = [self._encode_prompt(c, room=0) for c in conversations]
        valid = {i: ids for i, ids in enumerate(encoded) if not isinstance(ids, InputError)}
        self._forward_calls = 0
        self._padded_tokens = 0
        answered = run_planned(
            {i: len(ids) for i, ids in valid.items()},
            self.policy,
            lambda batch: self._choice_batch([valid[i] for i in batch], token_ids),
            on_oom=lambda batch: self._shrink([len(valid[i]) for i in batch]),
        )
        results: list[ChoiceResult | InputError] = [
            item if isinstance(item, InputError) else answered[i] for i, item in enumerate(encoded)
        ]
        self._record(conversations, valid, started, results)
        return results

    def generate(
        self, conversations: list[Conversation], *, max_new_tokens: int = 256
    ) -> list[str | InputError]:
        """Greedy answers of at most ``max_new_tokens`` tokens (fewer near the length limit).

        Batched generation pads on the left so every prompt ends at the same position; the
        positions are computed from the attention mask, so each answer is the one the prompt
        gets alone.
        """
        if max_new_tokens < 1:
            raise ValueError("max_new_tokens must be at least 1.")
        started = time.perf_counter()
        encoded = [self._encode_prompt(c, room=1) for c in conversations]
        valid = {i: ids for i, ids in enumerate(encoded) if not isinstance(ids, InputError)}
        self._forward_calls = 0
        self._padded_tokens = 0
        self._generated_tokens = 0
        answered = run_planned(
            {i: len(ids) for i, ids in valid.items()},
            self.policy,
            lambda batch: self._generate_batch([valid[i] for i in batch], max_new_tokens),
            on_oom=lambda batch: self._shrink([len(valid[i]) + max_new_tokens for i in batch]),
        )
        results: list[str | InputError] = [
            item if isinstance(item, InputError) else answered[i] for i, item in enumerate(encoded)
        ]
        self._record(
            conversations, valid, started, results, generated_tokens=float(self._generated_tokens)
        )
        return results

    def _encode_prompt(self, conversation: Conversation, *, room: int) -> list[int] | InputError:
        if not conversation or conversation[-1]["role"] != "user":
            return InputError("A judge prompt must end with a user turn.")
        ids = self.loaded.encode(conversation, add_generation_prompt=True)
        if not isinstance(ids, InputError) and len(ids) + room > self.loaded.max_length:
            return InputError(
                f"This input is {len(ids)} tokens; the model takes at most "
                f"{self.loaded.max_length - room} before its answer."
            )
        return ids

    @torch.inference_mode()
    def _choice_batch(
        self, sequences: list[list[int]], token_ids: list[list[int]]
    ) -> list[ChoiceResult]:
        self._forward_calls += 1
        loaded = self.loaded
        input_ids, last = pad_right(sequences, int(loaded.tokenizer.pad_token_id), loaded.device)
        self._padded_tokens += input_ids.numel()
        if self._logits_to_keep:
            output = loaded.model(
                input_ids=input_ids, use_cache=False, logits_to_keep=last[:, None]
            )
            logits = output.logits[:, 0, :]
        else:
            rows = torch.arange(len(sequences), device=loaded.device)
            logits = loaded.model(input_ids=input_ids, use_cache=False).logits[rows, last]
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        # Only the few choice columns leave the device (a GPU batch of full rows is big).
        per_choice = torch.stack(
            [torch.logsumexp(log_probs[:, ids], dim=1) for ids in token_ids], dim=1
        )
        return [_normalised(row) for row in per_choice.double().cpu().tolist()]

    @torch.inference_mode()
    def _generate_batch(self, sequences: list[list[int]], max_new_tokens: int) -> list[str]:
        loaded = self.loaded
        tokenizer = loaded.tokenizer
        width = max(len(s) for s in sequences)
        pad_id = int(tokenizer.pad_token_id)
        input_ids = torch.tensor(
            [[pad_id] * (width - len(s)) + s for s in sequences], device=loaded.device
        )
        attention_mask = torch.tensor(
            [[0] * (width - len(s)) + [1] * len(s) for s in sequences], device=loaded.device
        )
        self._padded_tokens += input_ids.numel()
        # Every causal LM class mixes GenerationMixin in; PreTrainedModel does not declare it.
        model = cast(GenerationMixin, loaded.model)
        output = model.generate(
            input_ids=input_ids,
            attention_mask=attention_mask,
            max_new_tokens=min(max_new_tokens, loaded.max_length - width),
            do_sample=False,
            pad_token_id=pad_id,
        )
        new_tokens = output[:, width:]
        self._forward_calls += new_tokens.shape[1]
        eos = loaded.model.generation_config.eos_token_id
        stops = set(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        answers = []
        for row in new_tokens.tolist():
            kept = []
            for token in row:
                if token in stops:
                    break
                kept.append(token)
            self._generated_tokens += len(kept)
            answers.append(str(tokenizer.decode(kept, skip_special_tokens=True)).strip())
        return answers

    def _shrink(self, lengths: list[int]) -> None:
        self.policy = shrink_after_oom(self.policy, lengths)
        if self.loaded.device.type == "cuda":
            torch.cuda.empty_cache()

    def _record(
        self,
        conversations: list[Conversation],
        valid: dict[int, list[int]],
        started: float,
        results: list[ChoiceResult | InputError] | list[str | InputError],
        **extra: float,
    ) -> None:
        self.last_stats = EngineStats(
            inputs=len(conversations),
            tokens=sum(len(ids) for ids in valid.values()),
            forward_calls=self._forward_calls,
            seconds=time.perf_counter() - started,
            extra={
                "padded_tokens": float(self._padded_tokens),
                "errors": float(sum(isinstance(r, InputError) for r in results)),
                **extra,
            },
        )


def _normalised(log_masses: list[float]) -> ChoiceResult:
    """Probabilities over the choices from their log-masses, in float64 and without overflow."""
    top = max(log_masses)
    total = top + math.log(sum(math.exp(value - top) for value in log_masses))
    return ChoiceResult(
        probs=[math.exp(value - total) for value in log_masses],
        source="logprobs",
        coverage=math.exp(total),
    )


def choice_token_ids(tokenizer: PreTrainedTokenizerBase, choices: list[str]) -> list[list[int]]:
    """The first-token ids that stand for each choice (with and without a leading space).

    A space-prefixed form whose first token is a bare space is left out: that token says
    nothing about which choice follows.
    """
    if not choices:
        raise ValueError("At least one choice is needed.")
    if len(set(choices)) != len(choices):
        raise ValueError(f"Choices repeat: {choices}.")
    found: list[list[int]] = []
    owner: dict[int, str] = {}
    for choice in choices:
        text = choice.strip()
        if not text:
            raise ValueError("A choice cannot be empty.")
        ids: list[int] = []
        for form in (text, " " + text):
            first = tokenizer.encode(form, add_special_tokens=False)[:1]
            if first and str(tokenizer.decode(first)).strip() and first[0] not in ids:
                ids.append(first[0])
        for token in ids:
            if token in owner:
                raise ValueError(
                    f"Choices {owner[token]!r} and {choice!r} start with the same token "
                    f"{tokenizer.decode([token])!r}, so one forward pass cannot tell them apart."
                )
            owner[token] = choice
        if not ids:
            raise ValueError(f"The choice {choice!r} encodes to no usable token.")
        found.append(ids)
    return found
