"""Writing export rows to a file, a batch at a time, while hashing their content.

The content hash is the sha256 of the rows as JSON lines (the JSONL file's exact bytes), in
order, whatever file type is written: the same rows give the same hash in JSONL, Parquet, CSV
and Hugging Face folders, and a training run can name its data by it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.json as pa_json
import pyarrow.parquet as pq

# A Parquet row group holds this many rows, or fewer when their JSON passes ROW_GROUP_BYTES:
# Arrow's memory for a row group is several times its size, and it is what a Parquet export
# adds to the process's peak.
ROW_GROUP_ROWS = 2000
# zstd: text compresses about 25% better than with Arrow's default (snappy), for about 5% more
# export time (measured with bench/export.py).
PARQUET_COMPRESSION = "zstd"
ROW_GROUP_BYTES = 1 << 20
EXTENSIONS = {"jsonl": ".jsonl", "parquet": ".parquet", "csv": ".csv", "hf": ".tar"}
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "csv": "text/csv",
    "hf": "application/x-tar",
}


def json_line(row: dict[str, Any]) -> bytes:
    """One row as a JSON line: compact, UTF-8, keys in column order.

    orjson writes the same bytes as ``json.dumps(row, ensure_ascii=False, separators=(",",
    ":"))`` for these rows, at a small fraction of the cost (it dominates a large export).
    """
    return orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)


class RowWriter:
    """Writes rows to ``path`` as ``file_type``; ``content_sha256`` once closed."""

    def __init__(
        self,
        path: Path,
        file_type: str,
        schema: pa.Schema,
        arrow_row: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self.path = path
        self.file_type = file_type
        self.schema = schema
        self.arrow_row = arrow_row
        self.rows = 0
        self._hash = hashlib.sha256()
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._text: IO[bytes] | None = None
        self._csv: Any = None
        self._csv_file: IO[str] | None = None
        self._parquet: pq.ParquetWriter | None = None
        if file_type == "jsonl":
            self._text = path.open("wb")
        elif file_type == "csv":
            self._csv_file = path.open("w", encoding="utf-8", newline="")
            self._csv = csv.writer(self._csv_file)
            self._csv.writerow(schema.names)
        elif file_type == "parquet":
            self._parquet = pq.ParquetWriter(path, schema, compression=PARQUET_COMPRESSION)
        elif file_type == "hf":
            self._tmp = tempfile.TemporaryDirectory(prefix="moot-export-", dir=path.parent)
            self._parquet = pq.ParquetWriter(
                Path(self._tmp.name) / "rows.parquet", schema, compression=PARQUET_COMPRESSION
            )
        else:
            raise ValueError(f"unknown file type {file_type!r}")

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            line = json_line(row)
            self._hash.update(line)
            self.rows += 1
            if self._text is not None:
                self._text.write(line)
            elif self._csv is not None:
                self._csv.writerow([_cell(row.get(name)) for name in self.schema.names])
            else:
                self._batch.append(json_line(self.arrow_row(row)) if self.arrow_row else line)
                self._batch_bytes += len(self._batch[-1])
                if len(self._batch) >= ROW_GROUP_ROWS or self._batch_bytes >= ROW_GROUP_BYTES:
                    self._flush()

    def _flush(self) -> None:
        """Write the batch as one Parquet row group, parsed by Arrow from the JSON lines.

        Arrow's JSON reader builds the columns straight from the lines already serialised for
        the hash, with the schema given: no Python object per cell, and no pandas.
        """
        if self._batch and self._parquet is not None:
            data = b"".join(self._batch)
            table = pa_json.read_json(
                io.BytesIO(data),
                read_options=pa_json.ReadOptions(use_threads=False, block_size=len(data) + 1),
                parse_options=pa_json.ParseOptions(
                    explicit_schema=self.schema, unexpected_field_behavior="error"
                ),
            )
            if not table.schema.equals(self.schema):
                table = table.select(self.schema.names).cast(self.schema)
            self._parquet.write_table(table)
        self._batch = []
        self._batch_bytes = 0

    @property
    def content_sha256(self) -> str:
        return self._hash.hexdigest()

    def close(self, *, folder: Path | None = None) -> None:
        """Finish the file. For ``hf``, write the ``save_to_disk`` folder at ``folder`` (or a
        temporary one) and, unless ``folder`` is given, pack it into the tar at ``path``."""
        if self._text is not None:
            self._text.close()
        if self._csv_file is not None:
            self._csv_file.close()
        self._flush()
        if self._parquet is not None:
            self._parquet.close()
        if self._tmp is not None:
            try:
                self._save_to_disk(Path(self._tmp.name), folder)
            finally:
                self._tmp.cleanup()

    def abort(self) -> None:
        """Close whatever is open without finishing it (the caller removes the files)."""
        for handle in (self._text, self._csv_file):
            if handle is not None:
                handle.close()
        if self._parquet is not None:
            self._parquet.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def _save_to_disk(self, work: Path, folder: Path | None) -> None:
        # datasets is imported here only: the web process never writes these folders.
        import datasets  # noqa: PLC0415

        datasets.disable_progress_bars()
        dataset = datasets.Dataset.from_parquet(
            str(work / "rows.parquet"), cache_dir=str(work / "cache"), keep_in_memory=False
        )
        if not isinstance(dataset, datasets.Dataset):  # a streaming reader was configured
            raise TypeError(f"expected a Dataset, got {type(dataset).__name__}")
        # The fingerprint datasets derives here comes from the temporary path; make it the
        # content's, so the same rows give a byte-identical folder (and tar).
        dataset._fingerprint = self.content_sha256[:16]
        target = folder if folder is not None else work / "dataset"
        if folder is not None and folder.exists():
            shutil.rmtree(folder)
        dataset.save_to_disk(str(target))
        if folder is None:
            _tar(target, self.path)


def _tar(folder: Path, path: Path) -> None:
    """A tar of the folder with fixed metadata and sorted names, so equal files pack equally."""
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = tarfile.TarInfo(str(Path("dataset") / file.relative_to(folder)))
            info.size = file.stat().st_size
            info.mode = 0o644
            with file.open("rb") as handle:
                tar.addfile(info, handle)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
