"""`manage.py demo` in embedded mode: no services, a printed login, live events from its worker."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.stack import Proc, free_port

pytestmark = pytest.mark.e2e


def test_demo_serves_the_sample_project_with_a_live_worker(page: Page, tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "MOOT_CHANNELS_DB"}
    }
    env.update(MOOT_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    port = free_port()
    demo = Proc(
        "demo",
        [sys.executable, "manage.py", "demo", "--port", str(port)],
        env,
        tmp_path,
    )
    try:
        demo.wait_for(" ready.", timeout=120)  # the worker is up
        match = re.search(r"Log in as\s+(\S+) / (\S+)", demo.output())
        assert match, demo.output()
        username, password = match.groups()
        assert "embedded" in demo.output()
        assert (tmp_path / "data" / "moot.sqlite3").exists()

        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Demo: which answer is better?").click()
        expect(page.get_by_test_id("ws-status")).to_have_text("live")
        page.get_by_role("button", name="Ping worker").click()
        pong = page.get_by_test_id("event").filter(has_text="worker.pong")
        expect(pong).to_have_count(1, timeout=30_000)
    finally:
        demo.stop()
