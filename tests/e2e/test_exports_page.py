"""A manager exports a project's preferences, watches the build finish live, and downloads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Export, ExportStatus, Role
from tests.annotator.exports.builders import annotate, people
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

ITEMS = 4


def test_a_manager_builds_a_preference_export_and_downloads_it(page: Page, log_dir: Path) -> None:
    project = project_with_items(ITEMS, name="exported")
    manager = member(project, Role.MANAGER)
    (annotator,) = people(1)
    for item in project.items.all():
        annotate(item, annotator, {"pref": {"winner": "a"}})

    with web_process(log_dir) as base_url, worker_process(log_dir):
        log_in(page, base_url, manager.username)
        page.goto(f"{base_url}/projects/{project.pk}")
        nav = page.get_by_role("navigation", name="Project pages")
        nav.get_by_role("link", name="Exports").click()
        expect(page.get_by_role("heading", name="Exports", level=1)).to_be_visible()
        expect(page.get_by_test_id("exports-empty")).to_be_visible()
        expect(page.get_by_test_id("ws-status")).to_have_text("updating live")
        page.evaluate("window.__moot_marker = 1")  # survives only if the page never reloads

        # Preference pairs as JSONL, from the project's pairwise question, are the defaults.
        form = page.get_by_role("form", name="New export")
        expect(form.get_by_role("textbox", name="Format")).to_have_value("Preference pairs")
        expect(form.get_by_role("radio", name="JSONL")).to_be_checked()
        form.get_by_role("button", name="Create export").click()

        # The build's progress arrives as export.progress events: nothing reloads or polls.
        row = page.get_by_test_id("export-row")
        expect(row).to_have_count(1)
        expect(row.get_by_test_id("export-status")).to_have_text("done", timeout=60_000)
        expect(row.get_by_test_id("export-rows")).to_have_text(str(ITEMS))
        assert page.evaluate("window.__moot_marker") == 1

        export = Export.objects.get(project=project)
        assert export.status == ExportStatus.DONE
        row.get_by_role("button", name=f"Manifest of export {export.pk}").click()
        manifest = page.get_by_role("region", name=f"Manifest of export {export.pk}")
        expect(manifest.get_by_test_id("manifest-content-sha256")).to_have_text(
            export.content_sha256
        )
        columns = manifest.get_by_role("table", name="Columns")
        for column in ("prompt", "chosen", "rejected"):
            expect(columns.get_by_role("cell", name=column, exact=True)).to_be_visible()

        with page.expect_download() as started:
            row.get_by_role("link", name=f"Download export {export.pk}").click()
        download = started.value
        assert download.suggested_filename == f"exported-preference-{export.pk}.jsonl"
        lines = Path(download.path()).read_text().splitlines()

    assert len(lines) == ITEMS
    first = json.loads(lines[0])
    assert {"prompt", "chosen", "rejected"} <= first.keys()
    assert first["prompt"] == "prompt 0"
    assert first["chosen"] == "answer 0 to 0"
    assert first["rejected"] == "answer 1 to 0"
