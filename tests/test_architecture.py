"""Layering rules that keep the web process free of model code."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[str, set[str]]:
    """Map each file of ``package`` to the top-level modules it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("annotator", {"judges", "workers", "torch", "transformers"}),
        ("judges", {"workers"}),
    ],
)
def test_imports_run_one_way(package: str, forbidden: set[str]) -> None:
    offenders = {
        path: sorted(names & forbidden)
        for path, names in imported_modules(package).items()
        if names & forbidden
    }

    assert offenders == {}


def test_model_libraries_are_imported_only_by_engines() -> None:
    offenders = [
        path
        for package in ("annotator", "judges", "workers")
        for path, names in imported_modules(package).items()
        if names & {"torch", "transformers"} and not path.startswith("judges/engines/")
    ]

    assert offenders == []


def test_the_web_process_never_imports_torch(tmp_path: Path) -> None:
    probe = """
import sys
import django
django.setup()
import annotator.asgi, annotator.urls
from django.test import Client
Client().get("/api/schema/")
from celery import current_app
assert current_app.main == "workers", current_app.main
print("torch" in sys.modules, "transformers" in sys.modules)
"""
    env = {"DJANGO_SETTINGS_MODULE": "annotator.settings.base", "MOOT_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
