"""``group_by`` mappings: rows that share a key become one item, one candidate per row.

Groups are kept in memory until every file is read (only the mapped values of each row, not
the rows), so this form needs memory in proportion to the input; the other layouts stream.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.importers.base import CandidateDraft, ItemDraft, RowError, RowInvalid, type_name
from annotator.importers.mapping import (
    MISSING,
    CandidateMapping,
    ItemFields,
    ItemMapping,
    candidate_draft,
    get_path,
    item_fields,
    source_path,
)


@dataclass
class _Group:
    line: int
    file: str
    fields: ItemFields
    candidates: list[CandidateDraft] = field(default_factory=list)


class GroupCollector:
    """Joins rows that share a ``group_by`` value into items (held in memory until the end)."""

    def __init__(self, mapping: ItemMapping) -> None:
        if mapping.group_by is None or mapping.candidate is None:
            raise ValueError("a group_by mapping needs group_by and candidate")
        self.mapping = mapping
        self.group_by: str = mapping.group_by
        self.candidate: CandidateMapping = mapping.candidate
        self.groups: dict[str, _Group] = {}

    def add(self, line: int, file_name: str, row: dict[str, Any]) -> None:
        """Take one row; raises ``RowInvalid`` for a bad one."""
        key = get_path(row, self.group_by)
        if key is MISSING or key is None or key == "":
            raise RowInvalid(self.group_by, f"missing field {self.group_by} (group_by)")
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise RowInvalid(
                self.group_by, f"expected a string or an integer, got {type_name(key)}"
            )
        fields = item_fields(row, self.mapping, file_name)
        candidate = candidate_draft(row, self.candidate, file_name, "candidate")
        group = self.groups.get(str(key))
        if group is None:
            if fields.external_id is None:
                fields.external_id = str(key)
            self.groups[str(key)] = _Group(line, file_name, fields, [candidate])
            return
        if fields.prompt != group.fields.prompt:
            where = source_path(self.mapping.prompt, "prompt")
            raise RowInvalid(
                where,
                f"the prompt differs from the first row of group {key!r} "
                f"({group.file}, line {group.line})",
            )
        group.candidates.append(candidate)

    def drafts(self) -> Iterator[tuple[int, str, ItemDraft] | RowError]:
        """One draft per group, in the order groups first appeared."""
        for key, group in self.groups.items():
            if len(group.candidates) < 2:
                yield RowError(
                    group.line,
                    self.group_by,
                    f"group {key!r} has {len(group.candidates)} row; an item needs 2 or more",
                    group.file,
                )
                continue
            fields = group.fields
            yield (
                group.line,
                group.file,
                ItemDraft(
                    prompt=fields.prompt,
                    candidates=group.candidates,
                    external_id=fields.external_id,
                    meta=fields.meta,
                    rubric=fields.rubric,
                    gold=fields.gold,
                    shuffle_keys=self.mapping.shuffle_keys,
                ),
            )
