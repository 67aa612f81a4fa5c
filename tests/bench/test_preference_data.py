"""The synthetic preference data of ``bench.preference_data``: layout, ground truth, CLI."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from bench import preference_data, preference_detailed
from bench import preference_words as words

generate = preference_data.generate
main = preference_data.main

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ("semantic", "detailed")
ATTRIBUTES = {
    "semantic": {"refusal", "relevance", "tone", "factual_error", "unsafe", "sentences"},
    "detailed": {
        "relevant_sentences",
        "off_topic_sentences",
        "over_length",
        "tone",
        "refusal",
        "factual_error",
        "filler_sentences",
        "drift_topic",
        "factual_error_kind",
    },
}
TRUTH = {
    "semantic": {
        "topic",
        "pair_kind",
        "modification",
        "chosen_utility",
        "rejected_utility",
        "chosen_attributes",
        "rejected_attributes",
        "flipped",
    },
}
TRUTH["detailed"] = TRUTH["semantic"] | {"brief_prompt"}
MODIFICATIONS = {
    "major": {"refusal", "off_topic", "rude", "factual_error", "unsafe"},
    "subtle": {"polite_to_neutral", "neutral_to_polite", "drifts_partly", "back_on_topic"},
}
# sha256 of the first 50 rows of the detailed profile as JSON Lines, computed before the
# semantic profile was added: the detailed profile must keep writing exactly these rows.
DETAILED_HASHES = {
    (0, 0.0, False): "6d8e78e67b055362cb6cfae3fe99908dcffe8a8792afd4224f2cd841b70bee56",
    (0, 0.3, True): "c09ac670f49a48d652c8f7d9421c70b21e6b493a9c7f61e33ec8f2f5baa3b2fc",
    (7, 0.0, False): "d136c85163bd610dd3f741585cedd54d76c978ecb580e0fa6d92fcf4c5ca363a",
}


@pytest.fixture(scope="module")
def all_rows() -> dict[str, list[dict[str, Any]]]:
    return {profile: generate(2000, 0, profile=profile) for profile in PROFILES}


@pytest.fixture(params=PROFILES)
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def rows(all_rows, profile):
    return all_rows[profile]


def semantic_utility(attributes: dict[str, Any]) -> float:
    features = {
        "refusal": attributes["refusal"],
        "off_topic": attributes["relevance"] == "off_topic",
        "partial": attributes["relevance"] == "partial",
        "unsafe": attributes["unsafe"],
        "factual_error": attributes["factual_error"],
        "rude": attributes["tone"] == "rude",
        "polite": attributes["tone"] == "polite",
    }
    weights = preference_data.SEMANTIC_WEIGHTS
    return float(sum(weight * features[name] for name, weight in weights))


def detailed_utility(attributes: dict[str, Any]) -> float:
    features = {
        "relevant_sentences": attributes["relevant_sentences"],
        "off_topic_sentences": attributes["off_topic_sentences"],
        "over_length": attributes["over_length"],
        "polite": attributes["tone"] == "polite",
        "rude": attributes["tone"] == "rude",
        "refusal": attributes["refusal"],
        "factual_error": attributes["factual_error"],
        "filler_sentences": attributes["filler_sentences"],
    }
    weights = preference_detailed.UTILITY_WEIGHTS
    return float(sum(weight * features[name] for name, weight in weights))


def jsonl_hash(rows: list[dict[str, Any]]) -> str:
    text = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_default_profile_is_semantic(all_rows):
    assert generate(20, 0) == all_rows["semantic"][:20]
    assert all_rows["semantic"][:20] != all_rows["detailed"][:20]


@pytest.mark.parametrize(("seed", "noise", "conversational"), sorted(DETAILED_HASHES))
def test_the_detailed_profile_writes_the_same_rows_as_before(seed, noise, conversational):
    rows = generate(50, seed, label_noise=noise, conversational=conversational, profile="detailed")

    assert jsonl_hash(rows) == DETAILED_HASHES[seed, noise, conversational]


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(rows, profile):
    assert generate(2000, 0, profile=profile) == rows
    other = generate(2000, 1, profile=profile)
    assert other != rows
    assert sum(a["chosen"] == b["chosen"] for a, b in zip(rows, other, strict=True)) < 20


def test_the_rows_do_not_depend_on_the_hash_seed(profile):
    """Set iteration order changes with PYTHONHASHSEED; the rows must not."""
    script = (
        "import hashlib, json; from bench.preference_data import generate; "
        f"rows = generate(300, 0, profile={profile!r}); "
        "print(hashlib.sha256(json.dumps(rows).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={"PYTHONHASHSEED": hash_seed, "PATH": ""},
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_fewer_pairs_are_a_prefix_of_more(rows, profile):
    assert generate(50, 0, profile=profile) == rows[:50]


def test_without_noise_chosen_has_the_higher_utility(rows):
    for row in rows:
        truth = row["truth"]
        assert truth["flipped"] is False
        assert truth["chosen_utility"] > truth["rejected_utility"]


def test_utilities_are_the_documented_linear_function_of_the_attributes(rows, profile):
    utility_from = semantic_utility if profile == "semantic" else detailed_utility
    for row in rows:
        truth = row["truth"]
        assert set(truth) == TRUTH[profile]
        for side in ("chosen", "rejected"):
            attributes = truth[f"{side}_attributes"]
            assert set(attributes) == ATTRIBUTES[profile]
            assert truth[f"{side}_utility"] == pytest.approx(utility_from(attributes), abs=1e-6)


def test_the_semantic_weights_are_the_documented_ones():
    assert dict(preference_data.SEMANTIC_WEIGHTS) == {
        "refusal": -3.0,
        "off_topic": -2.5,
        "partial": -1.0,
        "unsafe": -2.5,
        "factual_error": -1.5,
        "rude": -1.5,
        "polite": 0.5,
    }
    doc = preference_data.__doc__
    assert "utility = -3.0 * refusal - 2.5 * [relevance = off_topic]" in doc


def test_the_detailed_weights_are_the_documented_ones():
    assert dict(preference_detailed.UTILITY_WEIGHTS) == {
        "relevant_sentences": 0.8,
        "off_topic_sentences": -0.6,
        "over_length": -1.2,
        "polite": 0.4,
        "rude": -1.5,
        "refusal": -3.0,
        "factual_error": -1.6,
        "filler_sentences": -0.3,
    }
    doc = preference_detailed.__doc__
    assert "utility = 0.8 * relevant_sentences - 0.6 * off_topic_sentences" in doc
    assert "bench/preference_detailed.py" in preference_data.__doc__


def test_label_noise_flips_about_that_share_of_the_same_pairs(rows, profile):
    noisy = generate(2000, 0, label_noise=0.2, profile=profile)

    flipped = [row["truth"]["flipped"] for row in noisy]
    assert abs(sum(flipped) / len(noisy) - 0.2) < 0.03
    for clean, row in zip(rows, noisy, strict=True):
        truth = row["truth"]
        assert row["prompt"] == clean["prompt"]
        if truth["flipped"]:
            assert truth["chosen_utility"] < truth["rejected_utility"]
            assert (row["chosen"], row["rejected"]) == (clean["rejected"], clean["chosen"])
            assert truth["chosen_attributes"] == clean["truth"]["rejected_attributes"]
        else:
            assert truth["chosen_utility"] > truth["rejected_utility"]
            assert (row["chosen"], row["rejected"]) == (clean["chosen"], clean["rejected"])


def test_plain_rows_are_trl_preference_rows(rows):
    for row in rows:
        assert set(row) == {"prompt", "chosen", "rejected", "truth"}
        for field in ("prompt", "chosen", "rejected"):
            assert isinstance(row[field], str)
            assert row[field].strip()
        assert row["chosen"] != row["rejected"]
        json.dumps(row)


def test_conversational_rows_carry_the_same_texts_as_messages(rows, profile):
    conversational = generate(200, 0, conversational=True, profile=profile)

    for plain, row in zip(rows, conversational, strict=False):
        assert set(row) == {"prompt", "chosen", "rejected", "truth"}
        assert row["prompt"] == [{"role": "user", "content": plain["prompt"]}]
        assert row["chosen"] == [{"role": "assistant", "content": plain["chosen"]}]
        assert row["rejected"] == [{"role": "assistant", "content": plain["rejected"]}]
        assert row["truth"] == plain["truth"]


@pytest.mark.parametrize(("profile", "most_words"), [("semantic", 100), ("detailed", 130)])
def test_texts_are_unique_and_short(all_rows, profile, most_words):
    rows = all_rows[profile]
    responses = [row[side] for row in rows for side in ("chosen", "rejected")]
    lengths = [len(text.split()) for text in responses]

    assert len(set(responses)) == len(responses)
    assert max(lengths) <= most_words
    assert max(len(row["prompt"].split()) for row in rows) <= 35
    if profile == "semantic":
        assert 15 <= float(np.median(lengths)) <= 30
        assert np.mean([n <= preference_data.MAX_WORDS for n in lengths]) > 0.998


@pytest.mark.parametrize(("profile", "small"), [("semantic", 0.5), ("detailed", 0.4)])
def test_pairs_range_from_easy_to_hard(all_rows, profile, small):
    rows = all_rows[profile]
    kinds = [row["truth"]["pair_kind"] for row in rows]
    gaps = np.array(
        [row["truth"]["chosen_utility"] - row["truth"]["rejected_utility"] for row in rows]
    )

    assert set(kinds) == {"independent", "major", "subtle"}
    assert np.mean(gaps >= 1.5) > np.mean(gaps <= small + 1e-9) > 0.1


def sides(row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    truth = row["truth"]
    return [(row[side], truth[f"{side}_attributes"]) for side in ("chosen", "rejected")]


def test_semantic_attributes_are_consistent(all_rows):
    for row in all_rows["semantic"]:
        for _, a in sides(row):
            assert a["tone"] in {"polite", "neutral", "rude"}
            assert 1 <= a["sentences"] <= 3
            if a["refusal"]:
                assert a["relevance"] is None
            else:
                assert a["relevance"] in {"on_topic", "partial", "off_topic"}
            if a["refusal"] or a["relevance"] == "off_topic":
                assert not a["factual_error"]
                assert not a["unsafe"]


def test_semantic_modified_pairs_differ_in_the_named_attribute_only(all_rows):
    changed = {
        "refusal": {"refusal", "relevance", "factual_error", "unsafe"},
        "off_topic": {"relevance", "factual_error", "unsafe"},
        "rude": {"tone"},
        "factual_error": {"factual_error"},
        "unsafe": {"unsafe"},
        "polite_to_neutral": {"tone"},
        "neutral_to_polite": {"tone"},
        "drifts_partly": {"relevance"},
        "back_on_topic": {"relevance"},
    }
    seen = set()
    for row in all_rows["semantic"]:
        truth = row["truth"]
        kind, modification = truth["pair_kind"], truth["modification"]
        if kind == "independent":
            assert modification is None
            continue
        assert modification in MODIFICATIONS[kind]
        seen.add(modification)
        a, b = truth["chosen_attributes"], truth["rejected_attributes"]
        differing = {key for key in a if key != "sentences" and a[key] != b[key]}
        assert differing
        assert differing <= changed[modification]
    assert seen == MODIFICATIONS["major"] | MODIFICATIONS["subtle"]


def test_semantic_texts_show_their_attributes(all_rows):
    """Myths, unsafe advice, small talk and tone phrases appear exactly where the truth says."""
    topics = {topic.name: topic for topic in words.TOPICS}
    rude_phrases = [p.strip(" ,.:") for part in words.SEMANTIC_TONE_PHRASES["rude"] for p in part]
    polite_phrases = [
        p.strip(" ,.:!") for part in words.SEMANTIC_TONE_PHRASES["polite"] for p in part
    ]
    refusals = [r.split("{subject}")[0] for tone in words.SEMANTIC_REFUSALS.values() for r in tone]

    def mentions(text: str, sentences: tuple[str, ...] | list[str]) -> bool:
        return any(s.rstrip(".")[1:].lower() in text.lower() for s in sentences)

    for row in all_rows["semantic"]:
        topic = topics[row["truth"]["topic"]]
        for text, a in sides(row):
            assert text.startswith(tuple(refusals)) == a["refusal"]
            if a["refusal"]:
                continue
            assert mentions(text, topic.myths) == a["factual_error"]
            assert mentions(text, words.UNSAFE_ADVICE[topic.name]) == a["unsafe"]
            assert mentions(text, words.OFF_TOPIC_CHATTER) == (a["relevance"] != "on_topic")
            if a["relevance"] == "on_topic" and a["sentences"] > a["factual_error"] + a["unsafe"]:
                assert mentions(text, topic.facts)
            lower = text.lower()
            assert any(p.lower() in lower for p in rude_phrases) == (a["tone"] == "rude")
            assert any(p.lower() in lower for p in polite_phrases) == (a["tone"] == "polite")


def test_every_topic_has_unsafe_advice():
    names = [topic.name for topic in words.TOPICS]
    assert sorted(words.UNSAFE_ADVICE) == sorted(names)
    assert all(len(advice) >= 2 for advice in words.UNSAFE_ADVICE.values())


def bag_of_words_accuracy(rows: list[dict[str, Any]]) -> float:
    """Bag-of-words logistic regression on chosen minus rejected counts, random orientation."""
    train, held_out = rows[:1500], rows[1500:]
    vectorizer = CountVectorizer().fit([row[s] for row in train for s in ("chosen", "rejected")])
    orientation = random.Random(0)

    def features(part: list[dict[str, Any]]) -> tuple[Any, Any]:
        difference = vectorizer.transform([row["chosen"] for row in part]) - vectorizer.transform(
            [row["rejected"] for row in part]
        )
        signs = np.array([1 if orientation.random() < 0.5 else -1 for _ in part])
        return difference.multiply(signs[:, None]).tocsr(), (signs > 0).astype(int)

    x_train, y_train = features(train)
    x_held_out, y_held_out = features(held_out)
    model = LogisticRegression(max_iter=5000).fit(x_train, y_train)
    return float(np.mean(model.predict(x_held_out) == y_held_out))


# Words see every phrase that the semantic profile's attributes bring (about 0.93 on seeds 0-3),
# where the head sees one mean embedding per response; the detailed profile's counts and single
# sentences keep words at about 0.75.
@pytest.mark.parametrize(
    ("profile", "low", "high"), [("semantic", 0.88, 0.97), ("detailed", 0.7, 0.9)]
)
def test_the_truth_is_learnable_from_the_words_but_not_trivially(all_rows, profile, low, high):
    accuracy = bag_of_words_accuracy(all_rows[profile])

    print(f"{profile}: bag-of-words held-out accuracy: {accuracy:.3f}")
    assert low < accuracy < high, accuracy


def test_the_command_writes_the_rows(tmp_path, capsys):
    out = tmp_path / "data" / "pairs.jsonl"

    assert main(["--out", str(out), "--pairs", "30", "--seed", "3", "--conversational"]) == 0

    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == generate(30, 3, conversational=True)
    summary = json.loads(capsys.readouterr().out)
    assert summary["pairs"] == 30
    assert summary["profile"] == "semantic"


def test_the_command_writes_the_detailed_profile(tmp_path, capsys):
    out = tmp_path / "pairs.jsonl"

    assert main(["--out", str(out), "--pairs", "50", "--profile", "detailed"]) == 0

    assert [json.loads(line) for line in out.read_text().splitlines()] == generate(
        50, 0, profile="detailed"
    )
    assert jsonl_hash(generate(50, 0, profile="detailed")) == DETAILED_HASHES[0, 0.0, False]
    summary = json.loads(capsys.readouterr().out)
    assert summary["profile"] == "detailed"
    assert sum(summary["pair_kinds"].values()) == 50


def test_the_module_runs_as_a_command(tmp_path):
    out = tmp_path / "pairs.jsonl"

    subprocess.run(
        [sys.executable, "-m", "bench.preference_data", "--out", str(out), "--pairs", "5"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert [json.loads(line) for line in out.read_text().splitlines()] == generate(5, 0)


def test_the_file_runs_as_a_script(tmp_path):
    out = tmp_path / "pairs.jsonl"
    script = ROOT / "bench" / "preference_data.py"

    subprocess.run(
        [sys.executable, str(script), "--out", str(out), "--pairs", "5", "--profile", "detailed"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=120,
    )

    lines = out.read_text().splitlines()
    assert [json.loads(line) for line in lines] == generate(5, 0, profile="detailed")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--pairs", "0"],
        ["--pairs", "-3"],
        ["--pairs", "ten"],
        ["--label-noise", "0.6"],
        ["--label-noise", "-0.1"],
        ["--label-noise", "nan"],
        ["--seed", "1.5"],
        ["--profile", "tiny"],
    ],
)
def test_the_command_rejects_bad_arguments(tmp_path, capsys, arguments):
    out = tmp_path / "pairs.jsonl"

    with pytest.raises(SystemExit) as exit_info:
        main(["--out", str(out), *arguments])

    assert exit_info.value.code == 2
    assert arguments[0] in capsys.readouterr().err
    assert not out.exists()


def test_the_command_needs_an_output_file(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])

    assert exit_info.value.code == 2
    assert "--out" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("pairs", "noise", "profile"),
    [(0, 0.0, "semantic"), (10, 0.51, "semantic"), (10, -0.01, "detailed"), (10, 0.0, "x")],
)
def test_generate_rejects_bad_arguments(pairs, noise, profile):
    with pytest.raises(ValueError, match=r"pairs|label_noise|profile"):
        generate(pairs, 0, label_noise=noise, profile=profile)
