"""ApiEngine against a scripted OpenAI-compatible server: readings, fallbacks, failures, limits."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from judges.engines.api import ApiConfigError, ApiEngine
from judges.engines.base import ChoiceResult, Conversation, InputError
from tests.judges.fake_openai import (
    FakeOpenAI,
    Reply,
    Request,
    by_marker,
    completion,
    error,
    rejecting_logprobs,
    slow,
    text_only,
    with_logprobs,
)

KEY = "sk-test-5f1c9a0e7d"
EngineFactory = Callable[..., ApiEngine]


def conv(text: str) -> Conversation:
    return [
        {"role": "system", "content": "You are a careful judge."},
        {"role": "user", "content": text},
    ]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def make_engine(server: FakeOpenAI) -> Iterator[EngineFactory]:
    engines: list[ApiEngine] = []

    def make(**overrides: Any) -> ApiEngine:
        options: dict[str, Any] = {
            "base_url": server.url,
            "model": "judge-model",
            "api_key": KEY,
            "backoff_s": 0.001,
            "timeout_s": 5,
            **overrides,
        }
        engine = ApiEngine(**options)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.close()


def probs_of(result: ChoiceResult | InputError) -> list[float]:
    assert isinstance(result, ChoiceResult), result
    return result.probs


def test_logprob_distribution_sums_variants_and_normalises(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = with_logprobs({" A": 0.5, "A": 0.1, " B": 0.2, "The": 0.15, "tie": 0.05})

    [result] = make_engine().choice_probs([conv("Which is better?")], ["A", "B"])

    assert isinstance(result, ChoiceResult)
    assert result.source == "logprobs"
    assert result.probs == pytest.approx([0.6 / 0.8, 0.2 / 0.8])
    assert result.coverage == pytest.approx(0.8)
    [request] = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "judge-model"
    assert request.body["messages"] == conv("Which is better?")
    assert request.body["max_tokens"] == 1
    assert request.body["temperature"] == 0
    assert request.body["logprobs"] is True
    assert request.body["top_logprobs"] == 20


def test_case_insensitive_match_only_when_nothing_matches_exactly(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    engine = make_engine()
    server.handler = with_logprobs({"a": 0.3, " b": 0.1, "The": 0.6})
    folded = engine.choice_probs([conv("q")], ["A", "B"])
    server.handler = with_logprobs({"A": 0.4, "a": 0.2, "B": 0.2, "The": 0.2})
    exact = engine.choice_probs([conv("q")], ["A", "B"])

    assert probs_of(folded[0]) == pytest.approx([0.75, 0.25])
    assert probs_of(exact[0]) == pytest.approx([2 / 3, 1 / 3])


def test_no_choice_among_top_tokens_is_an_input_error(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = with_logprobs({"The": 0.7, "I": 0.3})

    [result] = make_engine().choice_probs([conv("q")], ["A", "B"])

    assert isinstance(result, InputError)
    assert "'The'" in result.message


def test_missing_logprobs_falls_back_to_parsed_and_remembers(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = text_only("B")
    engine = make_engine()

    first = engine.choice_probs([conv("q")], ["A", "B"])
    asked_first = [r.asks_logprobs for r in server.requests]
    server.requests.clear()
    second = engine.choice_probs([conv("q1"), conv("q2")], ["A", "B"])

    assert first == [ChoiceResult(probs=[0.0, 1.0], source="parsed")]
    assert second == [ChoiceResult(probs=[0.0, 1.0], source="parsed")] * 2
    assert asked_first == [True, False]
    assert [r.asks_logprobs for r in server.requests] == [False, False]
    assert all(r.body["max_tokens"] == 16 for r in server.requests)


def test_logprobs_rejected_with_400_falls_back_and_remembers(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = rejecting_logprobs("A")
    engine = make_engine()

    first = engine.choice_probs([conv("q")], ["A", "B"])
    server.requests.clear()
    second = engine.choice_probs([conv("q")], ["A", "B"])

    assert first == second == [ChoiceResult(probs=[1.0, 0.0], source="parsed")]
    assert [r.asks_logprobs for r in server.requests] == [False]


def test_logprobs_always_does_not_fall_back(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    server.handler = text_only("A")

    [result] = make_engine(logprobs="always").choice_probs([conv("q")], ["A", "B"])

    assert isinstance(result, InputError)
    assert "no logprobs" in result.message
    assert len(server.requests) == 1


def test_logprobs_never_asks_for_text_only(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    server.handler = with_logprobs({"A": 0.9, "B": 0.1})

    [result] = make_engine(logprobs="never").choice_probs([conv("q")], ["A", "B"])

    assert result == ChoiceResult(probs=[1.0, 0.0], source="parsed")
    assert not server.requests[0].asks_logprobs


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("tie", [0.0, 0.0, 1.0]),
        ("  Tie\n", [0.0, 0.0, 1.0]),
        ("The better one is B.", [0.0, 1.0, 0.0]),
        ("Answer: A", [1.0, 0.0, 0.0]),
    ],
)
def test_parsed_answers_map_to_one_choice(
    server: FakeOpenAI, make_engine: EngineFactory, answer: str, expected: list[float]
) -> None:
    server.handler = text_only(answer)

    [result] = make_engine(logprobs="never").choice_probs([conv("q")], ["A", "B", "tie"])

    assert result == ChoiceResult(probs=expected, source="parsed")


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("A and B are equally good", "ambiguous"), ("Neither of them.", "none of the choices")],
)
def test_unclear_parsed_answers_are_input_errors(
    server: FakeOpenAI, make_engine: EngineFactory, answer: str, reason: str
) -> None:
    server.handler = text_only(answer)

    [result] = make_engine(logprobs="never").choice_probs([conv("q")], ["A", "B"])

    assert isinstance(result, InputError)
    assert reason in result.message


def test_retries_after_429_and_500_honouring_retry_after(
    server: FakeOpenAI, make_engine: EngineFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server.queue([error(429, "slow down", {"Retry-After": "0.3"}), error(500, "oops")])
    server.handler = with_logprobs({"A": 0.25, "B": 0.75})
    engine = make_engine()

    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="judges.engines.api"):
        [result] = engine.choice_probs([conv("q")], ["A", "B"])
    elapsed = time.perf_counter() - started

    assert probs_of(result) == pytest.approx([0.25, 0.75])
    assert elapsed >= 0.3
    assert engine.last_stats.extra == {"requests": 3.0, "retries": 2.0}
    assert "HTTP 429" in caplog.records[0].getMessage()
    assert "attempt 1 of 6" in caplog.records[0].getMessage()
    assert "HTTP 500" in caplog.records[1].getMessage()


def test_exhausted_retries_fail_only_that_input(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = by_marker(
        {"OVERLOADED": lambda request: error(503, "overloaded")},
        with_logprobs({"A": 0.5, "B": 0.5}),
    )
    engine = make_engine(max_retries=2)

    results = engine.choice_probs([conv("q1"), conv("q2 OVERLOADED"), conv("q3")], ["A", "B"])

    assert probs_of(results[0]) == probs_of(results[2]) == pytest.approx([0.5, 0.5])
    assert isinstance(results[1], InputError)
    assert "3 times" in results[1].message
    assert "HTTP 503" in results[1].message
    overloaded = [r for r in server.requests if "OVERLOADED" in r.last_user_message]
    assert len(overloaded) == 3


def test_timeout_is_an_input_error(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    fine = with_logprobs({"A": 1.0})
    server.handler = by_marker({"SLOW": slow(fine, 3.0)}, fine)
    engine = make_engine(timeout_s=0.2, max_retries=1)

    results = engine.choice_probs([conv("SLOW"), conv("quick")], ["A", "B"])

    assert isinstance(results[0], InputError)
    assert "timed out" in results[0].message
    assert probs_of(results[1]) == [1.0, 0.0]


def test_unreachable_endpoint_is_an_input_error(make_engine: EngineFactory) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    engine = make_engine(base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)

    [result] = engine.choice_probs([conv("q")], ["A", "B"])

    assert isinstance(result, InputError)
    assert "connection error" in result.message
    assert engine.last_stats.extra == {"requests": 2.0, "retries": 1.0}


def test_malformed_bodies_fail_only_their_input(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    bad_shape = completion("A")
    bad_shape["choices"][0]["logprobs"] = {"content": [{"token": "A", "top_logprobs": "A"}]}
    server.handler = by_marker(
        {
            "NOT_JSON": lambda request: Reply(raw=b"<html>Bad gateway</html>"),
            "NO_CHOICES": lambda request: Reply(body={"id": "x", "object": "chat.completion"}),
            "EMPTY_CHOICES": lambda request: Reply(body={"choices": []}),
            "BAD_LOGPROBS": lambda request: Reply(body=bad_shape),
        },
        with_logprobs({"A": 0.8, "B": 0.2}),
    )
    markers = ["NOT_JSON", "NO_CHOICES", "fine", "EMPTY_CHOICES", "BAD_LOGPROBS"]

    results = make_engine().choice_probs([conv(m) for m in markers], ["A", "B"])

    assert probs_of(results[2]) == pytest.approx([0.8, 0.2])
    errors = [r for i, r in enumerate(results) if i != 2]
    assert all(
        isinstance(r, InputError) and r.message.startswith("malformed answer from the API")
        for r in errors
    ), errors


def test_unrelated_400_is_an_input_error(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    server.handler = by_marker(
        {"LONG": lambda request: error(400, "prompt is longer than the context window")},
        with_logprobs({"A": 1.0}),
    )

    results = make_engine().choice_probs([conv("LONG"), conv("ok")], ["A", "B"])

    assert isinstance(results[0], InputError)
    assert "HTTP 400" in results[0].message
    assert "context window" in results[0].message
    assert probs_of(results[1]) == [1.0, 0.0]
    assert [r.asks_logprobs for r in server.requests] == [True, True]


@pytest.mark.parametrize("status", [401, 403, 404])
def test_configuration_errors_fail_the_whole_call(
    server: FakeOpenAI, make_engine: EngineFactory, status: int
) -> None:
    server.handler = lambda request: error(status, f"invalid key {KEY}")

    with pytest.raises(ApiConfigError, match=f"HTTP {status}") as raised:
        make_engine().choice_probs([conv(f"q{i}") for i in range(10)], ["A", "B"])

    assert KEY not in str(raised.value)


def test_concurrency_is_bounded_and_requests_overlap(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = slow(with_logprobs({"A": 0.5, "B": 0.5}), 0.1)
    engine = make_engine(max_concurrency=3)

    started = time.perf_counter()
    results = engine.choice_probs([conv(f"q{i}") for i in range(20)], ["A", "B"])
    elapsed = time.perf_counter() - started

    assert all(isinstance(r, ChoiceResult) for r in results)
    assert server.max_in_flight == 3
    # 20 requests of 0.1 s in 7 waves of at most 3: well under the 2 s they take one by one.
    assert 0.6 <= elapsed < 1.5
    assert engine.last_stats.inputs == 20
    assert engine.last_stats.extra["requests"] == 20


def test_results_come_back_in_input_order(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    def echo_late_for_early(request: Request) -> Reply:
        index = int(request.last_user_message.removeprefix("item "))
        return Reply(body=completion(f"seen {index}"), delay_s=(8 - index) * 0.02)

    server.handler = echo_late_for_early

    texts = make_engine().generate([conv(f"item {i}") for i in range(8)], max_new_tokens=5)

    assert texts == [f"seen {i}" for i in range(8)]
    assert all(r.body["max_tokens"] == 5 and not r.asks_logprobs for r in server.requests)


def test_key_is_sent_as_bearer_and_never_shown(
    server: FakeOpenAI, make_engine: EngineFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def echo_key(request: Request) -> Reply:
        return error(400, f"bad request with {request.headers['authorization']}")

    server.queue([error(429, f"key {KEY} is throttled", {"Retry-After": "0"})])
    server.handler = echo_key
    engine = make_engine()

    with caplog.at_level(logging.DEBUG):
        [result] = engine.choice_probs([conv("q")], ["A", "B"])

    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in server.requests)
    assert isinstance(result, InputError)
    assert "Bearer ***" in result.message
    assert KEY not in result.message
    assert KEY not in repr(engine)
    assert caplog.records  # the retry was logged
    assert KEY not in caplog.text


def test_no_key_sends_no_authorization(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    engine = make_engine(api_key=None)

    engine.choice_probs([conv("q")], ["A", "B"])

    assert "authorization" not in server.requests[0].headers
    assert "api_key=None" in repr(engine)


def test_extra_params_reach_the_request_but_cannot_override_the_reading(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    engine = make_engine(extra_params={"temperature": 0.7, "seed": 3})

    engine.choice_probs([conv("q")], ["A", "B"])

    assert server.requests[0].body["temperature"] == 0.7
    assert server.requests[0].body["seed"] == 3
    with pytest.raises(ValueError, match="max_tokens"):
        make_engine(extra_params={"max_tokens": 100})


def test_empty_input_makes_no_request(server: FakeOpenAI, make_engine: EngineFactory) -> None:
    engine = make_engine()

    assert engine.choice_probs([], ["A", "B"]) == []
    assert engine.generate([]) == []
    assert server.requests == []


def test_coverage_is_the_mass_on_the_choices(
    server: FakeOpenAI, make_engine: EngineFactory
) -> None:
    server.handler = with_logprobs({"A": 0.05, "B": 0.05, "Sure": 0.9})

    [result] = make_engine().choice_probs([conv("q")], ["A", "B"])

    assert isinstance(result, ChoiceResult)
    assert result.probs == pytest.approx([0.5, 0.5])
    assert result.coverage == pytest.approx(0.05 + 0.05)
