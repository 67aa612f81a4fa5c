"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from django.db import connections
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.api.serializers import HealthSerializer
from annotator.services.health import dependencies_check


class HealthApi(APIView):
    """The process is up and serving requests (checks nothing else)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=HealthSerializer, tags=["ops"])
    def get(self, request: Request) -> Response:
        return Response({"status": "ok", "checks": {}})


class ReadyApi(APIView):
    """The database and the task broker answer; 503 naming what is down otherwise."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer}, tags=["ops"])
    def get(self, request: Request) -> Response:
        checks = dependencies_check(connections["default"])
        ok = all(value == "ok" for value in checks.values())
        return Response(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status=200 if ok else 503,
        )
