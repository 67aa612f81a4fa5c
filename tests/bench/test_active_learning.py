"""The active-learning simulation runs end to end, as documented, on a tiny encoder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.judges.tiny_models import build_encoder

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["MOOT_DATA_DIR"] = str(workdir)
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip


def test_the_simulation_reports_curves_and_labels_to_target(tmp_path: Path) -> None:
    data = tmp_path / "prefs.jsonl"
    made = run("bench.preference_data", "--out", str(data), "--pairs", "80", workdir=tmp_path)
    assert made.returncode == 0, made.stderr
    encoder = build_encoder(tmp_path / "encoder")
    plot = tmp_path / "curves.png"

    done = run(
        "bench.active_learning", "--data", str(data), "--encoder", str(encoder),
        "--strategy", "uncertainty", "--strategy", "uncertainty=0.5,diversity=0.5",
        "--budget", "30", "--batch", "10", "--repeats", "2", "--test-share", "0.25",
        "--target", "0.5", "--plot", str(plot), "--workdir", str(tmp_path / "db"),
        workdir=tmp_path,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert (report["pool"], report["test"], report["seeds"]) == (60, 20, [0, 1])
    assert list(report["strategies"]) == ["random", "uncertainty", "uncertainty=0.5,diversity=0.5"]
    for result in report["strategies"].values():
        assert [p["labels"] for p in result["curve"]] == [10, 20, 30]
        for point in result["curve"]:
            assert len(point["per_seed"]) == 2
            assert point["accuracy"] is None or 0 <= point["accuracy"] <= 1
        assert result["labels_to_target"] in {None, 10, 20, 30}
        assert set(result["vs_random_at_target"]) == {"saving", "at_least"}
        assert result["labels_to_random_final"] in {None, 10, 20, 30}
    assert report["strategies"]["random"]["labels_to_random_final"] == 30
    assert report["target_accuracy"] == 0.5
    assert 0 <= report["reference_accuracy"] <= 1
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_savings_are_exact_or_a_lower_bound() -> None:
    from bench.active_learning import saving  # noqa: PLC0415

    assert saving(100, 200, 600) == {"saving": 0.5, "at_least": False}
    # Random order never got there within 600 labels: it would need more, so at least 1/3.
    assert saving(400, None, 600) == {"saving": 0.333, "at_least": True}
    assert saving(None, 200, 600) == {"saving": None, "at_least": False}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--strategy", "judge_disagreement"], "other judges"),
        (["--strategy", "uncertainty=-1"], ">= 0"),
        (["--strategy", "random=0"], "every weight is zero"),
        (["--noise", "0.7"], "--noise"),
        (["--test-share", "1.5"], "between 0 and 1"),
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    done = run("bench.active_learning", "--data", "x.jsonl", *args, workdir=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
