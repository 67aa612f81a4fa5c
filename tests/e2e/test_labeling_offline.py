"""A dropped connection never loses an answer: it waits, visibly, and is delivered once."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from annotator.models import Annotation, Role
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_a_submit_that_cannot_reach_the_server_is_kept_and_retried(
    page: Page, log_dir: Path
) -> None:
    project = project_with_items(3)
    annotator = member(project, Role.ANNOTATOR)
    offline = {"on": True}

    def flaky(route: Route) -> None:
        if offline["on"]:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    with web_process(log_dir) as base_url:
        log_in(page, base_url, annotator.username)
        page.route("**/api/assignments/*/submit/", flaky)
        page.goto(f"{base_url}/projects/{project.pk}/label")
        expect(page.get_by_test_id("question-pref")).to_be_visible()
        page.keyboard.press("3")  # B is better
        page.keyboard.press("Enter")

        expect(page.get_by_test_id("outbox-status")).to_contain_text("1 answer pending")
        assert Annotation.objects.count() == 0

        page.reload()  # even a reload keeps it
        expect(page.get_by_test_id("outbox-status")).to_contain_text("pending")

        offline["on"] = False
        page.get_by_role("button", name="Retry now").first.click()
        expect(page.get_by_test_id("outbox-status")).to_have_count(0, timeout=15_000)

    stored = Annotation.objects.get()
    assert stored.answers == {"pref": {"winner": stored.display_order[1]}}
