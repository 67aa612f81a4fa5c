"""``manage.py run_judge JUDGE``: start a judge run, optionally wait for it or run it here."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.jobs import QueueUnavailable
from judges import execution
from judges.models import FINISHED, Judge, JudgeRun
from judges.services import JudgeInvalid, judge_run_start, run_rates


class Command(BaseCommand):
    help = (
        "Start a run of a judge over a project's items. By default the batches go to the gpu "
        "queue; --inline judges them in this process instead (no worker needed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("judge", type=int, help="The judge's id.")
        parser.add_argument("--scope", choices=["all", "unlabeled", "filter"], default="all")
        parser.add_argument("--filter", help='Item filters as JSON, e.g. {"status": "open"}.')
        parser.add_argument("--wait", action="store_true", help="Print progress until done.")
        parser.add_argument("--inline", action="store_true", help="Judge in this process.")

    def handle(self, *args: Any, **options: Any) -> None:
        judge = Judge.objects.select_related("project").filter(pk=options["judge"]).first()
        if judge is None:
            raise CommandError(f"no judge with id {options['judge']}")
        scope: dict[str, Any] = {"kind": options["scope"]}
        if options["filter"]:
            try:
                scope["filter"] = json.loads(options["filter"])
            except json.JSONDecodeError as exc:
                raise CommandError(f"--filter is not JSON: {exc}") from exc
        try:
            if options["inline"]:
                # Nothing is queued: the batches are taken here, one after the other.
                run = judge_run_start(judge=judge, user=None, scope=scope, queue=False)
                for batch_id in run.batches.order_by("index").values_list("id", flat=True):
                    execution.judge_batch_run(batch_id=batch_id)
            else:
                run = judge_run_start(judge=judge, user=None, scope=scope)
        except JudgeInvalid as exc:
            raise CommandError(json.dumps(exc.errors)) from exc
        except QueueUnavailable as exc:
            raise CommandError(f"the task queue is unreachable: {exc}") from exc
        self.stdout.write(f"run {run.pk}: {run.total_items} items")
        if options["wait"] or options["inline"]:
            self._follow(run)

    def _follow(self, run: JudgeRun) -> None:
        while True:
            run.refresh_from_db()
            rate, eta = run_rates(run)
            self.stdout.write(
                f"{run.status}: {run.done_items + run.failed_items}/{run.total_items} items"
                f" ({run.failed_items} failed)"
                + (f", {rate:.2f} items/s" if rate else "")
                + (f", about {eta:.0f} s left" if eta else "")
            )
            if run.status in FINISHED:
                break
            time.sleep(2)
        if run.error:
            raise CommandError(run.error)
