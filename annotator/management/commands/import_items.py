"""``manage.py import_items PROJECT FILE [FILE ...]``: import items from files into a project."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.importers import FILE_TYPES, FORMATS, ImportSource
from annotator.models import Project
from annotator.services.imports import ImportFailed, items_import


class Command(BaseCommand):
    help = (
        "Import items from JSONL, CSV or Parquet files into a project (all or nothing). "
        "Prints the counts, or the errors by line and field and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", type=int, help="The project's id.")
        parser.add_argument("files", nargs="+", type=Path, help="Files to read, in order.")
        parser.add_argument("--format", default="auto", choices=FORMATS)
        parser.add_argument(
            "--mapping", help="A field mapping as JSON, or @path to a file holding it."
        )
        parser.add_argument("--file-type", choices=[*FILE_TYPES, "json", "ndjson"])
        parser.add_argument(
            "--reference-annotator",
            help="Keep labels found in the source as this user's reference annotations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(pk=options["project"]).first()
        if project is None:
            raise CommandError(f"no project with id {options['project']}")
        mapping = options["mapping"]
        if mapping and mapping.startswith("@"):
            try:
                mapping = Path(mapping[1:]).read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot read the mapping: {exc}") from exc
        with ExitStack() as stack:
            try:
                sources = [
                    ImportSource(name=str(path), stream=stack.enter_context(path.open("rb")))
                    for path in options["files"]
                ]
            except OSError as exc:
                raise CommandError(f"cannot open {exc.filename}: {exc.strerror}") from exc
            try:
                result = items_import(
                    project=project,
                    files=sources,
                    format=options["format"],
                    mapping=mapping,
                    file_type=options["file_type"],
                    reference_annotator=options["reference_annotator"],
                )
            except ImportFailed as failed:
                for error in failed.errors:
                    where = f"{error.file}:{error.line}" if error.file else f"line {error.line}"
                    field = f" [{error.field}]" if error.field else ""
                    self.stderr.write(f"{where}{field}: {error.message}")
                raise CommandError(
                    f"nothing imported: {len(failed.errors)} error(s) shown above"
                ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"created {result.created}, updated {result.updated}, "
                f"unchanged {result.unchanged} (format {result.format}"
                + (f", {result.references} reference annotations" if result.references else "")
                + (f", {result.annotations} annotations" if result.annotations else "")
                + ")"
            )
        )
