"""Verdicts from engine numbers, with hand-made engines whose answers are known."""

from __future__ import annotations

import math
from typing import Any

import pytest

from annotator.questions import validate_questions
from judges.engines.base import ChoiceResult, Conversation, InputError, RewardResult
from judges.judging import (
    CandidateText,
    ItemInput,
    judge_with_choices,
    judge_with_rewards,
    unsupported_question,
)
from judges.verdicts import Verdict, map_reward, pairwise_from_choices, scale_points, sigmoid, snap

QUESTIONS = validate_questions(
    [
        {"id": "pref", "kind": "pairwise", "tie": True},
        {"id": "rank", "kind": "ranking"},
        {
            "id": "rate",
            "kind": "rating",
            "dimensions": [{"id": "help", "min": 1, "max": 5}, {"id": "safe", "min": 0, "max": 1}],
        },
        {
            "id": "rub",
            "kind": "rubric",
            "criteria": [
                {"id": "cites", "text": "Cites a source", "points": 2},
                {"id": "tone", "text": "Polite", "levels": ["rude", "neutral", "kind"]},
            ],
        },
    ]
)
BY_ID = {q["id"]: q for q in QUESTIONS}


def value(verdict: Verdict) -> dict[str, Any]:
    assert verdict.value is not None, verdict.error
    return verdict.value


def item(item_id: int, *texts: str) -> ItemInput:
    return ItemInput(
        id=item_id,
        prompt="What is 2 + 2?",
        candidates=[CandidateText(key=chr(ord("a") + n), text=t) for n, t in enumerate(texts)],
        rubric=[],
    )


class LengthReward:
    """Reward = number of words; inputs containing TOO-LONG fail."""

    def __init__(self, heads: int = 1) -> None:
        self.heads = heads
        self.calls = 0

    def rewards(self, conversations: list[Conversation]) -> list[RewardResult | InputError]:
        self.calls += 1
        out: list[RewardResult | InputError] = []
        for conversation in conversations:
            text = conversation[-1]["content"]
            assert conversation[-1]["role"] == "assistant"
            if "TOO-LONG" in text:
                out.append(InputError("is 9000 tokens; the model takes at most 512"))
            else:
                out.append(
                    RewardResult([float(len(text.split())) * (h + 1) for h in range(self.heads)])
                )
        return out


class Scripted:
    """A choice scorer that prefers the response holding "good", with a pull towards A."""

    def __init__(self, first_pull: float = 0.0) -> None:
        self.first_pull = first_pull
        self.seen: list[tuple[str, tuple[str, ...]]] = []

    def choice_probs(
        self, conversations: list[Conversation], choices: list[str]
    ) -> list[ChoiceResult | InputError]:
        out: list[ChoiceResult | InputError] = []
        for conversation in conversations:
            text = conversation[-1]["content"]
            self.seen.append((text, tuple(choices)))
            if "BROKEN" in text:
                out.append(InputError("malformed answer from the API"))
            elif choices[:2] == ["A", "B"]:
                a = text.split("[Response A]")[1].split("[Response B]")[0]
                base = 0.8 if "good" in a else 0.2
                p_a = min(1.0, base + self.first_pull)
                probs = [p_a * 0.9, (1 - p_a) * 0.9]
                if len(choices) == 3:
                    probs.append(0.1)
                total = sum(probs)
                out.append(ChoiceResult([p / total for p in probs]))
            else:
                # Levels: the best level for "good" responses, the worst otherwise.
                best = len(choices) - 1 if "good" in text.split("[Response]")[1] else 0
                probs = [0.05 / (len(choices) - 1)] * len(choices)
                probs[best] = 0.95
                out.append(ChoiceResult(probs))
        return out

    def generate(
        self, conversations: list[Conversation], *, max_new_tokens: int = 256
    ) -> list[str | InputError]:
        return ["because" for _ in conversations]


def test_reward_pairwise_is_bradley_terry_on_the_rewards() -> None:
    engine = LengthReward()
    out = judge_with_rewards(engine, [item(1, "one two three", "one")], [BY_ID["pref"]], {})

    verdict = out[1, "pref"]
    assert engine.calls == 1
    assert verdict.value == {"winner": "a"}
    assert verdict.probability == pytest.approx(sigmoid(3 - 1))
    assert verdict.details["rewards"] == {"a": 3.0, "b": 1.0}


def test_reward_ranking_orders_by_reward_and_rating_maps_to_the_scale() -> None:
    config = {"ratings": {"rate": {"help": {"low": 0, "high": 4}, "safe": {"head": 1}}}}
    out = judge_with_rewards(
        LengthReward(heads=2),
        [item(1, "a b", "a b c d", "a")],
        [BY_ID["rank"], BY_ID["rate"]],
        config,
    )

    assert out[1, "rank"].value == {"order": [["b"], ["a"], ["c"]]}
    scores = value(out[1, "rate"])["scores"]
    # help: linear from low=0 -> 1 to high=4 -> 5, so reward r maps to 1 + r.
    assert {k: v["help"] for k, v in scores.items()} == {"a": 3, "b": 5, "c": 2}
    # safe: head 1 (2 x words) through the logistic squash onto 0..1, snapped to a point.
    assert scores["c"]["safe"] == snap(sigmoid(2.0), BY_ID["rate"]["dimensions"][1])


def test_reward_errors_fail_only_that_item() -> None:
    out = judge_with_rewards(
        LengthReward(), [item(1, "fine", "TOO-LONG"), item(2, "x y", "z")], [BY_ID["pref"]], {}
    )

    assert out[1, "pref"].value is None
    assert "at most 512" in out[1, "pref"].error
    assert out[2, "pref"].value == {"winner": "a"}


def test_asking_for_a_missing_head_fails_the_item_with_a_reason() -> None:
    out = judge_with_rewards(
        LengthReward(heads=1), [item(1, "a", "b")], [BY_ID["pref"]], {"head": 3}
    )

    assert "head 3" in out[1, "pref"].error


def test_pairwise_is_judged_in_both_orders_and_the_bias_is_kept() -> None:
    engine = Scripted(first_pull=0.1)
    out = judge_with_choices(
        engine, [item(1, "a good answer", "a bad answer")], [BY_ID["pref"]], {}
    )

    verdict = out[1, "pref"]
    assert len(engine.seen) == 2
    assert all(c == ("A", "B", "tie") for _, c in engine.seen)
    assert verdict.value == {"winner": "a"}
    assert verdict.swap_inconsistency is not None
    assert verdict.swap_inconsistency > 0
    assert verdict.details["first_position"] > 0.5  # the pull towards A shows
    assert verdict.details["flipped"] is False
    assert sum(verdict.details["p"].values()) == pytest.approx(1)


def test_without_position_swap_one_order_is_asked() -> None:
    engine = Scripted()
    out = judge_with_choices(
        engine, [item(1, "good", "bad")], [BY_ID["pref"]], {"position_swap": False}
    )

    assert len(engine.seen) == 1
    assert out[1, "pref"].swap_inconsistency is None


def test_swap_combination_against_hand_worked_numbers() -> None:
    # Forward (x shown first): x .6, y .3, tie .1. Backward (y first): y .5, x .4, tie .1.
    verdict = pairwise_from_choices("x", "y", [0.6, 0.3, 0.1], [0.5, 0.4, 0.1])

    assert verdict.details["p"] == pytest.approx({"x": 0.5, "y": 0.4, "tie": 0.1})
    assert verdict.value == {"winner": "x"}
    assert verdict.swap_inconsistency == pytest.approx(0.5 * (0.2 + 0.2 + 0))
    assert verdict.details["flipped"] is True
    assert verdict.details["first_position"] == pytest.approx((0.6 / 0.9 + 0.5 / 0.9) / 2)


def test_ranking_rating_and_rubric_from_levels() -> None:
    out = judge_with_choices(
        Scripted(),
        [item(7, "good one", "meh", "good too")],
        [BY_ID["rank"], BY_ID["rate"], BY_ID["rub"]],
        {},
    )

    order = value(out[7, "rank"])["order"]
    assert order[-1] == ["b"]
    rating = value(out[7, "rate"])["scores"]
    assert rating["a"] == {"help": 5, "safe": 1}
    assert rating["b"] == {"help": 1, "safe": 0}
    rubric = value(out[7, "rub"])
    assert rubric["criteria"]["a"] == {"cites": "pass", "tone": "kind"}
    assert rubric["totals"]["a"] == 3
    assert rubric["totals"]["b"] == 0
    assert 0 <= out[7, "rub"].probability <= 1  # type: ignore[operator]


def test_a_failed_prompt_fails_its_item_only() -> None:
    out = judge_with_choices(
        Scripted(), [item(1, "BROKEN", "good"), item(2, "good", "bad")], [BY_ID["pref"]], {}
    )

    assert out[1, "pref"].error == "malformed answer from the API"
    assert out[2, "pref"].value == {"winner": "a"}


def test_custom_templates_and_system_prompt_are_used() -> None:
    engine = Scripted()
    config = {
        "templates": {
            "pairwise": "Q: {prompt}\n[Response A]{response_a}[Response B]{response_b} {choices}"
        },
        "system_prompt": "Be strict.",
        "position_swap": False,
    }
    judge_with_choices(engine, [item(1, "good", "bad")], [BY_ID["pref"]], config)

    text, _ = engine.seen[0]
    assert text.startswith("Q: What is 2 + 2?")
    assert text.endswith("A, B or tie")


def test_more_than_two_candidates_keep_every_pair() -> None:
    out = judge_with_choices(Scripted(), [item(1, "good", "bad", "good")], [BY_ID["pref"]], {})

    assert out[1, "pref"].value is None
    assert len(out[1, "pref"].details["pairs"]) == 3


def test_scale_helpers() -> None:
    dim = {"min": 0, "max": 1, "step": 0.25}
    assert scale_points(dim) == [0, 0.25, 0.5, 0.75, 1]
    assert snap(0.6, dim) == 0.5
    assert map_reward(10.0, {"min": 1, "max": 5}, low=0, high=5) == 5
    assert map_reward(0.0, {"min": 1, "max": 5}, low=None, high=None) == 3
    assert math.isclose(sigmoid(-800), 0.0, abs_tol=1e-300)  # no overflow


@pytest.mark.parametrize(
    ("kind", "question", "reason"),
    [
        ("reward_model", {"id": "r", "kind": "rubric"}, "cannot answer rubric"),
        ("api", {"id": "t", "kind": "text"}, "cannot answer text"),
        ("local_llm", {"id": "x", "kind": "rating", "per": "item", "dimensions": []}, "per item"),
        (
            "local_llm",
            {"id": "x", "kind": "rating", "dimensions": [{"id": "d", "min": 0, "max": 100}]},
            "at most 26 levels",
        ),
    ],
)
def test_unsupported_questions_say_why(kind: str, question: dict[str, Any], reason: str) -> None:
    assert reason in (unsupported_question(kind, question) or "")


def test_rationales_are_generated_apart_from_the_verdict() -> None:
    engine = Scripted()
    items = [item(1, "good", "bad"), item(2, "good", "bad", "good")]

    out = judge_with_choices(engine, items, [BY_ID["pref"], BY_ID["rate"]], {"rationale": True})

    assert out[1, "pref"].details["rationale"] == "because"
    assert out[1, "pref"].value == {"winner": "a"}  # from the probabilities, as without it
    assert "rationale" not in out[1, "rate"].details  # pairwise verdicts only
    assert "rationale" not in out[2, "pref"].details  # no single pair to explain
