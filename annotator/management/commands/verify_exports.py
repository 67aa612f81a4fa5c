"""``manage.py verify_exports``: check every finished snapshot's file against its sha256."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from annotator.models import Export, ExportStatus
from annotator.services.exports import export_path, export_verify


class Command(BaseCommand):
    help = (
        "Check that every finished export snapshot's file exists and is unchanged (after a "
        "restore, say). Exits non-zero when one is missing or changed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        found: Counter[str] = Counter()
        for export in Export.objects.filter(status=ExportStatus.DONE).order_by("pk"):
            state = export_verify(export)
            found[state] += 1
            if state != "ok":
                self.stderr.write(f"export {export.pk}: {state} ({export_path(export)})")
        self.stdout.write(
            f"{found['ok']} ok, {found['missing']} missing, {found['changed']} changed"
        )
        if found["missing"] or found["changed"]:
            raise CommandError("some export snapshots do not match their manifest")
