"""Judge configuration per kind, validated on write (pydantic, like the project's questions).

Secrets are never part of a configuration: an API judge names where its key lives (an
environment variable, or an entry of the ``MOOT_JUDGE_API_KEYS`` setting), so configurations
can be shown, exported and logged as they are.
"""

from __future__ import annotations

import string
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from judges.prompts import TEMPLATE_FIELDS

Dtype = Literal["auto", "float32", "bfloat16", "float16"]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_templates(value: dict[str, str]) -> dict[str, str]:
    for kind, template in value.items():
        if kind not in TEMPLATE_FIELDS:
            raise ValueError(f"no template kind {kind!r}; use {', '.join(TEMPLATE_FIELDS)}")
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        except ValueError as exc:
            raise ValueError(f"{kind} template: {exc}") from None
        unknown = fields - TEMPLATE_FIELDS[kind]
        if unknown:
            allowed = ", ".join("{" + f + "}" for f in sorted(TEMPLATE_FIELDS[kind]))
            raise ValueError(
                f"{kind} template: unknown field {{{sorted(unknown)[0]}}}; allowed: {allowed}"
            )
    return value


class LocalModel(_Config):
    model: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        description="A Hugging Face model id or a local path the workers can read."
    )
    revision: str | None = Field(default=None, max_length=200)
    dtype: Dtype = "auto"
    device: Annotated[str, Field(pattern=r"^(auto|cpu|cuda(:\d+)?)$")] = "auto"
    max_length: int | None = Field(
        default=None, ge=16, le=1_000_000, description="Longer inputs fail (per item)."
    )


class HeadMapping(_Config):
    """Maps a reward (one head) linearly onto a rating dimension's scale."""

    head: int = Field(default=0, ge=0)
    low: float | None = Field(
        default=None, description="Reward that maps to the scale's minimum (else calibrated)."
    )
    high: float | None = Field(default=None, description="Reward that maps to the maximum.")


class RewardModelConfig(LocalModel):
    """``AutoModelForSequenceClassification`` with a scalar head, or several heads."""

    head: int = Field(default=0, ge=0, description="The head read for pairwise and ranking.")
    # question id -> dimension id -> mapping. Without low/high the map is fitted to the
    # project's human ratings when there are any, else to the run's own range of rewards.
    ratings: dict[str, dict[str, HeadMapping]] = Field(default_factory=dict)


class PromptedConfig(_Config):
    templates: dict[str, str] = Field(
        default_factory=dict,
        description="Prompt template per question kind; the defaults are used where absent.",
    )
    system_prompt: str = Field(default="", max_length=20000)
    position_swap: bool = Field(
        default=True, description="Judge pairs in both orders and combine them."
    )
    rationale: bool = Field(default=False, description="Also generate a short explanation.")

    _templates = field_validator("templates")(_check_templates)


class LocalLlmConfig(LocalModel, PromptedConfig):
    """``AutoModelForCausalLM``: verdicts from next-token probabilities."""


class ApiConfig(PromptedConfig):
    """Any OpenAI-compatible chat-completions endpoint."""

    base_url: Annotated[str, Field(pattern=r"^https?://", max_length=500)]
    model: Annotated[str, Field(min_length=1, max_length=500)]
    api_key_env: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="Environment variable (or MOOT_JUDGE_API_KEYS entry) holding the key.",
    )
    max_concurrency: int = Field(default=8, ge=1, le=256)
    timeout_s: float = Field(default=60, gt=0, le=3600)
    max_retries: int = Field(default=5, ge=0, le=20)
    logprobs: Literal["auto", "always", "never"] = "auto"


class PreferenceHeadConfig(_Config):
    """A Bradley-Terry head (Davidson's ties) on frozen embeddings, trained on human labels."""

    encoder: Annotated[str, Field(min_length=1, max_length=500)] = Field(
        default="all-MiniLM-L6-v2",
        description=(
            "A sentence encoder: a Hugging Face model id or a local path the workers can read. "
            "all-MiniLM-L6-v2 is installed with the workers and loads offline."
        ),
    )
    revision: str | None = Field(default=None, max_length=200)
    device: Annotated[str, Field(pattern=r"^(auto|cpu|cuda(:\d+)?)$")] = "auto"
    max_length: int | None = Field(
        default=None,
        ge=8,
        le=8192,
        description="Tokens embedded per text (longer texts are cut); default: the encoder's.",
    )
    pooling: Literal["mean", "cls"] = "mean"
    features: Literal["candidate", "candidate_prompt"] = Field(
        default="candidate_prompt",
        description=(
            "candidate: the response's embedding alone; candidate_prompt: also its elementwise "
            "product with the prompt's, so preferences can depend on what was asked."
        ),
    )
    l2: float = Field(
        default=300.0,
        ge=0,
        le=1e6,
        description=(
            "Ridge penalty on the standardised weights. Human labels are noisy, and a weak "
            "penalty lets a few wrong labels on easy pairs pull the head; raise it for noisier "
            "labels, lower it for very clean ones."
        ),
    )
    ties: bool = Field(default=True, description="Model ties (Davidson) rather than halve them.")
    folds: int = Field(default=5, ge=2, le=20, description="Cross-fitting folds (by item).")
    min_pairs: int = Field(
        default=10, ge=2, le=100_000, description="Fewest non-tie labeled pairs to train on."
    )
    train_on: list[str] = Field(
        default_factory=list,
        description=(
            "Question ids whose human answers train the head (pairwise, ranking, or rating "
            "through derived pairs); empty: the judge's own questions."
        ),
    )


CONFIGS: dict[str, type[_Config]] = {
    "reward_model": RewardModelConfig,
    "local_llm": LocalLlmConfig,
    "api": ApiConfig,
    "preference_head": PreferenceHeadConfig,
}


class ConfigInvalid(ValueError):
    """Raised with ``errors``: field path -> messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid judge configuration")
        self.errors = errors


def validate_config(kind: str, config: Any) -> dict[str, Any]:
    """The configuration, checked for ``kind`` and with defaults filled in."""
    try:
        model = CONFIGS[kind].model_validate(config)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for error in exc.errors():
            path = ".".join(str(p) for p in error["loc"]) or "non_field_errors"
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden" and "key" in path.lower():
                message = "Keys are not stored; name an environment variable in api_key_env."
            errors.setdefault(path, []).append(message)
        raise ConfigInvalid(errors) from None
    return model.model_dump(mode="json")
