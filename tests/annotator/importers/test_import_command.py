"""``manage.py import_items``: counts on success, errors and a non-zero exit on failure."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotator.models import Item, Project
from tests.annotator.importers.files import counts, trl_rows, write_jsonl
from tests.factories import new_project
from tests.stack import stack_env

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


def test_import_prints_the_counts(tmp_path: Path, project: Project) -> None:
    path = write_jsonl(tmp_path / "rows.jsonl", trl_rows(3))
    out = StringIO()

    call_command("import_items", str(project.pk), str(path), "--format", "trl", stdout=out)
    call_command("import_items", str(project.pk), str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "created 3, updated 0, unchanged 0 (format trl)",
        "created 0, updated 0, unchanged 3 (format trl)",
    ]
    assert Item.objects.filter(project=project).count() == 3


def test_mapping_from_a_file_and_a_reference_annotator(tmp_path: Path, project: Project) -> None:
    rows = [{"q": "Pick one", "x": "left", "y": "right", "best": "b"}]
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps(
            {
                "prompt": "q",
                "candidates": [{"text": "x"}, {"text": "y"}],
                "winner": "best",
            }
        )
    )
    out = StringIO()

    call_command(
        "import_items",
        str(project.pk),
        str(write_jsonl(tmp_path / "rows.jsonl", rows)),
        "--mapping",
        f"@{mapping}",
        "--reference-annotator",
        "ref",
        stdout=out,
    )

    assert "1 reference annotations" in out.getvalue()
    assert Item.objects.get().annotations.get().answers == {"pref": {"winner": "b"}}


def test_errors_are_printed_and_the_command_fails(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"prompt": "p", "chosen": "c", "rejected": "r"}\n{"prompt": "p2"}\n')
    err = StringIO()

    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_items", str(project.pk), str(path), stderr=err)

    assert f"{path}:2 [chosen]: missing field chosen" in err.getvalue()
    assert counts() == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_the_exit_status_is_non_zero_on_failure(tmp_path: Path) -> None:
    # A real process against the test database: the project must be committed.
    project = new_project()
    path = tmp_path / "bad.jsonl"
    path.write_text('{"prompt": "p", "chosen": "c", "rejected": "r"}\n{nope\n')

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", "import_items", *args],
            cwd=ROOT,
            env=stack_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    failed = run(str(project.pk), str(path))
    missing = run("999999", str(path))
    path.write_text('{"prompt": "p", "chosen": "c", "rejected": "r"}\n')
    succeeded = run(str(project.pk), str(path))

    assert failed.returncode == 1
    assert f"{path}:2: invalid JSON" in failed.stderr
    assert missing.returncode == 1
    assert "no project with id 999999" in missing.stderr
    assert succeeded.returncode == 0, succeeded.stderr
    assert "created 1" in succeeded.stdout
    assert Item.objects.filter(project=project).count() == 1
