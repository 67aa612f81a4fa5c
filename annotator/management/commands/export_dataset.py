"""``manage.py export_dataset PROJECT --format F [--aggregation A] --out PATH``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from annotator.exports.build import export_write, plan
from annotator.exports.hub import HubPushInvalid, hub_check, hub_push
from annotator.exports.options import (
    AGGREGATIONS,
    FILE_TYPES,
    FORMATS,
    MARGINS,
    ExportOptions,
    ExportOptionsInvalid,
)
from annotator.models import Project
from annotator.services.exports import hub_token, manifest_build, sha256_of_file

SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}


class Command(BaseCommand):
    help = (
        "Export a project's labels as a dataset file (JSONL, Parquet, CSV) or a Hugging Face "
        "datasets folder, with a manifest beside it (PATH.manifest.json) that holds the "
        "settings, the counts and the content's sha256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", type=int, help="The project's id.")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--aggregation", default="majority", choices=AGGREGATIONS)
        parser.add_argument(
            "--out", required=True, type=Path, help="The file, or the folder for --file-type hf."
        )
        parser.add_argument(
            "--file-type",
            choices=FILE_TYPES,
            help="Default: from the suffix of --out (.jsonl, .parquet, .csv), else hf.",
        )
        parser.add_argument("--min-agreement", type=float, default=0.75)
        parser.add_argument("--ties", choices=["keep", "drop"], default="drop")
        parser.add_argument("--reviewed-only", action="store_true")
        parser.add_argument("--exclude-gold", action="store_true")
        parser.add_argument("--include-model-labels", action="store_true")
        parser.add_argument(
            "--judge", type=int, action="append", default=[], help="Repeatable; preferred first."
        )
        parser.add_argument("--question")
        parser.add_argument("--dimension")
        parser.add_argument(
            "--weights", help='Dimension weights as JSON, e.g. {"helpfulness": 0.7, "safety": 0.3}.'
        )
        parser.add_argument("--margin", choices=MARGINS, default="none")
        parser.add_argument(
            "--push-to-hub",
            metavar="REPO",
            help="Then push to this private Hugging Face Hub dataset repository (org/name); "
            "needs MOOT_HF_TOKEN.",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        project = Project.objects.filter(pk=opts["project"]).first()
        if project is None:
            raise CommandError(f"no project with id {opts['project']}")
        out: Path = opts["out"]
        file_type = opts["file_type"] or SUFFIXES.get(out.suffix.lower(), "hf")
        try:
            weights = json.loads(opts["weights"]) if opts["weights"] else None
        except json.JSONDecodeError as exc:
            raise CommandError(f"--weights is not JSON: {exc}") from None
        try:
            options = ExportOptions.parse(
                {
                    "format": opts["format"],
                    "file_type": file_type,
                    "aggregation": opts["aggregation"],
                    "min_agreement": opts["min_agreement"],
                    "ties": opts["ties"],
                    "reviewed_only": opts["reviewed_only"],
                    "exclude_gold": opts["exclude_gold"],
                    "include_model_labels": opts["include_model_labels"],
                    "judges": opts["judge"],
                    "question": opts["question"],
                    "dimension": opts["dimension"],
                    "weights": weights,
                    "margin": opts["margin"],
                }
            )
            built = plan(project, options)
        except ExportOptionsInvalid as exc:
            raise CommandError("; ".join(f"{k}: {v}" for k, v in exc.errors.items())) from None
        repo = opts["push_to_hub"]
        if repo:
            try:
                hub_check(repo, file_type=file_type, token=hub_token())
            except HubPushInvalid as exc:
                raise CommandError(f"--push-to-hub: {exc}") from None
        out.parent.mkdir(parents=True, exist_ok=True)
        started = timezone.now()
        if file_type == "hf":
            partial = out.with_name(out.name + ".partial")
            written = export_write(built, out.with_name(out.name + ".tar"), folder=partial)
            if out.exists():
                shutil.rmtree(out) if out.is_dir() else out.unlink()
            partial.replace(out)
            file_hash, size = "", sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        else:
            partial = out.with_name(out.name + ".partial")
            try:
                written = export_write(built, partial)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(out)
            file_hash, size = sha256_of_file(out), out.stat().st_size
        manifest = manifest_build(
            built,
            written,
            file_name=out.name,
            file_sha256=file_hash,
            size_bytes=size,
            created_at=started,
            finished_at=timezone.now(),
        )
        manifest_path = out.with_name(out.name + ".manifest.json")
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if repo:
            url = hub_push(
                path=out,
                file_type=file_type,
                manifest=manifest,
                repo_id=repo,
                token=hub_token(),
                endpoint=settings.MOOT_HF_ENDPOINT or None,
            )
            self.stdout.write(f"pushed to {repo}: {url}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{written.counts.rows} rows from {written.counts.items} items → {out} "
                f"(sha256 of content {written.content_sha256}; manifest {manifest_path})"
            )
        )
