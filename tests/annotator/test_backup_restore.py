"""The backup procedure of docs/operations.md, run for real: ``pg_dump`` and ``pg_restore`` of the
database, a tar of the export snapshots, and ``verify_exports`` on what was restored."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from annotator.exports.options import ExportOptions
from annotator.models import Export, Role
from annotator.services.exports import export_build, export_create, export_path
from tests.annotator.exports.builders import annotate
from tests.annotator.labeling import project_with_items
from tests.factories import member
from tests.stack import ROOT

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def db_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def pg(*argv: str) -> None:
    db = connection.settings_dict
    where = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run([argv[0], *where, *argv[1:]], check=True, capture_output=True, timeout=300)


def fingerprint(name: str) -> dict[str, object]:
    """Every table's row count, and the content of the labels, in one database."""
    with psycopg.connect(db_url(name)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        found: dict[str, object] = {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            for table in tables
        }
        found["labels"] = conn.execute(
            "SELECT md5(string_agg(a.id || ':' || a.answers::text || ':' || v.answers::text, ','"
            " ORDER BY a.id, v.version)) FROM annotator_annotation a"
            " JOIN annotator_annotationversion v ON v.annotation_id = a.id"
        ).fetchone()
        return found


@pytest.fixture
def restored_name() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    pg("dropdb", "--if-exists", name)
    yield name
    pg("dropdb", "--if-exists", name)


def verify_exports(database: str, export_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "annotator.settings.base",
        "DATABASE_URL": db_url(database),
        "MOOT_EXPORT_DIR": str(export_dir),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "verify_exports"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_dump_and_its_export_files_restore_to_the_same_data(
    tmp_path: Path, restored_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **k: None)
    project = project_with_items(6)
    people = [member(project, Role.ANNOTATOR) for _ in range(3)]
    for item in project.items.all():
        for person in people:
            annotate(item, person, {"pref": {"winner": "a"}})
    export = export_create(
        project=project, user=people[0], options=ExportOptions.parse({"format": "raw"})
    )
    export_build(export_id=export.pk)
    export = Export.objects.get(pk=export.pk)
    original = connection.settings_dict["NAME"]

    # The procedure: a custom-format dump, and the snapshot folder alongside it.
    dump = tmp_path / "moot.dump"
    pg("pg_dump", "--format=custom", "--file", str(dump), original)
    with tarfile.open(tmp_path / "exports.tar", "w") as tar:
        tar.add(settings.MOOT_EXPORT_DIR, arcname="exports")
    # Restore both somewhere new.
    pg("createdb", restored_name)
    pg("pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored_name, str(dump))
    with tarfile.open(tmp_path / "exports.tar") as tar:
        tar.extractall(tmp_path / "restored", filter="data")
    restored_exports = tmp_path / "restored" / "exports"

    assert fingerprint(restored_name) == fingerprint(original)
    checked = verify_exports(restored_name, restored_exports)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "1 ok, 0 missing, 0 changed"

    (restored_exports / export_path(export).name).write_bytes(b"tampered")
    tampered = verify_exports(restored_name, restored_exports)
    assert tampered.returncode != 0
    assert f"export {export.pk}: changed" in tampered.stderr
