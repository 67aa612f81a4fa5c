"""The rows of each export format and their Arrow schema (see docs/exports.md).

Every aggregated row carries its lineage: the item's ``external_id`` (``item_id``), the
question, whether people or a model gave the label (``source``), the pseudonymous ids of the
annotators whose answers made it, how many votes there were and how far they agreed, the
judge (name, model, revision, prompt template hash, run) when a model's prediction stood in, and
where each person was shown the candidates (``shown_at``, ``chosen_shown_at``,
``display_orders``).

Prompts and completions are plain strings, or, when any item of the project is a chat, lists
of ``{role, content}`` messages (TRL's conversational layout): a plain prompt becomes one user
message and a completion one assistant message.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from annotator.answers import ITEM, rubric_criteria
from annotator.exports.options import ExportOptions
from annotator.exports.pairs import (
    TIE,
    DawidSkene,
    PairOutcome,
    aggregate_pair,
    item_votes,
    strength_margin,
)
from annotator.exports.scores import aggregate_ranking, mean, modal_share, passes
from annotator.exports.source import AnnotationRecord, CandidateRecord, ItemRecord

SCHEMA_VERSION = 1

MESSAGES = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))
JUDGE = pa.struct(
    [
        ("id", pa.int64()),
        ("name", pa.string()),
        ("kind", pa.string()),
        ("model", pa.string()),
        ("revision", pa.string()),
        ("template_sha256", pa.string()),
        ("run", pa.int64()),
    ]
)
STRINGS = pa.list_(pa.string())
LINEAGE = [
    ("item_id", pa.string()),
    ("question", pa.string()),
    ("source", pa.string()),
    ("annotators", STRINGS),
    ("votes", pa.int32()),
    ("agreement", pa.float64()),
    ("judge", JUDGE),
]


@dataclass(frozen=True)
class Context:
    options: ExportOptions
    question: dict[str, Any] | None
    conversational: bool
    dawid_skene: DawidSkene | None = None

    @property
    def q(self) -> dict[str, Any]:
        """The question the format reads (every format but ``raw`` has one)."""
        if self.question is None:
            raise ValueError(f"the {self.options.format} format needs a question")
        return self.question

    def text(self) -> pa.DataType:
        return MESSAGES if self.conversational else pa.string()

    def prompt(self, item: ItemRecord) -> Any:
        if self.conversational and isinstance(item.prompt, str):
            return [{"role": "user", "content": item.prompt}]
        return item.prompt

    def completion(self, candidate: CandidateRecord) -> Any:
        if self.conversational:
            return [{"role": "assistant", "content": candidate.text}]
        return candidate.text


def _lineage(
    item: ItemRecord, ctx: Context, labels: list[AnnotationRecord], agreement: float
) -> dict[str, Any]:
    """The lineage columns of a row made from ``labels``. A model's row reports the judge's
    probability for its answer as the agreement, where the judge gave one."""
    model = next((label for label in labels if label.source == "model"), None)
    if model is not None and model.probability is not None:
        agreement = model.probability
    return {
        "item_id": item.external_id,
        "question": ctx.question["id"] if ctx.question else None,
        "source": "human" if model is None else "model",
        "annotators": [] if model is not None else list(dict.fromkeys(a.annotator for a in labels)),
        "votes": len(labels),
        "agreement": round(agreement, 6),
        "judge": None if model is None else model.judge,
    }


def _labelled(item: ItemRecord, question: str) -> list[AnnotationRecord]:
    """The answers to ``question``: people's, or else a model's stand-in."""
    found = [a for a in item.annotations if question in a.answers]
    humans = [a for a in found if a.source == "human"]
    return humans or found


# ---- preference and unpaired -------------------------------------------------------------


def preference_schema(ctx: Context) -> pa.Schema:
    text = ctx.text()
    fields: list[tuple[str, pa.DataType]] = [
        ("prompt", text),
        ("chosen", text),
        ("rejected", text),
    ]
    if ctx.options.margin != "none":
        fields.append(("margin", pa.float64()))
    if ctx.options.ties == "keep":
        fields.append(("tie", pa.bool_()))
    fields += [
        ("chosen_id", pa.string()),
        ("rejected_id", pa.string()),
        ("chosen_model", pa.string()),
        ("rejected_model", pa.string()),
        *LINEAGE,
        ("chosen_shown_at", pa.list_(pa.int32())),
    ]
    return pa.schema(fields)


def _pairs(item: ItemRecord, ctx: Context) -> Iterator[PairOutcome]:
    votes = item_votes(item, ctx.q, ctx.options)
    position = item.positions
    for first, second in sorted(votes, key=lambda p: (position[p[0]], position[p[1]])):
        yield from aggregate_pair(
            first, second, votes[(first, second)], ctx.options, ctx.dawid_skene
        )


def preference_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    candidates = {c.key: c for c in item.candidates}
    prompt = ctx.prompt(item)
    for pair in _pairs(item, ctx):
        chosen, rejected = candidates[pair.chosen], candidates[pair.rejected]
        row: dict[str, Any] = {
            "prompt": prompt,
            "chosen": ctx.completion(chosen),
            "rejected": ctx.completion(rejected),
        }
        if ctx.options.margin != "none":
            row["margin"] = strength_margin(pair, ctx.options.margin)
        if ctx.options.ties == "keep":
            row["tie"] = pair.outcome == TIE
        row |= {
            "chosen_id": chosen.key,
            "rejected_id": rejected.key,
            "chosen_model": chosen.model,
            "rejected_model": rejected.model,
        }
        row |= _lineage(item, ctx, [v.label for v in pair.votes], pair.agreement)
        row["chosen_shown_at"] = [_shown_at(v.label, chosen.key) for v in pair.votes]
        yield row


def _shown_at(label: AnnotationRecord, key: str) -> int | None:
    """Where a person was shown ``key`` (0 = first); ``None`` for a model's label."""
    order = label.display_order
    return order.index(key) if key in order and label.source == "human" else None


SHOWN_AT = ("shown_at", pa.list_(pa.int32()))


def unpaired_schema(ctx: Context) -> pa.Schema:
    return pa.schema(
        [
            ("prompt", ctx.text()),
            ("completion", ctx.text()),
            ("label", pa.bool_()),
            ("candidate_id", pa.string()),
            ("model", pa.string()),
            *LINEAGE,
            SHOWN_AT,
        ]
    )


def unpaired_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    """KTO rows: a candidate that won every aggregated pair it was in is desirable, one that
    lost every pair undesirable; a tie marked "both bad" makes both undesirable. Candidates with
    mixed outcomes are left out."""
    groups: dict[str | None, list[PairOutcome]] = defaultdict(list)
    for pair in _pairs(item, ctx):
        annotator = pair.votes[0].annotator if ctx.options.aggregation == "per_annotator" else None
        groups[annotator].append(pair)
    prompt = ctx.prompt(item)
    for pairs in groups.values():
        won: dict[str, list[PairOutcome]] = defaultdict(list)
        lost: dict[str, list[PairOutcome]] = defaultdict(list)
        for pair in pairs:
            if pair.outcome != TIE:
                won[pair.chosen].append(pair)
                lost[pair.rejected].append(pair)
            elif pair.both_bad:
                lost[pair.first].append(pair)
                lost[pair.second].append(pair)
        for candidate in item.candidates:
            if bool(won[candidate.key]) == bool(lost[candidate.key]):
                continue
            involved = won[candidate.key] or lost[candidate.key]
            row = {
                "prompt": prompt,
                "completion": ctx.completion(candidate),
                "label": bool(won[candidate.key]),
                "candidate_id": candidate.key,
                "model": candidate.model,
            }
            labels = [v.label for p in involved for v in p.votes]
            row |= _lineage(item, ctx, labels, min(p.agreement for p in involved))
            row["shown_at"] = [_shown_at(label, candidate.key) for label in labels]
            yield row


# ---- ranking ---------------------------------------------------------------------------


def ranking_schema(ctx: Context) -> pa.Schema:
    group = pa.list_(pa.string())
    return pa.schema(
        [
            ("prompt", ctx.text()),
            (
                "candidates",
                pa.list_(
                    pa.struct(
                        [("id", pa.string()), ("completion", ctx.text()), ("model", pa.string())]
                    )
                ),
            ),
            ("order", pa.list_(group)),
            *LINEAGE,
            ("rankings", pa.list_(pa.list_(group))),
            ("display_orders", pa.list_(pa.list_(pa.string()))),
        ]
    )


def ranking_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    qid = ctx.q["id"]
    keys = [c.key for c in item.candidates]
    labels = [a for a in _labelled(item, qid) if isinstance(a.answers[qid], dict)]
    sets = [[a] for a in labels] if ctx.options.aggregation == "per_annotator" else [labels]
    for chosen in sets:
        orders = [a.answers[qid].get("order", []) for a in chosen]
        found = aggregate_ranking(orders, keys) if chosen else None
        if found is None:
            continue
        order, agreement, unanimous = found
        if not passes(agreement, unanimous, ctx.options.aggregation, ctx.options.min_agreement):
            continue
        if ctx.options.ties == "drop" and any(len(group) > 1 for group in order):
            continue
        row = {
            "prompt": ctx.prompt(item),
            "candidates": [
                {"id": c.key, "completion": ctx.completion(c), "model": c.model}
                for c in item.candidates
            ],
            "order": order,
        }
        row |= _lineage(item, ctx, chosen, agreement)
        row["rankings"] = orders
        row["display_orders"] = [a.display_order if a.source == "human" else None for a in chosen]
        yield row


# ---- ratings ---------------------------------------------------------------------------


def _dimensions(ctx: Context) -> list[str]:
    return [d["id"] for d in ctx.q.get("dimensions", [])]


def ratings_schema(ctx: Context) -> pa.Schema:
    dims = _dimensions(ctx)
    return pa.schema(
        [
            ("prompt", ctx.text()),
            ("completion", ctx.text()),
            ("candidate_id", pa.string()),
            ("model", pa.string()),
            *[(dim, pa.float64()) for dim in dims],
            ("scores", pa.struct([(dim, pa.list_(pa.float64())) for dim in dims])),
            *LINEAGE,
            SHOWN_AT,
        ]
    )


def ratings_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    """One row per candidate (per item, for a question rated per item): the mean of each
    dimension, and every individual score."""
    qid, dims = ctx.q["id"], _dimensions(ctx)
    labels = _labelled(item, qid)
    sets = [[a] for a in labels] if ctx.options.aggregation == "per_annotator" else [labels]
    per_item = ctx.q.get("per", "candidate") != "candidate"
    targets: list[CandidateRecord | None] = [None] if per_item else list(item.candidates)
    for chosen in sets:
        for candidate in targets:
            target = ITEM if candidate is None else candidate.key
            scored = [
                (a, s)
                for a in chosen
                if isinstance(s := (a.answers[qid].get("scores") or {}).get(target), dict)
                and all(isinstance(s.get(dim), int | float) for dim in dims)
            ]
            if not scored:
                continue
            individual = {dim: [float(s[dim]) for _, s in scored] for dim in dims}
            agreement = min(modal_share(values) for values in individual.values())
            if not passes(
                agreement, agreement == 1.0, ctx.options.aggregation, ctx.options.min_agreement
            ):
                continue
            row: dict[str, Any] = {
                "prompt": ctx.prompt(item),
                "completion": None if candidate is None else ctx.completion(candidate),
                "candidate_id": None if candidate is None else candidate.key,
                "model": None if candidate is None else candidate.model,
            }
            row |= {dim: mean(values) for dim, values in individual.items()}
            row["scores"] = individual
            row |= _lineage(item, ctx, [a for a, _ in scored], agreement)
            row["shown_at"] = [
                None if candidate is None else _shown_at(a, candidate.key) for a, _ in scored
            ]
            yield row


# ---- rubric ----------------------------------------------------------------------------


CRITERION = pa.struct(
    [
        ("id", pa.string()),
        ("points", pa.float64()),
        ("max_points", pa.float64()),
        ("levels", pa.list_(pa.string())),
        ("agreement", pa.float64()),
    ]
)


def rubric_schema(ctx: Context) -> pa.Schema:
    return pa.schema(
        [
            ("prompt", ctx.text()),
            ("completion", ctx.text()),
            ("candidate_id", pa.string()),
            ("model", pa.string()),
            ("total", pa.float64()),
            ("max_total", pa.float64()),
            ("criteria", pa.list_(CRITERION)),
            ("totals", pa.list_(pa.float64())),
            *LINEAGE,
            SHOWN_AT,
        ]
    )


def rubric_rows(item: ItemRecord, ctx: Context) -> Iterator[dict[str, Any]]:
    """One row per candidate: mean points per criterion, their total, and each annotator's
    total; ``levels`` lists the level each annotator chose."""
    qid = ctx.q["id"]
    criteria = rubric_criteria(ctx.q, item.rubric)
    labels = _labelled(item, qid)
    sets = [[a] for a in labels] if ctx.options.aggregation == "per_annotator" else [labels]
    for chosen in sets:
        for candidate in item.candidates:
            given = [
                (a, levels)
                for a in chosen
                if isinstance(
                    levels := (a.answers[qid].get("criteria") or {}).get(candidate.key), dict
                )
                and all(c["id"] in levels for c in criteria)
            ]
            if not given or not criteria:
                continue
            rows: list[dict[str, Any]] = []
            totals = [0.0] * len(given)
            for criterion in criteria:
                scale = criterion.get("levels") or ["fail", "pass"]
                points = float(criterion.get("points", 1))
                chosen_levels = [levels[criterion["id"]] for _, levels in given]
                earned = [
                    points * scale.index(level) / (len(scale) - 1) if level in scale else 0.0
                    for level in chosen_levels
                ]
                totals = [t + e for t, e in zip(totals, earned, strict=True)]
                rows.append(
                    {
                        "id": criterion["id"],
                        "points": mean(earned),
                        "max_points": points,
                        "levels": chosen_levels,
                        "agreement": round(modal_share(chosen_levels), 6),
                    }
                )
            agreement = min(r["agreement"] for r in rows)
            if not passes(
                agreement, agreement == 1.0, ctx.options.aggregation, ctx.options.min_agreement
            ):
                continue
            row: dict[str, Any] = {
                "prompt": ctx.prompt(item),
                "completion": ctx.completion(candidate),
                "candidate_id": candidate.key,
                "model": candidate.model,
                "total": round(sum(r["points"] for r in rows), 6),
                "max_total": round(sum(r["max_points"] for r in rows), 6),
                "criteria": rows,
                "totals": [round(t, 6) for t in totals],
            }
            row |= _lineage(item, ctx, [a for a, _ in given], agreement)
            row["shown_at"] = [_shown_at(a, candidate.key) for a, _ in given]
            yield row
