"""Fuzzing the import: whatever bytes come in, a clean import or a refusal with messages comes out.

The property, for every input: ``items_import`` (what the API and the command call) either
returns a result whose item count matches the rows written, or raises ``ImportFailed`` whose
errors all carry a message, having written nothing at all (items, candidates, annotations, their
history and reviews, users). Any other exception is a bug. Through the API the same inputs give
200 or 400 with a JSON list of errors, never 500. Inputs come from ``fuzzing``: random bytes, and
valid files of every layout and file type with values or bytes broken.

Runs are derandomized and keep no example database, so CI sees the same examples every time.
Each failure the fuzzing found is kept below as a plain test.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from annotator.importers import FORMATS, ImportSource
from annotator.models import Annotation, AnnotationVersion, Candidate, Item, Project, Review, Role
from annotator.services.imports import ImportFailed, ImportResult, items_import
from tests.annotator.importers.fuzzing import (
    FUZZ_QUESTIONS,
    SEEDS,
    WRITERS,
    Case,
    FileSpec,
    as_csv,
    as_jsonl,
    mapping_case,
    seed_file,
    seed_rows,
)
from tests.annotator.importers.test_import_api import as_user, url
from tests.annotator.importers.test_raw_import import raw_rows
from tests.factories import member, new_project

pytestmark = pytest.mark.django_db


def fuzz(examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings for CI: a fixed number of examples, reproducible, nothing on disk."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,  # one project for all examples is intended
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def table_counts() -> dict[str, int]:
    return {
        "items": Item.objects.count(),
        "candidates": Candidate.objects.count(),
        "annotations": Annotation.objects.count(),
        "versions": AnnotationVersion.objects.count(),
        "reviews": Review.objects.count(),
        "users": User.objects.count(),
    }


def _tally(outcome: str) -> None:
    """Count outcomes for ``--hypothesis-show-statistics`` (a plain test has none to count)."""
    if currently_in_test_context():
        event(outcome)


def import_or_refuse(
    project: Project, files: list[FileSpec], options: dict[str, Any]
) -> ImportResult | ImportFailed:
    """Import ``files``; assert the outcome is a clean import or a refusal that wrote nothing."""
    before = table_counts()
    sources = [ImportSource(name, io.BytesIO(body)) for name, body in files]
    outcome: ImportResult | ImportFailed
    try:
        outcome = items_import(project=project, files=sources, **options)
    except ImportFailed as failed:
        outcome = failed
    if isinstance(outcome, ImportFailed):
        assert outcome.errors, "a refusal names at least one error"
        assert all(e.message.strip() for e in outcome.errors), outcome.as_list()
        assert table_counts() == before, outcome.as_list()
        _tally("refused")
        return outcome
    assert table_counts()["items"] == before["items"] + outcome.created
    read_back(project)
    _tally("imported")
    return outcome


def read_back(project: Project) -> None:
    """Read every row of the project: what was written must load (a time psycopg cannot turn
    back into a datetime, say, would break every later page and export)."""
    for rows in (
        Item.objects.filter(project=project),
        Candidate.objects.filter(item__project=project),
        Annotation.objects.filter(project=project),
        AnnotationVersion.objects.filter(annotation__project=project),
        Review.objects.filter(annotation__project=project),
    ):
        list(rows.values())


def refusal(outcome: ImportResult | ImportFailed) -> list[dict[str, Any]]:
    return outcome.as_list() if isinstance(outcome, ImportFailed) else []


@pytest.fixture
def target() -> Project:
    return new_project(questions=FUZZ_QUESTIONS)


@fuzz(200)
@given(
    body=st.binary(max_size=512),
    name=st.sampled_from(["f.jsonl", "f.csv", "f.parquet", "f.jsonl.gz", "f.csv.gz"]),
    format=st.sampled_from(FORMATS),
)
def test_arbitrary_bytes_import_cleanly_or_are_refused(
    target: Project, body: bytes, name: str, format: str
) -> None:
    options: dict[str, Any] = {"format": format}
    if format == "mapping":
        options["mapping"] = {"prompt": "p", "candidates": [{"text": "a"}, {"text": "b"}]}
    import_or_refuse(target, [(name, body)], options)


@pytest.mark.parametrize("layout", [name for name, _, _ in SEEDS])
@fuzz(80)
@given(data=st.data())
def test_mutated_values_import_cleanly_or_are_refused(layout: str, data: st.DataObject) -> None:
    case = data.draw(seed_file(mutate_values=True, mangle_bytes=False, layout=layout))
    # A project of its own each time: in one that already holds the seed's items and
    # annotations, a changed annotation would be left as it is, never written.
    import_or_refuse(new_project(questions=FUZZ_QUESTIONS), *case)


@fuzz(500)
@given(case=seed_file(mutate_values=False, mangle_bytes=True))
def test_mangled_files_import_cleanly_or_are_refused(target: Project, case: Case) -> None:
    import_or_refuse(target, *case)


@fuzz(150)
@given(case=mapping_case())
def test_any_mapping_imports_cleanly_or_is_refused(target: Project, case: Case) -> None:
    import_or_refuse(target, *case)


def test_unmutated_seeds_import_cleanly(target: Project) -> None:
    """The seeds are valid, so the mutations above start from files that import."""
    for name, rows, options in SEEDS:
        for file_type, write in WRITERS.items():
            outcome = import_or_refuse(target, [(f"{name}.{file_type}", write(rows))], options)
            assert isinstance(outcome, ImportResult), (name, file_type, refusal(outcome))


@fuzz(80)
@given(
    case=st.one_of(
        seed_file(mutate_values=True, mangle_bytes=False),
        seed_file(mutate_values=False, mangle_bytes=True),
    )
)
def test_the_api_answers_200_or_400_never_500(target: Project, case: Case) -> None:
    files, options = case
    client = as_user(member(target, Role.MANAGER))
    form: dict[str, Any] = {"file": [SimpleUploadedFile(n, b) for n, b in files]}
    for key, value in options.items():
        form[key] = value if isinstance(value, str) else json.dumps(value)
    response = client.post(url(target), form, format="multipart")
    assert response.status_code in (200, 400), response.content[:500]
    if response.status_code == 400:
        errors = response.json()["errors"]
        assert errors
        assert all(e["message"] for e in errors)


# ---------------------------------------------------------------------------------------------
# What the fuzzing found, kept as plain cases: each crashed the import (a 500 through the API)
# before it was fixed. A refusal names the line and the field.


def native_row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "external_id": "n1",
        "prompt": "Which is right?",
        "candidates": [{"id": "a", "text": "this"}, {"id": "b", "text": "that"}],
    }
    return {**row, **fields}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def native_with_meta(meta: str) -> bytes:
    """A native row whose meta is the JSON text given (too deep for ``json.dumps`` here)."""
    return json.dumps(native_row())[:-1].encode() + f', "meta": {meta}}}\n'.encode()


def parquet(rows: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), out)
    return out.getvalue()


GZIPPED = gzip.compress(as_jsonl([native_row(), native_row(external_id="n2")]))
UF_ROW = {
    "instruction": "Say hi",
    "completions": [
        {"response": "hi", "overall_score": 10**400},
        {"response": "hello", "overall_score": 3},
    ],
}
# Imported, but then every read of the annotation failed: in UTC it falls in year 0.
ANNOTATION_IN_YEAR_0 = {
    "annotator": "early-bird",
    "status": "submitted",
    "answers": {"pref": {"winner": "a"}},
    "display_order": ["a", "b"],
    "created_at": "0001-01-01T00:00:00+14:00",
}
CANDIDATE_FROM_FILE = {"text": "response", "model": {"file_name": True}}
MAPPING = {
    "prompt": "q",
    "candidates": [{"text": "x", "ratings": {"overall": "s"}}, {"text": "y"}],
}


@pytest.mark.parametrize(
    ("files", "options", "expected"),
    [
        pytest.param(
            [("cut.jsonl.gz", GZIPPED[: len(GZIPPED) // 2])],
            {},
            (1, None, "the gzip data is damaged"),
            id="gzip-cut-short",
        ),
        pytest.param(
            [("bad.csv.gz", b"\x1f\x8b\x00not gzip at all")],
            {},
            (1, None, "the gzip data is damaged"),
            id="gzip-bad-header",
        ),
        pytest.param(
            [("big.jsonl", b'{"prompt": ' + b"9" * 5000 + b"}\n")],
            {},
            (1, None, "invalid JSON: a number has more than 4300 digits"),
            id="jsonl-integer-over-4300-digits",
        ),
        pytest.param(
            [("deep.jsonl", f'{{"prompt": {nested(5000)}}}\n'.encode())],
            {},
            (1, None, "invalid JSON: nested more than 100 levels deep"),
            id="jsonl-nesting-too-deep-to-parse",
        ),
        pytest.param(
            [("deep.jsonl", native_with_meta(f'{{"x": {nested(950)}}}'))],
            {},
            (1, "meta", "nested more than 100 levels deep"),
            id="jsonl-nesting-over-the-limit",
        ),
        pytest.param(
            [
                (
                    "nul.jsonl",
                    as_jsonl([native_row(), native_row(external_id="n2", meta={"k": "a\x00"})]),
                )
            ],
            {},
            (2, "meta.k", "contains a NUL character"),
            id="jsonl-nul-in-meta",
        ),
        pytest.param(
            [
                (
                    "nul.jsonl",
                    as_jsonl(
                        [
                            native_row(
                                candidates=[{"id": "a", "text": "\x00"}, {"id": "b", "text": "b"}]
                            )
                        ]
                    ),
                )
            ],
            {},
            (1, "candidates.0.text", "contains a NUL character"),
            id="jsonl-nul-in-candidate-text",
        ),
        pytest.param(
            [("surrogate.jsonl", as_jsonl([native_row(prompt="half \ud83d of a pair")]))],
            {},
            (1, "prompt", "contains an unpaired surrogate (\\ud83d)"),
            id="jsonl-lone-surrogate",
        ),
        pytest.param(
            [("nul.csv", b"prompt,chosen,rejected\nq,good\x00,bad\n")],
            {},
            (2, "chosen", "contains a NUL character"),
            id="csv-raw-nul",
        ),
        pytest.param(
            [("nul.parquet", parquet([{"prompt": "q", "chosen": "c", "rejected": "r\x00"}]))],
            {},
            (1, "rejected", "contains a NUL character"),
            id="parquet-nul",
        ),
        pytest.param(
            [
                (
                    "arena.jsonl",
                    as_jsonl(
                        [
                            {
                                **seed_rows("arena")[0],
                                "winner": ["model_a"],
                            }
                        ]
                    ),
                )
            ],
            {},
            (1, "winner", "winner must be one of"),
            id="arena-winner-not-text",
        ),
        pytest.param(
            [("m.jsonl", b'{"q": "p", "x": "a", "y": "b"}\n')],
            {"mapping": '{"prompt": "q", "gold": ' + "1" * 5000 + "}"},
            (0, "mapping", "invalid JSON: a number has more than 4300 digits"),
            id="mapping-integer-over-4300-digits",
        ),
        pytest.param(
            [("m.jsonl", b'{"q": "p", "x": "a", "y": "b"}\n')],
            {"mapping": {**MAPPING, "meta": {"source": {"value": "\x00"}}}},
            (0, "mapping.meta.source.value", "contains a NUL character"),
            id="mapping-literal-nul",
        ),
        pytest.param(
            [("raw.csv", as_csv([{**raw_rows()[1], "meta": nested(5000)}]))],
            {"format": "raw"},
            (2, "meta", "expected JSON, got text that is not JSON"),
            id="raw-json-text-too-deep",
        ),
        pytest.param(
            [
                (
                    "raw.parquet",
                    parquet([{**raw_rows()[1], "annotations": [], "meta": '{"k": "\\u0000"}'}]),
                )
            ],
            {"format": "raw"},
            (1, "meta.k", "contains a NUL character"),
            id="raw-json-text-with-nul",
        ),
        pytest.param(
            [("raw.jsonl", as_jsonl([raw_rows()[1] | {"annotations": [ANNOTATION_IN_YEAR_0]}]))],
            {"format": "raw"},
            (1, "annotations[0].created_at", "is out of range (years 1 to 9999 in UTC)"),
            id="raw-time-before-year-1-in-utc",
        ),
        pytest.param(
            [("a\x00b.csv", as_csv(seed_rows("group_by")))],
            {"mapping": {"group_by": "pid", "prompt": "prompt", "candidate": CANDIDATE_FROM_FILE}},
            (2, "candidate.model", "the file name contains a NUL character"),
            id="mapping-file-name-with-nul",
        ),
        pytest.param(
            [("blob.parquet", parquet([native_row(meta={"blob": b"a\x00"})]))],
            {},
            (1, "meta.blob", "contains a NUL character"),
            id="parquet-binary-with-nul",
        ),
    ],
)
def test_a_file_that_crashed_the_import_is_refused_by_line_and_field(
    target: Project, files: list[FileSpec], options: dict[str, Any], expected: tuple[Any, ...]
) -> None:
    outcome = import_or_refuse(target, files, options)

    errors = refusal(outcome)
    assert errors, "expected a refusal"
    line, field, message = expected
    assert (errors[0]["line"], errors[0]["field"]) == (line, field), errors
    assert message in errors[0]["message"]


def test_a_csv_cell_too_deep_to_parse_as_json_stays_text(target: Project) -> None:
    prompt = nested(5000)
    body = as_csv([{"prompt": prompt, "chosen": "c", "rejected": "r"}])

    outcome = import_or_refuse(target, [("deep.csv", body)], {})

    assert isinstance(outcome, ImportResult), refusal(outcome)
    assert Item.objects.get(project=target).prompt == prompt


@pytest.mark.parametrize(
    ("name", "body", "options"),
    [
        ("uf.jsonl", as_jsonl([UF_ROW]), {}),
        ("m.jsonl", b'{"q": "p", "x": "a", "y": "b", "s": NaN}\n', {"mapping": MAPPING}),
        ("m.jsonl", b'{"q": "p", "x": "a", "y": "b", "s": -Infinity}\n', {"mapping": MAPPING}),
        (
            "m.jsonl",
            b'{"q": "p", "x": "a", "y": "b", "s": 1' + b"0" * 400 + b"}\n",
            {"mapping": MAPPING},
        ),
    ],
    ids=["ultrafeedback-huge", "mapping-nan", "mapping-infinite", "mapping-huge"],
)
def test_a_rating_that_is_not_a_finite_float_is_no_rating(
    target: Project, name: str, body: bytes, options: dict[str, Any]
) -> None:
    outcome = import_or_refuse(target, [(name, body)], options)

    assert isinstance(outcome, ImportResult), refusal(outcome)
    rated = Candidate.objects.filter(item__project=target, meta__has_key="ratings")
    assert [c.meta["ratings"] for c in rated] == ([{"overall": 3.0}] if name == "uf.jsonl" else [])


def test_nan_in_a_raw_history_is_dropped_not_stored(target: Project) -> None:
    rows = raw_rows()
    rows[0]["annotations"][0]["history"][0]["answers"]["note"] = float("nan")

    outcome = import_or_refuse(target, [("raw.jsonl", as_jsonl(rows))], {"format": "raw"})

    assert isinstance(outcome, ImportResult), refusal(outcome)
    first = AnnotationVersion.objects.get(
        annotation__annotator__username="ann-edited", annotation__item__external_id="q1", version=1
    )
    assert first.answers == {"pref": {"winner": "b"}}


def test_the_api_escapes_a_surrogate_in_a_field_name(target: Project) -> None:
    upload = SimpleUploadedFile("s.jsonl", as_jsonl([native_row(meta={"bad\udc80": 1})]))

    response = as_user(member(target, Role.OWNER)).post(
        url(target), {"file": upload}, format="multipart"
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "meta.bad\\udc80"
    assert error["message"].startswith("the name contains an unpaired surrogate")
