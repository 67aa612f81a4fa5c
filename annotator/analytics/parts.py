"""A question's answers as reliability matrices: one per measured part of the question.

A question is measured in *parts*: one for a pairwise or ranking question, one per dimension of
a rating question, per criterion of a rubric, per option of a labels question (text is not
measured). A part is a matrix of units x coders (people, or a judge), ``nan`` where a coder gave
no value. A unit is what one value is about: an item and a pair of candidates (pairwise), an
item and a candidate (ranking, rubric, per-candidate ratings and labels), or the item itself.
People's answers and a judge's predictions go through the same code, so they line up unit by
unit.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Level = Literal["nominal", "ordinal", "interval"]
ITEM = "item"
# Pairwise codes, in the candidates' canonical order (position in the item), never display order.
FIRST, SECOND, TIE = 0, 1, 2


@dataclass
class Part:
    """One measured part of a question: a reliability matrix and what its rows are."""

    question: str
    key: str  # "pref", "quality.helpfulness", "safety.unsafe"
    label: str
    kind: str  # the question's kind
    level: Level
    categories: list[str]  # code -> name, for nominal and ordinal parts
    items: IntArray  # item id of each unit
    targets: list[str]  # candidate key(s) or "item" of each unit
    data: FloatArray  # units x annotators

    @property
    def n_categories(self) -> int | None:
        return len(self.categories) if self.level != "interval" else None


class _Matrix:
    """(unit, annotator, value) triples, laid out as a units x annotators array at the end."""

    def __init__(self) -> None:
        self.units: dict[tuple[int, str], int] = {}
        # Three flat arrays rather than a list of tuples: a million answers build in a blink.
        self.rows = array("q")
        self.columns = array("q")
        self.values = array("d")

    def add(self, item: int, target: str, annotator: int, value: float) -> None:
        self.rows.append(self.units.setdefault((item, target), len(self.units)))
        self.columns.append(annotator)
        self.values.append(value)

    def build(self, n_annotators: int) -> tuple[IntArray, list[str], FloatArray]:
        data = np.full((len(self.units), n_annotators), np.nan)
        rows = np.frombuffer(self.rows, dtype=np.int64)
        columns = np.frombuffer(self.columns, dtype=np.int64)
        data[rows, columns] = np.frombuffer(self.values, dtype=np.float64)
        items = np.fromiter((unit[0] for unit in self.units), dtype=np.int64, count=len(self.units))
        return items, [unit[1] for unit in self.units], data


@dataclass
class _PartSpec:
    question: dict[str, Any]
    key: str
    label: str
    level: Level
    categories: list[str]
    matrix: _Matrix = field(default_factory=_Matrix)


def _part_specs(questions: list[dict[str, Any]]) -> list[_PartSpec]:
    specs: list[_PartSpec] = []
    for q in questions:
        qid, kind, title = q["id"], q["kind"], q.get("prompt") or q["id"]
        if kind == "pairwise":
            specs.append(_PartSpec(q, qid, title, "nominal", ["first", "second", "tie"]))
        elif kind == "ranking":
            # Rank group of each candidate, best = 0; the width is fixed per item when built.
            specs.append(_PartSpec(q, qid, title, "ordinal", []))
        elif kind == "rating":
            for dim in q["dimensions"]:
                specs.append(
                    _PartSpec(
                        q, f"{qid}.{dim['id']}", dim.get("label") or dim["id"], "interval", []
                    )
                )
        elif kind == "rubric":
            for criterion in q.get("criteria", []):
                specs.append(
                    _PartSpec(
                        q,
                        f"{qid}.{criterion['id']}",
                        criterion["text"],
                        "ordinal",
                        list(criterion.get("levels", ["fail", "pass"])),
                    )
                )
        elif kind == "labels":
            for option in q["options"]:
                specs.append(_PartSpec(q, f"{qid}.{option}", option, "nominal", ["no", "yes"]))
    return specs


def _fill_pairwise(spec: _PartSpec, item: int, keys: list[str], coder: int, value: Any) -> None:
    winner = value.get("winner")
    if len(keys) == 2 and (winner == "tie" or winner in keys):
        code = TIE if winner == "tie" else keys.index(winner)
        spec.matrix.add(item, "|".join(keys), coder, float(code))


def _fill_ranking(spec: _PartSpec, item: int, keys: list[str], coder: int, value: Any) -> None:
    for rank, group in enumerate(value.get("order", [])):
        for key in group:
            spec.matrix.add(item, key, coder, float(rank))


def _fill_rating(spec: _PartSpec, item: int, keys: list[str], coder: int, value: Any) -> None:
    dimension = spec.key.split(".", 1)[1]
    for target, scores in value.get("scores", {}).items():
        score = scores.get(dimension)
        if isinstance(score, int | float) and math.isfinite(score):
            spec.matrix.add(item, target, coder, float(score))


def _fill_rubric(spec: _PartSpec, item: int, keys: list[str], coder: int, value: Any) -> None:
    criterion = spec.key.split(".", 1)[1]
    for target, levels in value.get("criteria", {}).items():
        level = levels.get(criterion)
        if level in spec.categories:
            spec.matrix.add(item, target, coder, float(spec.categories.index(level)))


def _fill_labels(spec: _PartSpec, item: int, keys: list[str], coder: int, value: Any) -> None:
    option = spec.key.split(".", 1)[1]
    per_candidate = spec.question.get("per", "item") == "candidate"
    for target in keys if per_candidate else [ITEM]:
        chosen = value.get("labels", {}).get(target)
        if chosen is not None:
            spec.matrix.add(item, target, coder, float(option in chosen))


# Adds one annotation's answer to one part; ``keys`` are the candidates shown, canonical order.
_FILL = {
    "pairwise": _fill_pairwise,
    "ranking": _fill_ranking,
    "rating": _fill_rating,
    "rubric": _fill_rubric,
    "labels": _fill_labels,
}


class PartsBuilder:
    """Collects answers one at a time (so they can be streamed), then builds the parts."""

    def __init__(self, questions: list[dict[str, Any]]) -> None:
        self._specs = _part_specs(questions)

    def add(self, item: int, keys: list[str], coder: int, answers: dict[str, Any]) -> None:
        """One coder's answers to one item; ``keys``: the candidates seen, canonical order."""
        for spec in self._specs:
            value = answers.get(spec.question["id"])
            if isinstance(value, dict):
                _FILL[spec.question["kind"]](spec, item, keys, coder, value)

    def build(self, n_coders: int) -> list[Part]:
        return [_part(spec, n_coders) for spec in self._specs]


def _part(spec: _PartSpec, n_annotators: int) -> Part:
    items, targets, data = spec.matrix.build(n_annotators)
    categories = spec.categories
    if spec.question["kind"] == "ranking":
        width = int(np.nanmax(data)) + 1 if np.isfinite(data).any() else 1
        categories = [f"rank {r + 1}" for r in range(width)]
    return Part(
        question=spec.question["id"],
        key=spec.key,
        label=spec.label,
        kind=spec.question["kind"],
        level=spec.level,
        categories=categories,
        items=items,
        targets=targets,
        data=data,
    )
