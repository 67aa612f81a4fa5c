"""Turning a batch of items into verdicts with an engine: no ORM, no torch.

The worker loads items and an engine, calls ``judge_items`` and stores what comes back. All
the work of one batch goes to the engine in as few calls as possible (every candidate of every
item in one ``rewards`` call; every pairwise prompt with the same choices in one
``choice_probs`` call), so the engine can batch by length across items.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.answers import AnswersInvalid, rubric_criteria, validate_answers
from judges import prompts
from judges.engines.base import (
    ChoiceResult,
    ChoiceScorer,
    Conversation,
    InputError,
    Message,
    RewardResult,
    RewardScorer,
)
from judges.verdicts import (
    Verdict,
    expected,
    failed,
    level_verdict,
    map_reward,
    pairwise_from_choices,
    pairwise_from_rewards,
    ranking_from_scores,
    scale_points,
    snap,
)

# Question kinds each judge kind can answer.
REWARD_KINDS = frozenset({"pairwise", "ranking", "rating"})
CHOICE_KINDS = frozenset({"pairwise", "ranking", "rating", "rubric"})
HEAD_KINDS = frozenset({"pairwise", "ranking"})


@dataclass(frozen=True)
class CandidateText:
    key: str
    text: str


@dataclass(frozen=True)
class ItemInput:
    id: int
    prompt: Any  # a string or a list of chat messages
    candidates: list[CandidateText]
    rubric: list[dict[str, Any]]


Key = tuple[int, str]  # (item id, question id)


def conversation_with(prompt: Any, response: str) -> Conversation:
    """The item's conversation followed by one candidate as the assistant's turn."""
    if isinstance(prompt, str):
        turns: Conversation = [Message(role="user", content=prompt)]
    else:
        turns = [Message(role=m["role"], content=str(m.get("content", ""))) for m in prompt]
    return [*turns, Message(role="assistant", content=response)]


def verdict_checked(question: dict[str, Any], item: ItemInput, verdict: Verdict) -> Verdict:
    """Validate a verdict's value as if a person had given it; derived fields filled in."""
    if verdict.value is None:
        return verdict
    try:
        cleaned = validate_answers(
            questions=[{**question, "required": True}],
            candidate_keys=[c.key for c in item.candidates],
            item_criteria=item.rubric,
            answers={question["id"]: verdict.value},
        )
    except AnswersInvalid as invalid:
        return failed(f"the verdict does not fit the question: {invalid.errors}")
    verdict.value = cleaned[question["id"]]
    return verdict


# --- Reward models -----------------------------------------------------------------------------


def judge_with_rewards(
    engine: RewardScorer,
    items: Sequence[ItemInput],
    questions: Sequence[dict[str, Any]],
    config: dict[str, Any],
) -> dict[Key, Verdict]:
    """Score every candidate once, then read each question from the rewards."""
    slots = [(item, c) for item in items for c in item.candidates]
    results = engine.rewards([conversation_with(item.prompt, c.text) for item, c in slots])
    by_item: dict[int, dict[str, RewardResult | InputError]] = defaultdict(dict)
    for (item, candidate), result in zip(slots, results, strict=True):
        by_item[item.id][candidate.key] = result
    out: dict[Key, Verdict] = {}
    for item in items:
        scores = by_item[item.id]
        errors = [r.message for r in scores.values() if isinstance(r, InputError)]
        for question in questions:
            if errors:
                out[item.id, question["id"]] = failed(errors[0])
                continue
            rewards = {k: r.scores for k, r in scores.items() if isinstance(r, RewardResult)}
            verdict = _reward_verdict(question, item, rewards, config)
            out[item.id, question["id"]] = verdict_checked(question, item, verdict)
    return out


def _head(scores: list[float], head: int) -> float:
    if head >= len(scores):
        raise IndexError(f"the model has {len(scores)} head(s); head {head} was asked for")
    return scores[head]


def _reward_verdict(
    question: dict[str, Any],
    item: ItemInput,
    rewards: dict[str, list[float]],
    config: dict[str, Any],
) -> Verdict:
    keys = [c.key for c in item.candidates]
    head = int(config.get("head", 0))
    try:
        main = {k: _head(rewards[k], head) for k in keys}
        if question["kind"] == "pairwise":
            if len(keys) != 2:
                return _pairs_only(keys, lambda a, b: pairwise_from_rewards(a, b, main[a], main[b]))
            return pairwise_from_rewards(keys[0], keys[1], main[keys[0]], main[keys[1]])
        if question["kind"] == "ranking":
            return ranking_from_scores(main)
        if question["kind"] == "rating" and question.get("per", "candidate") == "candidate":
            mapping = config.get("ratings", {}).get(question["id"], {})
            scores: dict[str, dict[str, float]] = {k: {} for k in keys}
            raw: dict[str, dict[str, float]] = {k: {} for k in keys}
            for dim in question["dimensions"]:
                spec = mapping.get(dim["id"], {})
                for k in keys:
                    reward = _head(rewards[k], int(spec.get("head", head)))
                    raw[k][dim["id"]] = reward
                    scores[k][dim["id"]] = map_reward(
                        reward, dim, low=spec.get("low"), high=spec.get("high")
                    )
            return Verdict(value={"scores": scores}, details={"rewards": raw})
    except IndexError as exc:
        return failed(str(exc))
    return failed(f"a reward model cannot answer a {question['kind']} question of this shape")


def _pairs_only(keys: list[str], judge_pair: Any) -> Verdict:
    """More than two candidates: keep every pair's verdict; there is no single answer."""
    pairs = []
    for a, b in itertools.combinations(keys, 2):
        verdict: Verdict = judge_pair(a, b)
        pairs.append({"pair": [a, b], "p": verdict.details.get("p"), **(verdict.value or {})})
    return Verdict(value=None, details={"pairs": pairs})


# --- LLM judges (local or API) -----------------------------------------------------------------


@dataclass
class _Ask:
    """One prompt to put to the engine, and where its answer goes."""

    key: Key
    conversation: Conversation
    choices: tuple[str, ...]
    tag: tuple[Any, ...]


def judge_with_choices(
    engine: ChoiceScorer,
    items: Sequence[ItemInput],
    questions: Sequence[dict[str, Any]],
    config: dict[str, Any],
) -> dict[Key, Verdict]:
    """Build every prompt of the batch, ask them grouped by choices, then combine per question."""
    asks: list[_Ask] = []
    for item in items:
        for question in questions:
            asks += _asks_for(question, item, config)
    answers: dict[int, ChoiceResult | InputError] = {}
    by_choices: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, ask in enumerate(asks):
        by_choices[ask.choices].append(index)
    for choices, indexes in by_choices.items():
        results = engine.choice_probs([asks[i].conversation for i in indexes], list(choices))
        answers.update(zip(indexes, results, strict=True))
    grouped: dict[Key, list[tuple[_Ask, ChoiceResult | InputError]]] = defaultdict(list)
    for index, ask in enumerate(asks):
        grouped[ask.key].append((ask, answers[index]))
    out: dict[Key, Verdict] = {}
    for item in items:
        for question in questions:
            got = grouped.get((item.id, question["id"]), [])
            errors = [r.message for _, r in got if isinstance(r, InputError)]
            if errors:
                out[item.id, question["id"]] = failed(errors[0])
                continue
            tagged = [(ask.tag, r) for ask, r in got if isinstance(r, ChoiceResult)]
            verdict = _combine(question, item, tagged)
            out[item.id, question["id"]] = verdict_checked(question, item, verdict)
    if config.get("rationale"):
        _add_rationales(engine, items, questions, config, out)
    return out


def _add_rationales(
    engine: ChoiceScorer,
    items: Sequence[ItemInput],
    questions: Sequence[dict[str, Any]],
    config: dict[str, Any],
    out: dict[Key, Verdict],
) -> None:
    """A short explanation per two-candidate pairwise verdict, generated apart from it.

    The verdict never depends on this text: it was already read from the choice probabilities.
    """
    asks: list[tuple[Key, Conversation]] = []
    for item in items:
        if len(item.candidates) != 2:
            continue
        first, second = item.candidates
        for question in questions:
            key = (item.id, question["id"])
            if question["kind"] != "pairwise" or out[key].value is None:
                continue
            fields = prompts.pairwise_fields(
                prompt=item.prompt, first=first.text, second=second.text,
                question=question.get("prompt", ""), choices=["A", "B"],
            )  # fmt: skip
            system = str(config.get("system_prompt", ""))
            asks.append(
                (
                    key,
                    prompts.render(_template(config, "rationale"), system_prompt=system, **fields),
                )
            )
    if not asks:
        return
    texts = engine.generate([conversation for _, conversation in asks], max_new_tokens=160)
    for (key, _), text in zip(asks, texts, strict=True):
        if isinstance(text, InputError):
            out[key].details["rationale_error"] = text.message
        else:
            out[key].details["rationale"] = text.strip()


def _template(config: dict[str, Any], kind: str) -> str:
    return str(config.get("templates", {}).get(kind) or prompts.DEFAULT_TEMPLATES[kind])


def _asks_for(question: dict[str, Any], item: ItemInput, config: dict[str, Any]) -> list[_Ask]:
    key = (item.id, question["id"])
    system = str(config.get("system_prompt", ""))
    texts = {c.key: c.text for c in item.candidates}
    kind = question["kind"]
    asks: list[_Ask] = []
    if kind in {"pairwise", "ranking"}:
        tie = kind == "pairwise" and question.get("tie", True)
        choices = ("A", "B", "tie") if tie else ("A", "B")
        orders = [(0, 1), (1, 0)] if config.get("position_swap", True) else [(0, 1)]
        for a, b in itertools.combinations(list(texts), 2):
            for first, second in ((a, b), (b, a))[: len(orders)]:
                fields = prompts.pairwise_fields(
                    prompt=item.prompt, first=texts[first], second=texts[second],
                    question=question.get("prompt", ""), choices=choices,
                )  # fmt: skip
                conversation = prompts.render(
                    _template(config, "pairwise"), system_prompt=system, **fields
                )
                asks.append(_Ask(key, conversation, choices, ("pair", a, b, first)))
    elif kind == "rating" and question.get("per", "candidate") == "candidate":
        for dim in question["dimensions"]:
            points = scale_points(dim)
            names = prompts.level_choices(len(points))
            labels = [
                f"{p:g}"
                + (f" ({dim['labels'][f'{p:g}']})" if f"{p:g}" in dim.get("labels", {}) else "")
                for p in points
            ]
            for ckey, text in texts.items():
                fields = prompts.rating_fields(
                    prompt=item.prompt, response=text, question=question.get("prompt", ""),
                    dimension=dim.get("label") or dim["id"], names=names, labels=labels,
                )  # fmt: skip
                conversation = prompts.render(
                    _template(config, "rating"), system_prompt=system, **fields
                )
                asks.append(_Ask(key, conversation, tuple(names), ("rating", ckey, dim["id"])))
    elif kind == "rubric":
        for criterion in rubric_criteria(question, item.rubric):
            levels = criterion.get("levels") or ["fail", "pass"]
            names = prompts.level_choices(len(levels))
            for ckey, text in texts.items():
                fields = prompts.rubric_fields(
                    prompt=item.prompt, response=text, criterion=criterion["text"],
                    names=names, labels=levels,
                )  # fmt: skip
                conversation = prompts.render(
                    _template(config, "rubric"), system_prompt=system, **fields
                )
                asks.append(
                    _Ask(key, conversation, tuple(names), ("rubric", ckey, criterion["id"]))
                )
    return asks


def _combine(
    question: dict[str, Any], item: ItemInput, results: list[tuple[tuple[Any, ...], ChoiceResult]]
) -> Verdict:
    kind = question["kind"]
    keys = [c.key for c in item.candidates]
    if kind in {"pairwise", "ranking"}:
        by_pair: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(dict)
        for (_, a, b, first), result in results:
            by_pair[a, b]["forward" if first == a else "backward"] = result.probs
        verdicts = {
            pair: pairwise_from_choices(pair[0], pair[1], o["forward"], o.get("backward"))
            for pair, o in by_pair.items()
        }
        if kind == "ranking":
            # Copeland-style: each candidate's expected number of wins over the others.
            wins = dict.fromkeys(keys, 0.0)
            for (a, b), verdict in verdicts.items():
                wins[a] += verdict.details["p"][a]
                wins[b] += verdict.details["p"][b]
            return ranking_from_scores(wins)
        if len(keys) == 2:
            return verdicts[keys[0], keys[1]]
        return Verdict(
            value=None,
            details={"pairs": [{"pair": list(p), **v.details} for p, v in verdicts.items()]},
        )
    if kind == "rating":
        dims = {d["id"]: d for d in question["dimensions"]}
        scores: dict[str, dict[str, float]] = {k: {} for k in keys}
        details: dict[str, Any] = {"expected": {k: {} for k in keys}, "p": {k: {} for k in keys}}
        chosen: list[float] = []
        for (_, ckey, dim_id), result in results:
            points = scale_points(dims[dim_id])
            mean = expected(result.probs, points)
            scores[ckey][dim_id] = snap(mean, dims[dim_id])
            details["expected"][ckey][dim_id] = mean
            details["p"][ckey][dim_id] = result.probs
            chosen.append(result.probs[points.index(scores[ckey][dim_id])])
        return Verdict(
            value={"scores": scores},
            probability=min(chosen) if chosen else None,
            details=details,
        )
    if kind == "rubric":
        criteria = {c["id"]: c for c in rubric_criteria(question, item.rubric)}
        levels_out: dict[str, dict[str, str]] = {k: {} for k in keys}
        details = {"expected_points": dict.fromkeys(keys, 0.0), "p": {k: {} for k in keys}}
        chosen = []
        for (_, ckey, cid), result in results:
            levels = criteria[cid].get("levels") or ["fail", "pass"]
            best, probability = level_verdict(result.probs, range(len(levels)))
            levels_out[ckey][cid] = levels[best]
            fraction = expected(result.probs, [n / (len(levels) - 1) for n in range(len(levels))])
            details["expected_points"][ckey] += criteria[cid].get("points", 1) * fraction
            details["p"][ckey][cid] = result.probs
            chosen.append(probability)
        return Verdict(
            value={"criteria": levels_out},
            probability=min(chosen) if chosen else None,
            details=details,
        )
    return failed(f"an LLM judge cannot answer a {kind} question of this shape")


def supported_kinds(judge_kind: str) -> frozenset[str]:
    if judge_kind == "preference_head":
        return HEAD_KINDS
    return REWARD_KINDS if judge_kind == "reward_model" else CHOICE_KINDS


KIND_NAMES = {
    "reward_model": "reward model",
    "local_llm": "local LLM",
    "api": "API",
    "preference_head": "preference head",
}


def unsupported_question(judge_kind: str, question: dict[str, Any]) -> str | None:
    """Why a judge of this kind cannot answer ``question``, or None when it can."""
    if question["kind"] not in supported_kinds(judge_kind):
        name = KIND_NAMES.get(judge_kind, judge_kind)
        return f"a {name} judge cannot answer {question['kind']} questions"
    if question["kind"] == "rating" and question.get("per", "candidate") != "candidate":
        return "judges rate each candidate; this rating question is per item"
    if judge_kind != "reward_model" and question["kind"] == "rating":
        for dim in question["dimensions"]:
            try:
                prompts.level_choices(len(scale_points(dim)))
            except ValueError as exc:
                return f"dimension {dim['id']}: {exc}"
    return None
