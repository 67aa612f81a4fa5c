"""Item import: reading JSONL, CSV and Parquet files in Moot's layout or a public one.

Plain Python, no ORM; ``annotator.services.imports`` writes what this package parses.

* ``readers`` stream ``(line, row)`` pairs out of files (gzip optional), never the whole file;
* ``layouts`` turn a row of a known layout (native, trl, hh, ultrafeedback, arena) into an
  item draft, and ``mapping`` does the same for any other layout through a field mapping;
* ``raw`` reads a project's raw export: native items plus their annotations, with history and
  reviews (checked against the project's questions by ``raw.check_answers``);
* ``base.finish_item`` assigns external ids and candidate keys and validates the result as a
  ``NativeItem``;
* ``pipeline.ItemStream`` ties them together and yields ``ParsedItem`` or ``RowError``;
* ``labels`` turns labels found in the source into answers for a reference annotator.

See README-import.md in this folder for the layouts and the mapping schema.
"""

from annotator.importers.base import ParsedItem, ReferenceLabels, RowError
from annotator.importers.labels import reference_answers
from annotator.importers.mapping import ItemMapping
from annotator.importers.pipeline import FORMATS, ItemStream
from annotator.importers.readers import FILE_TYPES, ImportSource

__all__ = [
    "FILE_TYPES",
    "FORMATS",
    "ImportSource",
    "ItemMapping",
    "ItemStream",
    "ParsedItem",
    "ReferenceLabels",
    "RowError",
    "reference_answers",
]
