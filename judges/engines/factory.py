"""Build the engine a judge's configuration asks for (plain data in, engine out).

Importing this module loads torch and transformers; only worker processes do, on their first
judge task.
"""

from __future__ import annotations

from typing import Any

from judges.engines.api import ApiEngine
from judges.engines.base import ChoiceScorer, RewardScorer
from judges.engines.encoder import EncoderEngine
from judges.engines.llm import LlmEngine
from judges.engines.loading import ModelSpec
from judges.engines.reward import RewardEngine


def model_spec(config: dict[str, Any]) -> ModelSpec:
    return ModelSpec(
        source=config["model"],
        revision=config.get("revision"),
        dtype=config.get("dtype", "auto"),
        device=config.get("device", "auto"),
        max_length=config.get("max_length"),
    )


def engine_for(
    kind: str, config: dict[str, Any], *, api_key: str | None = None
) -> RewardScorer | ChoiceScorer | EncoderEngine:
    """The engine for a validated judge configuration of ``kind``."""
    if kind == "preference_head":
        spec = ModelSpec(
            source=config.get("encoder", "all-MiniLM-L6-v2"),
            revision=config.get("revision"),
            device=config.get("device", "auto"),
            max_length=config.get("max_length"),
        )
        return EncoderEngine(spec, pooling=config.get("pooling", "mean"))
    if kind == "reward_model":
        return RewardEngine(model_spec(config))
    if kind == "local_llm":
        return LlmEngine(model_spec(config))
    if kind == "api":
        return ApiEngine(
            base_url=config["base_url"],
            model=config["model"],
            api_key=api_key,
            max_concurrency=config.get("max_concurrency", 8),
            timeout_s=config.get("timeout_s", 60),
            max_retries=config.get("max_retries", 5),
            logprobs=config.get("logprobs", "auto"),
        )
    raise ValueError(f"no engine for judge kind {kind!r}")
