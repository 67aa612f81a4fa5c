"""A manager reads the preference head's accuracy and the queue, and changes the strategy mix."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from annotator.models import Role
from judges.active import active_learning_get
from judges.models import ActiveLearning, HeadVersion
from judges.services import judge_create
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

ITEMS = 6
# (version, labels at training, held-out accuracy)
VERSIONS = [(1, 20, 0.55), (2, 40, 0.63), (3, 60, 0.71)]


def test_a_manager_follows_the_head_and_changes_the_mix(page: Page, log_dir: Path) -> None:
    project = project_with_items(ITEMS, name="actively-labeled", assignment="active")
    manager = member(project, Role.MANAGER)
    head = judge_create(
        project=project,
        user=member(project, Role.OWNER),
        name="minilm-head",
        kind="preference_head",
        config={"device": "cpu", "min_pairs": 12},
        questions=["pref"],
    )
    for number, labels, accuracy in VERSIONS:
        HeadVersion.objects.create(
            judge=head, project=project, number=number, reason="labels", encoder="x", model=b"",
            labels=labels, pairs=labels - 2, items=labels, cv_accuracy=accuracy, cv_log_loss=0.6,
            cv_pairs=labels - 4,
        )  # fmt: skip
    items = list(project.items.order_by("pk")[:3])
    active = active_learning_get(project=project)
    assert active.head_id == head.pk  # the project's first preference head is the default
    active.strategies = {"uncertainty": 0.8, "diversity": 0.1, "random": 0.1}
    active.queue = [
        {
            "item": item.pk,
            "external_id": item.external_id,
            "priority": 0.9 - 0.2 * rank,
            "scores": {"uncertainty": 0.7 - 0.2 * rank, "diversity": 0.1, "random": 0.1},
        }
        for rank, item in enumerate(items)
    ]
    active.refreshed_at = timezone.now()
    active.save()

    # No worker: the priorities the save asks for stay queued, so the queue above stays as it is.
    with web_process(log_dir) as base_url:
        log_in(page, base_url, manager.username)
        page.goto(f"{base_url}/projects/{project.pk}")
        page.get_by_role("navigation", name="Project pages").get_by_role(
            "link", name="Active learning"
        ).click()
        expect(page.get_by_role("heading", name="Active learning", level=1)).to_be_visible()
        expect(page.get_by_test_id("ws-status")).to_have_text("updating live")

        status = page.get_by_role("region", name="Status")
        expect(status.get_by_role("textbox", name="Preference head")).to_have_value("minilm-head")
        expect(status.get_by_test_id("latest-accuracy")).to_have_text("71.0% (version 3)")
        expect(status.get_by_test_id("priorities-unused")).to_have_count(0)

        history = page.get_by_role("region", name="Accuracy over time")
        chart = history.get_by_test_id("accuracy-chart")
        expect(chart.locator("svg, canvas").first).to_be_visible()
        expect(history.get_by_test_id("version-row")).to_have_count(len(VERSIONS))
        expect(history.get_by_test_id("version-row").first).to_contain_text("71.0%")

        queue = page.get_by_role("region", name="Queue")
        rows = queue.get_by_test_id("queue-row")
        expect(rows).to_have_count(len(items))
        expect(rows.first).to_contain_text(items[0].external_id)
        expect(rows.first.get_by_test_id("queue-priority")).to_have_text("0.90")
        expect(rows.first.get_by_role("link", name=items[0].external_id)).to_have_attribute(
            "href",
            f"/projects/{project.pk}/items?external_id={items[0].external_id}&item={items[0].pk}",
        )
        page.screenshot(path=str(log_dir / "active-page.png"), full_page=True)

        uncertainty = page.get_by_role("textbox", name="Uncertainty")
        uncertainty.fill("0.4")
        # 0.4 of 0.4 + 0.1 + 0.1
        expect(page.get_by_test_id("share-uncertainty")).to_have_text("67%")
        page.get_by_role("button", name="Save").click()
        saved_note = page.get_by_text("Strategy mix saved; the queue is reordered shortly.")
        expect(saved_note).to_be_visible()
        expect(uncertainty).to_have_value("0.4")

    saved = ActiveLearning.objects.get(project=project)
    assert saved.strategies == {"uncertainty": 0.4, "diversity": 0.1, "random": 0.1}
