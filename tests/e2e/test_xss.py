"""Untrusted text never runs as script, on any screen that shows it, in a real browser.

Guidelines, prompts (plain and chat), candidates, question labels and help, model, judge and
project names, item metadata, comments and even a username hold XSS payloads. Each payload, if it
ever ran, would call ``xssFired(tag)`` (a function the test exposes to the page) or open a dialog.
The pages load with the Content-Security-Policy bypassed, so what passes here is the rendering on
its own: Markdown without raw HTML, React's escaping, sanitised URLs, escaped chart tooltips. The
policy has its own tests (test_security_headers.py). Every check also asserts that the text was
shown, as text, where the product shows it: a payload dropped together with its field proves
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from annotator.items import NativeItem
from annotator.models import Export, ExportStatus, Membership, Project, Review, Role
from annotator.questions import validate_questions
from annotator.services.items import items_add_native
from judges.services import judge_create
from tests.annotator.labeling import client_for
from tests.e2e.test_live_events import log_in
from tests.factories import new_project, new_user
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]


def plain(tag: str) -> str:
    """A payload for a field shown as plain text; it must appear exactly like this."""
    return f"<img src=x onerror=xssFired('{tag}')>"


def breakout(tag: str) -> str:
    """A payload that tries to close an attribute first."""
    return f"\"'><svg onload=alert('{tag}')>"


def markdown(tag: str) -> str:
    """Markdown holding every kind of payload; the text that must stay visible carries ``tag``."""
    data_url = "data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+"
    return f"""Opening-{tag} with **bold-{tag}** text.

<script>xssFired('{tag}:script')</script>

Inline <img src=x onerror="xssFired('{tag}:img')"><svg onload="alert('{tag}')"></svg> closing-{tag}.

<iframe srcdoc="<script>parent.xssFired('{tag}:iframe')</script>"></iframe>

<a href="javascript:xssFired('{tag}:raw-link')">raw-link-{tag}</a>

[js-link-{tag}](javascript:xssFired('{tag}:md-link')) [data-link-{tag}]({data_url})

![alt-{tag}" onerror="xssFired('{tag}:alt')](x) ![js-image-{tag}](javascript:xssFired('{tag}:src'))

"><script>xssFired('{tag}:breakout')</script><img src=x onerror=xssFired('{tag}:breakout-img')>

<div style="background:url(javascript:xssFired('{tag}:style'))">styled-{tag}</div>
<style>body {{ background: url("javascript:xssFired('{tag}:css')") }}</style>

<details open ontoggle="xssFired('{tag}:details')"><summary>s</summary></details>
<object data="javascript:xssFired('{tag}:object')"></object>

&lt;img src=x onerror=xssFired('{tag}:entity')&gt; and `<img src=x onerror=xssFired('{tag}:code')>`

```html
<script>xssFired('{tag}:fence')</script>
```
"""


def raw_text(tag: str) -> str:
    """What a person might paste into a comment: shown verbatim, never as markup."""
    return f"<script>xssFired('{tag}:script')</script> [x](javascript:xssFired('{tag}:link'))"


QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "pref",
        "kind": "pairwise",
        "prompt": plain("q-pref"),
        "help": markdown("q-help"),
        "tie": True,
        "strength": [plain("strength-1"), plain("strength-2")],
    },
    {
        "id": "quality",
        "kind": "rating",
        "prompt": plain("q-rating"),
        "required": False,
        "dimensions": [
            {"id": "helpful", "label": plain("dimension"), "min": 1, "max": 3,
             "labels": {"3": plain("scale")}},
        ],
    },
    {
        "id": "rubric",
        "kind": "rubric",
        "prompt": plain("q-rubric"),
        "required": False,
        "criteria": [{"id": "cites", "text": plain("criterion")}],
        "item_criteria": True,
    },
    {"id": "flags", "kind": "labels", "prompt": plain("q-labels"), "required": False,
     "options": [plain("option")]},
    {"id": "why", "kind": "text", "prompt": plain("q-text"), "required": False},
]  # fmt: skip


@dataclass
class Seeded:
    project: Project
    annotator: User
    manager: User


def seed() -> Seeded:
    """A project whose every user-supplied field holds payloads, with a plain and a chat item."""
    project = new_project(
        name=breakout("project"),
        guidelines=markdown("guidelines"),
        blind=False,
        questions=validate_questions(QUESTIONS),
    )
    models = {"a": breakout("model-a"), "b": plain("model-b")}
    items = [
        {
            "external_id": plain("external-id"),
            "prompt": markdown("prompt"),
            "candidates": [
                {"id": key, "text": markdown(f"cand-{key}"), "model": models[key]} for key in "ab"
            ],
            "meta": {"note": plain("meta")},
            "rubric": [{"id": "own", "text": plain("item-criterion")}],
        },
        {
            "external_id": "chat-item",
            "prompt": [
                {"role": "system", "content": markdown("system")},
                {"role": "user", "content": markdown("turn")},
            ],
            "candidates": [
                {"id": key, "text": markdown(f"chat-{key}"), "model": models[key]} for key in "ab"
            ],
        },
    ]
    items_add_native(project=project, items=[NativeItem.model_validate(item) for item in items])
    # Usernames made through the sign-up forms are restricted; ones from anywhere else may not be.
    annotator = new_user(username=plain("user"))
    manager = new_user()
    Membership.objects.create(project=project, user=annotator, role=Role.ANNOTATOR)
    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return Seeded(project, annotator, manager)


def label_through_the_api(seeded: Seeded) -> None:
    """The annotator answers both items, with payloads in the free text, then edits one answer."""
    client = client_for(seeded.annotator)
    submissions: list[tuple[int, dict[str, Any]]] = []
    for winner in ("a", "b"):
        handed = client.post(f"/api/projects/{seeded.project.pk}/next/").json()
        criteria = ["cites", *(criterion["id"] for criterion in handed["item"]["rubric"])]
        answers = {
            "pref": {"winner": winner, "strength": 1},
            "quality": {"scores": {key: {"helpful": 3} for key in "ab"}},
            "rubric": {"criteria": {key: dict.fromkeys(criteria, "pass") for key in "ab"}},
            "flags": {"labels": {"item": [plain("option")]}},
            "why": {"text": raw_text("comment")},
        }
        submitted = client.post(
            f"/api/assignments/{handed['assignment']['id']}/submit/",
            {"answers": answers, "time_spent_ms": 2000},
            format="json",
        )
        assert submitted.status_code == 201, submitted.content
        submissions.append((submitted.json()["id"], answers))
    annotation_id, answers = submissions[0]
    edited = client.patch(
        f"/api/annotations/{annotation_id}/",
        {"answers": {**answers, "why": {"text": raw_text("edited")}}},
        format="json",
    )
    assert edited.status_code == 200, edited.content


@dataclass
class Watch:
    """What pages did that they must not: payloads that ran and dialogs they opened."""

    fired: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def prove_armed(self, page: Page) -> None:
        """HTML that does reach the page fires the marker, so a clean result means something."""
        page.evaluate(
            """() => {
              const probe = document.createElement("div");
              probe.innerHTML = `<img src=x onerror="xssFired('probe'); this.parentNode.remove()">`;
              document.body.append(probe);
            }"""
        )
        self.settle(page, until=lambda: bool(self.fired))
        assert self.fired == ["probe"]
        self.fired.clear()

    def settle(self, page: Page, until: Callable[[], bool] = lambda: False) -> None:
        """Let calls from the page reach the test (the exposed function answers asynchronously)."""
        for _ in range(20):
            page.wait_for_timeout(50)
            if until():
                return

    def assert_clean(self, page: Page) -> None:
        self.settle(page)
        assert self.fired == [], f"payloads ran: {self.fired}"
        assert self.dialogs == [], f"payloads opened dialogs: {self.dialogs}"


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def xss_page(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A tab that ignores the Content-Security-Policy and reports any payload that runs."""
    context = browser.new_context(bypass_csp=True)
    context.set_default_timeout(20_000)
    context.expose_function("xssFired", lambda tag: watch.fired.append(str(tag)))
    tab = context.new_page()
    tab.on("dialog", watch.on_dialog)
    yield tab
    context.close()


# Attributes and elements through which markup runs script; none may reach the page.
FORBIDDEN_MARKUP = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const url = ["href", "src", "action", "formaction", "xlink:href", "data"].includes(name);
      if (name.startsWith("on") || name === "srcdoc"
          || (url && /^\\s*(javascript|vbscript|data):/i.test(attr.value))) {
        found.push(`<${el.localName} ${name}="${attr.value}">`);
      }
    }
  }
  const elements = "script:not([src]), iframe, frame, object, embed, style";
  for (const el of document.querySelectorAll(elements)) {
    // The app's own <style> elements carry the page's nonce; markup from content never does.
    if (el.localName !== "style" || !el.nonce) {
      found.push(`<${el.localName}>${el.textContent.slice(0, 80)}`);
    }
  }
  return found;
}"""


def assert_inert(page: Page) -> None:
    """No event handler, script URL, inline script, frame or foreign <style> in the document."""
    assert page.evaluate(FORBIDDEN_MARKUP) == []


def expect_text(scope: Page | Locator, *texts: str) -> None:
    for text in texts:
        expect(scope.get_by_text(text).first).to_be_visible()


def expect_markdown(scope: Page | Locator, tag: str) -> None:
    """``markdown(tag)`` was rendered: its text and formatting are shown, its markup is inert."""
    expect_text(scope, f"Opening-{tag}", f"closing-{tag}", f"raw-link-{tag}")
    expect(scope.locator("strong", has_text=f"bold-{tag}").first).to_be_visible()
    # Markup written as entities, in code spans and in fenced code is shown as text.
    expect_text(scope, f"<img src=x onerror=xssFired('{tag}:entity')>")
    for code in (
        f"<img src=x onerror=xssFired('{tag}:code')>",
        f"<script>xssFired('{tag}:fence')</script>",
    ):
        expect(scope.locator("code", has_text=code).first).to_be_visible()
    # Links and images keep their text, not their script or data: targets.
    for name in (f"js-link-{tag}", f"data-link-{tag}"):
        link = scope.get_by_text(name, exact=True).first
        expect(link).to_be_visible()
        assert (link.get_attribute("href") or "") == ""
    alts = scope.locator("img").evaluate_all("images => images.map((image) => image.alt)")
    assert f"alt-{tag}\" onerror=\"xssFired('{tag}:alt')" in alts


PLAIN_QUESTION_TEXT = [
    "q-pref",
    "strength-1",
    "strength-2",
    "q-rating",
    "dimension",
    "scale",
    "q-rubric",
    "criterion",
    "item-criterion",
    "q-labels",
    "option",
    "q-text",
]


def test_an_annotator_labels_items_full_of_payloads_and_none_runs(
    xss_page: Page, watch: Watch, log_dir: Path
) -> None:
    page = xss_page
    seeded = seed()
    project = seeded.project

    with web_process(log_dir) as base_url:
        log_in(page, base_url, seeded.annotator.username)
        watch.prove_armed(page)
        expect_text(page, seeded.annotator.username)  # "Signed in as"
        page.get_by_role("link", name=project.name).click()
        expect(page.get_by_role("heading", name=project.name, level=1)).to_be_visible()
        expect_markdown(page, "guidelines")
        assert_inert(page)

        page.goto(f"{base_url}/projects/{project.pk}/label")
        expect(page.get_by_test_id("question-pref")).to_be_visible()
        for tag in ("prompt", "cand-a", "cand-b", "q-help"):
            expect_markdown(page, tag)
        expect_text(page, *(plain(tag) for tag in PLAIN_QUESTION_TEXT))
        expect_text(page, plain("external-id"), plain("meta"))
        expect_text(page, breakout("model-a"), plain("model-b"))
        assert_inert(page)

        page.keyboard.press("g")
        drawer = page.get_by_role("dialog", name="Guidelines")
        expect_markdown(drawer, "guidelines")
        assert_inert(page)
        page.keyboard.press("Escape")
        expect(drawer).to_be_hidden()

        # The word diff shows both responses as plain text: every payload, verbatim.
        page.keyboard.press("d")
        expect_text(page, "<script>xssFired('cand-a:script')</script>")
        expect_text(page, "onerror=xssFired('cand-b:breakout-img')>")
        assert_inert(page)
        page.keyboard.press("d")

        page.keyboard.press("1")
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("progress")).to_contain_text("1 submitted")
        expect(page.get_by_test_id("prompt-turn")).to_have_count(2)
        for tag in ("system", "turn", "chat-a", "chat-b"):
            expect_markdown(page, tag)
        assert_inert(page)
        watch.assert_clean(page)


def seed_judge_and_export(seeded: Seeded) -> None:
    """A judge and a failed export whose names and messages hold payloads too."""
    judge_create(
        project=seeded.project,
        user=seeded.manager,
        name=plain("judge"),
        kind="api",
        config={"base_url": "http://127.0.0.1:9/v1", "model": plain("judge-model")},
        questions=["pref"],
    )
    Export.objects.create(
        project=seeded.project,
        options={},
        format="preference",
        file_type="jsonl",
        status=ExportStatus.FAILED,
        error=plain("export-error"),
        hub_repo=plain("hub-repo"),
        created_by=seeded.annotator,
    )


def review_and_reject(page: Page, base_url: str, seeded: Seeded) -> None:
    """Open the plain item's annotation for review, read it and its history, and reject it."""
    item = seeded.project.items.get(external_id=plain("external-id"))
    username = seeded.annotator.username
    page.goto(f"{base_url}/projects/{seeded.project.pk}/review")
    page.get_by_test_id("pending-annotation").filter(has_text=f"item {item.pk}").click()
    detail = page.get_by_test_id("review-detail")
    expect_text(detail, f"Item {plain('external-id')}", username, raw_text("edited"))
    for tag in ("prompt", "cand-a", "cand-b"):
        expect_markdown(detail, tag)
    expect_text(detail, breakout("model-a"), plain("model-b"))
    # The first version, with the comment as it was first written, is kept in the history.
    history = page.get_by_test_id("version-history")
    version_1 = history.get_by_role("button", name=re.compile(r"^Version 1\b"))
    expect(version_1).to_contain_text(username)  # who edited
    version_1.click()
    first_version = history.get_by_role("region", name=re.compile(r"^Version 1\b"))
    expect_text(first_version, raw_text("comment"), plain("option"), plain("scale"))
    assert_inert(page)

    detail.get_by_role("button", name="Reject").click()
    page.get_by_role("textbox", name="Why is it rejected?").fill(raw_text("review"))
    page.get_by_role("button", name="Confirm rejection").click()
    # (The "Rejected …" status line is not awaited: it is lost when the queue's live refresh
    # wins the race against the review request.)
    expect(page.get_by_test_id("pending-count")).to_have_text("1 pending")
    assert_inert(page)


def test_a_manager_reviews_and_browses_payloads_and_none_runs(
    xss_page: Page, watch: Watch, log_dir: Path
) -> None:
    page = xss_page
    seeded = seed()
    project = seeded.project
    label_through_the_api(seeded)
    seed_judge_and_export(seeded)
    plain_item = project.items.get(external_id=plain("external-id"))
    username = seeded.annotator.username
    pages = f"/projects/{project.pk}"

    with web_process(log_dir) as base_url:
        log_in(page, base_url, seeded.manager.username)
        watch.prove_armed(page)
        page.get_by_role("link", name=project.name).click()
        expect_markdown(page, "guidelines")
        # The questions table shows labels and help as they were written.
        expect_text(page, plain("q-pref"), "<script>xssFired('q-help:script')</script>")
        assert_inert(page)

        page.goto(f"{base_url}{pages}/settings")
        expect(page.get_by_role("textbox", name="Guidelines")).to_have_value(markdown("guidelines"))
        page.get_by_role("tab", name="Preview").click()
        expect_markdown(page.get_by_role("tabpanel", name="Preview"), "guidelines")
        assert_inert(page)

        page.goto(f"{base_url}{pages}/items")
        expect(page.get_by_test_id("item-row")).to_have_count(2)
        expect_text(page, plain("external-id"), breakout("model-a"), "Opening-prompt")
        page.goto(f"{base_url}{pages}/items?item={plain_item.pk}")
        for tag in ("prompt", "cand-a", "cand-b"):
            expect_markdown(page, tag)
        expect_text(page, plain("meta"), plain("item-criterion"), raw_text("edited"))
        expect_text(page, plain("option"), plain("criterion"), plain("scale"))
        assert_inert(page)

        review_and_reject(page, base_url, seeded)

        page.goto(f"{base_url}{pages}/judges")
        expect_text(page, plain("judge"))
        assert_inert(page)

        page.goto(f"{base_url}{pages}/exports")
        expect(page.get_by_test_id("export-error")).to_have_text(plain("export-error"))
        expect_text(page, f"Not pushed to {plain('hub-repo')}", username)
        assert_inert(page)

        page.goto(f"{base_url}{pages}/members")
        expect_text(page, username)
        assert_inert(page)
        watch.assert_clean(page)

    review = Review.objects.get(annotation__item=plain_item)
    assert review.comment == raw_text("review")


def hover_for_tooltip(page: Page, chart: Locator, text: str) -> Locator:
    """Point at each mark of an ECharts chart until its (HTML) tooltip shows ``text``."""
    tooltip = chart.locator("div", has_text=text, has_not=page.locator("svg"))
    chart.scroll_into_view_if_needed()
    centres = chart.locator("svg path").evaluate_all(
        """marks => marks.map((mark) => {
          const box = mark.getBoundingClientRect();
          return [box.x + box.width / 2, box.y + box.height / 2];
        })"""
    )
    for x, y in centres:
        page.mouse.move(x, y)
        page.wait_for_timeout(50)  # ECharts draws the tooltip on its next frame
        if tooltip.count() and tooltip.first.is_visible():
            return tooltip.first
    raise AssertionError(f"no tooltip showed {text!r}")


def test_the_dashboard_shows_names_holding_payloads_as_text(
    xss_page: Page, watch: Watch, log_dir: Path
) -> None:
    page = xss_page
    seeded = seed()
    label_through_the_api(seeded)
    models = [breakout("model-a"), plain("model-b")]

    with web_process(log_dir) as base_url, worker_process(log_dir):
        log_in(page, base_url, seeded.manager.username)
        watch.prove_armed(page)
        page.goto(f"{base_url}/projects/{seeded.project.pk}/dashboard")
        expect(page.get_by_test_id("annotation-count")).to_have_text("2", timeout=60_000)
        people = page.get_by_role("table", name="Annotators").get_by_test_id("annotator-row")
        expect(people).to_contain_text(seeded.annotator.username)

        # Model names label the leaderboard's axes (SVG text) and its tooltips (HTML).
        board = page.get_by_role("region", name="Model leaderboard")
        for name in ("People", "Win rates"):
            chart = board.get_by_role("img", name=name)
            for model in models:
                expect(chart.locator("svg text", has_text=model).first).to_be_visible()
        forest = hover_for_tooltip(page, board.get_by_role("img", name="People"), "model-")
        expect(forest.locator("b")).to_have_text(re.compile("|".join(map(re.escape, models))))
        rates = hover_for_tooltip(page, board.get_by_role("img", name="Win rates"), " vs ")
        expect(rates).to_contain_text(re.compile("|".join(map(re.escape, models))))
        assert_inert(page)
        watch.assert_clean(page)
