"""The app works under its Content-Security-Policy, and the policy blocks what it should.

Every main screen loads in Chromium with the policy in force. A ``securitypolicyviolation``
listener and the console report anything the policy refused, and each screen must show its
content, so one that broke because a script, a style or a websocket was refused fails as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from annotator.models import Membership, Role
from judges.services import judge_create
from tests.annotator.analytics.test_metrics_live import label_one
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member, new_user
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

# Reports each violation to the test (an exposed function, so reports survive navigation).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


@dataclass
class Violations:
    """What the policy refused, as the page and the console reported it."""

    seen: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.seen.append(message.text)

    def assert_none(self, page: Page, where: str) -> None:
        page.wait_for_timeout(300)  # reports arrive asynchronously
        assert self.seen == [], f"{where}: {self.seen}"

    def wait_for(self, page: Page, directive: str) -> None:
        for _ in range(40):
            if any(directive in seen for seen in self.seen):
                return
            page.wait_for_timeout(50)
        raise AssertionError(f"no {directive} violation reported: {self.seen}")


@pytest.fixture
def violations() -> Violations:
    return Violations()


@pytest.fixture
def csp_page(browser: Browser, violations: Violations) -> Iterator[Page]:
    """A tab with the policy enforced (the default), reporting every violation."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    context.expose_function("cspViolation", lambda text: violations.seen.append(str(text)))
    context.add_init_script(REPORT_VIOLATIONS)
    tab = context.new_page()
    tab.on("console", violations.on_console)
    yield tab
    context.close()


def test_every_main_screen_works_under_the_policy(
    csp_page: Page, violations: Violations, log_dir: Path
) -> None:
    page = csp_page
    project = project_with_items(4, overlap=2, name="csp-check", guidelines="Prefer **facts**.")
    owner = new_user(is_staff=True, is_superuser=True)
    Membership.objects.create(project=project, user=owner, role=Role.OWNER)
    for annotator in (member(project, Role.ANNOTATOR), member(project, Role.ANNOTATOR)):
        assert label_one(project, annotator) == 201
    judge_create(
        project=project,
        user=owner,
        name="api-judge",
        kind="api",
        config={"base_url": "http://127.0.0.1:9/v1", "model": "m"},
        questions=["pref"],
    )
    pages = f"/projects/{project.pk}"

    with web_process(log_dir) as base_url, worker_process(log_dir):
        page.goto(f"{base_url}/admin/login/")
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        violations.assert_none(page, "admin login")

        log_in(page, base_url, owner.username)
        expect(page.get_by_role("link", name="csp-check")).to_be_visible()
        violations.assert_none(page, "login and projects")

        page.goto(f"{base_url}{pages}")
        expect(page.get_by_text("facts", exact=True)).to_be_visible()
        # connect-src 'self' lets the same origin's websocket through.
        expect(page.get_by_test_id("ws-status")).to_have_text("live")
        violations.assert_none(page, "project")

        page.goto(f"{base_url}{pages}/label")
        expect(page.get_by_test_id("question-pref")).to_be_visible()
        # Drawers and modals lock the page's scrolling with a <style> of their own.
        for key, name in (("g", "Guidelines"), ("?", "Keyboard shortcuts")):
            page.keyboard.press(key)
            dialog = page.get_by_role("dialog", name=name)
            expect(dialog).to_be_visible()
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
        violations.assert_none(page, "labeling")

        page.goto(f"{base_url}{pages}/dashboard")
        expect(page.get_by_test_id("annotation-count")).to_have_text("2", timeout=60_000)
        expect(page.get_by_test_id("ws-status")).to_have_text("updating live")
        leaderboard = page.get_by_role("region", name="Model leaderboard")
        expect(leaderboard.get_by_role("img", name="People").locator("svg")).to_be_visible()
        violations.assert_none(page, "dashboard")

        for path, heading in [
            ("/judges", "Judges"),
            ("/exports", "Exports"),
            ("/import", "Import items"),
            ("/items", "Items"),
            ("/review", "Review"),
            ("/members", "Members"),
            ("/active", "Active learning"),
            ("/settings", "Settings"),
        ]:
            page.goto(f"{base_url}{pages}{path}")
            expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
            violations.assert_none(page, path)
        expect(page.get_by_role("textbox", name="Guidelines")).to_be_visible()
        page.goto(f"{base_url}{pages}/items?item={project.items.earliest('id').pk}")
        expect(page.get_by_role("region", name="Candidates")).to_be_visible()
        violations.assert_none(page, "item details")

        page.goto(f"{base_url}/api/docs/")
        expect(page.locator(".opblock").first).to_be_visible()
        violations.assert_none(page, "api docs")

        page.goto(f"{base_url}/admin/")
        expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
        page.goto(f"{base_url}/admin/auth/user/{owner.pk}/change/")
        expect(page.get_by_role("textbox", name="Username")).to_have_value(owner.username)
        violations.assert_none(page, "admin")


def test_the_policy_refuses_script_and_style_that_reach_the_page(
    csp_page: Page, violations: Violations, log_dir: Path
) -> None:
    page = csp_page
    owner = new_user()

    with web_process(log_dir) as base_url:
        log_in(page, base_url, owner.username)
        violations.assert_none(page, "projects")

        page.evaluate(
            """() => document.body.insertAdjacentHTML(
                 "beforeend", `<img src="/missing.png" onerror="window.handlerRan = true">`)"""
        )
        violations.wait_for(page, "script-src-attr")
        page.evaluate(
            """() => {
                 const script = document.createElement("script");
                 script.textContent = "window.scriptRan = true";
                 document.body.append(script);
               }"""
        )
        violations.wait_for(page, "script-src-elem")
        assert page.evaluate("() => [window.handlerRan, window.scriptRan]") == [None, None]

        # A <style> without the page's nonce is refused; the app's own styles are not.
        page.evaluate(
            """() => {
                 const style = document.createElement("style");
                 style.textContent = "body { visibility: hidden; }";
                 document.head.append(style);
               }"""
        )
        violations.wait_for(page, "style-src-elem")
        expect(page.get_by_role("heading", name="Projects")).to_be_visible()
        assert (
            page.evaluate(
                "() => [...document.querySelectorAll('style[data-mantine-styles]')].length"
            )
            > 0
        )
