"""End to end: log in, open a project, and watch events arrive live from a worker and the API."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from annotator.models import Role
from tests.factories import PASSWORD, member, new_project, new_user
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()


def test_events_from_a_worker_and_from_the_api_appear_without_reload(
    page: Page, log_dir: Path
) -> None:
    project = new_project(name="helpfulness-v3", guidelines="Prefer **correct** answers.")
    owner = member(project, Role.OWNER)

    with web_process(log_dir) as base_url, worker_process(log_dir):
        log_in(page, base_url, owner.username)
        page.get_by_role("link", name="helpfulness-v3").click()
        expect(page.get_by_role("heading", name="helpfulness-v3", level=1)).to_be_visible()
        expect(page.get_by_text("correct", exact=True)).to_be_visible()  # Markdown rendered
        expect(page.get_by_test_id("ws-status")).to_have_text("live")
        page.evaluate("window.__moot_marker = 1")  # survives only if the page never reloads

        page.get_by_role("button", name="Ping worker").click()
        pong = page.get_by_test_id("event").filter(has_text="worker.pong")
        expect(pong).to_have_count(1, timeout=30_000)

        # A script changes the project through the real server; the page hears about it.
        token = httpx.post(
            f"{base_url}/api/auth/token/", json={"username": owner.username, "password": PASSWORD}
        ).json()["token"]
        changed = httpx.patch(
            f"{base_url}/api/projects/{project.pk}/",
            json={"overlap": 2},
            headers={"Authorization": f"Token {token}"},
        )
        assert changed.status_code == 200
        updated = page.get_by_test_id("event").filter(has_text="project.updated")
        expect(updated).to_have_count(1)
        assert page.evaluate("window.__moot_marker") == 1


def test_the_login_page_rejects_a_wrong_password(page: Page, log_dir: Path) -> None:
    user = new_user()

    with web_process(log_dir) as base_url:
        page.goto(f"{base_url}/login")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_text("Invalid username or password.")).to_be_visible()
