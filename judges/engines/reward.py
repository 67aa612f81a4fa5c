"""Reward models: a score per head for each (prompt, candidate) conversation."""

from __future__ import annotations

import time
from dataclasses import replace

import torch
from torch import nn

from judges.engines.base import (
    Conversation,
    EngineStats,
    InputError,
    RewardResult,
)
from judges.engines.batching import BatchPolicy, batch_policy, run_planned, shrink_after_oom
from judges.engines.loading import ModelSpec, load_reward_model, pad_right


class RewardEngine:
    """``RewardScorer`` over a Hugging Face sequence-classification checkpoint.

    A scalar reward model gives one score per conversation; a model with several heads
    (``num_labels > 1``) gives one per head, in the head order of its config.
    """

    def __init__(self, spec: ModelSpec, *, policy: BatchPolicy | None = None) -> None:
        self.loaded = load_reward_model(spec)
        self.policy = policy or batch_policy(self.loaded.device.type)
        self.last_stats = EngineStats()
        self._forward_calls = 0
        self._padded_tokens = 0
        model = self.loaded.model
        head = getattr(model, "score", None)
        backbone = model.base_model
        # Decoder-only classifiers (Llama, Qwen, Mistral, Gemma, GPT-2...) have a backbone and a
        # linear "score" head. For them we pool the hidden state ourselves, at each input's real
        # last position: Hugging Face pools the last token that is not the pad id, which is the
        # wrong one when the pad id is end-of-text and a text ends with it. Padding on the right
        # without a mask is exact only for causal attention, hence the check on the layout.
        self._head: nn.Module | None = head if isinstance(head, nn.Module) else None
        self._backbone: nn.Module = backbone
        if self._head is None or backbone is model:
            # Any other layout (encoders such as DeBERTa, remote code): the model's own forward
            # and pooling, one input per call, so that there is no padding to get wrong.
            self._head = None
            self.policy = replace(self.policy, max_batch_size=1)

    def rewards(self, conversations: list[Conversation]) -> list[RewardResult | InputError]:
        """Score each conversation: prompt turns, then the candidate as the last assistant turn.

        Inputs longer than the model's limit, or not ending with an assistant turn after a user
        turn, get an ``InputError``; the others are scored.
        """
        started = time.perf_counter()
        encoded: list[list[int] | InputError] = [self._encode(c) for c in conversations]
        valid = {i: ids for i, ids in enumerate(encoded) if not isinstance(ids, InputError)}
        self._forward_calls = 0
        self._padded_tokens = 0
        scored = run_planned(
            {i: len(ids) for i, ids in valid.items()},
            self.policy,
            lambda batch: self._score([valid[i] for i in batch]),
            on_oom=lambda batch: self._shrink([len(valid[i]) for i in batch]),
        )
        results: list[RewardResult | InputError] = [
            item if isinstance(item, InputError) else scored[i] for i, item in enumerate(encoded)
        ]
        tokens = sum(len(ids) for ids in valid.values())
        self.last_stats = EngineStats(
            inputs=len(conversations),
            tokens=tokens,
            forward_calls=self._forward_calls,
            seconds=time.perf_counter() - started,
            extra={
                "padded_tokens": float(self._padded_tokens),
                "errors": float(sum(isinstance(r, InputError) for r in results)),
            },
        )
        return results

    def _encode(self, conversation: Conversation) -> list[int] | InputError:
        roles = [message["role"] for message in conversation]
        if not roles or roles[-1] != "assistant":
            return InputError("A reward model scores a conversation that ends with the candidate.")
        if "user" not in roles:
            return InputError("The conversation has no user turn to answer.")
        return self.loaded.encode(conversation, add_generation_prompt=False)

    @torch.inference_mode()
    def _score(self, sequences: list[list[int]]) -> list[RewardResult]:
        self._forward_calls += 1
        pad_id = int(self.loaded.tokenizer.pad_token_id)
        input_ids, last = pad_right(sequences, pad_id, self.loaded.device)
        self._padded_tokens += input_ids.numel()
        if self._head is None:
            logits = self.loaded.model(input_ids=input_ids, use_cache=False).logits
        else:
            hidden = self._backbone(input_ids=input_ids, use_cache=False).last_hidden_state
            pooled = hidden[torch.arange(len(sequences), device=hidden.device), last]
            logits = self._head(pooled)
        rows: list[list[float]] = logits.float().cpu().tolist()
        return [RewardResult(scores=row) for row in rows]

    def _shrink(self, lengths: list[int]) -> None:
        self.policy = shrink_after_oom(self.policy, lengths)
        if self.loaded.device.type == "cuda":
            torch.cuda.empty_cache()
