"""Structured logs: with MOOT_LOG_FORMAT=json every process writes one JSON object per line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.stack import ROOT, stack_env, web_process


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "annotator.settings.base", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_json_logs_are_one_object_per_line_with_the_traceback() -> None:
    code = (
        "import logging\n"
        "log = logging.getLogger('moot.check')\n"
        "log.warning('disk %s', 'full')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('failed')\n"
    )
    result = run_manage("shell", "-c", code, MOOT_LOG_FORMAT="json")

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(r["level"], r["logger"], r["message"]) for r in records] == [
        ("WARNING", "moot.check", "disk full"),
        ("ERROR", "moot.check", "failed"),
    ]
    assert "ZeroDivisionError" in records[1]["exc_info"]
    assert {"time", "process"} <= records[0].keys()


def test_an_unknown_log_format_is_refused() -> None:
    result = run_manage("check", MOOT_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "MOOT_LOG_FORMAT must be 'plain' or 'json'" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_web_servers_access_log_is_json_too(tmp_path: Path) -> None:
    with web_process(tmp_path, env={**stack_env(), "MOOT_LOG_FORMAT": "json"}) as url:
        assert httpx.get(f"{url}/api/health/").status_code == 200

    lines = (tmp_path / "web.log").read_text().splitlines()
    access = [json.loads(line) for line in lines if '"uvicorn.access"' in line]
    assert access, lines[-20:]
    assert any("/api/health/" in record["message"] for record in access)
