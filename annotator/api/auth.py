"""Sign-in for the browser (session) and for scripts (API tokens)."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import ratelimit
from annotator.access import request_user
from annotator.api.serializers import (
    ApiTokenSerializer,
    CredentialsSerializer,
    DetailSerializer,
    SignInErrorSerializer,
    TokenSerializer,
    UserSerializer,
)

BAD_CREDENTIALS = "Invalid username or password."

# Documentation shared by both password checks.
SIGN_IN_ERRORS = {
    400: OpenApiResponse(
        SignInErrorSerializer,
        description=f'Wrong username or password (detail: "{BAD_CREDENTIALS}"), or the '
        "missing fields named.",
    ),
    429: OpenApiResponse(
        DetailSerializer,
        description="Too many attempts from this address, or too many failures for this "
        "username (whether or not it exists). Retry-After says how many seconds to wait.",
    ),
    503: OpenApiResponse(
        DetailSerializer,
        description="The sign-in counters (in the shared cache) cannot be reached; no password "
        "is checked until they can.",
    ),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until sign-in may be tried again.",
)


def _authenticate(request: Request) -> User:
    """Check a username and password, within the sign-in limits (see annotator.ratelimit)."""
    ratelimit.login_address_hit(request=request._request)
    body = CredentialsSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    username: str = body.validated_data["username"]
    ratelimit.login_username_hit(username=username)
    user = authenticate(
        request._request, username=username, password=body.validated_data["password"]
    )
    if not isinstance(user, User) or not user.is_active:
        raise ValidationError({"detail": BAD_CREDENTIALS})
    ratelimit.login_username_succeeded(username=username)
    return user


@method_decorator(csrf_protect, name="dispatch")
class LoginApi(APIView):
    """Start a browser session. The page that serves the app sets the CSRF cookie first."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: UserSerializer, **SIGN_IN_ERRORS},
        parameters=[RETRY_AFTER],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        login(request._request, user)
        return Response(UserSerializer(user).data)


class LogoutApi(APIView):
    """End the browser session."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The signed-in user."""

    @extend_schema(
        responses={
            200: UserSerializer,
            401: OpenApiResponse(DetailSerializer, description="Not signed in."),
        },
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request_user(request)).data)


class TokenCreateApi(APIView):
    """Exchange a username and password for an API token (``Authorization: Token <key>``)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TokenSerializer, **SIGN_IN_ERRORS},
        parameters=[RETRY_AFTER],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        instance, token = AuthToken.objects.create(user=user)
        return Response({"token": token, "expiry": instance.expiry})


def _live_tokens(user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still authenticate (knox deletes expired ones only when used)."""
    tokens: QuerySet[AuthToken] = AuthToken.objects.filter(user=user).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    )
    return tokens


NOT_SIGNED_IN = OpenApiResponse(DetailSerializer, description="Not signed in.")


class TokenListApi(APIView):
    """The caller's API tokens, newest first: their first characters, never the secret."""

    @extend_schema(
        responses={
            200: ApiTokenSerializer(many=True),
            401: NOT_SIGNED_IN,
        },
        tags=["auth"],
    )
    def get(self, request: Request) -> Response:
        tokens = _live_tokens(request_user(request)).order_by("-created")
        context = {"current": request.auth if isinstance(request.auth, AuthToken) else None}
        return Response(ApiTokenSerializer(tokens, many=True, context=context).data)


class TokenRevokeApi(APIView):
    """Revoke one of the caller's tokens; the next call made with it gets 401."""

    @extend_schema(
        request=None,
        responses={
            204: None,
            401: NOT_SIGNED_IN,
            404: OpenApiResponse(DetailSerializer, description="No such token of yours."),
        },
        tags=["auth"],
    )
    def delete(self, request: Request, token_key: str) -> Response:
        deleted, _ = AuthToken.objects.filter(
            user=request_user(request), token_key=token_key
        ).delete()
        if not deleted:
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllApi(APIView):
    """Revoke every token of the caller (the one making this call too). Sessions stay."""

    @extend_schema(request=None, responses={204: None, 401: NOT_SIGNED_IN}, tags=["auth"])
    def post(self, request: Request) -> Response:
        AuthToken.objects.filter(user=request_user(request)).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
