"""Signing in: API tokens for scripts, sessions with CSRF for the browser."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import new_user

pytestmark = pytest.mark.django_db


def test_anonymous_api_calls_get_401_with_a_token_challenge(api: APIClient) -> None:
    response = api.get("/api/projects/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_is_issued_for_good_credentials_and_authenticates(
    api: APIClient, password: str
) -> None:
    user = new_user()

    response = api.post(
        "/api/auth/token/", {"username": user.username, "password": password}, format="json"
    )

    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


@pytest.mark.parametrize(
    "body",
    [
        {"username": "nobody", "password": "x"},
        {"username": "__user__", "password": "wrong"},
    ],
)
def test_bad_credentials_get_400_and_no_token(api: APIClient, body: dict[str, str]) -> None:
    user = new_user()
    body = {**body, "username": body["username"].replace("__user__", str(user.username))}

    response = api.post("/api/auth/token/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid username or password."}


def test_token_request_without_fields_names_them(api: APIClient) -> None:
    response = api.post("/api/auth/token/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_inactive_user_gets_no_token(api: APIClient, password: str) -> None:
    user = new_user(is_active=False)

    response = api.post(
        "/api/auth/token/", {"username": user.username, "password": password}, format="json"
    )

    assert response.status_code == 400


def test_a_garbage_token_is_401(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert api.get("/api/projects/").status_code == 401


def test_session_login_needs_the_csrf_token(password: str) -> None:
    user = new_user()
    browser = APIClient(enforce_csrf_checks=True)
    body = {"username": user.username, "password": password}

    assert browser.post("/api/auth/login/", body, format="json").status_code == 403

    browser.get("/")  # the app page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post("/api/auth/login/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    assert browser.get("/api/auth/me/").json()["username"] == user.username


def test_session_writes_need_csrf_and_logout_ends_the_session(password: str) -> None:
    user = new_user()
    browser = APIClient(enforce_csrf_checks=True)
    browser.get("/")
    body = {"username": user.username, "password": password}
    csrf = browser.cookies["csrftoken"].value
    browser.post("/api/auth/login/", body, format="json", HTTP_X_CSRFTOKEN=csrf)
    csrf = browser.cookies["csrftoken"].value  # rotated on login
    project = {"name": "p", "questions": [{"id": "q", "kind": "text"}]}

    assert browser.post("/api/projects/", project, format="json").status_code == 403
    created = browser.post("/api/projects/", project, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert created.status_code == 201

    assert browser.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert browser.get("/api/auth/me/").status_code == 401
