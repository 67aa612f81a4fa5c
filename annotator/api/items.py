"""Browsing a project's items, and gold accuracy per annotator."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import access_project, request_user, role_at_least
from annotator.api.labeling_serializers import GoldAccuracySerializer, ItemSerializer
from annotator.api.params import bool_param, choice_param, int_param
from annotator.models import Item, Role
from annotator.selectors import ItemFilter, gold_accuracy, items_filtered

ITEM_STATUSES = ["open", "done"]


class ItemListApi(generics.ListAPIView[Item]):
    """Items of a project, for reviewers and up (annotators only see what they are handed)."""

    serializer_class = ItemSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ITEM_STATUSES),
            OpenApiParameter("gold", bool),
            OpenApiParameter("min_annotations", int),
            OpenApiParameter("max_annotations", int),
            OpenApiParameter("model", str, description="A candidate's source model."),
            OpenApiParameter("external_id", str),
        ],
        tags=["items"],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Item]:
        access = access_project(
            user=self.request.user, project_id=self.kwargs["project_id"], minimum=Role.REVIEWER
        )
        params = self.request.query_params
        filters: ItemFilter = {}
        status = choice_param(self.request, "status", ITEM_STATUSES)
        if status is not None:
            filters["status"] = status
        gold = bool_param(self.request, "gold")
        if gold is not None:
            filters["gold"] = gold
        for name in ("min_annotations", "max_annotations"):
            value = int_param(self.request, name)
            if value is not None:
                filters[name] = value
        if params.get("model"):
            filters["model"] = params["model"]
        if params.get("external_id"):
            filters["external_id"] = params["external_id"]
        items = items_filtered(project=access.project, filters=filters)
        items = items.prefetch_related("candidates")
        return items.order_by("id")


class ItemDetailApi(APIView):
    """One item with its candidates (reviewers and up)."""

    @extend_schema(responses=ItemSerializer, tags=["items"])
    def get(self, request: Request, project_id: int, item_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.REVIEWER)
        item = generics.get_object_or_404(
            Item.objects.prefetch_related("candidates"), project=access.project, pk=item_id
        )
        return Response(ItemSerializer(item).data)


class GoldAccuracyApi(APIView):
    """Accuracy on gold items per annotator (annotators see only their own row)."""

    @extend_schema(responses=GoldAccuracySerializer(many=True), tags=["items"])
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id)
        only = None if role_at_least(access.role, Role.REVIEWER) else request_user(request)
        rows = gold_accuracy(project=access.project, annotator=only)
        return Response(GoldAccuracySerializer(rows, many=True).data)
