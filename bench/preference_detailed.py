"""The ``detailed`` profile of ``bench.preference_data``: the first ground truth, unchanged.

It writes the same rows for the same seed as before the ``semantic`` profile was added; the
generator, the layout of a row, the shared prompts and topics, label noise and determinism are
described in ``bench/preference_data.py``.

A response (5-120 words, median 43) is a sequence of on-topic statements, statements of another
topic, fillers, a refusal, a myth or a self-contradiction, with tone phrases at its start and
end and half the time a framing sentence naming the subject first; connectives, order, filler
positions and phrasings vary. Attributes (prior): ``refusal`` (6%: no statements, other
attributes 0); relevance otherwise on topic (82%), partial drift (12%: 1-2 on-topic statements
and 1-2 of another topic) or full drift (6%: 2-3 of another topic), as ``relevant_sentences``
(on topic 1-4: 20/30/30/20%) and ``off_topic_sentences``; ``over_length``: a quarter of prompts
ask for a brief answer, and then it is the number of on-topic statements beyond 2;
``factual_error`` (12% of non-refusals: a myth, or a self-contradiction after a statement, half
each, ``factual_error_kind``); ``tone`` polite 25% / neutral 60% / rude 15% (openings and
closings); ``filler_sentences`` 0-3 (50/30/15/5%). Utility (``UTILITY_WEIGHTS``)::

    utility = 0.8 * relevant_sentences - 0.6 * off_topic_sentences - 1.2 * over_length
              + 0.4 * [tone = polite] - 1.5 * [tone = rude] - 3.0 * refusal
              - 1.6 * factual_error - 0.3 * filler_sentences

Pairs: ``independent`` (45%); ``major`` (30%: ``refusal``, ``full_drift``, ``rude`` or
``factual_error`` added); ``subtle`` (25%: ``more_detail`` / ``less_detail``, one filler more or
fewer, polite <-> neutral, or ``one_sentence_drifts``), both texts drawn afresh. ``truth`` is as
in the semantic profile plus ``brief_prompt``, and the attributes include ``drift_topic`` and
``factual_error_kind``. In ``--seed 0``: 9.7% refusals, 12.0% partial and 9.6% full drift,
14.6% factual errors, tone 24% / 57% / 19%.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bench import preference_words as words
from bench.preference_common import Rendered, Row, Side, Unique, attach, pick, render_prompt

# The prior of one response's attributes (see the module docstring).
REFUSAL_RATE = 0.06
RELEVANCE = (("on_topic", 0.82), ("partial_drift", 0.12), ("full_drift", 0.06))
RELEVANT_SENTENCES = ((1, 0.2), (2, 0.3), (3, 0.3), (4, 0.2))
FACTUAL_ERROR_RATE = 0.12
TONES = (("polite", 0.25), ("neutral", 0.6), ("rude", 0.15))
FILLER_SENTENCES = ((0, 0.5), (1, 0.3), (2, 0.15), (3, 0.05))
BRIEF_PROMPT_RATE = 0.25
BRIEF_LIMIT = 2
PAIR_KINDS = (("independent", 0.45), ("major", 0.3), ("subtle", 0.25))
MAX_RELEVANT = 4
MAX_FILLERS = 3

UTILITY_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("relevant_sentences", 0.8),
    ("off_topic_sentences", -0.6),
    ("over_length", -1.2),
    ("polite", 0.4),
    ("rude", -1.5),
    ("refusal", -3.0),
    ("factual_error", -1.6),
    ("filler_sentences", -0.3),
)


@dataclass(frozen=True)
class Attributes:
    """What the utility depends on (``over_length`` comes from these and the prompt)."""

    relevant_sentences: int
    off_topic_sentences: int
    tone: str
    refusal: bool
    factual_error: bool
    filler_sentences: int


def over_length(attrs: Attributes, brief: bool) -> int:
    return max(0, attrs.relevant_sentences - BRIEF_LIMIT) if brief else 0


def utility(attrs: Attributes, brief: bool) -> float:
    """The ground truth: ``UTILITY_WEIGHTS`` times the attributes, rounded to 6 decimals."""
    features = {
        "relevant_sentences": attrs.relevant_sentences,
        "off_topic_sentences": attrs.off_topic_sentences,
        "over_length": over_length(attrs, brief),
        "polite": int(attrs.tone == "polite"),
        "rude": int(attrs.tone == "rude"),
        "refusal": int(attrs.refusal),
        "factual_error": int(attrs.factual_error),
        "filler_sentences": attrs.filler_sentences,
    }
    return round(sum(weight * features[name] for name, weight in UTILITY_WEIGHTS), 6)


def sample_attributes(rng: random.Random) -> Attributes:
    """One response's attributes from the prior."""
    tone = pick(rng, TONES)
    fillers = pick(rng, FILLER_SENTENCES)
    if rng.random() < REFUSAL_RATE:
        return Attributes(0, 0, tone, True, False, fillers)
    relevance = pick(rng, RELEVANCE)
    if relevance == "on_topic":
        relevant, off_topic = pick(rng, RELEVANT_SENTENCES), 0
    elif relevance == "partial_drift":
        relevant, off_topic = rng.randint(1, 2), rng.randint(1, 2)
    else:
        relevant, off_topic = 0, rng.randint(2, 3)
    error = rng.random() < FACTUAL_ERROR_RATE
    return Attributes(relevant, off_topic, tone, False, error, fillers)


def _major(rng: random.Random, a: Attributes) -> list[tuple[str, Attributes]]:
    options: list[tuple[str, Attributes]] = []
    if not a.refusal:
        refusal = Attributes(0, 0, a.tone, True, False, a.filler_sentences)
        options.append(("refusal", refusal))
    if not a.refusal and a.relevant_sentences > 0:
        off_topic = rng.randint(2, 3)
        options.append(
            (
                "full_drift",
                dataclasses.replace(a, relevant_sentences=0, off_topic_sentences=off_topic),
            )
        )
    if a.tone != "rude":
        options.append(("rude", dataclasses.replace(a, tone="rude")))
    if not a.refusal and not a.factual_error:
        options.append(("factual_error", dataclasses.replace(a, factual_error=True)))
    return options


def _subtle(a: Attributes) -> list[tuple[str, Attributes]]:
    options: list[tuple[str, Attributes]] = []
    rel, off = a.relevant_sentences, a.off_topic_sentences
    if not a.refusal and 1 <= rel < MAX_RELEVANT:
        options.append(("more_detail", dataclasses.replace(a, relevant_sentences=rel + 1)))
    if not a.refusal and rel >= 2:
        options.append(("less_detail", dataclasses.replace(a, relevant_sentences=rel - 1)))
        if off < 3:
            drifted = dataclasses.replace(
                a, relevant_sentences=rel - 1, off_topic_sentences=off + 1
            )
            options.append(("one_sentence_drifts", drifted))
    if a.filler_sentences < MAX_FILLERS:
        options.append(
            ("more_filler", dataclasses.replace(a, filler_sentences=a.filler_sentences + 1))
        )
    if a.filler_sentences > 0:
        options.append(
            ("less_filler", dataclasses.replace(a, filler_sentences=a.filler_sentences - 1))
        )
    if a.tone == "polite":
        options.append(("polite_to_neutral", dataclasses.replace(a, tone="neutral")))
    if a.tone == "neutral":
        options.append(("neutral_to_polite", dataclasses.replace(a, tone="polite")))
    return options


def _connect(
    rng: random.Random, sentences: list[str], first: Sequence[str], p_first: float
) -> None:
    """Put connectives in front of some of ``sentences`` (in place)."""
    for i, sentence in enumerate(sentences):
        if i == 0:
            if rng.random() < p_first:
                sentences[i] = attach(rng.choice(first), sentence)
        elif rng.random() < 0.4:
            sentences[i] = attach(rng.choice(words.MID_CONNECTORS), sentence)


def _statements(
    rng: random.Random, topic_index: int, subject: str, attrs: Attributes
) -> tuple[list[str], words.Topic | None, str | None]:
    """The body of a response that is not a refusal, the drifted topic, the kind of error."""
    topic = words.TOPICS[topic_index]
    drift_topic: words.Topic | None = None
    error_kind: str | None = None
    body = rng.sample(topic.facts, attrs.relevant_sentences)
    _connect(rng, body, words.FIRST_CONNECTORS, 0.3)
    if attrs.off_topic_sentences:
        others = [i for i in range(len(words.TOPICS)) if i != topic_index]
        drift_topic = words.TOPICS[rng.choice(others)]
        drift = rng.sample(drift_topic.facts, attrs.off_topic_sentences)
        if body:
            _connect(rng, drift, words.DRIFT_CONNECTORS, 0.7)
            body = body + drift if rng.random() < 0.7 else drift + body
        else:
            _connect(rng, drift, words.FIRST_CONNECTORS, 0.3)
            body = drift
    if attrs.factual_error:
        if rng.random() < 0.5:
            error_kind = "myth"
            source = topic if attrs.relevant_sentences else (drift_topic or topic)
            myth = rng.choice(source.myths)
            position = rng.randint(0, len(body))
            if position and rng.random() < 0.3:
                myth = attach(rng.choice(words.MID_CONNECTORS), myth)
            body.insert(position, myth)
        else:
            error_kind = "self_contradiction"
            body.insert(rng.randint(1, len(body)), rng.choice(words.CONTRADICTIONS))
    if rng.random() < words.FRAMING_RATE:
        # Names what the statements are about: another topic's subject under full drift.
        about = subject
        if drift_topic is not None and not attrs.relevant_sentences:
            about = rng.choice(drift_topic.subjects)
        body.insert(0, rng.choice(words.FRAMINGS).format(subject=about))
    return body, drift_topic, error_kind


def render(rng: random.Random, topic_index: int, subject: str, attrs: Attributes) -> Rendered:
    """One response text with ``attrs``, answering a prompt about ``subject``."""
    drift_topic: words.Topic | None = None
    error_kind: str | None = None
    if attrs.refusal:
        body = [rng.choice(words.REFUSALS).format(subject=subject), rng.choice(words.REDIRECTS)]
    else:
        body, drift_topic, error_kind = _statements(rng, topic_index, subject, attrs)
    for filler in rng.sample(words.FILLERS, attrs.filler_sentences):
        body.insert(rng.randint(0, len(body)), filler)
    openers, closers = words.TONE_PHRASES[attrs.tone]
    if attrs.tone == "neutral":
        opening, closing = rng.random() < 0.35, rng.random() < 0.2
    else:
        opening, closing = [(True, False), (False, True), (True, True)][rng.randrange(3)]
    if opening:
        body.insert(0, rng.choice(openers))
    if closing:
        body.append(rng.choice(closers))
    return Rendered(" ".join(body), drift_topic.name if drift_topic else None, error_kind)


def _attributes_json(attrs: Attributes, brief: bool, rendered: Rendered) -> dict[str, Any]:
    return {
        "relevant_sentences": attrs.relevant_sentences,
        "off_topic_sentences": attrs.off_topic_sentences,
        "over_length": over_length(attrs, brief),
        "tone": attrs.tone,
        "refusal": attrs.refusal,
        "factual_error": attrs.factual_error,
        "filler_sentences": attrs.filler_sentences,
        "drift_topic": rendered.drift_topic,
        "factual_error_kind": rendered.factual_error_kind,
    }


def _sample_pair(rng: random.Random) -> tuple[str, str | None, Attributes, Attributes]:
    """A pair kind, its modification (None for independent pairs) and two attribute sets.

    The caller draws again while their utilities for its prompt are equal.
    """
    kind = pick(rng, PAIR_KINDS)
    a = sample_attributes(rng)
    if kind != "independent":
        options = _major(rng, a) if kind == "major" else _subtle(a)
        if options:
            modification, b = rng.choice(options)
            return kind, modification, a, b
        kind = "independent"
    return kind, None, a, sample_attributes(rng)


def detailed_row(rng: random.Random, unique: Unique) -> Row:
    """One pair of the detailed profile, before label noise and layout."""
    topic_index = rng.randrange(len(words.TOPICS))
    subject = rng.choice(words.TOPICS[topic_index].subjects)
    brief = rng.random() < BRIEF_PROMPT_RATE
    prompt = render_prompt(rng, subject, brief)
    while True:
        kind, modification, a, b = _sample_pair(rng)
        if utility(a, brief) != utility(b, brief):
            break
    if utility(a, brief) < utility(b, brief):
        a, b = b, a
    sides = []
    for attrs in (a, b):
        rendered = unique(functools.partial(render, rng, topic_index, subject, attrs))
        sides.append(
            Side(rendered.text, utility(attrs, brief), _attributes_json(attrs, brief, rendered))
        )
    head = {
        "topic": words.TOPICS[topic_index].name,
        "brief_prompt": brief,
        "pair_kind": kind,
        "modification": modification,
    }
    return prompt, head, sides[0], sides[1]
