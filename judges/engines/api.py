"""A judge behind any OpenAI-compatible chat-completions endpoint (vLLM, TGI, llama.cpp, hosted).

The verdict is read from the first answer token's ``top_logprobs`` when the endpoint gives them,
so an API judge yields the same kind of distribution as a local model. Endpoints that give no
logprobs (or refuse the parameters) are asked for a short answer whose text is matched to one
choice instead; the engine remembers that, so it does not pay for a refused request every time.

This module is imported by the web process (to check a judge's configuration), so it must not
import torch or transformers; it needs only httpx and pydantic.
"""

from __future__ import annotations

import logging
import math
import random
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, TypeVar

import httpx
from pydantic import BaseModel, Field, ValidationError

from judges.engines.base import ChoiceResult, Conversation, EngineStats, InputError

logger = logging.getLogger(__name__)

LogprobsMode = Literal["auto", "always", "never"]
T = TypeVar("T")

# Statuses that say "try again later" rather than "this request is wrong".
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Statuses that would fail every input alike (bad key, unknown model or path): stop the call.
_CONFIG_STATUSES = frozenset({401, 403, 404})
# Statuses some servers use for "this parameter is not supported" (TGI answers 422).
_REJECT_STATUSES = frozenset({400, 422})
# Request fields the engine owns; letting extra params set them would break the reading.
_RESERVED_PARAMS = frozenset(
    {"model", "messages", "max_tokens", "logprobs", "top_logprobs", "n", "stream"}
)
_RETRY_LOG = "%s from %s (attempt %d of %d); retrying in %.2f s"
_NO_LOGPROBS_LOG = "%s at %s gives no logprobs; reading parsed answers from now on"


class ApiConfigError(RuntimeError):
    """The endpoint refused the call as configured (key, model, URL): every input would fail."""


class _TopLogprob(BaseModel):
    token: str
    logprob: float


class _TokenLogprobs(_TopLogprob):
    top_logprobs: list[_TopLogprob] = Field(default_factory=list)


class _Logprobs(BaseModel):
    content: list[_TokenLogprobs] | None = None


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message
    logprobs: _Logprobs | None = None


class _Usage(BaseModel):
    total_tokens: int = 0


class _Completion(BaseModel):
    """The part of a chat completion the engine reads; anything else is ignored."""

    choices: list[_Choice] = Field(min_length=1)
    usage: _Usage | None = None


class _Call:
    """Counters and the abort signal shared by the threads serving one engine call."""

    def __init__(self) -> None:
        self.aborted = threading.Event()
        self.requests = 0
        self.retries = 0
        self.tokens = 0
        self._lock = threading.Lock()

    def count(self, *, requests: int = 0, retries: int = 0, tokens: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.retries += retries
            self.tokens += tokens


class ApiEngine:
    """``ChoiceScorer`` over HTTP; safe to build in any process, sync methods for Celery."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None,
        max_concurrency: int = 8,
        timeout_s: float = 60,
        max_retries: int = 5,
        backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
        logprobs: LogprobsMode = "auto",
        top_logprobs: int = 20,
        parsed_max_tokens: int = 16,
        extra_params: Mapping[str, object] | None = None,
    ) -> None:
        if max_concurrency < 1 or max_retries < 0 or timeout_s <= 0 or backoff_s < 0:
            raise ValueError("max_concurrency >= 1, max_retries >= 0, timeout_s > 0 expected")
        if logprobs not in ("auto", "always", "never"):
            raise ValueError(f"logprobs must be 'auto', 'always' or 'never', not {logprobs!r}")
        reserved = sorted(_RESERVED_PARAMS & set(extra_params or {}))
        if reserved:
            raise ValueError(f"extra_params may not set {', '.join(reserved)}: the engine does")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.max_concurrency = max_concurrency
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.logprobs: LogprobsMode = logprobs
        self.top_logprobs = top_logprobs
        self.parsed_max_tokens = parsed_max_tokens
        self.extra_params: dict[str, object] = {"temperature": 0, **(extra_params or {})}
        self.last_stats = EngineStats()
        self._api_key = api_key or None
        # Flipped once, for the life of the engine, when the endpoint shows it has no logprobs.
        self._logprobs_unsupported = False
        self._url = f"{self.base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(
                max_connections=max_concurrency, max_keepalive_connections=max_concurrency
            ),
        )

    def __repr__(self) -> str:
        key = "'***'" if self._api_key else "None"
        return (
            f"ApiEngine(base_url={self.base_url!r}, model={self.model!r}, api_key={key}, "
            f"max_concurrency={self.max_concurrency}, logprobs={self.logprobs!r})"
        )

    def close(self) -> None:
        """Release pooled connections (engines are cached per worker, so rarely needed)."""
        self._client.close()

    def choice_probs(
        self, conversations: list[Conversation], choices: list[str]
    ) -> list[ChoiceResult | InputError]:
        """P(answer = each choice) per conversation, from logprobs or else a parsed answer."""
        if not choices:
            raise ValueError("choices must not be empty")
        return self._map(lambda conv, call: self._score(conv, choices, call), conversations)

    def generate(
        self, conversations: list[Conversation], *, max_new_tokens: int = 256
    ) -> list[str | InputError]:
        """Free text answers (rationales), one request per conversation."""

        def one(conv: Conversation, call: _Call) -> str | InputError:
            answer = self._complete(self._body(conv, max_new_tokens), call)
            return answer if isinstance(answer, InputError) else self._text(answer)

        return self._map(one, conversations)

    def _map(
        self, work: Callable[[Conversation, _Call], T], conversations: Sequence[Conversation]
    ) -> list[T]:
        """Run ``work`` on every input, at most ``max_concurrency`` at once, in input order.

        A thread pool rather than asyncio: the callers are sync (Celery) and may or may not be
        inside an event loop, and one worker per slot keeps the in-flight bound obvious.
        """
        call = _Call()
        started = time.perf_counter()
        if not conversations:
            self.last_stats = EngineStats()
            return []
        workers = min(self.max_concurrency, len(conversations))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="api-engine")
        try:
            futures = [pool.submit(work, conv, call) for conv in conversations]
            wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                if future.done() and future.exception() is not None:
                    future.result()  # re-raises the worker's exception here
            return [future.result() for future in futures]
        except BaseException:
            call.aborted.set()  # the other threads stop retrying and waiting
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            self.last_stats = EngineStats(
                inputs=len(conversations),
                tokens=call.tokens,
                seconds=time.perf_counter() - started,
                extra={"requests": float(call.requests), "retries": float(call.retries)},
            )

    def _score(
        self, conv: Conversation, choices: list[str], call: _Call
    ) -> ChoiceResult | InputError:
        if self.logprobs == "always" or (
            self.logprobs == "auto" and not self._logprobs_unsupported
        ):
            result = self._score_by_logprobs(conv, choices, call)
            if result is not None:
                return result
            if not self._logprobs_unsupported:
                logger.warning(_NO_LOGPROBS_LOG, self.model, self.base_url)
            self._logprobs_unsupported = True
        answer = self._complete(self._body(conv, self.parsed_max_tokens), call)
        text = answer if isinstance(answer, InputError) else self._text(answer)
        return text if isinstance(text, InputError) else self._parse_verdict(text, choices)

    def _score_by_logprobs(
        self, conv: Conversation, choices: list[str], call: _Call
    ) -> ChoiceResult | InputError | None:
        """The logprob reading; ``None`` when the endpoint has none and falling back is allowed."""
        response = self._send(self._body(conv, 1, logprobs=True), call)
        if isinstance(response, InputError):
            return response
        if (
            self.logprobs == "auto"
            and response.status_code in _REJECT_STATUSES
            and "logprob" in response.text.lower()
        ):
            return None
        answer = self._read(response, call)
        if isinstance(answer, InputError):
            return answer
        logprobs = answer.choices[0].logprobs
        if logprobs is not None and logprobs.content is not None:
            return self._distribution(logprobs.content, choices)
        if self.logprobs == "always":
            return self._error("the endpoint gave no logprobs (logprobs='always')")
        return None

    def _body(
        self, conv: Conversation, max_tokens: int, *, logprobs: bool = False
    ) -> dict[str, object]:
        body: dict[str, object] = {
            **self.extra_params,
            "model": self.model,
            "messages": conv,
            "max_tokens": max_tokens,
        }
        if logprobs:
            body.update(logprobs=True, top_logprobs=self.top_logprobs)
        return body

    def _complete(self, body: dict[str, object], call: _Call) -> _Completion | InputError:
        response = self._send(body, call)
        return response if isinstance(response, InputError) else self._read(response, call)

    def _read(self, response: httpx.Response, call: _Call) -> _Completion | InputError:
        """Validate a final (non-retried) answer; anything unusable is that input's error."""
        if response.status_code != 200:
            detail = _snippet(response.text)
            return self._error(f"HTTP {response.status_code} from the API: {detail}")
        try:
            answer = _Completion.model_validate_json(response.content)
        except ValidationError as exc:
            return self._error(f"malformed answer from the API: {_summary(exc)}")
        if answer.usage is not None:
            call.count(tokens=answer.usage.total_tokens)
        return answer

    def _text(self, answer: _Completion) -> str | InputError:
        text = answer.choices[0].message.content
        return text if text is not None else self._error("malformed answer from the API: no text")

    def _send(self, body: dict[str, object], call: _Call) -> httpx.Response | InputError:
        """POST with retries on overload, server errors, timeouts and dropped connections."""
        reason, attempts = "", self.max_retries + 1
        for attempt in range(attempts):
            if call.aborted.is_set():
                return InputError("cancelled")
            call.count(requests=1)
            retry_after: float | None = None
            try:
                response = self._client.post(self._url, json=body)
            except httpx.TimeoutException:
                reason = f"timed out after {self.timeout_s:g} s"
            except httpx.TransportError as exc:
                reason = f"connection error ({type(exc).__name__})"
            else:
                if response.status_code in _CONFIG_STATUSES:
                    raise ApiConfigError(self._config_message(response))
                if response.status_code not in _RETRY_STATUSES:
                    return response
                reason = f"HTTP {response.status_code}"
                retry_after = _retry_after(response.headers.get("retry-after"))
            if attempt + 1 == attempts:
                break
            delay = self._delay(attempt, retry_after)
            logger.warning(_RETRY_LOG, reason, self.base_url, attempt + 1, attempts, delay)
            call.count(retries=1)
            if call.aborted.wait(delay):
                return InputError("cancelled")
        return self._error(f"the API failed {attempts} times; last: {reason}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff_s)
        ceiling = min(self.max_backoff_s, self.backoff_s * 2**attempt)
        # Jitter so that inputs throttled together do not come back together.
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - timing jitter, not security

    def _config_message(self, response: httpx.Response) -> str:
        status = response.status_code
        if status == 401:  # no body: some providers echo part of the key in it
            return self._redact(f"HTTP 401 from {self.base_url}: the API key was refused")
        what = "access denied" if status == 403 else "not found (check base_url and model)"
        detail = _snippet(response.text)
        return self._redact(f"HTTP {status} from {self.base_url}: {what}: {detail}")

    def _distribution(
        self, content: list[_TokenLogprobs], choices: list[str]
    ) -> ChoiceResult | InputError:
        """Normalise the first token's probability mass over the choices.

        Tokens carry their leading space (" A"), so they are compared stripped, and variants of
        one choice add up. Case-insensitive matching is a second try, only when nothing matched
        exactly, so "a" does not steal mass from "A" when the model is clearly answering "A".
        """
        if not content:
            return self._error("malformed answer from the API: logprobs without a token")
        first = content[0]
        candidates = [(t.token, t.logprob) for t in first.top_logprobs] or [
            (first.token, first.logprob)
        ]
        for fold in (False, True):
            keys = [_key(choice, fold) for choice in choices]
            mass = [0.0] * len(choices)
            for token, logprob in candidates:
                hits = [i for i, key in enumerate(keys) if key == _key(token, fold)]
                if len(hits) == 1:
                    mass[hits[0]] += math.exp(logprob)
            total = sum(mass)
            if total > 0:
                return ChoiceResult(
                    probs=[m / total for m in mass], source="logprobs", coverage=min(total, 1.0)
                )
        return self._error(
            f"none of the choices is among the model's top {len(candidates)} tokens "
            f"(it wanted to say {first.token!r})"
        )

    def _parse_verdict(self, text: str, choices: list[str]) -> ChoiceResult | InputError:
        """Match an answer text to exactly one choice, or say why it cannot be."""
        answer = text.strip()
        for fold in (False, True):
            hits = [i for i, c in enumerate(choices) if _key(c, fold) == _key(answer, fold)]
            if len(hits) == 1:
                return _one_hot(hits[0], len(choices))
        hits = [
            i
            for i, choice in enumerate(choices)
            if re.search(rf"(?<!\w){re.escape(choice.strip())}(?!\w)", answer)
        ]
        if len(hits) == 1:
            return _one_hot(hits[0], len(choices))
        if hits:
            named = ", ".join(repr(choices[i]) for i in hits)
            return self._error(f"ambiguous answer (names {named}): {_snippet(answer, 80)!r}")
        return self._error(f"the answer names none of the choices: {_snippet(answer, 80)!r}")

    def _error(self, message: str) -> InputError:
        return InputError(self._redact(message))

    def _redact(self, text: str) -> str:
        """Belt and braces: an endpoint may echo the key back in an error body."""
        return text.replace(self._api_key, "***") if self._api_key else text


def _key(text: str, fold: bool) -> str:
    text = text.strip()
    return text.casefold() if fold else text


def _one_hot(index: int, size: int) -> ChoiceResult:
    return ChoiceResult(probs=[float(i == index) for i in range(size)], source="parsed")


def _snippet(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _summary(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
