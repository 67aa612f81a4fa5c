"""A scripted OpenAI-compatible chat-completions server, for testing API judges offline.

It runs in a thread on 127.0.0.1 (a free port), answers every request through a handler the test
chooses (or a queue of canned replies first), and records what it received: bodies, headers and
the largest number of requests it was serving at once.
"""

from __future__ import annotations

import json
import math
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What the server sends back; ``raw`` (bytes as-is) wins over ``body`` (JSON)."""

    status: int = 200
    body: object = None
    raw: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class Request:
    """One request as the server saw it (header names lower-cased)."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def last_user_message(self) -> str:
        users = [m["content"] for m in self.body.get("messages", []) if m.get("role") == "user"]
        return str(users[-1]) if users else ""

    @property
    def asks_logprobs(self) -> bool:
        return bool(self.body.get("logprobs"))


Handler = Callable[[Request], Reply]


def completion(text: str, top_logprobs: Mapping[str, float] | None = None) -> dict[str, Any]:
    """A chat completion body; with ``top_logprobs`` (token -> logprob) for the first token."""
    logprobs = None
    if top_logprobs is not None:
        top = [{"token": t, "logprob": lp} for t, lp in top_logprobs.items()]
        token = max(top_logprobs, key=lambda t: top_logprobs[t])
        first = {"token": token, "logprob": top_logprobs[token], "top_logprobs": top}
        logprobs = {"content": [first]}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "logprobs": logprobs,
                "finish_reason": "length",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11},
    }


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Reply:
    """An OpenAI-style error reply."""
    body = {"error": {"message": message, "type": "invalid_request_error", "code": status}}
    return Reply(status=status, body=body, headers=headers or {})


def with_logprobs(probs: Mapping[str, float]) -> Handler:
    """Always answer with this first-token distribution (token -> probability)."""
    top = {token: math.log(p) for token, p in probs.items()}
    text = max(probs, key=lambda token: probs[token])
    return lambda request: Reply(body=completion(text, top if request.asks_logprobs else None))


def text_only(text: str) -> Handler:
    """An endpoint that never returns logprobs, whatever it is asked."""
    return lambda request: Reply(body=completion(text))


def rejecting_logprobs(text: str) -> Handler:
    """An endpoint that refuses the logprobs parameters with a 400 and otherwise answers text."""

    def handle(request: Request) -> Reply:
        if request.asks_logprobs:
            return error(400, "logprobs is not supported by this server")
        return Reply(body=completion(text))

    return handle


def slow(handler: Handler, delay_s: float) -> Handler:
    """The same answers, each after ``delay_s``."""

    def handle(request: Request) -> Reply:
        reply = handler(request)
        return Reply(reply.status, reply.body, reply.raw, reply.headers, delay_s)

    return handle


def by_marker(handlers: Mapping[str, Handler], default: Handler) -> Handler:
    """Choose the handler by a marker found in the last user message (first match wins)."""

    def handle(request: Request) -> Reply:
        text = request.last_user_message
        for marker, handler in handlers.items():
            if marker in text:
                return handler(request)
        return default(request)

    return handle


class FakeOpenAI:
    """The server; use as a context manager, point an engine at ``url``."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler or with_logprobs({"A": 0.5, "B": 0.5})
        self.requests: list[Request] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._queued: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def queue(self, replies: Iterable[Reply]) -> None:
        """Serve these replies, in order, to the next requests before the handler is used."""
        with self._lock:
            self._queued.extend(replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stopping.set()  # wakes delayed replies so shutdown does not wait on them
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _reply_to(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            queued = self._queued.popleft() if self._queued else None
        return queued or self.handler(request)

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {name.lower(): value for name, value in self.headers.items()}
                try:
                    reply = fake._reply_to(Request(self.path, headers, body))
                    if reply.delay_s and fake._stopping.wait(reply.delay_s):
                        return
                finally:
                    # Counted out before answering: once the client has the answer it may send
                    # its next request before this thread runs again, and that is no overlap.
                    fake._done()
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except ConnectionError:
                    pass  # the client gave up (a timeout test): nothing to answer

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        return _Handler
