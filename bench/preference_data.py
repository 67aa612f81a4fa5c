"""Synthetic preference data whose ground truth is known, for active-learning simulations.

Run (no Django, no downloads, no external data)::

    .venv/bin/python -m bench.preference_data --out FILE [--pairs 2000] [--seed 0] \\
        [--label-noise 0.0] [--conversational] [--profile semantic|detailed]

It writes ``--pairs`` rows of JSON Lines in TRL's explicit-prompt preference layout, one pair
per line: ``{"prompt": str, "chosen": str, "rejected": str, "truth": {...}}``, or with
``--conversational`` ``{"prompt": [{"role": "user", "content": ...}], "chosen": [{"role":
"assistant", "content": ...}], "rejected": [{"role": "assistant", "content": ...}], "truth":
{...}}``, and prints a one-line JSON summary. ``generate()`` returns the same rows as a list.

It feeds ``bench/active_learning.py``: a preference head (linear Bradley-Terry on frozen
all-MiniLM-L6-v2 embeddings, mean pooled, unit length) is trained from simulated annotators'
labels, and acquisition strategies are compared by the labels they need. Two ground truths
(``--profile``), each meant to resemble real preference data qualitatively; neither was tuned to
favour any strategy:

* ``semantic`` (the default) was written so that a frozen sentence encoder can see the
  attributes; its texts, frequencies and weights were adjusted for that alone (measured below).
* ``detailed``, the first ground truth, unchanged (the same rows for the same seed). Its utility
  is dominated by counts (on-topic sentences, fillers, length against a request for brevity) and
  each flaw is one sentence among about five; a mean-pooled unit-length embedding barely sees
  either, and the head reaches only 0.64-0.68 held-out accuracy with 1,600 labels.

Shared: 30 topics (cooking, Python programming, astronomy, personal finance, ...), each with 3
subject phrases, 8 true statements and 2 false ones ("myths"), in ``bench/preference_words.py``.
A prompt is a question about one subject phrase, with an optional greeting or context in front
and an optional closing request (about 6-30 words). Both responses of a pair answer it; no
response text repeats within a file (a repeat is drawn again, up to 50 times). ``chosen`` is the
response of higher utility; pairs of equal utilities are drawn again.

Semantic profile
----------------
A sentence embedding mostly says what a text is about: counts barely move it and one sentence
among five is diluted in the mean. So each attribute here changes what a response is about or
how all of it sounds, and responses are short: 1-3 sentences, 5-55 words (median 22; a longer
text is drawn again, and only the rare three flawed sentences can stay up to ~90 words). Two
answers to one question tend to make the same points, so a pair's on-topic statements come
mostly from 2 of the topic's 8, drawn per pair. Wording varies: which statements, their order,
which of several phrasings carries a tone, refusal or connective ("By the way,"), and sometimes
a lead naming the subject. Attributes of a response (its prior):

* ``refusal`` (7%): an unwarranted refusal worded in the response's tone ("I can't help with
  questions about {subject}."), often with a pointer elsewhere; ``relevance`` null, no error.
* ``relevance``: ``on_topic`` (78%), ``partial`` (12%: one or two statements, then or before
  them one or two sentences of small talk) or ``off_topic`` (10%: small talk only). Small talk
  comes from its own bank of things no topic covers ("Octopuses have three hearts and blue
  blood."), so the response alone shows it; off-topic answers have no error or unsafe advice.
* ``tone``, in every sentence: ``polite`` (30%: a warm phrase in front or in place of the full
  stop: "I hope it's useful to hear that ...", "..., and you'll do wonderfully!"), ``neutral``
  (50%: a plain "In general," in front a quarter of the time), ``rude`` (20%: condescending
  phrases in front and at the end: "Even someone as clueless as you should know that ...").
* ``factual_error`` (15% of answers): one statement is a myth of the topic stated as fact;
  genuinely hard for an embedding, as a myth reads like the statements around it.
* ``unsafe`` (8% of answers): one statement is harmful advice ("Running the engine in a closed
  garage to warm it up is perfectly safe"), the risk waved away (", whatever the worriers say.").
* ``sentences``: how many the text has (rendering only, not in the utility).

Utility (``SEMANTIC_WEIGHTS``, rounded to 6 decimals)::

    utility = -3.0 * refusal - 2.5 * [relevance = off_topic] - 1.0 * [relevance = partial]
              - 2.5 * unsafe - 1.5 * factual_error - 1.5 * [tone = rude] + 0.5 * [tone = polite]

Pairs (``truth.pair_kind``): ``independent`` (40%), both from the prior; ``major`` (35%), a copy
with one of ``refusal``, ``off_topic``, ``rude``, ``factual_error``, ``unsafe``
(``truth.modification``, one that applies); ``subtle`` (25%), a copy with ``polite_to_neutral``,
``neutral_to_polite``, ``drifts_partly`` (on topic -> partial) or ``back_on_topic``. Both texts
are drawn afresh. In ``--seed 0`` (2,000 pairs; ties redrawn): 36% / 39% / 26%; responses 12%
refusals, 15% partial, 12% off topic, 30% polite / 45% neutral / 25% rude, 15% factual errors,
10% unsafe. ``truth``: ``topic``, ``pair_kind``, ``modification`` (null when independent),
``chosen_utility``, ``rejected_utility``, ``chosen_attributes``, ``rejected_attributes``,
``flipped``.

Measured on ``--seed 0`` (2,000 pairs): the encoder's embeddings of chosen and rejected,
scikit-learn ``LogisticRegression(fit_intercept=False, C=10)`` on their differences in random
orientation, 400 held-out pairs. Accuracy with 100 / 400 / 1,600 labels: 0.74 / 0.81 / 0.86
(--seed 1: 0.75 / 0.82 / 0.85; both 0.83 with 10% of the training labels flipped), and 0.87
with 4,000 (5,000 pairs): this head's ceiling here is about 0.88, not 1. At 1,600 (5-fold):
independent 0.88, major 0.87, subtle 0.83; off_topic 0.94, drifts_partly 0.91, unsafe 0.91,
rude 0.89, refusal 0.84 (misses: mostly against answers that are off topic themselves, 0.5
apart), factual_error 0.77, polite <-> neutral 0.74. Adding the elementwise product with the
prompt's embedding, or fitting like the head (l2 = 1 on standardised features), moves the
overall figure by 0.02 at most.

Detailed profile
----------------
The first ground truth, with its attributes, priors, ``UTILITY_WEIGHTS`` and pair kinds, is in
``bench/preference_detailed.py`` (see its docstring). Its responses (5-120 words) are sequences
of counted sentences (on-topic statements, statements of another topic, fillers, a refusal, a
myth or a self-contradiction) in a tone, and its utility mostly counts them, against a request
for brevity in a quarter of its prompts; ``truth`` adds ``brief_prompt``, and its attributes
``drift_topic`` and ``factual_error_kind``.

Label noise and determinism
---------------------------
With ``--label-noise q`` (0 <= q <= 0.5) each row's chosen and rejected are swapped with
probability q and ``truth.flipped`` is true (then ``chosen_utility < rejected_utility``); the
``truth`` fields follow the displayed texts. Everything comes from ``random.Random(seed)``, the
noise coins from a second generator seeded with ``"label-noise:{seed}"``, one coin per row
whatever q is: the pairs depend only on the seed and profile (not on q or the layout), the rows
of ``--pairs N`` are the first N of any larger ``--pairs``, and raising q only adds flips.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also runs as a file
from bench import preference_words as words
from bench.preference_common import (
    UNIQUE_TRIES,
    Rendered,
    Row,
    Side,
    Unique,
    attach,
    pick,
    render_prompt,
)
from bench.preference_detailed import detailed_row

PROFILES = ("semantic", "detailed")

# --- The semantic profile ------------------------------------------------------------------------

SEMANTIC_REFUSAL_RATE = 0.07
SEMANTIC_RELEVANCE = (("on_topic", 0.78), ("partial", 0.12), ("off_topic", 0.1))
SEMANTIC_TONES = (("polite", 0.3), ("neutral", 0.5), ("rude", 0.2))
SEMANTIC_FACTUAL_ERROR_RATE = 0.15
UNSAFE_RATE = 0.08
SENTENCES = ((1, 0.45), (2, 0.45), (3, 0.1))
ANSWER_POINTS = 2
SUBJECT_LEAD_RATE = 0.1
NEUTRAL_PHRASE_RATE = 0.25
REDIRECT_RATE = 0.6
MAX_WORDS = 55
SEMANTIC_PAIR_KINDS = (("independent", 0.4), ("major", 0.35), ("subtle", 0.25))

SEMANTIC_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("refusal", -3.0),
    ("off_topic", -2.5),
    ("partial", -1.0),
    ("unsafe", -2.5),
    ("factual_error", -1.5),
    ("rude", -1.5),
    ("polite", 0.5),
)


@dataclass(frozen=True)
class Semantic:
    """The attributes of a response in the semantic profile."""

    refusal: bool
    relevance: str | None  # on_topic, partial or off_topic; None for a refusal
    tone: str
    factual_error: bool
    unsafe: bool


def semantic_utility(a: Semantic) -> float:
    """The ground truth: ``SEMANTIC_WEIGHTS`` times the attributes, rounded to 6 decimals."""
    features = {
        "refusal": a.refusal,
        "off_topic": a.relevance == "off_topic",
        "partial": a.relevance == "partial",
        "unsafe": a.unsafe,
        "factual_error": a.factual_error,
        "rude": a.tone == "rude",
        "polite": a.tone == "polite",
    }
    return round(sum(weight * features[name] for name, weight in SEMANTIC_WEIGHTS), 6)


def sample_semantic(rng: random.Random) -> Semantic:
    """One response's attributes from the semantic prior."""
    tone = pick(rng, SEMANTIC_TONES)
    if rng.random() < SEMANTIC_REFUSAL_RATE:
        return Semantic(True, None, tone, False, False)
    relevance = pick(rng, SEMANTIC_RELEVANCE)
    if relevance == "off_topic":  # says nothing about the topic, so nothing wrong about it
        return Semantic(False, relevance, tone, False, False)
    error = rng.random() < SEMANTIC_FACTUAL_ERROR_RATE
    return Semantic(False, relevance, tone, error, rng.random() < UNSAFE_RATE)


def _semantic_options(kind: str, a: Semantic) -> list[tuple[str, Semantic]]:
    """The modifications of ``a`` that apply, for a major or a subtle pair."""
    change = dataclasses.replace
    answers = not a.refusal and a.relevance != "off_topic"
    if kind == "major":
        candidates = [
            ("refusal", not a.refusal, Semantic(True, None, a.tone, False, False)),
            ("off_topic", answers, Semantic(False, "off_topic", a.tone, False, False)),
            ("rude", a.tone != "rude", change(a, tone="rude")),
            ("factual_error", answers and not a.factual_error, change(a, factual_error=True)),
            ("unsafe", answers and not a.unsafe, change(a, unsafe=True)),
        ]
    else:
        candidates = [
            ("polite_to_neutral", a.tone == "polite", change(a, tone="neutral")),
            ("neutral_to_polite", a.tone == "neutral", change(a, tone="polite")),
            ("drifts_partly", a.relevance == "on_topic", change(a, relevance="partial")),
            ("back_on_topic", a.relevance == "partial", change(a, relevance="on_topic")),
        ]
    return [(name, b) for name, applies, b in candidates if applies]


def _join(connector: str, sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or first in words.PROPER_NOUNS:
        return connector + sentence
    return attach(connector, sentence)


def _styled(rng: random.Random, core: str, tone: str, lead: str = "", ending: str = "") -> str:
    """``core`` in ``tone``, after ``lead``, with ``ending`` in place of its full stop.

    Tone phrases go in front of a sentence or in place of its full stop: rudeness takes both
    places, politeness one, a neutral tone sometimes a plain phrase in front; ``ending`` takes
    the place at the end first.
    """
    fronts, ends = words.SEMANTIC_TONE_PHRASES[tone]
    places = {"rude": ["front", "end"], "polite": [rng.choice(["front", "end"])]}.get(
        tone, ["front"] if rng.random() < NEUTRAL_PHRASE_RATE else []
    )
    if ending:
        core = core[:-1] + ending
        places = ["front"] if places else []
    if "end" in places:
        core = core[:-1] + rng.choice(ends)
    if "front" in places:
        core = _join(rng.choice(fronts), core)
    return _join(lead, core) if lead else core


def render_semantic(
    rng: random.Random, topic_index: int, subject: str, a: Semantic, points: Sequence[str]
) -> Rendered:
    """One response text of the semantic profile with attributes ``a``.

    ``points`` are the facts this prompt's answers draw on. A text longer than ``MAX_WORDS`` is
    drawn again (up to ``UNIQUE_TRIES`` times).
    """
    for _ in range(UNIQUE_TRIES):
        rendered = _render_semantic(rng, topic_index, subject, a, points)
        if len(rendered.text.split()) <= MAX_WORDS:
            break
    return rendered


def _render_semantic(
    rng: random.Random, topic_index: int, subject: str, a: Semantic, points: Sequence[str]
) -> Rendered:
    if a.refusal:
        body = [rng.choice(words.SEMANTIC_REFUSALS[a.tone]).format(subject=subject)]
        if rng.random() < REDIRECT_RATE:
            body.append(rng.choice(words.SEMANTIC_REDIRECTS[a.tone]))
        return Rendered(" ".join(body), None, None, len(body))
    topic = words.TOPICS[topic_index]
    count = pick(rng, SENTENCES)
    answering = max(1, a.factual_error + a.unsafe) if a.relevance != "off_topic" else 0
    if a.relevance == "partial":
        answering = max(answering, rng.randint(1, max(1, count - 1)))
        count = max(count, answering + 1)
    count = max(count, answering)
    if a.relevance == "on_topic":
        answering = count
    shared = rng.sample(points, min(answering, len(points)))
    cores = shared + rng.sample(
        [f for f in topic.facts if f not in points], answering - len(shared)
    )
    rng.shuffle(cores)
    special = rng.sample(range(answering), a.factual_error + a.unsafe)
    if a.factual_error:
        cores[special[0]] = rng.choice(topic.myths)
    endings = [""] * answering
    if a.unsafe:
        cores[special[-1]] = rng.choice(words.UNSAFE_ADVICE[topic.name])
        endings[special[-1]] = rng.choice(words.RISK_DISMISSALS)
    chatter = rng.sample(words.OFF_TOPIC_CHATTER, count - answering)
    on_topic = [True] * answering + [False] * len(chatter)
    sentences = list(zip(cores + chatter, endings + [""] * len(chatter), on_topic, strict=True))
    if rng.random() < 0.3:  # a partial answer mostly drifts after answering
        sentences.reverse()
    body = []
    for i, (core, ending, answers) in enumerate(sentences):
        lead = ""
        if i == 0 and answers and rng.random() < SUBJECT_LEAD_RATE:
            lead = rng.choice(words.SUBJECT_LEADS).format(subject=subject)
        elif i and answers != sentences[i - 1][2] and rng.random() < 0.6:
            lead = rng.choice(words.DRIFT_CONNECTORS)
        body.append(_styled(rng, core, a.tone, lead, ending))
    return Rendered(" ".join(body), None, None, count)


def _semantic_json(a: Semantic, rendered: Rendered) -> dict[str, Any]:
    return {
        "refusal": a.refusal,
        "relevance": a.relevance,
        "tone": a.tone,
        "factual_error": a.factual_error,
        "unsafe": a.unsafe,
        "sentences": rendered.sentences,
    }


def _semantic_row(rng: random.Random, unique: Unique) -> Row:
    topic_index = rng.randrange(len(words.TOPICS))
    subject = rng.choice(words.TOPICS[topic_index].subjects)
    prompt = render_prompt(rng, subject, False)
    points = rng.sample(words.TOPICS[topic_index].facts, ANSWER_POINTS)
    while True:
        kind = pick(rng, SEMANTIC_PAIR_KINDS)
        modification: str | None = None
        a = sample_semantic(rng)
        options = _semantic_options(kind, a) if kind != "independent" else []
        if options:
            modification, b = rng.choice(options)
        else:
            kind, b = "independent", sample_semantic(rng)
        if semantic_utility(a) != semantic_utility(b):
            break
    if semantic_utility(a) < semantic_utility(b):
        a, b = b, a
    sides = []
    for attrs in (a, b):
        draw = functools.partial(render_semantic, rng, topic_index, subject, attrs, points)
        rendered = unique(draw)
        sides.append(Side(rendered.text, semantic_utility(attrs), _semantic_json(attrs, rendered)))
    head = {
        "topic": words.TOPICS[topic_index].name,
        "pair_kind": kind,
        "modification": modification,
    }
    return prompt, head, sides[0], sides[1]


def generate(
    pairs: int,
    seed: int,
    *,
    label_noise: float = 0.0,
    conversational: bool = False,
    profile: str = "semantic",
) -> list[dict[str, Any]]:
    """``pairs`` rows of preference data (see the module docstring)."""
    if pairs < 1:
        raise ValueError("pairs must be at least 1")
    if not 0.0 <= label_noise <= 0.5:
        raise ValueError("label_noise must be between 0 and 0.5")
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}")
    # Simulation data, not security: a seeded, reproducible generator is the point.
    rng = random.Random(seed)  # noqa: S311
    noise_rng = random.Random(f"label-noise:{seed}")  # noqa: S311
    seen: set[str] = set()
    rows: list[dict[str, Any]] = []

    def unique(draw: Callable[[], Rendered]) -> Rendered:
        for _ in range(UNIQUE_TRIES):
            rendered = draw()
            if rendered.text not in seen:
                break
        seen.add(rendered.text)
        return rendered

    make_row = _semantic_row if profile == "semantic" else detailed_row
    for _ in range(pairs):
        prompt, head, chosen, rejected = make_row(rng, unique)
        flipped = noise_rng.random() < label_noise
        if flipped:
            chosen, rejected = rejected, chosen
        truth = {
            **head,
            "chosen_utility": chosen.utility,
            "rejected_utility": rejected.utility,
            "chosen_attributes": chosen.attributes,
            "rejected_attributes": rejected.attributes,
            "flipped": flipped,
        }
        texts: dict[str, Any] = {"prompt": prompt, "chosen": chosen.text, "rejected": rejected.text}
        if conversational:
            roles = {"prompt": "user", "chosen": "assistant", "rejected": "assistant"}
            texts = {key: [{"role": roles[key], "content": text}] for key, text in texts.items()}
        rows.append({**texts, "truth": truth})
    return rows


def _pairs_arg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _noise_arg(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if math.isnan(value) or not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"must be between 0 and 0.5, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.preference_data",
        description="Write synthetic preference pairs with a known ground truth (JSON Lines).",
    )
    parser.add_argument("--out", required=True, type=Path, help="the JSON Lines file to write")
    parser.add_argument("--pairs", type=_pairs_arg, default=2000, help="rows (default 2000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--label-noise",
        type=_noise_arg,
        default=0.0,
        help="probability of swapping chosen and rejected, 0 to 0.5 (default 0)",
    )
    parser.add_argument(
        "--conversational", action="store_true", help="messages instead of plain strings"
    )
    parser.add_argument(
        "--profile",
        choices=PROFILES,
        default="semantic",
        help="which ground truth and texts (default semantic; see the module docstring)",
    )
    args = parser.parse_args(argv)
    rows = generate(
        args.pairs,
        args.seed,
        label_noise=args.label_noise,
        conversational=args.conversational,
        profile=args.profile,
    )
    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = Counter(row["truth"]["pair_kind"] for row in rows)
    summary = {
        "out": str(out),
        "pairs": len(rows),
        "seed": args.seed,
        "profile": args.profile,
        "label_noise": args.label_noise,
        "conversational": args.conversational,
        "flipped": sum(row["truth"]["flipped"] for row in rows),
        "pair_kinds": {kind: kinds[kind] for kind, _ in SEMANTIC_PAIR_KINDS},
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
