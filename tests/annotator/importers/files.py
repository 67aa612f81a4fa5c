"""Building import files on disk and running the import service on them."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from annotator.importers import ImportSource
from annotator.models import Annotation, Candidate, Item, Project
from annotator.services.imports import ImportResult, items_import


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """CSV with one column per key; lists and objects written as JSON cells."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in row.items()}
            )
    return path


def write_parquet(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    pq.write_table(pa.Table.from_pylist(list(rows)), path)
    return path


def run_import(project: Project, *paths: Path, **options: Any) -> ImportResult:
    with ExitStack() as stack:
        sources = [
            ImportSource(name=p.name, stream=stack.enter_context(p.open("rb"))) for p in paths
        ]
        return items_import(project=project, files=sources, **options)


def counts() -> tuple[int, int, int]:
    return Item.objects.count(), Candidate.objects.count(), Annotation.objects.count()


def texts_by_key(item: Item) -> dict[str, str]:
    return {c.key: c.text for c in item.candidates.all()}


def trl_rows(n: int, *, conversational: bool = False) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i in range(n):
        if conversational:
            rows.append(
                {
                    "prompt": [{"role": "user", "content": f"question {i}"}],
                    "chosen": [{"role": "assistant", "content": f"good answer {i}"}],
                    "rejected": [{"role": "assistant", "content": f"bad answer {i}"}],
                }
            )
        else:
            rows.append({"prompt": f"question {i}", "chosen": f"good {i}", "rejected": f"bad {i}"})
    return rows
