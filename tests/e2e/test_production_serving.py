"""Production settings behind a TLS proxy: the built app and its assets are served by Django."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.stack import ROOT, stack_env, web_process

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HTTPS = {"X-Forwarded-Proto": "https"}


def production_env(data_dir: Path) -> dict[str, str]:
    env = stack_env()
    env.update(
        DJANGO_SETTINGS_MODULE="annotator.settings.production",
        SECRET_KEY="test-only-" + "k" * 60,
        MOOT_DATA_DIR=str(data_dir),
        ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def test_collected_app_is_served_and_plain_http_is_redirected(tmp_path: Path) -> None:
    env = production_env(tmp_path / "data")
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert collect.returncode == 0, collect.stderr

    with web_process(tmp_path, env=env) as base_url:
        plain = httpx.get(f"{base_url}/projects/1")
        assert plain.status_code == 301
        assert plain.headers["location"].startswith("https://")

        page = httpx.get(f"{base_url}/projects/1", headers=HTTPS)
        assert page.status_code == 200
        assert "strict-transport-security" in page.headers
        assets = re.findall(r'/static/assets/[^"]+\.(?:js|css)', page.text)
        assert assets
        for asset in assets:
            response = httpx.get(f"{base_url}{asset}", headers=HTTPS)
            assert response.status_code == 200, asset
            assert "max-age" in response.headers.get("cache-control", "")

        assert httpx.get(f"{base_url}/api/ready/").json()["status"] == "ok"
