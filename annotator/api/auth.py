"""Sign-in for the browser (session) and for scripts (API tokens)."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import request_user
from annotator.api.serializers import (
    CredentialsSerializer,
    DetailSerializer,
    TokenSerializer,
    UserSerializer,
)

BAD_CREDENTIALS = "Invalid username or password."


def _authenticate(request: Request) -> User:
    body = CredentialsSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    user = authenticate(
        request._request,
        username=body.validated_data["username"],
        password=body.validated_data["password"],
    )
    if not isinstance(user, User) or not user.is_active:
        raise ValidationError({"detail": BAD_CREDENTIALS})
    return user


@method_decorator(csrf_protect, name="dispatch")
class LoginApi(APIView):
    """Start a browser session. The page that serves the app sets the CSRF cookie first."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: UserSerializer,
            400: OpenApiResponse(DetailSerializer, description=BAD_CREDENTIALS),
        },
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
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(DetailSerializer, description=BAD_CREDENTIALS),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        user = _authenticate(request)
        instance, token = AuthToken.objects.create(user=user)
        return Response({"token": token, "expiry": instance.expiry})
