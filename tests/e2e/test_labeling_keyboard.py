"""An annotator labels items of every question kind with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from annotator.models import Annotation, Role
from tests.annotator.labeling import project_with_items
from tests.e2e.test_live_events import log_in
from tests.factories import member
from tests.stack import web_process

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, databases="__all__")]

QUESTIONS = [
    {"id": "pref", "kind": "pairwise", "tie": True, "strength": ["slightly", "much"]},
    {"id": "rank", "kind": "ranking"},
    {"id": "quality", "kind": "rating", "dimensions": [{"id": "helpfulness", "min": 1, "max": 5}]},
    {"id": "rubric", "kind": "rubric", "criteria": [{"id": "cites", "text": "Cites a source"}]},
    {"id": "flags", "kind": "labels", "options": ["unsafe", "hallucination"], "multiple": True},
    {"id": "why", "kind": "text", "required": False},
]


def label_one_item(page: Page) -> None:
    expect(page.get_by_test_id("candidate")).to_have_count(2)
    expect(page.get_by_test_id("candidate").first).to_contain_text("Response A")
    keys = page.keyboard
    keys.press("1")  # pairwise: A is better
    keys.press("w")  # ... by the second strength label
    keys.press("j")
    keys.press("c")  # ranking: keep the order as shown
    keys.press("j")
    keys.press("4")  # rating: A helpfulness 4
    keys.press("ArrowDown")
    keys.press("2")  # B helpfulness 2
    keys.press("j")
    keys.press("2")  # rubric: A passes
    keys.press("ArrowDown")
    keys.press("1")  # B fails
    keys.press("j")
    keys.press("2")  # flags: hallucination
    keys.press("Enter")


def test_an_annotator_labels_every_question_kind_with_the_keyboard(
    page: Page, log_dir: Path
) -> None:
    project = project_with_items(2, questions=QUESTIONS, blind=True)
    annotator = member(project, Role.ANNOTATOR)

    with web_process(log_dir) as base_url:
        log_in(page, base_url, annotator.username)
        page.goto(f"{base_url}/projects/{project.pk}/label")
        for done in range(2):
            # The next item is on screen and ready once the progress counts the last one.
            expect(page.get_by_test_id("progress")).to_contain_text(f"{done} submitted")
            expect(page.get_by_test_id("question-pref")).to_be_visible()
            label_one_item(page)
        expect(page.get_by_text("Nothing left to label")).to_be_visible()

    annotations = list(Annotation.objects.filter(project=project).order_by("id"))
    assert len(annotations) == 2
    for annotation in annotations:
        first, second = annotation.display_order
        assert annotation.answers["pref"] == {"winner": first, "strength": 1}
        assert annotation.answers["rank"] == {"order": [[first], [second]]}
        assert annotation.answers["quality"]["scores"] == {
            first: {"helpfulness": 4},
            second: {"helpfulness": 2},
        }
        assert annotation.answers["rubric"]["criteria"] == {
            first: {"cites": "pass"},
            second: {"cites": "fail"},
        }
        assert annotation.answers["flags"] == {"labels": {"item": ["hallucination"]}}
        assert "why" not in annotation.answers
        assert annotation.time_spent_ms > 0
