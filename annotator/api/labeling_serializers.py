"""Shapes of the labeling API: next item, submissions, annotations, reviews, items."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotator.models import Annotation, AnnotationVersion, Candidate, Item, Review, ReviewDecision
from annotator.questions import ProjectQuestions

ANSWERS_HELP = (
    "Answers keyed by question id, in canonical candidate ids "
    '(e.g. {"pref": {"winner": "b", "strength": 1}}).'
)


MESSAGE_SCHEMA = {
    "type": "object",
    "properties": {"role": {"type": "string"}, "content": {"type": "string"}},
    "required": ["role", "content"],
}


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "array", "items": MESSAGE_SCHEMA}]})
class PromptField(serializers.JSONField):
    """A plain-text prompt, or a chat as a list of {role, content} messages."""


class ShownCandidateSerializer(serializers.Serializer[Candidate]):
    id = serializers.CharField(source="key", help_text="Canonical candidate id within the item.")
    text = serializers.CharField()
    model = serializers.SerializerMethodField(help_text="Null when the project is blinded.")

    def get_model(self, candidate: Candidate) -> str | None:
        return None if self.context.get("blind") else candidate.model_name


class ItemCriterionSerializer(serializers.Serializer[None]):
    id = serializers.CharField()
    text = serializers.CharField()
    points = serializers.FloatField()
    levels = serializers.ListField(child=serializers.CharField(), required=False)


class LabelingItemSerializer(serializers.Serializer[Item]):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    prompt = PromptField()
    meta = serializers.SerializerMethodField(help_text="Empty when the project is blinded.")
    rubric = ItemCriterionSerializer(many=True)

    def get_meta(self, item: Item) -> dict[str, Any]:
        return {} if self.context.get("blind") else dict(item.meta)


class AssignmentSerializer(serializers.Serializer[None]):
    id = serializers.IntegerField()
    expires_at = serializers.DateTimeField()


class ProgressSerializer(serializers.Serializer[None]):
    submitted_by_me = serializers.IntegerField()
    open_items = serializers.IntegerField(help_text="Items still needing annotations.")


@extend_schema_field(ProjectQuestions)  # type: ignore[arg-type]  # pydantic via spectacular's extension
class QuestionListField(serializers.JSONField):
    pass


class NextItemSerializer(serializers.Serializer[dict[str, Any]]):
    assignment = AssignmentSerializer()
    item = LabelingItemSerializer()
    candidates = ShownCandidateSerializer(many=True, help_text="In display order.")
    questions = QuestionListField()
    guidelines = serializers.CharField()
    progress = ProgressSerializer()


class SubmitSerializer(serializers.Serializer[None]):
    answers = serializers.JSONField(help_text=ANSWERS_HELP)
    time_spent_ms = serializers.IntegerField(min_value=0, max_value=24 * 3600 * 1000, default=0)


class AnnotationSerializer(serializers.ModelSerializer[Annotation]):
    annotator = serializers.CharField(source="annotator.username", read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    answers = serializers.JSONField(read_only=True, help_text=ANSWERS_HELP)
    display_order = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "item",
            "annotator",
            "status",
            "answers",
            "display_order",
            "time_spent_ms",
            "version",
            "review_status",
            "is_reference",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnnotationVersionSerializer(serializers.ModelSerializer[AnnotationVersion]):
    edited_by = serializers.CharField(source="edited_by.username", read_only=True, default=None)
    answers = serializers.JSONField(read_only=True)

    class Meta:
        model = AnnotationVersion
        fields = ["version", "answers", "time_spent_ms", "edited_by", "created_at"]
        read_only_fields = fields


class ReviewRequestSerializer(serializers.Serializer[None]):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(max_length=10000, allow_blank=True, default="")


class ReviewSerializer(serializers.ModelSerializer[Review]):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True, default=None)

    class Meta:
        model = Review
        fields = ["id", "annotation", "reviewer", "decision", "comment", "created_at"]
        read_only_fields = fields


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    id = serializers.CharField(source="key")
    model = serializers.CharField(source="model_name")

    class Meta:
        model = Candidate
        fields = ["id", "text", "model", "meta"]


class ItemSerializer(serializers.ModelSerializer[Item]):
    prompt = PromptField()
    candidates = CandidateSerializer(many=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "external_id",
            "prompt",
            "candidates",
            "meta",
            "rubric",
            "gold",
            "priority",
            "annotation_count",
            "done",
            "created_at",
        ]
        read_only_fields = fields


class GoldAccuracySerializer(serializers.Serializer[Any]):
    annotator = serializers.CharField()
    answered = serializers.IntegerField()
    correct = serializers.IntegerField()
    accuracy = serializers.FloatField(allow_null=True)
