"""Model labels in exports: what the core's export reads from judges, without importing them.

Registered with ``annotator.exports.source.model_labels_register`` at start-up. Each label
carries its lineage: the judge, the model and revision it ran, the sha256 of the prompt
templates (and system prompt) it used, and the run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from annotator.exports.source import AnnotationRecord
from judges import prompts
from judges.models import Judge, JudgeKind, JudgeRun, Prediction

PROMPTED = (JudgeKind.LOCAL_LLM, JudgeKind.API)


def run_lineage(run: JudgeRun, judge: Judge) -> dict[str, Any]:
    """Who produced a prediction: judge, model, revision, template hash and run."""
    config = run.config or judge.config or {}
    template_sha256 = None
    if judge.kind in PROMPTED:
        templates = {
            kind: config.get("templates", {}).get(kind) or default
            for kind, default in sorted(prompts.DEFAULT_TEMPLATES.items())
        }
        used = {"templates": templates, "system_prompt": config.get("system_prompt", "")}
        template_sha256 = hashlib.sha256(
            json.dumps(used, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
    return {
        "id": judge.pk,
        "name": judge.name,
        "kind": judge.kind,
        "model": config.get("model") or config.get("encoder"),
        "revision": config.get("revision"),
        "template_sha256": template_sha256,
        "run": run.pk,
    }


class JudgeLabels:
    """The ``ModelLabels`` provider (see ``annotator.exports.source``)."""

    def judge_ids(self, *, project_id: int) -> list[int]:
        return list(
            Judge.objects.filter(project_id=project_id).order_by("pk").values_list("pk", flat=True)
        )

    def _lineages(self, run_ids: set[int]) -> dict[int, dict[str, Any]]:
        runs = JudgeRun.objects.filter(pk__in=run_ids).select_related("judge")
        return {run.pk: run_lineage(run, run.judge) for run in runs}

    def labels(
        self, *, project_id: int, item_ids: Sequence[int], question: str, judges: Sequence[int]
    ) -> dict[int, AnnotationRecord]:
        """Per item, the answer of the first judge in ``judges`` that has one (its latest run);
        failed predictions never stand in."""
        rank = {judge: i for i, judge in enumerate(judges)}
        best: dict[int, tuple[int, int, Any, float | None]] = {}
        rows = (
            Prediction.objects.filter(
                project_id=project_id,
                item_id__in=list(item_ids),
                question_id=question,
                judge_id__in=list(rank),
                error="",
                value__isnull=False,
            )
            .order_by("run_id")
            .values_list("item_id", "judge_id", "run_id", "value", "probability")
        )
        for item_id, judge_id, run_id, value, probability in rows:
            current = best.get(item_id)
            if current is None or rank[judge_id] <= rank[current[0]]:
                best[item_id] = (judge_id, run_id, value, probability)
        lineages = self._lineages({run for _, run, _, _ in best.values()})
        return {
            item_id: AnnotationRecord(
                annotator=f"judge-{judge_id}",
                answers={question: value},
                display_order=[],
                source="model",
                judge=lineages[run_id],
                probability=probability,
            )
            for item_id, (judge_id, run_id, value, probability) in best.items()
        }

    def predictions(self, *, project_id: int, item_ids: Sequence[int]) -> dict[int, list[Any]]:
        rows = list(
            Prediction.objects.filter(project_id=project_id, item_id__in=list(item_ids))
            .order_by("item_id", "run_id", "pk")
            .values_list(
                "item_id",
                "run_id",
                "question_id",
                "value",
                "probability",
                "details",
                "swap_inconsistency",
                "error",
                "created_at",
            )
        )
        lineages = self._lineages({row[1] for row in rows})
        found: dict[int, list[Any]] = {}
        for item_id, run_id, question, value, probability, details, swap, error, at in rows:
            found.setdefault(item_id, []).append(
                {
                    "judge": lineages[run_id],
                    "question": question,
                    "value": value,
                    "probability": probability,
                    "details": details,
                    "swap_inconsistency": swap,
                    "error": error,
                    "created_at": at.isoformat(),
                }
            )
        return found
