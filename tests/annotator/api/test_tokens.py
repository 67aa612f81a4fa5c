"""API tokens: stored hashed, listed without their secret, revocable one by one or all at once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from tests.factories import new_user

pytestmark = pytest.mark.django_db


def issue(user: User) -> str:
    """A new token of ``user``, as the caller would hold it."""
    _, token = AuthToken.objects.create(user=user)
    return str(token)


def key_of(token: str) -> str:
    """The token's first characters, which name it in the list and in revoke URLs."""
    return token[: CONSTANTS.TOKEN_KEY_LENGTH]


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def signed_in_browser(user: User, password: str) -> tuple[APIClient, str]:
    """A session client that enforces CSRF, signed in, with its current CSRF token."""
    browser = APIClient(enforce_csrf_checks=True)
    browser.get("/")  # the app page sets the CSRF cookie
    body = {"username": user.username, "password": password}
    signed_in = browser.post(
        "/api/auth/login/", body, format="json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
    )
    assert signed_in.status_code == 200
    return browser, browser.cookies["csrftoken"].value  # rotated on sign-in


def test_a_token_is_stored_only_as_a_hash(api: APIClient, password: str) -> None:
    user = new_user()

    response = api.post(
        "/api/auth/token/", {"username": user.username, "password": password}, format="json"
    )

    token = response.json()["token"]
    row = AuthToken.objects.get(user=user)
    stored: list[Any] = [getattr(row, field.attname) for field in row._meta.concrete_fields]
    assert row.digest != token
    assert not any(token in str(value) for value in stored)
    assert row.token_key == key_of(token)


def test_the_list_shows_the_callers_tokens_without_their_secret() -> None:
    user, stranger = new_user(), new_user()
    mine = [issue(user), issue(user)]
    issue(stranger)

    response = client_with(mine[0]).get("/api/auth/tokens/")

    assert response.status_code == 200
    listed = response.json()
    assert sorted(t["token_key"] for t in listed) == sorted(key_of(token) for token in mine)
    assert {frozenset(t) for t in listed} == {
        frozenset({"token_key", "created", "expiry", "current"})
    }
    assert [t["current"] for t in listed if t["token_key"] == key_of(mine[0])] == [True]
    assert [t["current"] for t in listed if t["token_key"] == key_of(mine[1])] == [False]
    digests = set(AuthToken.objects.filter(user=user).values_list("digest", flat=True))
    body = response.content.decode()
    assert not any(secret in body for secret in [*mine, *digests])


def test_expired_tokens_are_not_listed() -> None:
    user = new_user()
    live = issue(user)
    AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))

    listed = client_with(live).get("/api/auth/tokens/").json()

    assert [t["token_key"] for t in listed] == [key_of(live)]


def test_a_revoked_token_gets_401_and_the_others_keep_working() -> None:
    user = new_user()
    revoked, kept = issue(user), issue(user)

    response = client_with(kept).delete(f"/api/auth/tokens/{key_of(revoked)}/")

    assert response.status_code == 204
    assert client_with(revoked).get("/api/auth/me/").status_code == 401
    assert client_with(kept).get("/api/auth/me/").status_code == 200


def test_a_token_can_revoke_itself() -> None:
    token = issue(new_user())
    client = client_with(token)

    assert client.delete(f"/api/auth/tokens/{key_of(token)}/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


@pytest.mark.parametrize("whose", ["someone else's", "unknown"])
def test_revoking_a_token_that_is_not_the_callers_is_404(whose: str) -> None:
    caller, stranger = new_user(), new_user()
    theirs = issue(stranger)
    key = key_of(theirs) if whose == "someone else's" else "00000000"

    response = client_with(issue(caller)).delete(f"/api/auth/tokens/{key}/")

    assert response.status_code == 404
    assert client_with(theirs).get("/api/auth/me/").status_code == 200


def test_revoke_all_ends_every_token_of_the_caller_only() -> None:
    user, stranger = new_user(), new_user()
    mine = [issue(user), issue(user)]
    theirs = issue(stranger)

    response = client_with(mine[0]).post("/api/auth/tokens/revoke-all/")

    assert response.status_code == 204
    assert [client_with(t).get("/api/auth/me/").status_code for t in mine] == [401, 401]
    assert client_with(theirs).get("/api/auth/me/").status_code == 200


def test_listing_tokens_needs_a_signed_in_caller(api: APIClient) -> None:
    assert api.get("/api/auth/tokens/").status_code == 401


def test_a_browser_session_lists_and_revokes_tokens_with_csrf(password: str) -> None:
    user = new_user()
    token = issue(user)
    browser, csrf = signed_in_browser(user, password)

    listed = browser.get("/api/auth/tokens/").json()
    without_csrf = browser.delete(f"/api/auth/tokens/{key_of(token)}/")
    with_csrf = browser.delete(f"/api/auth/tokens/{key_of(token)}/", HTTP_X_CSRFTOKEN=csrf)

    assert [(t["token_key"], t["current"]) for t in listed] == [(key_of(token), False)]
    assert without_csrf.status_code == 403
    assert with_csrf.status_code == 204
    assert client_with(token).get("/api/auth/me/").status_code == 401


def test_a_browser_session_needs_csrf_to_revoke_all(password: str) -> None:
    user = new_user()
    token = issue(user)
    browser, csrf = signed_in_browser(user, password)

    without_csrf = browser.post("/api/auth/tokens/revoke-all/")
    assert without_csrf.status_code == 403
    assert client_with(token).get("/api/auth/me/").status_code == 200

    with_csrf = browser.post("/api/auth/tokens/revoke-all/", HTTP_X_CSRFTOKEN=csrf)
    assert with_csrf.status_code == 204
    assert client_with(token).get("/api/auth/me/").status_code == 401
    assert browser.get("/api/auth/me/").status_code == 200  # the session is not a token
