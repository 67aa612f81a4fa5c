"""manage.py run_judge: queued or inline, with errors a script can act on."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from judges.models import Judge, JudgeRun, Prediction, RunStatus
from tests.annotator.labeling import project_with_items

pytestmark = pytest.mark.django_db(transaction=True)


def reward_judge(model: Path, items: int = 3) -> Judge:
    project = project_with_items(items)
    return Judge.objects.create(
        project=project, name="rm", kind="reward_model",
        config={"model": str(model)}, questions=["pref"],
    )  # fmt: skip


def test_inline_judges_every_item_in_this_process(tiny_reward_model: Path) -> None:
    judge = reward_judge(tiny_reward_model)
    out = StringIO()

    call_command("run_judge", judge.pk, "--inline", stdout=out)

    run = JudgeRun.objects.get()
    assert run.status == RunStatus.DONE
    assert Prediction.objects.filter(run=run, error="").count() == 3
    assert "done: 3/3 items (0 failed)" in out.getvalue()


def test_a_filter_scope_narrows_the_run(tiny_reward_model: Path) -> None:
    judge = reward_judge(tiny_reward_model)

    call_command(
        "run_judge", judge.pk, "--inline", "--scope", "filter",
        "--filter", '{"external_id": "item-00001"}', stdout=StringIO(),
    )  # fmt: skip

    assert JudgeRun.objects.get().total_items == 1


def test_queued_runs_wait_for_a_worker(tiny_reward_model: Path) -> None:
    judge = reward_judge(tiny_reward_model)
    out = StringIO()

    call_command("run_judge", judge.pk, stdout=out)

    assert JudgeRun.objects.get().status == RunStatus.QUEUED
    assert out.getvalue().startswith("run ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "no judge with id 999999"),
        (["{judge}", "--scope", "filter", "--filter", "{not json"], "--filter is not JSON"),
        (["{judge}", "--scope", "filter", "--filter", '{"colour": "red"}'], "Unknown filter"),
    ],
)
def test_bad_arguments_are_refused_and_write_nothing(
    tiny_reward_model: Path, args: list[str], message: str
) -> None:
    judge = reward_judge(tiny_reward_model)

    with pytest.raises(CommandError, match=message):
        call_command("run_judge", *[str(judge.pk) if a == "{judge}" else a for a in args])

    assert not JudgeRun.objects.exists()


def test_a_model_that_cannot_load_fails_the_run_with_its_error(tmp_path: Path) -> None:
    judge = reward_judge(tmp_path / "no-such-model")

    with pytest.raises(CommandError):
        call_command("run_judge", judge.pk, "--inline", stdout=StringIO())

    run = JudgeRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert "no-such-model" in run.error
