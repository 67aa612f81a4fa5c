"""A labelled project, tiny models and a one-step training run for the TRL export tests.

Imported only once ``test_trl_training`` has checked that torch, datasets, transformers and
TRL are installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from annotator.models import Project
from tests.annotator.exports.builders import PAIRWISE, add_item, annotate, people, project_with
from tests.judges.tiny_models import build_causal_lm, build_reward_model

# Each item's votes from three annotators (None: that one did not label the item). With
# majority aggregation and ties dropped, i3 (two ties against b) and i5 (a against b) give no
# pair; the six others one pair each, unanimous or by two votes to one.
VOTES: dict[str, tuple[str | None, ...]] = {
    "i0": ("a", "a", "a"),
    "i1": ("b", "b", "a"),
    "i2": ("a", "tie", "a"),
    "i3": ("tie", "tie", "b"),
    "i4": ("b", "b", "b"),
    "i5": ("a", "b", None),
    "i6": ("a", "a", "b"),
    "i7": ("b", "a", "b"),
}


def labelled_project(*, chat: bool) -> Project:
    """Eight two-candidate items labelled by three people, with some disagreement.

    With ``chat``, even items have a system-and-user chat prompt and odd ones a plain prompt,
    so the export is conversational and turns the plain prompts into one user message.
    """
    project = project_with(PAIRWISE)
    annotators = people(3)
    for index, (external_id, votes) in enumerate(VOTES.items()):
        question = f"Which is larger, {index} or {index + 1}? Explain the answer."
        prompt: Any = question
        if chat and index % 2 == 0:
            prompt = [
                {"role": "system", "content": "You are a helpful and honest assistant."},
                {"role": "user", "content": question},
            ]
        item = add_item(
            project,
            external_id,
            {"a": f"{index + 1} is larger, because it comes after {index}.", "b": f"{index}."},
            prompt=prompt,
        )
        for position, (user, winner) in enumerate(zip(annotators, votes, strict=True)):
            if winner is None:
                continue
            answer: dict[str, Any] = {"winner": winner}
            if winner != "tie":
                answer["strength"] = (index + position) % 3
            # The second annotator saw the candidates the other way round.
            shown = ["b", "a"] if position == 1 else ["a", "b"]
            annotate(item, user, {"pref": answer}, shown=shown)
    return project


def tiny_models(directory: Path) -> dict[str, Path]:
    """A causal LM and a one-output reward model, saved with a tokenizer that has a chat
    template (conversational datasets are rendered through it)."""
    return {
        "causal_lm": build_causal_lm(directory / "causal_lm"),
        "reward_model": build_reward_model(directory / "reward_model"),
    }


def trainer_settings(tmp_path: Path, *, batch: int) -> dict[str, Any]:
    """TRL config arguments for exactly one optimisation step on the CPU, saving nothing."""
    return {
        "output_dir": str(tmp_path / "trained"),
        "max_steps": 1,
        "per_device_train_batch_size": batch,
        # Large enough that one step visibly moves float32 weights.
        "learning_rate": 1e-3,
        "use_cpu": True,
        # TRL turns on bf16 and activation checkpointing by default; neither helps here.
        "bf16": False,
        "activation_checkpointing": False,
        "save_strategy": "no",
        "report_to": [],
        "logging_steps": 1,
        "disable_tqdm": True,
        "dataloader_num_workers": 0,
        "seed": 0,
    }


@dataclass
class Step:
    """What one training step did: its loss, the parameters it changed, and the batches the
    trainer's loss received (their sizes, and any margins and labels in them)."""

    loss: float
    global_step: int
    changed: list[str]
    batch_sizes: list[int] = field(default_factory=list)
    margins: list[list[float]] = field(default_factory=list)
    labels: list[list[bool]] = field(default_factory=list)


def one_step(trainer: Any) -> Step:
    """Train ``trainer`` (configured for one step) and report what the step did.

    The trainer's ``compute_loss`` is wrapped to record each batch as the loss receives it,
    after TRL's own dataset preparation, column removal and collation.
    """
    model = trainer.model
    before = {
        name: parameter.detach().clone()
        for name, parameter in model.named_parameters()
        if parameter.requires_grad
    }
    batches: list[dict[str, Any]] = []
    compute_loss = trainer.compute_loss

    def recording(model: Any, inputs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        batches.append(dict(inputs))
        return compute_loss(model, inputs, *args, **kwargs)

    trainer.compute_loss = recording
    result = trainer.train()
    changed = [
        name
        for name, parameter in model.named_parameters()
        if name in before and not torch.equal(parameter.detach(), before[name])
    ]
    return Step(
        loss=float(result.training_loss),
        global_step=int(trainer.state.global_step),
        changed=changed,
        batch_sizes=[int(batch["input_ids"].shape[0]) for batch in batches],
        margins=[sorted(batch["margin"].tolist()) for batch in batches if "margin" in batch],
        labels=[batch["label"].tolist() for batch in batches if "label" in batch],
    )
