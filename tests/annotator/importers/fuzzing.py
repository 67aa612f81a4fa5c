"""Inputs for fuzzing the import: valid seed files of every layout, and ways to break them.

Seeds are two valid rows of each layout (native, raw, trl, hh, ultrafeedback, arena, a mapping,
a group_by mapping), written as JSONL, CSV or Parquet. ``mutated`` changes values (wrong types,
NUL characters, lone surrogates, huge and non-finite numbers, deep nesting, missing and extra
fields, long text); ``mangled`` changes bytes (truncation, bit flips, invalid UTF-8, BOMs,
duplicate keys, nesting too deep to parse, gzip cut short).
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from tests.annotator.importers.files import trl_rows
from tests.annotator.importers.test_raw_import import QUESTIONS, raw_rows, with_json_text

# Questions every layout's labels and the raw seed's answers can fill in.
FUZZ_QUESTIONS = [
    *QUESTIONS,
    {
        "id": "quality",
        "kind": "rating",
        "required": False,
        "dimensions": [{"id": "overall", "min": 1, "max": 10}],
    },
]

# ---------------------------------------------------------------------------------------------
# Seeds: two valid rows of every layout, with the format and mapping to import them.

Seed = tuple[str, list[dict[str, Any]], dict[str, Any]]


def _chat(*turns: str) -> list[dict[str, str]]:
    roles = ("user", "assistant")
    return [{"role": roles[i % 2], "content": text} for i, text in enumerate(turns)]


def _seeds() -> list[Seed]:
    native = [
        {
            "external_id": f"n{i}",
            "prompt": f"What is {i} + {i}?",
            "candidates": [
                {"id": "a", "text": str(2 * i), "model": "m1", "meta": {"tokens": 1}},
                {"id": "b", "text": "five", "model": "m2"},
            ],
            "meta": {"topic": "sums"},
            "rubric": [{"id": "right", "text": "Is it right?"}],
            "gold": {"pref": {"winner": "a"}} if i == 0 else None,
        }
        for i in range(2)
    ]
    hh = [
        {
            "chosen": f"\n\nHuman: hi {i}\n\nAssistant: hello",
            "rejected": f"\n\nHuman: hi {i}\n\nAssistant: go away",
        }
        for i in range(2)
    ]
    ultrafeedback = [
        {
            "instruction": f"Write a haiku about {topic}",
            "completions": [
                {
                    "response": f"{topic} haiku {j}",
                    "model": f"m{j}",
                    "annotations": {"helpfulness": {"Rating": str(j + 3)}},
                    "overall_score": 4.5 + j,
                }
                for j in range(3)
            ],
        }
        for topic in ("rain", "snow")
    ]
    arena = [
        {
            "question_id": f"arena-{i}",
            "conversation_a": _chat(f"ask {i}", "answer a"),
            "conversation_b": _chat(f"ask {i}", "answer b"),
            "model_a": "x",
            "model_b": "y",
            "winner": ("model_a", "tie (bothbad)")[i],
        }
        for i in range(2)
    ]
    fixed = [
        {
            "uid": f"u{i}",
            "q": {"text": f"question {i}"},
            "answers": [{"text": f"yes {i}", "score": 8}, {"text": f"no {i}", "score": 3}],
            "preferred": "b",
        }
        for i in range(2)
    ]
    fixed_mapping = {
        "external_id": "uid",
        "prompt": "q.text",
        "candidates": [
            {
                "text": f"answers.{j}.text",
                "model": {"value": f"m{j}"},
                "ratings": {"overall": f"answers.{j}.score"},
            }
            for j in range(2)
        ],
        "winner": "preferred",
    }
    grouped = [
        {"pid": f"p{i // 2}", "prompt": f"prompt {i // 2}", "response": f"r{i}"} for i in range(4)
    ]
    grouped_mapping = {
        "group_by": "pid",
        "prompt": "prompt",
        "candidate": {"text": "response", "model": {"file_name": True}},
    }
    return [
        ("native", native, {}),
        ("raw", raw_rows(), {"format": "raw"}),
        ("raw-json-text", with_json_text(raw_rows()), {"format": "raw"}),
        ("trl", trl_rows(2), {"reference_annotator": "reference-bot"}),
        ("trl-chat", trl_rows(2, conversational=True), {"format": "trl"}),
        ("hh", hh, {"format": "auto"}),
        ("ultrafeedback", ultrafeedback, {"reference_annotator": "reference-bot"}),
        ("arena", arena, {"reference_annotator": "reference-bot"}),
        ("mapping", fixed, {"mapping": json.dumps(fixed_mapping)}),
        ("group_by", grouped, {"format": "mapping", "mapping": grouped_mapping}),
    ]


SEEDS = _seeds()


def seed_rows(layout: str) -> list[dict[str, Any]]:
    """A copy of the seed rows of ``layout``."""
    return copy.deepcopy(next(rows for name, rows, _ in SEEDS if name == layout))


# ---------------------------------------------------------------------------------------------
# Writing rows as files, whatever they hold.


def _text_bytes(text: str) -> bytes:
    # Lone surrogates become the invalid UTF-8 a careless writer produces.
    return text.encode("utf-8", errors="surrogatepass")


def as_jsonl(rows: list[Any], *, ascii_only: bool = True) -> bytes:
    text = "".join(json.dumps(r, ensure_ascii=ascii_only, default=str) + "\n" for r in rows)
    return _text_bytes(text)


def _cell(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, default=str)
    return "" if value is None else str(value)


def as_csv(rows: list[Any]) -> bytes:
    records = [r if isinstance(r, dict) else {"value": r} for r in rows]
    columns = list(dict.fromkeys(key for r in records for key in r))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(c)) for c in columns])
    return _text_bytes(out.getvalue())


def _json_column(values: list[Any]) -> pa.Array:
    # What Parquet cannot type goes in as JSON text, as a raw export writes free-form fields.
    text = [None if v is None else json.dumps(v, default=str) for v in values]
    return pa.array(text, pa.string())


def _column(values: list[Any]) -> pa.Array:
    try:
        return pa.array(values)
    except (pa.ArrowException, OverflowError, TypeError, ValueError, UnicodeError):
        return _json_column(values)


def as_parquet(rows: list[Any]) -> bytes:
    records = [r if isinstance(r, dict) else {"value": r} for r in rows]
    columns = list(dict.fromkeys(key for r in records for key in r)) or ["value"]
    values = {c: [r.get(c) for r in records] for c in columns}
    out = io.BytesIO()
    try:
        pq.write_table(pa.table({c: _column(v) for c, v in values.items()}), out)
    except pa.ArrowException:  # e.g. a struct with no fields, which Parquet cannot hold
        out = io.BytesIO()
        pq.write_table(pa.table({c: _json_column(v) for c, v in values.items()}), out)
    return out.getvalue()


WRITERS: dict[str, Callable[[list[Any]], bytes]] = {
    "jsonl": as_jsonl,
    "csv": as_csv,
    "parquet": as_parquet,
}

# ---------------------------------------------------------------------------------------------
# Value-level mutations: replace, drop or add one value somewhere in the rows.


def _deep(depth: int) -> Any:
    value: Any = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"d": value}
    return value


NASTY_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**31,
    2**63,
    10**400,
    -(10**30),
    1.5,
    float("nan"),
    float("inf"),
    -float("inf"),
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\ufeff",
    "N/A",
    "tie",
    "model_a",
    "a",
    "submitted",
    "2024-13-45",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "\n\nHuman: hi\n\nAssistant: there",
    '{"winner": "a"}',
    '{"k": "\\u0000"}',
    '{"pref": {"winner": NaN}}',
    "[" * 3000,
    "[1, 2",
    [],
    {},
    [None],
    {"": None},
    ["a", "a"],
    [{"role": "user", "content": "hi"}],
    {"role": "user", "content": "\x00"},
    "x" * 300,
    "y" * 200_000,
    _deep(60),
    # What Parquet adds (the text writers write them as text).
    b"a\x00\xff",
    Decimal("1e400"),
    date(1, 1, 1),
    datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
]
JSON_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12))
NASTY = st.one_of(
    # A copy each time: a later mutation may change the value in place.
    st.sampled_from(NASTY_VALUES).map(copy.deepcopy),
    st.recursive(
        JSON_LEAVES,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
        ),
        max_leaves=6,
    ),
)
KEYS = st.sampled_from(
    ["id", "prompt", "candidates", "annotations", "chosen", "rejected", "winner", "text", "x", ""]
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as a tuple of keys and indexes."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def _text_variants(value: str) -> list[Any]:
    out = [value + "\x00", value[:1] + "\ud800", value[:100] * 2000, "", 7, float("nan")]
    if value[:4].isdigit():  # a time: mostly the edges of the calendar
        return ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", value + "x", *out]
    if value[:1] in ("{", "["):  # JSON text: mostly JSON text that breaks something
        return ['{"k": "\\u0000"}', '{"k": NaN}', "[" * 3000, "1" * 5000, value[:-1], *out]
    return out


def variants(value: Any) -> list[Any]:
    """Values close to ``value``: the rest of the row stays valid, so checks further on run."""
    if isinstance(value, bool) or value is None:
        return [not value, "true", 1, {}, []]
    if isinstance(value, int | float):
        return [10**400, -value - 1, 2**31, 0.5, float("nan"), float("inf"), str(value)]
    if isinstance(value, str):
        return _text_variants(value)
    if isinstance(value, list):
        return [[], [None], value * 30, value[:1], value[::-1]]
    if isinstance(value, dict):
        return [{}, {"": None}, {**value, "extra": 1}, list(value)]
    return [None, str(value)]  # bytes, dates, decimals


def mutated(draw: st.DrawFn, rows: list[Any]) -> list[Any]:
    """A copy of ``rows`` with one to three values replaced (by a variant or anything),
    removed or added."""
    rows = copy.deepcopy(rows)
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        places = _paths(rows)
        if not places:
            break
        # A field name first, then one place it occurs: a rare field is as likely as the
        # message contents that fill a chat.
        names = sorted({str(path[-1]) for path in places})
        name = draw(st.sampled_from(names))
        path = draw(st.sampled_from([p for p in places if str(p[-1]) == name]))
        *parent_path, last = path
        parent: Any = rows
        for step in parent_path:
            parent = parent[step]
        action = draw(st.sampled_from(["variant", "variant", "replace", "delete", "add"]))
        if action == "variant":
            parent[last] = copy.deepcopy(draw(st.sampled_from(variants(parent[last]))))
        elif action == "replace":
            parent[last] = draw(NASTY)
        elif action == "delete":
            del parent[last]
        elif isinstance(parent[last], dict):
            parent[last][draw(KEYS)] = draw(NASTY)
        elif isinstance(parent[last], list):
            parent[last].append(draw(NASTY))
    return rows


# ---------------------------------------------------------------------------------------------
# Byte-level mutations of a written file.

TOKENS = [
    b"\x00",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\\u0000",
    b"\\ud800",
    b"9" * 5000,
    b"1e999",
    b"NaN",
    b"-Infinity",
    b"[" * 3000,
    b'{"a":' * 2000,
    b"\r",
    b"\n",
    b'"',
    b",",
    b"\\",
    b'"prompt": 1, "prompt": "again", ',
    b'"candidates": 7, ',
    b"\x1f\x8b",
]


@st.composite
def mangled(draw: st.DrawFn, body: bytes) -> bytes:
    """``body`` truncated, bit-flipped, with bytes inserted or removed, maybe gzip-wrapped."""
    data = bytearray(body)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "line"]))
        if action == "truncate":
            del data[at:]
        elif action == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "line":
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            data = bytearray(b"\n".join(lines))
    if draw(st.integers(0, 5)) == 0:
        packed = gzip.compress(bytes(data))
        data = bytearray(packed[: draw(st.integers(2, len(packed)))])
    return bytes(data)


FileSpec = tuple[str, bytes]
Case = tuple[list[FileSpec], dict[str, Any]]


@st.composite
def seed_file(
    draw: st.DrawFn, *, mutate_values: bool, mangle_bytes: bool, layout: str | None = None
) -> Case:
    """One seed layout (``layout``, or any) written in one file type, mutated as asked."""
    _, rows, options = draw(st.sampled_from([s for s in SEEDS if layout in (None, s[0])]))
    file_type = draw(st.sampled_from(sorted(WRITERS)))
    # The name matters too: a group_by mapping can take the model name from it.
    stem = draw(st.just("rows") | st.text(max_size=20))
    if mutate_values:
        rows = mutated(draw, rows)
    body = WRITERS[file_type](rows)
    if mangle_bytes:
        body = draw(mangled(body))
    return [(f"{stem}.{file_type}", body)], dict(options)


@st.composite
def mapping_case(draw: st.DrawFn) -> Case:
    """A mapping seed's file with its mapping replaced: random text, random JSON, or the
    seed's own mapping with values changed."""
    _, rows, options = draw(st.sampled_from([s for s in SEEDS if "mapping" in s[2]]))
    file_type = draw(st.sampled_from(sorted(WRITERS)))
    mapping = options["mapping"]
    if isinstance(mapping, str):
        mapping = json.loads(mapping)
    how = draw(st.sampled_from(["text", "json", "changed"]))
    if how == "text":
        text = draw(st.text(max_size=40))
    elif how == "json":
        text = json.dumps(draw(NASTY), default=str)
    else:
        changed = mutated(draw, [mapping])
        text = json.dumps(changed[0] if changed else {}, default=str)
    return [(f"rows.{file_type}", WRITERS[file_type](rows))], {"format": "mapping", "mapping": text}
