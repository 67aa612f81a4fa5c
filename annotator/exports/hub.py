"""Pushing a finished export to the Hugging Face Hub, as a private dataset repository.

The file goes to ``data/train.<ext>`` (which ``datasets.load_dataset(repo_id)`` reads) with the
manifest beside it as ``moot_manifest.json``, in one commit. Runs only in workers and the
command line, and only when a token is configured (``MOOT_HF_TOKEN``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
PUSHABLE = {"jsonl": ".jsonl", "parquet": ".parquet", "csv": ".csv"}


class HubPushInvalid(ValueError):
    pass


def hub_check(repo_id: str, *, file_type: str, token: str) -> None:
    """Raise ``HubPushInvalid`` when a push of this export could not work."""
    if not token:
        raise HubPushInvalid("set MOOT_HF_TOKEN on the workers to push to the Hugging Face Hub")
    if not REPO_ID.match(repo_id):
        raise HubPushInvalid("expected a repository id like org/name")
    if file_type not in PUSHABLE:
        raise HubPushInvalid(f"the Hub takes {', '.join(PUSHABLE)} files; not {file_type}")


def hub_push(
    *,
    path: Path,
    file_type: str,
    manifest: dict[str, Any],
    repo_id: str,
    token: str,
    endpoint: str | None = None,
) -> str:
    """Upload the export and its manifest; return the commit's URL."""
    from huggingface_hub import CommitOperationAdd, HfApi  # noqa: PLC0415

    api = HfApi(token=token, endpoint=endpoint)
    api.create_repo(repo_id, repo_type="dataset", private=True, exist_ok=True)
    manifest_bytes = (json.dumps(manifest, indent=2) + "\n").encode()
    commit = api.create_commit(
        repo_id,
        [
            CommitOperationAdd(
                path_in_repo=f"data/train{PUSHABLE[file_type]}", path_or_fileobj=str(path)
            ),
            CommitOperationAdd(path_in_repo="moot_manifest.json", path_or_fileobj=manifest_bytes),
        ],
        commit_message=f"Moot export: {manifest['format']}, sha256 {manifest['content_sha256']}",
        repo_type="dataset",
    )
    return str(getattr(commit, "commit_url", ""))
