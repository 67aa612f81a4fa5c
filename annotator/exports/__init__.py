"""Dataset export: the rows each format holds, how labels are aggregated, and the files.

* ``options``: the export's settings, validated against the project's questions;
* ``source``: the project read a chunk of items at a time (and judges' labels through a
  provider the ``judges`` app registers);
* ``pairs`` and ``scores``: aggregation of people's answers (pairs of candidates; rankings,
  ratings and rubric scores);
* ``formats``: the rows and Arrow schema of each format;
* ``writers``: JSONL, Parquet, CSV and Hugging Face ``datasets`` folders, with the content hash;
* ``raw``: the raw format (everything, for audit and moving a project);
* ``build``: the pipeline that ties them together (``annotator.services.exports`` runs it).

See docs/exports.md for the formats and options.
"""
