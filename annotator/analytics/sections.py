"""Report sections other apps add to the dashboard, without the core importing them.

The core computes people's figures. Figures that also need model predictions (a judge against
the human majority, a judge's leaderboard) are computed by the app that owns the predictions,
which registers a section here from its ``AppConfig.ready``. Each section gets the project, the
scope and people's labels as arrays, and returns JSON under its name in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from annotator.analytics.extract import HumanLabels, Scope
from annotator.models import Project

Section = Callable[[Project, Scope, HumanLabels, int], Any]
_sections: dict[str, Section] = {}


def section_register(name: str, build: Section) -> None:
    """Add ``build(project, scope, labels, resamples)`` to every report, under ``name``."""
    _sections[name] = build


def sections() -> dict[str, Section]:
    return dict(_sections)
