"""Building an export: read the project a chunk at a time, turn items into rows, write them.

``export_rows`` is the generator both the snapshot builder and the streaming records API use,
so a snapshot and a records download with the same options hold the same rows.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from annotator.exports import formats, raw
from annotator.exports.formats import Context
from annotator.exports.options import PAIR_FORMATS, ExportOptions
from annotator.exports.pairs import fit_dawid_skene, item_votes
from annotator.exports.source import ItemRecord, ReadOptions, has_chat_items, item_chunks
from annotator.exports.writers import RowWriter
from annotator.models import Project


@dataclass(frozen=True)
class FormatSpec:
    schema: Callable[[Context], pa.Schema]
    rows: Callable[[ItemRecord, Context], Iterable[dict[str, Any]]]
    # Formats with free-form JSON fields turn them into JSON text for Parquet and hf.
    arrow_row: Callable[[dict[str, Any], Context], dict[str, Any]] | None = None


FORMAT_SPECS: dict[str, FormatSpec] = {
    "preference": FormatSpec(formats.preference_schema, formats.preference_rows),
    "unpaired": FormatSpec(formats.unpaired_schema, formats.unpaired_rows),
    "ranking": FormatSpec(formats.ranking_schema, formats.ranking_rows),
    "ratings": FormatSpec(formats.ratings_schema, formats.ratings_rows),
    "rubric": FormatSpec(formats.rubric_schema, formats.rubric_rows),
    "raw": FormatSpec(raw.raw_schema, raw.raw_rows, raw.raw_arrow_row),
}


@dataclass
class Counts:
    items: int = 0
    rows: int = 0
    human_rows: int = 0
    model_rows: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows += 1
        if row.get("source") == "model":
            self.model_rows += 1
        elif "source" in row:
            self.human_rows += 1


@dataclass
class Plan:
    """Everything fixed before the first row: resolved options, read options, the context."""

    project: Project
    options: ExportOptions
    read: ReadOptions
    context: Context
    schema: pa.Schema = field(init=False)

    def __post_init__(self) -> None:
        self.schema = FORMAT_SPECS[self.options.format].schema(self.context)


def plan(project: Project, options: ExportOptions) -> Plan:
    """Resolve ``options`` against the project (raises ``ExportOptionsInvalid``)."""
    options = options.resolved(project)
    question = next((q for q in project.questions if q["id"] == options.question), None)
    read = ReadOptions(
        exclude_gold=options.exclude_gold,
        reviewed_only=options.reviewed_only,
        raw=options.format == "raw",
        question=options.question,
        model_labels=options.include_model_labels,
        judges=tuple(options.judges),
        with_rubric=options.format == "rubric",
    )
    context = Context(options=options, question=question, conversational=has_chat_items(project))
    return Plan(project=project, options=options, read=read, context=context)


def _with_dawid_skene(plan: Plan) -> Plan:
    """A first pass over the project's votes to fit annotator reliabilities."""
    if plan.options.aggregation != "dawid_skene" or plan.options.format not in PAIR_FORMATS:
        return plan
    question = plan.context.q

    def votes() -> Iterator[list[Any]]:
        for chunk in item_chunks(plan.project, plan.read):
            for item in chunk:
                yield from item_votes(item, question, plan.options).values()

    context = Context(
        options=plan.context.options,
        question=question,
        conversational=plan.context.conversational,
        dawid_skene=fit_dawid_skene(votes()),
    )
    return Plan(project=plan.project, options=plan.options, read=plan.read, context=context)


def export_rows(
    plan: Plan,
    *,
    after: int = 0,
    progress: Callable[[int], None] | None = None,
    read_ahead: bool = False,
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """``(item id, rows)`` for each item after ``after`` that gives rows, in item order.

    ``read_ahead``: read the next chunk of items while this one is turned into rows (see
    ``item_chunks``).
    """
    plan = _with_dawid_skene(plan)
    spec = FORMAT_SPECS[plan.options.format]
    chunks = item_chunks(
        plan.project, plan.read, after=after, progress=progress, read_ahead=read_ahead
    )
    for chunk in chunks:
        for item in chunk:
            rows = list(spec.rows(item, plan.context))
            if rows:
                yield item.id, rows


@dataclass(frozen=True)
class Written:
    counts: Counts
    content_sha256: str
    schema: pa.Schema


@contextmanager
def _young_collections_only() -> Iterator[None]:
    """Run the garbage collector's young generations only, once per chunk of items.

    An export allocates millions of short-lived objects, and each full collection that this
    triggers walks every object in the process (Django, pyarrow, ...): 40% of an export's time.
    The rows hold no reference cycles; whatever cycles the queries leave are young, so collecting
    the young generations after each chunk (``progress``) keeps memory flat.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def export_write(
    plan: Plan,
    path: Path,
    *,
    folder: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> Written:
    """Write the export to ``path`` (an ``hf`` export: a tar, or the folder ``folder``)."""
    spec = FORMAT_SPECS[plan.options.format]
    convert = spec.arrow_row
    arrow_row = (lambda row: convert(row, plan.context)) if convert is not None else None
    writer = RowWriter(path, plan.options.file_type, plan.schema, arrow_row)
    counts = Counts()

    def items_read(n: int) -> None:
        counts.items += n
        gc.collect(1)
        if progress is not None:
            progress(n)

    try:
        with _young_collections_only():
            for _, rows in export_rows(plan, progress=items_read, read_ahead=True):
                for row in rows:
                    counts.add(row)
                writer.write(rows)
        writer.close(folder=folder)
    except BaseException:
        writer.abort()
        raise
    return Written(counts=counts, content_sha256=writer.content_sha256, schema=plan.schema)


def schema_description(schema: pa.Schema) -> list[dict[str, str]]:
    """The columns of a schema as ``[{name, type}]`` (for the manifest)."""
    return [{"name": f.name, "type": str(f.type)} for f in schema]
