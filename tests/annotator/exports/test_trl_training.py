"""The preference and unpaired exports train with TRL as they are written, with no glue code.

Each test exports a small labelled project, loads the file the way a training script would
(``datasets.load_dataset`` or ``load_from_disk``), hands it to a TRL trainer unchanged and runs
one optimisation step of a tiny local model on the CPU: DPO on the preference export (plain text
and conversational), a reward model on the preference export with its ``margin`` column, and KTO
on the unpaired export. A test passes only if the loss is finite and the model's weights moved.
Nothing is downloaded: the models and their tokenizers are built on the spot.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
datasets = pytest.importorskip("datasets")
transformers = pytest.importorskip("transformers")
trl = pytest.importorskip("trl")

from annotator.exports.build import Plan, export_rows, export_write, plan  # noqa: E402
from annotator.exports.options import ExportOptions  # noqa: E402
from annotator.models import Project  # noqa: E402
from tests.annotator.exports.trl_helpers import (  # noqa: E402
    Step,
    labelled_project,
    one_step,
    tiny_models,
    trainer_settings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _offline() -> Iterator[None]:
    """Any attempt to reach the Hub fails instead of downloading. The libraries read these
    settings when imported, so their module constants are patched as well as the environment."""
    import datasets.config  # noqa: PLC0415
    import huggingface_hub.constants  # noqa: PLC0415

    with pytest.MonkeyPatch.context() as patch:
        for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
            patch.setenv(name, "1")
        patch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
        patch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
        patch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
        yield


@pytest.fixture(scope="module")
def models(_offline: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Folders of a tiny causal LM and a tiny reward model, each with its tokenizer."""
    threads = torch.get_num_threads()
    # Tiny models gain nothing from threads; spinning OpenMP threads only slow a busy machine.
    torch.set_num_threads(1)
    yield tiny_models(tmp_path_factory.mktemp("trl_models"))
    torch.set_num_threads(threads)


def built(project: Project, file_type: str, **options: Any) -> Plan:
    return plan(project, ExportOptions.parse({"file_type": file_type, **options}))


def expected_rows(export: Plan) -> list[dict[str, Any]]:
    return [row for _, rows in export_rows(export) for row in rows]


def load(export: Plan, tmp_path: Path) -> Any:
    """Write ``export`` and load it back with ``datasets``, as a training script would."""
    file_type = export.options.file_type
    cache = str(tmp_path / "hf-cache")
    if file_type == "hf":
        folder = tmp_path / "dataset"
        export_write(export, tmp_path / "export.tar", folder=folder)
        return datasets.load_from_disk(str(folder))
    path = tmp_path / f"export.{file_type}"
    export_write(export, path)
    builder = "json" if file_type == "jsonl" else file_type
    return datasets.load_dataset(builder, data_files=str(path), split="train", cache_dir=cache)


# ---- loading with datasets -------------------------------------------------------------------


@pytest.mark.parametrize("file_type", ["jsonl", "parquet", "hf"])
@pytest.mark.parametrize("chat", [False, True], ids=["plain", "conversational"])
def test_preference_export_loads_with_datasets(tmp_path: Path, file_type: str, chat: bool) -> None:
    project = labelled_project(chat=chat)
    export = built(project, file_type, format="preference", margin="agreement")
    rows = expected_rows(export)
    dataset = load(export, tmp_path)

    assert len(rows) == 6  # i3 (a majority of ties) and i5 (one vote each way) give none
    assert dataset.num_rows == len(rows)
    assert dataset.column_names == export.schema.names
    assert dataset.column_names[:4] == ["prompt", "chosen", "rejected", "margin"]
    assert dataset.to_list() == rows

    text = (
        datasets.List({"role": datasets.Value("string"), "content": datasets.Value("string")})
        if chat
        else datasets.Value("string")
    )
    for column in ("prompt", "chosen", "rejected"):
        assert dataset.features[column] == text
    assert dataset.features["margin"] == datasets.Value("float64")
    assert dataset.features["annotators"] == datasets.List(datasets.Value("string"))
    if file_type != "jsonl":
        # Parquet and save_to_disk keep the export's Arrow types exactly, the judge struct
        # included; JSON lines carry no types, so there datasets infers them from the values.
        assert dataset.features == datasets.Features.from_arrow_schema(export.schema)
        assert dataset.features["votes"] == datasets.Value("int32")


# ---- DPO -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chat", "file_type"),
    [(False, "jsonl"), (False, "parquet"), (True, "jsonl"), (True, "hf")],
    ids=["plain-jsonl", "plain-parquet", "conversational-jsonl", "conversational-hf"],
)
def test_dpo_trains_one_step_on_the_preference_export(
    tmp_path: Path, models: dict[str, Path], chat: bool, file_type: str
) -> None:
    project = labelled_project(chat=chat)
    export = built(project, file_type, format="preference")
    dataset = load(export, tmp_path)
    rows = expected_rows(export)
    model = transformers.AutoModelForCausalLM.from_pretrained(models["causal_lm"])
    tokenizer = transformers.AutoTokenizer.from_pretrained(models["causal_lm"])

    trainer = trl.DPOTrainer(
        model=model,
        args=trl.DPOConfig(**trainer_settings(tmp_path, batch=len(rows))),
        train_dataset=dataset,
        processing_class=tokenizer,
    )
    step = one_step(trainer)

    assert_trained(step)
    # The policy starts as its own reference, so the first DPO loss is -log sigmoid(0).
    assert step.loss == pytest.approx(math.log(2), abs=1e-4)
    assert step.batch_sizes == [2 * len(rows)]  # every pair: its chosen and its rejected row


# ---- reward model ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chat", "file_type", "margin"),
    [(False, "parquet", "agreement"), (True, "jsonl", "strength")],
    ids=["plain-parquet-agreement", "conversational-jsonl-strength"],
)
def test_reward_model_trains_one_step_with_the_margin(
    tmp_path: Path, models: dict[str, Path], chat: bool, file_type: str, margin: str
) -> None:
    project = labelled_project(chat=chat)
    export = built(project, file_type, format="preference", margin=margin)
    dataset = load(export, tmp_path)
    rows = expected_rows(export)
    margins = sorted(row["margin"] for row in rows)
    assert len(set(margins)) > 1  # so a margin lost or misread would show
    model = transformers.AutoModelForSequenceClassification.from_pretrained(
        models["reward_model"], num_labels=1
    )
    tokenizer = transformers.AutoTokenizer.from_pretrained(models["reward_model"])

    trainer = trl.RewardTrainer(
        model=model,
        args=trl.RewardConfig(**trainer_settings(tmp_path, batch=len(rows))),
        train_dataset=dataset,
        processing_class=tokenizer,
    )
    step = one_step(trainer)

    assert_trained(step)
    # The loss saw the exported margins: the whole export is the one batch.
    (seen,) = step.margins
    assert seen == pytest.approx(margins, abs=1e-6)


# ---- KTO -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chat", "file_type"),
    [(False, "jsonl"), (True, "parquet")],
    ids=["plain-jsonl", "conversational-parquet"],
)
def test_kto_trains_one_step_on_the_unpaired_export(
    tmp_path: Path, models: dict[str, Path], chat: bool, file_type: str
) -> None:
    project = labelled_project(chat=chat)
    export = built(project, file_type, format="unpaired")
    dataset = load(export, tmp_path)
    rows = expected_rows(export)
    labels = [row["label"] for row in rows]
    assert set(labels) == {True, False}
    model = transformers.AutoModelForCausalLM.from_pretrained(models["causal_lm"])
    tokenizer = transformers.AutoTokenizer.from_pretrained(models["causal_lm"])

    trainer = trl.KTOTrainer(
        model=model,
        # KTO estimates its KL term from the other completions of a batch, so a batch needs
        # more than one row; here it holds the whole export, desirable and undesirable rows.
        args=trl.KTOConfig(**trainer_settings(tmp_path, batch=len(rows))),
        train_dataset=dataset,
        processing_class=tokenizer,
    )
    step = one_step(trainer)

    assert_trained(step)
    (seen,) = step.labels
    assert seen == labels  # KTO samples in order: the labels arrive as exported


def assert_trained(step: Step) -> None:
    assert step.global_step == 1
    assert math.isfinite(step.loss)
    assert step.changed, "no parameter moved in the optimisation step"
    # Not just a head: the step reached the first decoder layer.
    assert any(".layers.0." in name for name in step.changed)
