"""A manager adds a reward-model judge, runs it, watches it finish live, and reads its verdicts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Role
from judges.models import Prediction
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

ITEMS = 3


@pytest.fixture(scope="module")
def tiny_reward_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reward model with random weights saved on disk (no downloads); the worker loads it."""
    # Imported here so collecting the other browser tests never pulls in torch.
    from tests.judges.tiny_models import build_reward_model  # noqa: PLC0415

    return build_reward_model(tmp_path_factory.mktemp("tiny_reward_model"))


def test_a_manager_runs_a_judge_and_sees_its_verdicts(
    page: Page, log_dir: Path, tiny_reward_model: Path
) -> None:
    project = project_with_items(ITEMS, name="judged", blind=False)
    manager = member(project, Role.MANAGER)

    with web_process(log_dir) as base_url, worker_process(log_dir):
        log_in(page, base_url, manager.username)
        page.goto(f"{base_url}/projects/{project.pk}")
        nav = page.get_by_role("navigation", name="Project pages")
        nav.get_by_role("link", name="Judges").click()
        expect(page.get_by_role("heading", name="Judges", level=1)).to_be_visible()
        expect(page.get_by_test_id("ws-status")).to_have_text("updating live")
        page.evaluate("window.__moot_marker = 1")  # survives only if the page never reloads

        page.get_by_role("button", name="New judge").click()
        form = page.get_by_role("dialog", name="New judge")
        form.get_by_role("textbox", name="Name", exact=True).fill("tiny-rm")
        form.get_by_role("textbox", name="Questions").click()
        page.get_by_role("option", name=re.compile(r"^pref")).click()
        form.get_by_role("textbox", name="Model", exact=True).fill(str(tiny_reward_model))
        form.get_by_role("button", name="Add judge").click()
        expect(form).to_be_hidden()

        judges = page.get_by_role("table", name="Judges")
        expect(judges.get_by_test_id("judge-row")).to_have_count(1)
        expect(judges).to_contain_text("tiny-rm")
        expect(judges).to_contain_text("Never run")

        page.get_by_role("button", name="Run", exact=True).click()
        run_dialog = page.get_by_role("dialog", name="Run tiny-rm")
        expect(run_dialog.get_by_role("radio", name=f"All items ({ITEMS})")).to_be_checked()
        run_dialog.get_by_role("button", name="Start run").click()
        expect(run_dialog).to_be_hidden()

        # Progress comes from judge_run.progress events: nothing reloads or polls. The judges
        # table reads the judge's latest run from the judges list, which the same events update.
        runs = page.get_by_test_id("runs-table")
        expect(runs.get_by_test_id("run-status")).to_have_text("done", timeout=120_000)
        expect(runs.get_by_test_id("run-counts")).to_have_text(f"{ITEMS} / {ITEMS}")
        # Start and finish times come with the events too.
        expect(runs.locator("time")).to_have_count(2)
        expect(judges.get_by_test_id("run-status")).to_have_text("done")
        assert page.evaluate("window.__moot_marker") == 1

        nav.get_by_role("link", name="Items").click()
        page.get_by_role("button", name="item-00000").click()
        drawer = page.get_by_role("dialog", name="Item item-00000")
        verdicts = drawer.get_by_role("region", name="Judges").get_by_test_id("item-prediction")
        expect(verdicts).to_have_count(1)
        expect(verdicts).to_contain_text("tiny-rm")
        expect(verdicts).to_contain_text(re.compile(r"[ab] \(m[01]\) is better"))
        expect(verdicts).to_contain_text(re.compile(r"\d+%"))

    assert Prediction.objects.filter(judge__project=project, error="").count() == ITEMS
