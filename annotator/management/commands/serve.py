"""``manage.py serve``: the web server plus a worker (embedded mode unless services are set)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotator.embedded import database_prepare, stack_run


class Command(BaseCommand):
    help = "Run the web server and a Celery worker together (embedded mode by default)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply database migrations first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            database_prepare()
        self.prepare(**options)
        mode = "embedded (SQLite, no services)" if settings.EMBEDDED else "services (Redis)"
        self.stdout.write(f"Mode: {mode}; data folder: {settings.DATA_DIR}")
        code = stack_run(host=options["host"], port=options["port"], announce=self.stdout.write)
        if code:
            raise CommandError(f"stopped with exit code {code}")

    def prepare(self, **options: Any) -> None:
        """Hook for ``demo`` to seed data before the stack starts."""
