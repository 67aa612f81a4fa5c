"""In a real browser: while the web process or PostgreSQL is down the labeling screen says so,
keeps the answer, and carries on by itself, without a reload, once the service is back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium, new_page
from tests.faults.stack import Stack, seeded_stack

pytestmark = [pytest.mark.services, pytest.mark.e2e, pytest.mark.timeout(300)]

BACK_WITHIN_MS = 30_000  # the page probes with backoff up to 10 s apart


@dataclass
class World:
    stack: Stack
    project: int


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with seeded_stack(items=10, people=2, worker=False) as (stack, seeded):
        yield World(stack, seeded["project"])


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as tab:
        yield tab


def annotations_of(world: World, username: str) -> list[tuple[int, dict[str, Any]]]:
    with psycopg.connect(world.stack.pg.url) as conn:
        return conn.execute(
            "SELECT a.item_id, a.answers FROM annotator_annotation a"
            " JOIN auth_user u ON u.id = a.annotator_id"
            " WHERE u.username = %s AND a.status = 'submitted'",
            (username,),
        ).fetchall()


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("web", "Can't reach the Moot server"),
        ("postgres", "Moot is temporarily unavailable"),
    ],
)
def test_the_labeling_screen_shows_an_outage_and_recovers_without_a_reload(
    world: World, page: Page, service: str, message: str
) -> None:
    username = "annotator0" if service == "web" else "annotator1"
    stack = world.stack
    fault, restart = stack.fault(service)
    page.goto(f"{stack.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("x" * 12)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    page.goto(f"{stack.url}/projects/{world.project}/label")
    expect(page.get_by_test_id("question-pref")).to_be_visible()
    prompt = page.get_by_label("Prompt text")
    first_prompt = prompt.inner_text()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    fault()
    page.keyboard.press("3")  # B is better
    page.keyboard.press("Enter")

    banner = page.get_by_test_id("server-status")
    expect(banner).to_contain_text(message)
    if service == "postgres":
        expect(banner).to_contain_text("The database cannot be reached right now")
    expect(banner).to_contain_text("kept on this device")
    expect(page.get_by_test_id("outbox-status")).to_contain_text("1 answer pending")
    if service == "web":
        assert annotations_of(world, username) == []

    restart()
    expect(banner).to_contain_text("Connected again", timeout=BACK_WITHIN_MS)
    expect(page.get_by_test_id("outbox-status")).to_have_count(0, timeout=BACK_WITHIN_MS)
    expect(banner).to_have_count(0, timeout=10_000)
    expect(page.get_by_test_id("question-pref")).to_be_visible()
    expect(prompt).not_to_have_text(first_prompt)  # on to the next item

    assert page.evaluate("window.__sameDocument") is True
    stored = annotations_of(world, username)
    assert len(stored) == 1
    assert list(stored[0][1]) == ["pref"]
