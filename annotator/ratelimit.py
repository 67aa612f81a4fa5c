"""Limits on password checks, counted in the shared cache so every web process counts together.

Two counters guard each sign-in (session or token):

* per client address, every attempt counts, whatever its outcome: one address cannot try
  passwords faster than ``MOOT_LOGIN_RATE``;
* per username, only failures count: after ``MOOT_LOGIN_FAILURES`` the username is refused, even
  with the right password, until the period has passed. This protects one account against a guess
  spread over many addresses. A success clears the username's failures.

A username is counted whether or not such an account exists, so a refusal says nothing about
which usernames are real. Each counter is a fixed window that opens with its first hit: a refusal
lasts until that window closes, and says when (``Retry-After``).

The per-username count is taken before the password is checked, and given back on success, so
parallel guesses cannot slip in more checks than the limit between a read and a write.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from rest_framework import status
from rest_framework.exceptions import APIException

logger = logging.getLogger(__name__)
THROTTLED = "Too many sign-in attempts. Try again later."

_PERIODS_S = {
    "s": 1,
    "sec": 1,
    "min": 60,
    "m": 60,
    "h": 3600,
    "hour": 3600,
    "day": 86400,
    "d": 86400,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` hits per ``period_s`` seconds."""

    count: int
    period_s: int


class LoginThrottled(APIException):
    """429 with ``Retry-After``; DRF's handler writes the header from ``wait``."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = THROTTLED
    default_code = "throttled"

    def __init__(self, *, wait_s: int) -> None:
        super().__init__()
        self.wait = wait_s


class LoginUnavailable(APIException):
    """503: the counters cannot be read, so no password is checked (the limits fail closed).

    Sessions already signed in and API tokens keep working; only new sign-ins wait.
    """

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Sign-in is unavailable for a moment. Try again shortly."
    default_code = "unavailable"


def rate_parse(text: str) -> Rate | None:
    """``"10/min"`` or ``"5/15min"`` as a Rate; an empty value means no limit."""
    if not text.strip():
        return None
    match = _RATE.match(text.lower())
    period = _PERIODS_S.get(match.group(3)) if match else None
    if match is None or period is None:
        raise ImproperlyConfigured(f"Not a rate: {text!r} (write e.g. 10/min or 5/15min).")
    return Rate(count=int(match.group(1)), period_s=int(match.group(2) or 1) * period)


def client_ip(request: HttpRequest) -> str:
    """The caller's address: the peer's, unless ``MOOT_TRUSTED_PROXIES`` proxies stand between.

    Behind N proxies that each append the address they received from, the N-th entry from the
    right of X-Forwarded-For is the one the first trusted proxy saw; entries further left were
    written by the client and prove nothing. With no trusted proxy the header is ignored.
    """
    peer = str(request.META.get("REMOTE_ADDR", ""))
    trusted: int = settings.MOOT_TRUSTED_PROXIES
    if trusted <= 0:
        return peer
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if not forwarded:
        return peer
    # Fewer entries than proxies: every entry was written by a trusted proxy.
    candidate = forwarded[-min(trusted, len(forwarded))]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return peer
    return candidate


def _address_key(ip: str) -> str:
    """IPv6 hosts usually hold a whole /64, so it counts as one address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"login:ip:{ip}"
    if address.version == 6:
        return f"login:ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"login:ip:{address}"


def _username_key(username: str) -> str:
    # Hashed: usernames may hold anything, and the cache need not know them.
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    return f"login:user:{digest}"


def _hit(key: str, rate: Rate) -> int:
    """Count one hit in the key's window (opened by its first hit); the hits so far."""
    now = time.time()
    try:
        cache.add(f"{key}:since", now, rate.period_s)
        cache.add(key, 0, rate.period_s)
        try:
            return cache.incr(key)
        except ValueError:  # the window closed between add and incr: this hit opens the next
            cache.set(key, 1, rate.period_s)
            return 1
    except Exception as exc:  # the cache's client raises its own connection errors
        logger.error("sign-in counters unavailable: %s", exc)
        raise LoginUnavailable from exc


def _wait_s(key: str, rate: Rate) -> int:
    now = time.time()
    since = cache.get(f"{key}:since")
    opened = float(since) if isinstance(since, int | float) else now
    return max(1, math.ceil(opened + rate.period_s - now))


def login_address_hit(*, request: HttpRequest) -> None:
    """Count a sign-in attempt from the caller's address; raise LoginThrottled past the limit."""
    rate = rate_parse(settings.MOOT_LOGIN_RATE)
    if rate is None:
        return
    key = _address_key(client_ip(request))
    if _hit(key, rate) > rate.count:
        raise LoginThrottled(wait_s=_wait_s(key, rate))


def login_username_hit(*, username: str) -> None:
    """Count an attempt at ``username`` as failed until ``login_username_succeeded`` says not.

    Raises LoginThrottled, before any password is checked, once the username has used up its
    failures for the current window.
    """
    rate = rate_parse(settings.MOOT_LOGIN_FAILURES)
    if rate is None:
        return
    key = _username_key(username)
    if _hit(key, rate) > rate.count:
        raise LoginThrottled(wait_s=_wait_s(key, rate))


def login_username_succeeded(*, username: str) -> None:
    """The password was right: forget the username's failures."""
    key = _username_key(username)
    try:
        cache.delete_many([key, f"{key}:since"])
    except Exception:  # the counter then runs out with its window; the sign-in stands
        logger.exception("could not clear the sign-in failures of a username")
