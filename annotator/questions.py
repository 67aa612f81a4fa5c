"""The question schema of a project: what may be asked about an item, validated on write.

Questions are stored as JSON on the project. Each kind is a pydantic model so the same
definition validates API input, documents the OpenAPI schema and types the Python code.
Validation is done one question at a time (picking the model from ``kind``) so that an error
names exactly the question index and field that is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

Slug = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Per = Literal["candidate", "item"]


def _unique(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
    return values


class _Question(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    prompt: str = Field(default="", max_length=2000, description="Text shown to the annotator.")
    required: bool = True
    help: str = Field(default="", max_length=10000, description="Markdown help for this question.")


class PairwiseQuestion(_Question):
    """Which of two candidates is better (or a tie); optional strength and "both bad"."""

    kind: Literal["pairwise"]
    tie: bool = True
    strength: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list,
        max_length=10,
        description="Labels for how much better, weakest first; empty for no strength.",
    )
    both_bad: bool = False
    pairs: Literal["all", "sampled"] = Field(
        default="all",
        description="With more than two candidates: judge every pair, or one sampled pair.",
    )

    @field_validator("strength")
    @classmethod
    def _strength(cls, value: list[str]) -> list[str]:
        return _unique(value, "strength label")


class RankingQuestion(_Question):
    """An order over all candidates, best first; ties form groups."""

    kind: Literal["ranking"]
    ties: bool = True


class RatingDimension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    label: str = Field(default="", max_length=200)
    min: float = 1
    max: float = 5
    step: float = Field(default=1, gt=0)
    labels: dict[str, str] = Field(
        default_factory=dict, description="Optional names of scale points, keyed by value."
    )

    @field_validator("max")
    @classmethod
    def _max(cls, value: float, info: ValidationInfo) -> float:
        low = info.data.get("min")
        if low is not None and value <= low:
            raise ValueError(f"max must be greater than min ({low:g})")
        return value


class RatingQuestion(_Question):
    """One or more scored dimensions, per candidate (the multi-dimensional label) or per item."""

    kind: Literal["rating"]
    per: Per = "candidate"
    dimensions: list[RatingDimension] = Field(min_length=1, max_length=50)

    @field_validator("dimensions")
    @classmethod
    def _dimensions(cls, value: list[RatingDimension]) -> list[RatingDimension]:
        _unique([d.id for d in value], "dimension id")
        return value


class RubricCriterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Slug
    text: str = Field(min_length=1, max_length=2000)
    points: float = Field(default=1, ge=0)
    levels: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=lambda: ["fail", "pass"],
        min_length=2,
        max_length=20,
        description="Levels from worst to best; points scale linearly from 0 to `points`.",
    )

    @field_validator("levels")
    @classmethod
    def _levels(cls, value: list[str]) -> list[str]:
        return _unique(value, "level")


class RubricQuestion(_Question):
    """Per candidate, a level for each criterion; criteria from the project, the item, or both."""

    kind: Literal["rubric"]
    criteria: list[RubricCriterion] = Field(default_factory=list, max_length=100)
    item_criteria: bool = Field(
        default=False, description="Also use the criteria that come with each item."
    )

    @field_validator("criteria")
    @classmethod
    def _criteria(cls, value: list[RubricCriterion]) -> list[RubricCriterion]:
        _unique([c.id for c in value], "criterion id")
        return value

    @model_validator(mode="after")
    def _check(self) -> RubricQuestion:
        if not self.criteria and not self.item_criteria:
            raise ValueError("a rubric needs criteria, or item_criteria set to true")
        return self


class LabelsQuestion(_Question):
    """Categorical flags (e.g. unsafe, hallucination), per candidate or per item."""

    kind: Literal["labels"]
    options: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=100
    )
    multiple: bool = False
    per: Per = "item"

    @field_validator("options")
    @classmethod
    def _options(cls, value: list[str]) -> list[str]:
        return _unique(value, "option")


class TextQuestion(_Question):
    """A free-text rationale or critique."""

    kind: Literal["text"]
    max_length: int = Field(default=10000, ge=1, le=100000)


Question = Annotated[
    PairwiseQuestion
    | RankingQuestion
    | RatingQuestion
    | RubricQuestion
    | LabelsQuestion
    | TextQuestion,
    Field(discriminator="kind"),
]
QUESTION_MODELS: dict[str, type[_Question]] = {
    "pairwise": PairwiseQuestion,
    "ranking": RankingQuestion,
    "rating": RatingQuestion,
    "rubric": RubricQuestion,
    "labels": LabelsQuestion,
    "text": TextQuestion,
}
MAX_QUESTIONS = 50


class ProjectQuestions(RootModel[list[Question]]):
    """The ordered questions of a project (documents the API schema)."""


# Nested error tree in the shape DRF uses: {"1": {"dimensions": {"0": {"max": ["..."]}}}}.
ErrorTree = dict[str, Any]


class QuestionsInvalid(ValueError):
    """Raised with an error tree naming each wrong question and field."""

    def __init__(self, errors: ErrorTree | list[str]) -> None:
        super().__init__("invalid questions")
        self.errors = errors


def _insert(tree: ErrorTree, path: list[str], message: str) -> None:
    node = tree
    for key in path[:-1]:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):  # a message already sits here; keep both readable
            child = node[key] = {"non_field_errors": child}
        node = child
    node.setdefault(path[-1], []).append(message)


def validate_questions(raw: object) -> list[dict[str, Any]]:
    """Validate a questions list; return it normalised (defaults filled in) or raise.

    Raises ``QuestionsInvalid`` whose ``errors`` maps question index → field → messages.
    """
    if not isinstance(raw, list):
        raise QuestionsInvalid(["Expected a list of questions."])
    if not raw:
        raise QuestionsInvalid(["A project needs at least one question."])
    if len(raw) > MAX_QUESTIONS:
        raise QuestionsInvalid([f"At most {MAX_QUESTIONS} questions."])

    errors: ErrorTree = {}
    cleaned: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    for index, entry in enumerate(raw):
        key = str(index)
        if not isinstance(entry, dict):
            _insert(errors, [key, "non_field_errors"], "Expected an object.")
            continue
        kind = entry.get("kind")
        model = QUESTION_MODELS.get(kind) if isinstance(kind, str) else None
        if model is None:
            choices = ", ".join(QUESTION_MODELS)
            _insert(errors, [key, "kind"], f"Unknown question kind {kind!r}; use one of {choices}.")
            continue
        try:
            # Strict: a value of the wrong JSON type (``"required": 0``) is an error, as the
            # schema says, rather than converted.
            question = model.model_validate(entry, strict=True)
        except ValidationError as exc:
            for err in exc.errors():
                path = [key, *(str(part) for part in err["loc"])]
                if len(path) == 1:
                    path.append("non_field_errors")
                message = err["msg"].removeprefix("Value error, ")
                _insert(errors, path, message)
            continue
        if question.id in seen_ids:
            _insert(
                errors,
                [key, "id"],
                f"Duplicate question id {question.id!r} (also question {seen_ids[question.id]}).",
            )
            continue
        seen_ids[question.id] = index
        cleaned.append(question.model_dump(mode="json"))
    if errors:
        raise QuestionsInvalid(errors)
    return cleaned
