"""Export snapshots and the streaming records API.

``export_create`` validates the options against the project and queues ``workers.export_build``
on the ``default`` queue; ``export_build`` writes the file under ``MOOT_EXPORT_DIR`` (to a
temporary name first, so a half-written file is never served), then records its manifest. The
building worker holds a lease on the snapshot (``annotator.leases``): a second delivery while it
lives does nothing, and once it dies ``exports_recover`` queues the build again, which starts
over and ends the same way.

``records_stream`` serves the same rows without a snapshot: a training job pulls them as
NDJSON, and a cursor on every row lets a broken download resume after the last row it read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotator.events import event_build, event_send
from annotator.exports.build import (
    Plan,
    Written,
    export_rows,
    export_write,
    plan,
    schema_description,
)
from annotator.exports.formats import SCHEMA_VERSION
from annotator.exports.hub import HubPushInvalid, hub_check, hub_push
from annotator.exports.options import ExportOptions, ExportOptionsInvalid
from annotator.exports.source import items_read
from annotator.exports.writers import EXTENSIONS, json_line
from annotator.jobs import QueueUnavailable, enqueue
from annotator.leases import (
    heartbeat,
    is_transient,
    lease_expiry,
    lease_give_up,
    leases_expired_requeue,
)
from annotator.models import Export, ExportStatus, Project, Role

logger = logging.getLogger(__name__)

BUILD_TASK = "workers.export_build"
PROGRESS_EVERY_S = 1.0


def export_dir() -> Path:
    path = Path(settings.MOOT_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(export: Export) -> Path:
    """Where a snapshot's file lives: a random name, served only through the API."""
    return export_dir() / f"{export.file_key}{EXTENSIONS[export.file_type]}"


def export_file_name(export: Export) -> str:
    """The name a download is saved under."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in export.project.name.lower()).strip("-")
    return f"{slug or 'project'}-{export.format}-{export.pk}{EXTENSIONS[export.file_type]}"


def hub_token() -> str:
    return str(settings.MOOT_HF_TOKEN)


def export_create(
    *, project: Project, user: User | None, options: ExportOptions, push_to_hub: str = ""
) -> Export:
    """Check ``options`` against the project and queue the snapshot's build.

    Raises ``ExportOptionsInvalid`` (nothing is created) when they cannot apply to it, or when
    ``push_to_hub`` (a Hub dataset repository to push to once built) cannot work.
    Raises ``QueueUnavailable`` when the broker is down; the snapshot is then marked failed.
    """
    resolved = plan(project, options).options
    if push_to_hub:
        try:
            hub_check(push_to_hub, file_type=resolved.file_type, token=hub_token())
        except HubPushInvalid as exc:
            raise ExportOptionsInvalid({"push_to_hub": str(exc)}) from None
    export = Export.objects.create(
        project=project,
        options=resolved.settings(),
        format=resolved.format,
        file_type=resolved.file_type,
        hub_repo=push_to_hub,
        created_by=user,
    )
    try:
        enqueue(BUILD_TASK, export_id=export.pk)
    except QueueUnavailable:
        export.status = ExportStatus.FAILED
        export.error = "The task broker could not be reached; nothing was built."
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    return export


def _progress_event(export: Export) -> None:
    event_send(
        event_build(
            "export.progress",
            project_id=export.project_id,
            data={
                "export": export.pk,
                "status": export.status,
                "items_total": export.items_total,
                "items_done": export.items_done,
                "rows": export.rows,
                "error": export.error,
            },
        ),
        audience=Role.MANAGER,
    )


def _owned(export: Export) -> Any:
    """The export's row, as long as this build still holds it (not deleted, not taken over)."""
    return Export.objects.filter(
        pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts
    )


def _claim(export_id: int, worker: str) -> Export | None:
    """Take a queued build, or one whose worker's lease ran out; ``None``: nothing to do."""
    with transaction.atomic():
        export = Export.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return None
        now = timezone.now()
        leased = export.lease_until is not None and export.lease_until > now
        if export.status == ExportStatus.RUNNING and leased:
            return None  # a live worker has it
        if export.attempts >= settings.MOOT_TASK_MAX_ATTEMPTS:
            export.status, export.finished_at, export.lease_until = ExportStatus.FAILED, now, None
            export.error = (
                f"The build was interrupted {export.attempts} times (its worker stopped, or the "
                "database could not be reached); see the workers' logs."
            )
            export.save(
                update_fields=["status", "finished_at", "lease_until", "error", "updated_at"]
            )
            transaction.on_commit(lambda: _progress_event(export))
            return None
        export.status = ExportStatus.RUNNING
        export.worker, export.attempts = worker, export.attempts + 1
        export.lease_until = lease_expiry(settings.MOOT_EXPORT_LEASE_S, now)
        export.started_at = now
        export.items_done = export.rows = 0
        try:
            read = plan(export.project, ExportOptions.parse(export.options)).read
            export.items_total = items_read(export.project, read).count()
        except ExportOptionsInvalid:
            export.items_total = 0  # the build fails and says why
        export.save(
            update_fields=[
                "status",
                "worker",
                "attempts",
                "lease_until",
                "started_at",
                "items_done",
                "rows",
                "items_total",
                "updated_at",
            ]
        )
    return export


class _Lost(Exception):
    """The snapshot was deleted, or taken over after this build's lease ran out."""


def _fail(export: Export, exc: Exception) -> bool:
    """Record the failure; ``False`` when the build was no longer this one's to fail."""
    if isinstance(exc, ExportOptionsInvalid):  # the project changed since it was queued
        logger.warning("export %s failed: %s", export.pk, exc)
    else:
        logger.exception("export %s failed", export.pk)
    export.status = ExportStatus.FAILED
    export.error = str(exc) or type(exc).__name__
    export.finished_at = timezone.now()
    return bool(
        _owned(export).update(
            status=export.status,
            error=export.error,
            finished_at=export.finished_at,
            lease_until=None,
            updated_at=timezone.now(),
        )
    )


def _finish(
    export: Export,
    *,
    built: Plan,
    written: Written,
    partial: Path,
    final: Path,
    file_hash: str,
) -> None:
    export.status = ExportStatus.DONE
    export.finished_at = timezone.now()
    export.lease_until = None
    export.items_done = written.counts.items
    export.rows = written.counts.rows
    export.content_sha256 = written.content_sha256
    export.file_sha256 = file_hash
    export.size_bytes = partial.stat().st_size
    export.manifest = manifest_build(
        built,
        written,
        file_name=export_file_name(export),
        file_sha256=file_hash,
        size_bytes=export.size_bytes,
        created_at=export.created_at,
        finished_at=export.finished_at,
        export_id=export.pk,
    )
    with transaction.atomic():
        if not _owned(export).select_for_update().exists():
            raise _Lost
        # Under the row lock, so no other build of it can be putting its file in place. An
        # earlier attempt's file is a dead worker's, or one that will find itself taken over.
        partial.replace(final)
        for leftover in final.parent.glob(f"{final.name}.*.partial"):
            leftover.unlink(missing_ok=True)
        export.save()
    if export.hub_repo:
        _push(export, final)


def export_build(*, export_id: int, worker: str = "") -> None:
    """Build a queued snapshot (the ``workers.export_build`` task); safe to deliver twice.

    A finished snapshot, or one a live worker is building, is left as is; one whose worker
    died (its lease ran out) is built again from the start.
    """
    export = _claim(export_id, worker)
    if export is None:
        return
    _progress_event(export)
    final = export_path(export)
    # Each attempt writes its own file: a build taken over from a worker that was only slow
    # can never write into the file of the build that took it over.
    partial = final.with_name(f"{final.name}.{export.attempts}.partial")
    last_sent = time.monotonic()

    def progress(items: int) -> None:
        nonlocal last_sent
        export.items_done += items
        if time.monotonic() - last_sent >= PROGRESS_EVERY_S:
            last_sent = time.monotonic()
            if not _owned(export).update(items_done=export.items_done, updated_at=timezone.now()):
                raise _Lost
            _progress_event(export)

    def renew() -> None:
        _owned(export).update(lease_until=lease_expiry(settings.MOOT_EXPORT_LEASE_S))

    try:
        with heartbeat(
            renew, every_s=settings.MOOT_EXPORT_LEASE_S / 3, name=f"export-lease-{export.pk}"
        ):
            built = plan(export.project, ExportOptions.parse(export.options))
            written = export_write(built, partial, progress=progress)
            file_hash = sha256_of_file(partial)
            _finish(
                export, built=built, written=written, partial=partial, final=final,
                file_hash=file_hash,
            )  # fmt: skip
    except _Lost:
        # Deleted (leave no file behind, and no row brought back) or taken over.
        partial.unlink(missing_ok=True)
        logger.info("export %s was deleted or taken over while it was built", export.pk)
        return
    except Exception as exc:
        partial.unlink(missing_ok=True)
        if is_transient(exc):
            lease_give_up(
                lambda: _owned(export).update(lease_until=timezone.now()),
                what=f"export {export.pk}",
            )
            return
        if not _fail(export, exc):
            return
        final.unlink(missing_ok=True)  # in place if only recording it failed
    _progress_event(export)


def exports_recover(*, now: datetime | None = None) -> int:
    """Queue again every build whose worker's lease ran out; return how many."""

    def requeue(export: Export) -> None:
        logger.warning("export %s lost its worker %s; queueing it again", export.pk, export.worker)
        export.status, export.lease_until = ExportStatus.QUEUED, None
        export.save(update_fields=["status", "lease_until", "updated_at"])
        enqueue(BUILD_TASK, export_id=export.pk)

    stale = Export.objects.filter(
        status=ExportStatus.RUNNING, lease_until__lt=now or timezone.now()
    )
    return leases_expired_requeue(stale, requeue, limit=200)


def _push(export: Export, path: Path) -> None:
    """Push a built snapshot to the Hub; a failure is recorded, the snapshot stays done."""
    if export.manifest is None:
        return
    try:
        export.hub_url = hub_push(
            path=path,
            file_type=export.file_type,
            manifest=export.manifest,
            repo_id=export.hub_repo,
            token=hub_token(),
            endpoint=settings.MOOT_HF_ENDPOINT or None,
        )
        export.hub_error = ""
    except Exception as exc:  # network, auth and Hub errors alike
        logger.warning("export %s: push to %s failed: %s", export.pk, export.hub_repo, exc)
        export.hub_error = str(exc) or type(exc).__name__
    export.save(update_fields=["hub_url", "hub_error", "updated_at"])


def manifest_build(
    built: Plan,
    written: Written,
    *,
    file_name: str,
    file_sha256: str,
    size_bytes: int,
    created_at: datetime,
    finished_at: datetime,
    export_id: int | None = None,
) -> dict[str, Any]:
    """What a snapshot is: its project, settings, counts, columns and hashes."""
    project = built.project
    return {
        "schema_version": SCHEMA_VERSION,
        "export": export_id,
        "project": {"id": project.pk, "name": project.name},
        "format": built.options.format,
        "file_type": built.options.file_type,
        "file_name": file_name,
        "settings": built.options.settings(),
        "conversational": built.context.conversational,
        "counts": {
            "items": written.counts.items,
            "rows": written.counts.rows,
            "human_rows": written.counts.human_rows,
            "model_rows": written.counts.model_rows,
        },
        "columns": schema_description(written.schema),
        "content_sha256": written.content_sha256,
        "file_sha256": file_sha256,
        "size_bytes": size_bytes,
        "created_at": created_at.isoformat(),
        "finished_at": finished_at.isoformat(),
    }


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def export_verify(export: Export) -> str:
    """Whether a finished snapshot's file is still the one built: "ok", "missing" or "changed".

    Run after restoring a backup: the database names each file and its sha256, and the files
    are restored separately (see docs/operations.md).
    """
    path = export_path(export)
    if not path.is_file():
        return "missing"
    return "ok" if sha256_of_file(path) == export.file_sha256 else "changed"


def export_files_remove_on_commit(exports: Iterable[Export]) -> None:
    """Remove these snapshots' files (and any half-written one) once the deletion commits.

    Not before: a rolled-back deletion would keep the row and lose its file.
    """
    paths = [export_path(export) for export in exports]

    def remove() -> None:
        for path in paths:
            path.unlink(missing_ok=True)
            for partial in path.parent.glob(f"{path.name}*.partial"):
                partial.unlink(missing_ok=True)

    transaction.on_commit(remove)


@transaction.atomic
def export_delete(export: Export) -> None:
    """Remove a snapshot and its file (a build still running finds its row gone and stops)."""
    export_files_remove_on_commit([export])
    export.delete()


# ---- streaming records -----------------------------------------------------------------


class CursorInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """A position in the records stream: after row ``row`` of item ``item`` (internal ids)."""

    item: int = 0
    row: int = -1

    def token(self) -> str:
        return base64.urlsafe_b64encode(f"v1:{self.item}:{self.row}".encode()).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Cursor:
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            version, item, row = text.split(":")
            if version != "v1":
                raise ValueError(version)
            cursor = cls(int(item), int(row))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise CursorInvalid("not a cursor from this API; pass a row's _cursor back") from None
        if cursor.item < 0 or cursor.row < -1:
            raise CursorInvalid("not a cursor from this API; pass a row's _cursor back")
        return cursor


def records_lines(
    *, project: Project, options: ExportOptions, cursor: Cursor, limit: int | None = None
) -> Iterator[bytes]:
    """NDJSON lines of the export's rows after ``cursor``, each with its own ``_cursor``.

    Rows are produced a chunk of items at a time, so memory does not grow with the project.
    """
    built = plan(project, options)
    sent = 0
    # The item the cursor points into is read again, and its rows up to the cursor skipped.
    for item_id, rows in export_rows(built, after=max(0, cursor.item - 1)):
        if item_id < cursor.item:
            continue
        for index, row in enumerate(rows):
            if item_id == cursor.item and index <= cursor.row:
                continue
            if limit is not None and sent >= limit:
                return
            row["_cursor"] = Cursor(item_id, index).token()
            sent += 1
            yield json_line(row)
