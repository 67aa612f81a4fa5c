"""The import pipeline: files → rows → items, with every problem reported by line and field.

``ItemStream`` reads the files one after another and yields ``ParsedItem`` or ``RowError`` as
it goes, so a caller can write items in batches while the file is still being read. It checks
what no single row can: an ``external_id`` that appears twice, and (``auto``) which layout the
file is in, decided from the first readable row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from annotator.importers.base import ParsedItem, RowError, RowInvalid, finish_item
from annotator.importers.grouping import GroupCollector
from annotator.importers.layouts import ADAPTERS, detect
from annotator.importers.mapping import ItemMapping, mapped_row, parse_mapping
from annotator.importers.raw import raw
from annotator.importers.readers import (
    DEFAULT_MAX_LINE_BYTES,
    FILE_TYPE_ALIASES,
    FILE_TYPES,
    ImportSource,
    Row,
    file_type_of,
    read_rows,
)

FORMATS = ("auto", "native", "raw", "trl", "hh", "ultrafeedback", "arena", "mapping")
# ``raw`` lives apart from the public layouts: it builds on ``native`` and reads annotations.
_ADAPTERS = {**ADAPTERS, "raw": raw}
# Which source field a "too few candidates" error names, per layout.
_CANDIDATES_FIELD = {
    "native": "candidates",
    "raw": "candidates",
    "ultrafeedback": "completions",
    "trl": "rejected",
    "hh": "rejected",
    "arena": "conversation_b",
    "mapping": "candidates",
}


class ItemStream:
    """Parsed items and errors from one or more files, in file order.

    Construct it, check ``setup_errors`` (bad format, file type or mapping: nothing can be
    read), then iterate. ``format`` holds the detected layout once the first row was read.
    """

    def __init__(
        self,
        *,
        sources: Sequence[ImportSource],
        format: str = "auto",
        mapping: object = None,
        file_type: str | None = None,
        max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
    ) -> None:
        self.sources = list(sources)
        self.format = format
        self.max_line_bytes = max_line_bytes
        self.mapping: ItemMapping | None = None
        self.setup_errors: list[RowError] = []
        self.file_types: list[str] = []
        self._seen: dict[str, tuple[str, int]] = {}
        self._setup(mapping, file_type)

    def _setup(self, mapping: object, file_type: str | None) -> None:
        if self.format not in FORMATS:
            self.setup_errors.append(
                RowError(0, "format", f"unknown format {self.format!r}; use {', '.join(FORMATS)}")
            )
        if file_type and file_type.lower().lstrip(".") not in FILE_TYPE_ALIASES:
            choices = ", ".join(FILE_TYPES)
            self.setup_errors.append(
                RowError(0, "file_type", f"unknown file type {file_type!r}; use {choices}")
            )
            return
        if not self.sources:
            self.setup_errors.append(RowError(0, "file", "no file was uploaded"))
        for source in self.sources:
            kind = file_type_of(source.name, file_type)
            if kind is None:
                self.setup_errors.append(
                    RowError(
                        0,
                        "file_type",
                        f"cannot tell the file type of {source.name!r} from its name; "
                        f"pass file_type ({', '.join(FILE_TYPES)})",
                        source.name,
                    )
                )
            else:
                self.file_types.append(kind)
        if self.format == "mapping" or mapping not in (None, "", {}):
            if self.format not in ("mapping", "auto"):
                self.setup_errors.append(
                    RowError(0, "mapping", "a mapping is only used with format=mapping")
                )
                return
            if mapping in (None, "", {}):
                self.setup_errors.append(RowError(0, "mapping", "format=mapping needs a mapping"))
                return
            parsed = parse_mapping(mapping)
            if isinstance(parsed, list):
                self.setup_errors.extend(parsed)
            else:
                self.mapping = parsed
                self.format = "mapping"

    def __iter__(self) -> Iterator[ParsedItem | RowError]:
        if self.setup_errors:
            yield from self.setup_errors
            return
        collector = (
            GroupCollector(self.mapping)
            if self.mapping is not None and self.mapping.group_by is not None
            else None
        )
        for source, kind in zip(self.sources, self.file_types, strict=True):
            rows = read_rows(source, file_type=kind, max_line_bytes=self.max_line_bytes)
            for entry in rows:
                if isinstance(entry, RowError):
                    yield RowError(entry.line, entry.field, entry.message, source.name)
                    continue
                if self.format == "auto":
                    detected = detect(entry[1])
                    if detected is None:
                        yield self._undetected(entry, source.name)
                        return
                    self.format = detected
                if collector is not None:
                    yield from self._collect(collector, entry, source.name)
                else:
                    yield self._one(entry, source.name)
        if collector is not None:
            for drafted in collector.drafts():
                if isinstance(drafted, RowError):
                    yield drafted
                    continue
                line, file_name, draft = drafted
                try:
                    item, labels = finish_item(draft, candidates_field=collector.group_by)
                except RowInvalid as exc:
                    yield RowError(line, exc.field, exc.message, file_name)
                    continue
                yield self._unique(ParsedItem(line, file_name, item, labels))

    def _undetected(self, entry: Row, file_name: str) -> RowError:
        columns = ", ".join(sorted(entry[1])[:20]) or "none"
        return RowError(
            entry[0],
            None,
            f"cannot tell the layout from the columns ({columns}); pass format "
            "(native, raw, trl, hh, ultrafeedback, arena) or format=mapping with a mapping",
            file_name,
        )

    def _collect(self, collector: GroupCollector, entry: Row, file_name: str) -> Iterator[RowError]:
        try:
            collector.add(entry[0], file_name, entry[1])
        except RowInvalid as exc:
            yield RowError(entry[0], exc.field, exc.message, file_name)

    def _one(self, entry: Row, file_name: str) -> ParsedItem | RowError:
        line, row = entry
        try:
            if self.mapping is not None:
                draft = mapped_row(self.mapping, file_name, row)
            else:
                draft = _ADAPTERS[self.format](row)
            item, labels = finish_item(
                draft, candidates_field=_CANDIDATES_FIELD.get(self.format, "candidates")
            )
        except RowInvalid as exc:
            return RowError(line, exc.field, exc.message, file_name)
        return self._unique(ParsedItem(line, file_name, item, labels, draft.annotations))

    def _unique(self, parsed: ParsedItem) -> ParsedItem | RowError:
        external_id = parsed.item.external_id
        first = self._seen.get(external_id)
        if first is not None:
            where = (
                f"line {first[1]}" if first[0] == parsed.file else f"{first[0]}, line {first[1]}"
            )
            return RowError(
                parsed.line,
                "external_id",
                f"duplicate external_id {external_id!r} (first on {where})",
                parsed.file,
            )
        self._seen[external_id] = (parsed.file, parsed.line)
        return parsed
