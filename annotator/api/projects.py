"""Projects, their members, and the worker round-trip check."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import ProjectAccess, access_project, projects_for_user, request_user
from annotator.api.serializers import (
    DetailSerializer,
    MemberAddSerializer,
    MemberChangeSerializer,
    MembershipSerializer,
    ProjectSerializer,
    QueuedSerializer,
)
from annotator.jobs import QueueUnavailable
from annotator.models import Membership, Project, Role
from annotator.questions import QuestionsInvalid
from annotator.services.health import worker_ping_request
from annotator.services.members import member_add, member_change_role, member_remove
from annotator.services.projects import project_create, project_delete, project_update


class ProjectListCreateApi(generics.ListCreateAPIView[Project]):
    """Projects the caller belongs to; create one (the caller becomes its owner)."""

    serializer_class = ProjectSerializer

    def get_queryset(self) -> QuerySet[Project]:
        return projects_for_user(self.request.user).order_by("-created_at", "-id")

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        body = ProjectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = project_create(user=request_user(request), fields=dict(body.validated_data))
        out = ProjectSerializer(project, context={"role": Role.OWNER})
        return Response(out.data, status=status.HTTP_201_CREATED)


class ProjectDetailApi(APIView):
    """One project: read (members), change (managers), delete (owners)."""

    @extend_schema(responses=ProjectSerializer)
    def get(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id)
        return Response(ProjectSerializer(access.project, context={"role": access.role}).data)

    @extend_schema(request=ProjectSerializer, responses=ProjectSerializer)
    def patch(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.MANAGER)
        body = ProjectSerializer(access.project, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        try:
            project = project_update(project=access.project, changes=dict(body.validated_data))
        except QuestionsInvalid as exc:
            raise ValidationError({"questions": exc.errors}) from None
        return Response(ProjectSerializer(project, context={"role": access.role}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id, minimum=Role.OWNER)
        project_delete(project=access.project)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListCreateApi(generics.ListAPIView[Membership]):
    """Members of a project and their roles; managers add people."""

    serializer_class = MembershipSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        access = access_project(user=self.request.user, project_id=self.kwargs["project_id"])
        return access.project.memberships.select_related("user").order_by("created_at", "id")

    @extend_schema(request=MemberAddSerializer, responses={201: MembershipSerializer})
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id)
        body = MemberAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = member_add(access=access, **body.validated_data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    """Change a member's role or remove them."""

    def _membership(
        self, request: Request, project_id: int, member_id: int
    ) -> tuple[ProjectAccess, Membership]:
        access = access_project(user=request.user, project_id=project_id)
        membership = generics.get_object_or_404(
            access.project.memberships.select_related("user"), pk=member_id
        )
        return access, membership

    @extend_schema(request=MemberChangeSerializer, responses=MembershipSerializer)
    def patch(self, request: Request, project_id: int, member_id: int) -> Response:
        access, membership = self._membership(request, project_id, member_id)
        body = MemberChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        membership = member_change_role(
            access=access, membership=membership, role=body.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, project_id: int, member_id: int) -> Response:
        access, membership = self._membership(request, project_id, member_id)
        member_remove(access=access, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkerPingApi(APIView):
    """Ask a worker to answer with a ``worker.pong`` event on this project's websocket."""

    @extend_schema(
        request=None,
        responses={
            202: QueuedSerializer,
            503: OpenApiResponse(DetailSerializer, description="The task broker is unreachable."),
        },
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id)
        try:
            worker_ping_request(access=access)
        except QueueUnavailable:
            return Response(
                {"detail": "The task queue is unavailable; try again shortly."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"queued": True}, status=status.HTTP_202_ACCEPTED)
