"""A manager imports a file with a bad line, sees that line, fixes it and imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Item, Role
from tests.e2e.test_live_events import log_in
from tests.factories import member, new_project
from tests.stack import web_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]


def rows(broken: bool) -> str:
    lines = [
        json.dumps({"prompt": f"Question {i}?", "chosen": f"Good {i}", "rejected": f"Bad {i}"})
        for i in range(3)
    ]
    if broken:
        lines[1] = '{"prompt": "Question 1?", "chosen": "Good 1", '  # cut off mid-object
    return "\n".join(lines) + "\n"


def test_import_errors_name_the_line_and_a_fixed_file_imports(
    page: Page, log_dir: Path, tmp_path: Path
) -> None:
    project = new_project(name="imports")
    manager = member(project, Role.MANAGER)
    bad, good = tmp_path / "prefs-bad.jsonl", tmp_path / "prefs.jsonl"
    bad.write_text(rows(broken=True))
    good.write_text(rows(broken=False))

    with web_process(log_dir) as base_url:
        log_in(page, base_url, manager.username)
        page.goto(f"{base_url}/projects/{project.pk}/import")
        page.get_by_label("Files").set_input_files(str(bad))
        page.get_by_role("button", name="Import").click()

        errors = page.get_by_test_id("import-error")
        expect(errors).to_have_count(1)
        expect(errors.first).to_contain_text("2")
        assert Item.objects.filter(project=project).count() == 0

        page.get_by_role("button", name="Remove prefs-bad.jsonl").click()
        page.get_by_label("Files").set_input_files(str(good))
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_test_id("import-result")).to_contain_text("3")

    assert Item.objects.filter(project=project).count() == 3
