"""Request and response shapes of the REST API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotator.access import ROLE_RANK
from annotator.models import Membership, Project, Role
from annotator.questions import ProjectQuestions, QuestionsInvalid, validate_questions
from annotator.services.projects import EDITABLE_FIELDS


class UserSerializer(serializers.Serializer[AbstractBaseUser]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    is_staff = serializers.BooleanField(read_only=True)


class UserRefSerializer(serializers.Serializer[AbstractBaseUser]):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class CredentialsSerializer(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer[None]):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True, allow_null=True)


# drf-spectacular's pydantic extension documents the model; its stubs only list serializers.
@extend_schema_field(ProjectQuestions)  # type: ignore[arg-type]
class QuestionsField(serializers.JSONField):
    """The questions list, validated against the question schema, errors per question/field."""

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        try:
            return validate_questions(value)
        except QuestionsInvalid as exc:
            raise serializers.ValidationError(exc.errors) from None


class ProjectSerializer(serializers.ModelSerializer[Project]):
    questions = QuestionsField()
    role = serializers.SerializerMethodField(help_text="The caller's role in this project.")
    item_count = serializers.SerializerMethodField(help_text="Items in the project.")
    overlap = serializers.IntegerField(
        min_value=1, max_value=100, default=1, help_text="Annotations wanted per item."
    )
    gold_rate = serializers.FloatField(
        min_value=0,
        max_value=1,
        default=0,
        help_text="Share of next-item requests answered with a gold item (0 to 1).",
    )
    lock_timeout_s = serializers.IntegerField(
        min_value=30,
        max_value=7 * 24 * 3600,
        default=900,
        help_text="Seconds before an unfinished assignment returns to the pool.",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "role",
            "item_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_role(self, project: Project) -> str | None:
        role = getattr(project, "user_role", None)
        if role is None:
            role = self.context.get("role")
        return role if role in ROLE_RANK else None

    def get_item_count(self, project: Project) -> int:
        count = getattr(project, "item_count", None)
        return int(count) if count is not None else project.items.count()


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    user = UserRefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "created_at"]
        read_only_fields = ["id", "user", "created_at"]


class MemberAddSerializer(serializers.Serializer[None]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class MemberChangeSerializer(serializers.Serializer[None]):
    role = serializers.ChoiceField(choices=Role.choices)


class DetailSerializer(serializers.Serializer[None]):
    detail = serializers.CharField(read_only=True)


class QueuedSerializer(serializers.Serializer[None]):
    queued = serializers.BooleanField(read_only=True)


class HealthSerializer(serializers.Serializer[None]):
    status = serializers.CharField(read_only=True)
    checks = serializers.DictField(child=serializers.CharField(), read_only=True)


class ApiTokenSerializer(serializers.Serializer[Any]):
    """An API token as its owner sees it later: never the secret, nor its hash."""

    token_key = serializers.CharField(
        read_only=True, help_text="The token's first characters, to tell tokens apart."
    )
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null: valid until revoked."
    )
    current = serializers.SerializerMethodField(
        help_text="Whether this request was made with this token."
    )

    def get_current(self, token: Any) -> bool:
        current = self.context.get("current")
        return current is not None and current.digest == token.digest


class SignInErrorSerializer(serializers.Serializer[None]):
    """A refused sign-in: wrong credentials (``detail``), or the fields that are missing."""

    detail = serializers.CharField(required=False)
    username = serializers.ListField(child=serializers.CharField(), required=False)
    password = serializers.ListField(child=serializers.CharField(), required=False)
