"""Load reward models and causal LMs once per worker process.

A Celery worker loads a model on its first task and keeps it for the next ones, keyed by
(kind, source, revision, dtype, device) after ``"auto"`` is resolved, so ``"auto"`` and the
device it resolves to share one copy. Nothing here touches CUDA at import time: workers fork
after importing this module, and a CUDA context does not survive a fork.
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass
from typing import Literal

import torch
from jinja2 import TemplateError
from transformers import (
    AutoModel,
    AutoModelForCausalLM,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)

from judges.engines.base import Conversation, InputError

logger = logging.getLogger(__name__)

ModelKind = Literal["reward", "causal_lm", "encoder"]
DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}


@dataclass(frozen=True)
class ModelSpec:
    """Which checkpoint to load and how; plain data, so it can travel in a task's arguments."""

    source: str  # a Hugging Face hub id or a local folder
    revision: str | None = None
    dtype: str = "auto"  # "auto" | "float32" | "bfloat16" | "float16"
    device: str = "auto"  # "auto" | "cpu" | "cuda" | "cuda:N"
    max_length: int | None = None  # None: the model's max_position_embeddings
    trust_remote_code: bool = False


@dataclass(frozen=True)
class LoadedModel:
    """A model in eval mode on its device, with a tokenizer that has a pad token."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    device: torch.device
    dtype: torch.dtype
    max_length: int  # longest input (in tokens) the engines accept

    def encode(
        self, conversation: Conversation, *, add_generation_prompt: bool
    ) -> list[int] | InputError:
        """Token ids of ``conversation`` as the model was trained to read it.

        With a chat template, its text is tokenized without added special tokens: the template
        writes them itself (a second BOS token would shift every score). Without one, the turns
        are joined as "role: content" lines. Too long → ``InputError``.
        """
        if not conversation:
            return InputError("The conversation is empty.")
        tokenizer = self.tokenizer
        if tokenizer.chat_template:
            try:
                text = tokenizer.apply_chat_template(
                    [{"role": m["role"], "content": m["content"]} for m in conversation],
                    tokenize=False,
                    add_generation_prompt=add_generation_prompt,
                )
            except TemplateError as error:
                # Templates raise on conversations they do not accept (roles out of order).
                return InputError(f"The model's chat template rejects this conversation: {error}")
            ids = tokenizer(str(text), add_special_tokens=False)["input_ids"]
        else:
            text = "\n\n".join(f"{m['role']}: {m['content']}" for m in conversation)
            if add_generation_prompt:
                text += "\n\nassistant:"
            ids = tokenizer(text)["input_ids"]
        if len(ids) > self.max_length:
            return InputError(
                f"This input is {len(ids)} tokens; the model takes at most {self.max_length}."
            )
        return list(ids)


_CacheKey = tuple[ModelKind, str, str | None, str, str]
_cache: dict[_CacheKey, tuple[PreTrainedModel, PreTrainedTokenizerBase]] = {}
# Held while loading, so two threads asking for the same model load it once.
_cache_lock = threading.Lock()


def resolve_device(name: str) -> torch.device:
    """``"auto"`` is the first GPU when there is one, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type not in {"cpu", "cuda"}:
        raise ValueError(f"Unsupported device {name!r}: use auto, cpu, cuda or cuda:N.")
    return device


def resolve_dtype(name: str, device: torch.device) -> torch.dtype:
    """``"auto"``: bfloat16 on GPUs that have it, else float16 there; float32 on the CPU.

    Half precision on a CPU is slower than float32 for most kernels and loses accuracy, so
    ``"auto"`` never picks it there; ask for it explicitly if memory requires it.
    """
    if name == "auto":
        if device.type == "cuda":
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    if name not in DTYPES:
        raise ValueError(f"Unsupported dtype {name!r}: use auto, {', '.join(DTYPES)}.")
    return DTYPES[name]


def load_reward_model(spec: ModelSpec) -> LoadedModel:
    """A sequence-classification model (one or several score heads), cached per process."""
    return _load("reward", spec)


def load_causal_lm(spec: ModelSpec) -> LoadedModel:
    """A causal LM, cached per process."""
    return _load("causal_lm", spec)


def load_encoder(spec: ModelSpec) -> LoadedModel:
    """A text encoder (its base model, no head), cached per process."""
    return _load("encoder", spec)


def clear_model_cache() -> None:
    """Forget every loaded model (tests; a worker that must free its GPU memory)."""
    with _cache_lock:
        _cache.clear()
    gc.collect()
    torch.cuda.empty_cache()  # a no-op unless this process has used CUDA


def _load(kind: ModelKind, spec: ModelSpec) -> LoadedModel:
    device = resolve_device(spec.device)
    dtype = resolve_dtype(spec.dtype, device)
    key: _CacheKey = (kind, spec.source, spec.revision, str(dtype), str(device))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = _from_pretrained(kind, spec, device, dtype)
        model, tokenizer = _cache[key]
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        device=device,
        dtype=dtype,
        max_length=spec.max_length or _model_max_length(model, tokenizer),
    )


def _from_pretrained(
    kind: ModelKind, spec: ModelSpec, device: torch.device, dtype: torch.dtype
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    logger.info(
        "Loading %s %s (revision %s) as %s on %s", kind, spec.source, spec.revision, dtype, device
    )
    tokenizer = AutoTokenizer.from_pretrained(
        spec.source, revision=spec.revision, trust_remote_code=spec.trust_remote_code
    )
    auto = {
        "reward": AutoModelForSequenceClassification,
        "causal_lm": AutoModelForCausalLM,
        "encoder": AutoModel,
    }[kind]
    options = {
        "revision": spec.revision,
        "dtype": dtype,
        "trust_remote_code": spec.trust_remote_code,
    }
    try:
        model = auto.from_pretrained(spec.source, attn_implementation="sdpa", **options)
    except ValueError as error:
        # A few architectures (Gemma 2's logit soft-capping, some remote code) have no SDPA
        # path; their own attention is slower but correct.
        if "sdpa" not in str(error).lower():
            raise
        logger.warning("%s does not support SDPA attention; using its default", spec.source)
        model = auto.from_pretrained(spec.source, **options)
    model.to(device)
    model.eval()
    _ensure_pad_token(model, tokenizer)
    return model, tokenizer


def _ensure_pad_token(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> None:
    """Batching needs a pad id; many causal checkpoints ship without one.

    The engines pool and read logits at positions they compute from each input's length, so
    a pad token that also occurs in real text (end-of-text, often) is harmless.
    """
    if tokenizer.pad_token is None:
        fallback = tokenizer.eos_token or tokenizer.unk_token
        if fallback is None:
            raise ValueError("The tokenizer has no pad, end-of-text or unknown token to pad with.")
        tokenizer.pad_token = fallback
    model.config.pad_token_id = tokenizer.pad_token_id
    generation_config = getattr(model, "generation_config", None)
    if generation_config is not None and generation_config.pad_token_id is None:
        generation_config.pad_token_id = tokenizer.pad_token_id


def _model_max_length(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> int:
    config = model.config.get_text_config()
    positions = getattr(config, "max_position_embeddings", None)
    if isinstance(positions, int) and positions > 0:
        return positions
    # Tokenizers without a limit report a huge sentinel (int(1e30)).
    if 0 < tokenizer.model_max_length < 1_000_000:
        return int(tokenizer.model_max_length)
    raise ValueError("The model states no maximum length; set ModelSpec.max_length.")


def pad_right(
    sequences: list[list[int]], pad_id: int, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    """Token ids padded on the right into one tensor, and each row's last real position.

    Right padding needs no attention mask for a causal model: a real token never attends to
    the pad tokens after it, so each row computes exactly what it would alone (positions
    included), and the fast causal attention kernels apply. The pad positions' outputs are
    garbage and are never read.
    """
    width = max(len(sequence) for sequence in sequences)
    rows = [sequence + [pad_id] * (width - len(sequence)) for sequence in sequences]
    input_ids = torch.tensor(rows, dtype=torch.long, device=device)
    last = torch.tensor([len(s) - 1 for s in sequences], dtype=torch.long, device=device)
    return input_ids, last
