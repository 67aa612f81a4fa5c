"""Readers: stream rows out of JSONL, CSV and Parquet files, one at a time.

Each reader yields ``(line, row)`` pairs (``row`` a dict) or ``RowError`` for a line it could
not read, and never holds the whole file: JSONL and CSV are read line by line (a line over the
size limit is skipped without being loaded), Parquet batch by batch. Gzip-compressed JSONL and
CSV are read through ``gzip`` transparently.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from annotator.importers.base import MAX_DEPTH, InvalidJson, RowError, load_json, unstorable

FILE_TYPES = ("jsonl", "csv", "parquet")
FILE_TYPE_ALIASES = {
    "jsonl": "jsonl",
    "json": "jsonl",
    "ndjson": "jsonl",
    "csv": "csv",
    "parquet": "parquet",
    "pq": "parquet",
}
DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_SKIP_CHUNK = 1024 * 1024
PARQUET_BATCH_ROWS = 1000
# A NUL or surrogate escape in JSON text (a surrogate pair, as for an emoji, matches too).
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")

Row = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class ImportSource:
    """One uploaded file: its name (for the file type and messages) and a binary stream."""

    name: str
    stream: IO[bytes]


def file_type_of(name: str, given: str | None) -> str | None:
    """The file type from ``given`` (an alias such as ``ndjson`` is allowed) or the name."""
    if given:
        return FILE_TYPE_ALIASES.get(given.lower().lstrip("."))
    base = name.lower()
    base = base.removesuffix(".gz")
    suffix = base.rsplit(".", 1)[-1] if "." in base else ""
    return FILE_TYPE_ALIASES.get(suffix)


def _is_gzip(stream: IO[bytes]) -> bool:
    start = stream.tell()
    head = stream.read(2)
    stream.seek(start)
    return head == _GZIP_MAGIC


def _binary(source: ImportSource) -> IO[bytes] | gzip.GzipFile:
    if _is_gzip(source.stream):
        return gzip.GzipFile(fileobj=source.stream, mode="rb")
    return source.stream


def _physical_lines(
    stream: IO[bytes] | gzip.GzipFile, max_line_bytes: int
) -> Iterator[tuple[int, bytes | RowError]]:
    """Raw lines with their 1-based numbers; an over-long line becomes a ``RowError``, and so
    does damaged gzip data (which ends the file: nothing after it can be read)."""
    number = 0
    while True:
        try:
            raw = stream.readline(max_line_bytes + 1)
            if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
                # Drain the rest of the line without keeping it.
                while True:
                    rest = stream.readline(_SKIP_CHUNK)
                    if not rest or rest.endswith(b"\n"):
                        break
        except (OSError, EOFError, zlib.error) as exc:
            # gzip raises BadGzipFile (an OSError), EOFError when cut short, zlib.error.
            if not isinstance(stream, gzip.GzipFile):
                raise
            yield number + 1, RowError(number + 1, None, f"the gzip data is damaged: {exc}")
            return
        if not raw:
            return
        number += 1
        if len(raw) > max_line_bytes and not raw.endswith(b"\n"):
            mib = max_line_bytes / (1024 * 1024)
            limit = f"{mib:g} MB" if mib >= 1 else f"{max_line_bytes} bytes"
            yield number, RowError(number, None, f"the line is longer than the limit of {limit}")
            continue
        yield number, raw


def _decode(raw: bytes, number: int) -> str | RowError:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RowError(
            number, None, f"not valid UTF-8 (byte {exc.start + 1} of the line); save as UTF-8"
        )
    if number == 1:
        text = text.removeprefix("\ufeff")
    return text


def read_jsonl(source: ImportSource, *, max_line_bytes: int) -> Iterator[Row | RowError]:
    """One JSON object per line; blank lines are skipped."""
    seen_rows = False
    for number, raw in _physical_lines(_binary(source), max_line_bytes):
        if isinstance(raw, RowError):
            seen_rows = True
            yield raw
            continue
        text = _decode(raw, number)
        if isinstance(text, RowError):
            seen_rows = True
            yield text
            continue
        if not text.strip():
            continue
        seen_rows = True
        value = _json_line(text, number)
        if isinstance(value, RowError):
            yield value
            continue
        if not isinstance(value, dict):
            hint = " (a JSON array file is not JSON Lines)" if isinstance(value, list) else ""
            yield RowError(number, None, f"expected a JSON object on each line{hint}")
            continue
        # JSON text holds NUL characters and surrogates only as \u escapes (json.loads refuses
        # them raw, and the line was strict UTF-8), and deep nesting only with many brackets:
        # most rows need no walk.
        if _SUSPECT_ESCAPE.search(text) or text.count("[") + text.count("{") > MAX_DEPTH:
            problem = unstorable(value)
            if problem is not None:
                yield RowError(number, *problem)
                continue
        yield number, value
    if not seen_rows:
        yield RowError(0, None, "the file is empty: expected one JSON object per line")


def _json_line(text: str, number: int) -> Any:
    """One line's JSON value, or a ``RowError`` saying why it is not JSON."""
    try:
        return load_json(text)
    except InvalidJson as exc:
        return RowError(number, None, str(exc))


def csv_cell(value: str) -> Any:
    """A CSV cell: JSON when it looks like an object or a list and parses, else the text."""
    stripped = value.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return load_json(stripped)
        except InvalidJson:  # not JSON after all: the text it is
            return value
    return value


def _checked(line: int, row: dict[str, Any]) -> Row | RowError:
    """The row, or a ``RowError`` when it holds what cannot be stored (see ``unstorable``)."""
    problem = unstorable(row)
    return (line, row) if problem is None else RowError(line, *problem)


class _DecodedLines:
    """Text lines for ``csv.reader``, remembering which lines were bad (by number)."""

    def __init__(self, stream: IO[bytes] | gzip.GzipFile, max_line_bytes: int) -> None:
        self._lines = _physical_lines(stream, max_line_bytes)
        self.errors: dict[int, RowError] = {}
        self.number = 0

    def __iter__(self) -> _DecodedLines:
        return self

    def __next__(self) -> str:
        self.number, raw = next(self._lines)
        if isinstance(raw, RowError):
            self.errors[self.number] = raw
            return "\n"
        text = _decode(raw, self.number)
        if isinstance(text, RowError):
            self.errors[self.number] = text
            return codecs.decode(raw, "utf-8", errors="replace")
        return text


def read_csv(source: ImportSource, *, max_line_bytes: int) -> Iterator[Row | RowError]:
    """A header row, then one row per record. Line numbers are lines in the file."""
    csv.field_size_limit(max(max_line_bytes, csv.field_size_limit()))
    lines = _DecodedLines(_binary(source), max_line_bytes)
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows = 0
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield RowError(lines.number, None, f"unreadable CSV: {exc}")
            return
        end = lines.number
        bad = [lines.errors.pop(n) for n in range(start, end + 1) if n in lines.errors]
        line, start = start, end + 1
        if bad:
            yield from bad
            if header is None:
                return
            continue
        if header is None:
            if not any(cell.strip() for cell in cells):
                continue
            header = [cell.strip() for cell in cells]
            problem = _header_problem(header)
            if problem:
                yield RowError(line, None, problem)
                return
            continue
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if len(cells) != len(header):
            yield RowError(
                line, None, f"the row has {len(cells)} cells but the header has {len(header)}"
            )
            continue
        yield _checked(
            line, {name: csv_cell(cell) for name, cell in zip(header, cells, strict=True)}
        )
    if header is None:
        yield RowError(0, None, "the file is empty: expected a header row and data rows")
    elif rows == 0:
        yield RowError(1, None, "the file has a header but no data rows")


def _header_problem(header: list[str]) -> str | None:
    if any(not name for name in header):
        return "the header has an empty column name"
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return f"the header repeats column {duplicates[0]!r}"
    return None


def read_parquet(source: ImportSource) -> Iterator[Row | RowError]:
    """Rows of a Parquet file, batch by batch; nested columns become lists and dicts."""
    import pyarrow.parquet as pq  # noqa: PLC0415  # heavy; only loaded for Parquet files

    if _is_gzip(source.stream):
        yield RowError(0, None, "a gzip-compressed Parquet file is not supported; upload it as is")
        return
    try:
        parquet = pq.ParquetFile(source.stream)
    except Exception as exc:  # pyarrow raises several types for a bad file
        yield RowError(0, None, f"not a readable Parquet file: {exc}")
        return
    index = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for row in batch.to_pylist():
                index += 1
                yield _checked(index, row)
    except Exception as exc:  # as above
        yield RowError(index + 1, None, f"unreadable Parquet data: {exc}")
        return
    if index == 0:
        yield RowError(0, None, "the file is empty: the Parquet file has no rows")


def read_rows(
    source: ImportSource, *, file_type: str, max_line_bytes: int
) -> Iterator[Row | RowError]:
    """Rows of one file of a known type."""
    if file_type == "jsonl":
        return read_jsonl(source, max_line_bytes=max_line_bytes)
    if file_type == "csv":
        return read_csv(source, max_line_bytes=max_line_bytes)
    return read_parquet(source)
