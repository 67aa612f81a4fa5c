"""The embedding cache: each text is embedded once per encoder, whichever project asks.

Rows are keyed by (encoder digest, SHA-256 of the text), so an item imported into two projects,
or a candidate that reappears, costs one forward pass. Workers fill the cache as they train and
predict; the ``default`` queue (priorities, diversity) only reads it and never loads a model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from judges.models import Embedding

FloatMatrix = npt.NDArray[np.float32]
Embedder = Callable[[list[str]], FloatMatrix]

# Rows looked up per query: well under SQLite's 32,766 bound parameters.
_CHUNK = 900


def encoder_key(config: dict[str, Any]) -> str:
    """A digest of what changes an embedding: model, revision, pooling, length limit."""
    fields = {k: config.get(k) for k in ("encoder", "revision", "pooling", "max_length")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:40]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def prompt_text(prompt: Any) -> str:
    """An item's prompt as one text: a chat becomes "role: content" paragraphs."""
    if isinstance(prompt, str):
        return prompt
    return "\n\n".join(f"{m.get('role', 'user')}: {m.get('content', '')}" for m in prompt)


def embeddings_get(
    *, encoder: str, texts: Sequence[str], embed: Embedder | None = None
) -> tuple[FloatMatrix, npt.NDArray[np.bool_]]:
    """The cached embedding of each text (one row each, in order), computing the missing ones.

    With ``embed`` (a worker's encoder) every row is filled and stored; without it (a process
    with no model) the missing rows are zero and the returned mask says which rows are real.
    """
    hashes = [text_hash(t) for t in texts]
    found: dict[str, npt.NDArray[np.float32]] = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for digest, stored in Embedding.objects.filter(
            encoder=encoder, text_hash__in=chunk
        ).values_list("text_hash", "vector"):
            found[digest] = np.frombuffer(bytes(stored), dtype="<f4")
    missing = [h for h in unique if h not in found]
    if missing and embed is not None:
        first_text = dict(zip(hashes, texts, strict=True))
        vectors = embed([first_text[h] for h in missing])
        rows = []
        for digest, vector in zip(missing, vectors, strict=True):
            array = np.ascontiguousarray(vector, dtype="<f4")
            found[digest] = array
            rows.append(
                Embedding(encoder=encoder, text_hash=digest, dim=len(array), vector=array.tobytes())
            )
        # A concurrent worker may have stored the same text: theirs is the same vector.
        Embedding.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    dim = next((len(v) for v in found.values()), 0)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    mask = np.zeros(len(texts), dtype=bool)
    for row, digest in enumerate(hashes):
        vector = found.get(digest)
        if vector is not None:
            out[row] = vector
            mask[row] = True
    return out, mask
