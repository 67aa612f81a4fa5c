"""A real Chromium (Debian's package) driven by Playwright. Never downloads a browser."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser import chromium, new_page


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop on this thread, which makes Django refuse
    # synchronous ORM calls from the test body. Allow them only while a browser is up.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium() as instance:
            yield instance


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as tab:
        yield tab
