"""Tiny models saved once per test session, for engine and worker tests (no downloads)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from tests.judges.tiny_models import build_causal_lm, build_encoder, build_reward_model


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread() -> Iterator[None]:
    """Tiny models gain nothing from threads, and on a busy machine (parallel test runs)
    OpenMP threads that spin-wait for each other make every forward pass many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tiny_reward_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a scalar reward model (Qwen2 shape, random weights) and its tokenizer."""
    return build_reward_model(tmp_path_factory.mktemp("tiny_reward_model"))


@pytest.fixture(scope="session")
def tiny_reward_model_2heads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a reward model with two score heads."""
    return build_reward_model(tmp_path_factory.mktemp("tiny_reward_model_2heads"), heads=2, seed=1)


@pytest.fixture(scope="session")
def tiny_causal_lm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a causal LM whose tokenizer has "A", "B", "tie", "1".."10", "Yes", "No"."""
    return build_causal_lm(tmp_path_factory.mktemp("tiny_causal_lm"))


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of a BERT-shaped encoder with random weights and its tokenizer."""
    return build_encoder(tmp_path_factory.mktemp("tiny_encoder"))
