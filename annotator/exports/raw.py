"""The ``raw`` format: every item with every annotation (history and reviews) and prediction.

For audit and re-aggregation, and to move a project: importing a raw export into another
project (``format=raw``) reproduces its items and annotations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from annotator.exports.formats import JUDGE, STRINGS, Context
from annotator.exports.source import ItemRecord

# ---- raw -------------------------------------------------------------------------------

# Free-form JSON (metadata, answers, prediction details) has no fixed Arrow type: in Parquet
# and Hugging Face folders those fields are JSON text; in JSONL they are plain JSON.
JSON_TEXT = pa.string()
VERSION = pa.struct(
    [
        ("version", pa.int32()),
        ("answers", JSON_TEXT),
        ("time_spent_ms", pa.int64()),
        ("edited_by", pa.string()),
        ("created_at", pa.string()),
    ]
)
REVIEW = pa.struct(
    [
        ("reviewer", pa.string()),
        ("decision", pa.string()),
        ("comment", pa.string()),
        ("created_at", pa.string()),
    ]
)
ANNOTATION = pa.struct(
    [
        ("annotator", pa.string()),
        ("status", pa.string()),
        ("answers", JSON_TEXT),
        ("display_order", STRINGS),
        ("time_spent_ms", pa.int64()),
        ("version", pa.int32()),
        ("review_status", pa.string()),
        ("is_gold", pa.bool_()),
        ("is_reference", pa.bool_()),
        ("created_at", pa.string()),
        ("updated_at", pa.string()),
        ("history", pa.list_(VERSION)),
        ("reviews", pa.list_(REVIEW)),
    ]
)
PREDICTION = pa.struct(
    [
        ("judge", JUDGE),
        ("question", pa.string()),
        ("value", JSON_TEXT),
        ("probability", pa.float64()),
        ("details", JSON_TEXT),
        ("swap_inconsistency", pa.float64()),
        ("error", pa.string()),
        ("created_at", pa.string()),
    ]
)
RAW_CANDIDATE = pa.struct(
    [
        ("id", pa.string()),
        ("text", pa.string()),
        ("model", pa.string()),
        ("meta", JSON_TEXT),
        ("position", pa.int32()),
    ]
)


def raw_schema(ctx: Context) -> pa.Schema:
    return pa.schema(
        [
            ("external_id", pa.string()),
            ("prompt", ctx.text()),
            ("candidates", pa.list_(RAW_CANDIDATE)),
            ("meta", JSON_TEXT),
            ("rubric", JSON_TEXT),
            ("gold", JSON_TEXT),
            ("annotations", pa.list_(ANNOTATION)),
            ("predictions", pa.list_(PREDICTION)),
        ]
    )


def raw_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    yield {
        "external_id": item.external_id,
        "prompt": item.prompt,
        "candidates": [
            {"id": c.key, "text": c.text, "model": c.model, "meta": c.meta, "position": c.position}
            for c in item.candidates
        ],
        "meta": item.meta,
        "rubric": item.rubric,
        "gold": item.gold,
        "annotations": item.raw_annotations,
        "predictions": item.predictions,
    }


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def raw_arrow_row(row: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """A raw row with its free-form fields as JSON text (Parquet and Hugging Face folders)."""
    return {
        "external_id": row["external_id"],
        "prompt": ctx.prompt(ItemRecord(0, "", row["prompt"], {}, [], None)),
        "candidates": [c | {"meta": _json_text(c["meta"])} for c in row["candidates"]],
        "meta": _json_text(row["meta"]),
        "rubric": _json_text(row["rubric"]),
        "gold": _json_text(row["gold"]),
        "annotations": [
            a
            | {
                "answers": _json_text(a["answers"]),
                "history": [v | {"answers": _json_text(v["answers"])} for v in a["history"]],
            }
            for a in row["annotations"]
        ],
        "predictions": [
            p | {"value": _json_text(p["value"]), "details": _json_text(p["details"])}
            for p in row["predictions"]
        ],
    }
