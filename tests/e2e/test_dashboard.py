"""A manager's dashboard follows an annotator's labelling live, without a reload."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from annotator.models import Annotation, Role
from tests.annotator.analytics.test_metrics_live import label_one
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

ITEMS = 4


def test_the_dashboard_moves_when_an_annotator_labels(
    browser: Browser, page: Page, log_dir: Path
) -> None:
    project = project_with_items(ITEMS, overlap=2, name="dashboard-live")
    manager = member(project, Role.MANAGER)
    first, second = member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)
    # Both people answer the same two items through the API: four annotations, two items done.
    for annotator in (first, second):
        for _ in range(2):
            assert label_one(project, annotator) == 201

    with web_process(log_dir) as base_url, worker_process(log_dir):
        log_in(page, base_url, manager.username)
        page.goto(f"{base_url}/projects/{project.pk}")
        page.get_by_role("navigation", name="Project pages").get_by_role(
            "link", name="Dashboard"
        ).click()
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        expect(page.get_by_test_id("ws-status")).to_have_text("updating live")
        # The first report is computed by the worker; the page shows it when it is ready.
        annotations = page.get_by_test_id("annotation-count")
        expect(annotations).to_have_text("4", timeout=60_000)
        expect(page.get_by_test_id("annotator-count")).to_have_text("2")
        progress = page.get_by_test_id("headline-progress").get_by_test_id("headline-value")
        expect(progress).to_contain_text(f"2 / {ITEMS}")
        expect(page.get_by_test_id("metrics-status")).to_have_text("up to date")
        people = page.get_by_role("table", name="Annotators").get_by_test_id("annotator-row")
        expect(people).to_have_count(2)
        expect(page.get_by_role("region", name="Agreement per part")).to_be_visible()
        assert "NaN" not in page.locator("main, body").first.inner_text()
        page.evaluate("window.__moot_marker = 1")  # survives only if the page never reloads

        # The annotator labels one more item in a browser of their own.
        context = browser.new_context()
        context.set_default_timeout(20_000)
        try:
            labeler = context.new_page()
            log_in(labeler, base_url, first.username)
            labeler.goto(f"{base_url}/projects/{project.pk}/label")
            expect(labeler.get_by_test_id("progress")).to_contain_text("2 submitted")
            expect(labeler.get_by_test_id("question-pref")).to_be_visible()
            labeler.keyboard.press("1")  # A is better
            labeler.keyboard.press("Enter")
            expect(labeler.get_by_test_id("progress")).to_contain_text("3 submitted")
            submitted = time.monotonic()

            expect(annotations).to_have_text("5", timeout=10_000)
            latency = time.monotonic() - submitted
        finally:
            context.close()

        expect(page.get_by_test_id("metrics-status")).to_have_text("up to date")
        expect(people.filter(has_text=first.username)).to_contain_text(f"{first.username}3")
        assert page.evaluate("window.__moot_marker") == 1
        # A refresh is debounced by half a second, then computed by the worker.
        assert latency < 5, f"the dashboard took {latency:.1f} s to follow a submission"

    assert Annotation.objects.filter(project=project).count() == 5
