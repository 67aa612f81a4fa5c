"""Sign-in limits: per client address, per username, shared by every web process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from rest_framework.test import APIClient

from annotator.ratelimit import THROTTLED, Rate, rate_parse
from tests.factories import new_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
SIGN_IN_URLS = ["/api/auth/login/", "/api/auth/token/"]
# Each test turns on only the limit it checks, small enough to reach in a few requests.
ADDRESS_ONLY = override_settings(MOOT_LOGIN_RATE="3/min", MOOT_LOGIN_FAILURES="")
USERNAME_ONLY = override_settings(MOOT_LOGIN_RATE="", MOOT_LOGIN_FAILURES="2/15min")


def sign_in(api: APIClient, url: str, username: str, password: str, **extra: Any) -> Any:
    return api.post(url, {"username": username, "password": password}, format="json", **extra)


@pytest.mark.parametrize("url", SIGN_IN_URLS)
@ADDRESS_ONLY
def test_attempts_past_the_address_limit_get_429_with_retry_after(api: APIClient, url: str) -> None:
    for _ in range(3):
        assert sign_in(api, url, "someone", "wrong").status_code == 400

    refused = sign_in(api, url, "someone", "wrong")

    assert refused.status_code == 429
    assert refused.json() == {"detail": THROTTLED}
    assert 1 <= int(refused["Retry-After"]) <= 60


@ADDRESS_ONLY
def test_successful_sign_ins_count_towards_the_address_limit(api: APIClient, password: str) -> None:
    user = new_user()
    for _ in range(3):
        assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 200

    assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 429


@ADDRESS_ONLY
def test_another_address_is_not_limited_by_one_addresses_attempts(api: APIClient) -> None:
    for _ in range(4):
        sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR="198.51.100.1")

    assert (
        sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR="198.51.100.2").status_code
        == 400
    )
    assert (
        sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR="198.51.100.1").status_code
        == 429
    )


@ADDRESS_ONLY
def test_addresses_of_one_ipv6_64_share_a_limit(api: APIClient) -> None:
    for host in range(1, 4):
        sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR=f"2001:db8:1:2::{host}")

    same_64 = sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR="2001:db8:1:2::ff")
    other_64 = sign_in(api, "/api/auth/token/", "someone", "wrong", REMOTE_ADDR="2001:db8:1:3::1")

    assert same_64.status_code == 429
    assert other_64.status_code == 400


@ADDRESS_ONLY
def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(api: APIClient) -> None:
    for n in range(3):
        sign_in(api, "/api/auth/token/", "someone", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    spoofed = sign_in(
        api, "/api/auth/token/", "someone", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.99"
    )

    assert spoofed.status_code == 429


@ADDRESS_ONLY
@override_settings(MOOT_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_address_it_saw_is_limited(api: APIClient) -> None:
    proxy = "10.0.0.5"
    for _ in range(3):
        sign_in(
            api,
            "/api/auth/token/",
            "x",
            "wrong",
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    # A client cannot escape by writing its own entries left of the one the proxy appended.
    spoofed = sign_in(
        api,
        "/api/auth/token/",
        "x",
        "wrong",
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
    )
    other_client = sign_in(
        api, "/api/auth/token/", "x", "wrong", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )

    assert spoofed.status_code == 429
    assert other_client.status_code == 400


@pytest.mark.parametrize("url", SIGN_IN_URLS)
@USERNAME_ONLY
def test_the_right_password_is_refused_while_the_username_is_locked(
    api: APIClient, password: str, url: str
) -> None:
    user = new_user()
    for n in range(2):
        # Spread over addresses: the lock protects an account against a distributed guess.
        assert (
            sign_in(api, url, user.username, "wrong", REMOTE_ADDR=f"198.51.100.{n}").status_code
            == 400
        )

    refused = sign_in(api, url, user.username, password, REMOTE_ADDR="198.51.100.9")

    assert refused.status_code == 429
    assert refused.json() == {"detail": THROTTLED}
    assert 890 <= int(refused["Retry-After"]) <= 900


@USERNAME_ONLY
def test_a_success_clears_the_usernames_failures(api: APIClient, password: str) -> None:
    user = new_user()
    assert sign_in(api, "/api/auth/token/", user.username, "wrong").status_code == 400
    assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 200

    # Two more failures fit again: the earlier one was forgotten.
    assert sign_in(api, "/api/auth/token/", user.username, "wrong").status_code == 400
    assert sign_in(api, "/api/auth/token/", user.username, "wrong").status_code == 400
    assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 429


@override_settings(MOOT_LOGIN_RATE="", MOOT_LOGIN_FAILURES="1/s")
def test_a_locked_username_is_accepted_again_once_the_period_has_passed(
    api: APIClient, password: str
) -> None:
    user = new_user()
    sign_in(api, "/api/auth/token/", user.username, "wrong")
    refused = sign_in(api, "/api/auth/token/", user.username, password)
    assert refused.status_code == 429

    time.sleep(int(refused["Retry-After"]) + 0.2)

    assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 200


@USERNAME_ONLY
def test_a_locked_account_answers_exactly_like_an_unknown_one(api: APIClient) -> None:
    user = new_user()
    real = [sign_in(api, "/api/auth/token/", user.username, "wrong") for _ in range(3)]
    unknown = [sign_in(api, "/api/auth/token/", "no-such-user", "wrong") for _ in range(3)]

    assert [r.status_code for r in real] == [400, 400, 429]
    assert [(r.status_code, r.json()) for r in real] == [(r.status_code, r.json()) for r in unknown]


@USERNAME_ONLY
def test_a_lock_on_one_username_leaves_others_alone(api: APIClient, password: str) -> None:
    locked, other = new_user(), new_user()
    for _ in range(3):
        sign_in(api, "/api/auth/token/", locked.username, "wrong")

    assert sign_in(api, "/api/auth/token/", other.username, password).status_code == 200


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/min", Rate(10, 60)),
        ("5/15min", Rate(5, 900)),
        ("100/h", Rate(100, 3600)),
        ("3/2days", Rate(3, 172800)),
        ("", None),
    ],
)
def test_rates_are_read_with_an_optional_multiple(text: str, rate: Rate | None) -> None:
    assert rate_parse(text) == rate


@pytest.mark.parametrize("text", ["10", "ten/min", "10/fortnight", "10/min/2"])
def test_a_malformed_rate_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="Not a rate"):
        rate_parse(text)


@pytest.mark.services
@USERNAME_ONLY
def test_the_counters_live_in_redis(api: APIClient) -> None:
    sign_in(api, "/api/auth/token/", "someone", "wrong")

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(match=caches["default"].make_key("login:user:*")))

    assert len(keys) == 2  # the count and the time its window opened


@pytest.mark.services
@USERNAME_ONLY
def test_failures_counted_by_another_process_lock_the_username_here(
    api: APIClient, password: str
) -> None:
    user = new_user()
    probe = (
        "import django; django.setup()\n"
        "from annotator.ratelimit import login_username_hit\n"
        f"login_username_hit(username={user.username!r})\n"
        f"login_username_hit(username={user.username!r})\n"
    )
    env = {
        **os.environ,
        "MOOT_LOGIN_FAILURES": "2/15min",
        "DJANGO_SETTINGS_MODULE": "annotator.settings.base",
    }
    subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, timeout=60)

    assert sign_in(api, "/api/auth/token/", user.username, password).status_code == 429
