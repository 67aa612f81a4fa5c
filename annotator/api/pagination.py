"""Page-number pagination that refuses a ``page`` it cannot read, even an empty one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class StrictPageNumberPagination(PageNumberPagination):
    """DRF reads ``?page=`` (empty) as the first page; that is a malformed request, so it gets
    the same 404 ("Invalid page.") as ``?page=abc`` rather than a page it did not ask for."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Any, Any] | Sequence[Any],
        request: Request,
        view: APIView | None = None,
    ) -> list[Any] | None:
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message="empty"))
        return super().paginate_queryset(queryset, request, view)
