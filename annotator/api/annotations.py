"""Labeling: next item, submit, skip; reading, editing and reviewing annotations."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.access import (
    access_annotation,
    access_assignment,
    access_project,
    request_user,
    role_at_least,
)
from annotator.answers import AnswersInvalid
from annotator.api.labeling_serializers import (
    AnnotationSerializer,
    AnnotationVersionSerializer,
    NextItemSerializer,
    ReviewRequestSerializer,
    ReviewSerializer,
    SubmitSerializer,
)
from annotator.api.params import choice_param
from annotator.api.serializers import DetailSerializer
from annotator.models import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Assignment,
    ReviewStatus,
    Role,
)
from annotator.selectors import progress_for
from annotator.services.annotations import annotation_edit, annotation_review
from annotator.services.distribution import (
    AssignmentConflict,
    assignment_next,
    assignment_skip,
    assignment_submit,
)

CONFLICT = OpenApiResponse(DetailSerializer, description="The assignment cannot take answers.")


def _answers_or_400(exc: AnswersInvalid) -> ValidationError:
    return ValidationError({"answers": exc.errors})


def next_item_payload(assignment: Assignment, user: User, role: str) -> dict[str, object]:
    """What the labeling screen needs for one assignment; blinded fields removed."""
    project = assignment.project
    item = assignment.item
    by_key = {c.key: c for c in item.candidates.all()}
    blind = project.blind and not role_at_least(role, Role.REVIEWER)
    context = {"blind": blind}
    return NextItemSerializer(
        {
            "assignment": assignment,
            "item": item,
            "candidates": [by_key[key] for key in assignment.display_order],
            "questions": project.questions,
            "guidelines": project.guidelines,
            "progress": progress_for(project=project, user=user),
        },
        context=context,
    ).data


class NextItemApi(APIView):
    """Hand the caller their next item (the one they hold, if any); 204 when nothing is left."""

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "after",
                int,
                description="Fetch ahead: the item to show after this assignment of yours.",
            )
        ],
        responses={200: NextItemSerializer, 204: None},
        tags=["labeling"],
    )
    def post(self, request: Request, project_id: int) -> Response:
        access = access_project(user=request.user, project_id=project_id)
        user = request_user(request)
        raw_after = request.query_params.get("after")
        if raw_after is not None and not raw_after.isdigit():
            raise ValidationError({"after": ["Expected an assignment id."]})
        after = int(raw_after) if raw_after is not None else None
        assignment = assignment_next(project=access.project, user=user, after=after)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        assignment = Assignment.objects.select_related("project", "item").get(pk=assignment.pk)
        return Response(next_item_payload(assignment, user, access.role))


class AssignmentSubmitApi(APIView):
    """Submit answers. A retried request returns the first annotation (200) instead of a second."""

    @extend_schema(
        request=SubmitSerializer,
        responses={201: AnnotationSerializer, 200: AnnotationSerializer, 409: CONFLICT},
        tags=["labeling"],
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access_assignment(user=request.user, assignment_id=assignment_id)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = assignment_submit(
                assignment=assignment,
                user=request_user(request),
                answers=body.validated_data["answers"],
                time_spent_ms=body.validated_data["time_spent_ms"],
            )
        except AnswersInvalid as exc:
            raise _answers_or_400(exc) from None
        except AssignmentConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(AnnotationSerializer(result.annotation).data, status=code)


class AssignmentSkipApi(APIView):
    """Skip the item: it is not offered to the caller again."""

    @extend_schema(
        request=None, responses={200: AnnotationSerializer, 409: CONFLICT}, tags=["labeling"]
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = access_assignment(user=request.user, assignment_id=assignment_id)
        try:
            annotation = assignment_skip(assignment=assignment, user=request_user(request))
        except AssignmentConflict as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(AnnotationSerializer(annotation).data)


class AnnotationDetailApi(APIView):
    """Read an annotation (its author, or reviewers and up); edit it (its author, or managers)."""

    @extend_schema(responses=AnnotationSerializer, tags=["annotations"])
    def get(self, request: Request, annotation_id: int) -> Response:
        annotation, _ = access_annotation(user=request.user, annotation_id=annotation_id)
        return Response(AnnotationSerializer(annotation).data)

    @extend_schema(request=SubmitSerializer, responses=AnnotationSerializer, tags=["annotations"])
    def patch(self, request: Request, annotation_id: int) -> Response:
        annotation, _ = access_annotation(
            user=request.user, annotation_id=annotation_id, write=True
        )
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            edited = annotation_edit(
                annotation=annotation,
                user=request_user(request),
                answers=body.validated_data["answers"],
                time_spent_ms=body.validated_data["time_spent_ms"],
            )
        except AnswersInvalid as exc:
            raise _answers_or_400(exc) from None
        return Response(AnnotationSerializer(edited).data)


class AnnotationVersionsApi(generics.ListAPIView[AnnotationVersion]):
    """Every version of an annotation, oldest first."""

    serializer_class = AnnotationVersionSerializer
    pagination_class = None

    @extend_schema(tags=["annotations"])
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AnnotationVersion]:
        annotation, _ = access_annotation(
            user=self.request.user, annotation_id=self.kwargs["annotation_id"]
        )
        return annotation.versions.select_related("edited_by").order_by("version")


class AnnotationReviewApi(APIView):
    """Accept or reject an annotation with a comment; a rejection asks for one more annotation."""

    @extend_schema(
        request=ReviewRequestSerializer, responses={201: ReviewSerializer}, tags=["annotations"]
    )
    def post(self, request: Request, annotation_id: int) -> Response:
        annotation, access = access_annotation(user=request.user, annotation_id=annotation_id)
        access.require(Role.REVIEWER)
        body = ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = annotation_review(
            annotation=annotation, reviewer=request_user(request), **body.validated_data
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ProjectAnnotationsApi(generics.ListAPIView[Annotation]):
    """Annotations in a project: annotators see their own, reviewers and up see all."""

    serializer_class = AnnotationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AnnotationStatus.values),
            OpenApiParameter("review_status", str, enum=ReviewStatus.values),
            OpenApiParameter("annotator", str, description="Username."),
            OpenApiParameter("item", int),
        ],
        tags=["annotations"],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Annotation]:
        access = access_project(user=self.request.user, project_id=self.kwargs["project_id"])
        rows = Annotation.objects.filter(project=access.project).select_related("annotator")
        if not role_at_least(access.role, Role.REVIEWER):
            rows = rows.filter(annotator_id=self.request.user.pk)
        params = self.request.query_params
        for field, choices in (
            ("status", AnnotationStatus.values),
            ("review_status", ReviewStatus.values),
        ):
            value = choice_param(self.request, field, choices)
            if value is not None:
                rows = rows.filter(**{field: value})
        if params.get("annotator"):
            rows = rows.filter(annotator__username=params["annotator"])
        if params.get("item"):
            if not params["item"].isdigit():
                raise ValidationError({"item": ["Expected an item id."]})
            rows = rows.filter(item_id=int(params["item"]))
        return rows.order_by("id")
