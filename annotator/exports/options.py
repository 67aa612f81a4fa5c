"""What an export contains: its format, its aggregation and its filters, validated.

The same options drive a snapshot (``POST /api/projects/{id}/exports/``), the streaming records
API and ``manage.py export_dataset``. ``ExportOptions.resolved`` checks them against the
project's questions and fills in the defaults that depend on them (which question a format
reads), so that two requests meaning the same export have the same canonical form, and with
it the same manifest settings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from annotator.models import Project

Format = Literal["preference", "unpaired", "ranking", "ratings", "rubric", "raw"]
FileType = Literal["jsonl", "parquet", "hf", "csv"]
Aggregation = Literal["majority", "unanimous", "min_agreement", "dawid_skene", "per_annotator"]
Margin = Literal["none", "agreement", "strength", "both"]

FORMATS: tuple[str, ...] = ("preference", "unpaired", "ranking", "ratings", "rubric", "raw")
FILE_TYPES: tuple[str, ...] = ("jsonl", "parquet", "hf", "csv")
AGGREGATIONS: tuple[str, ...] = (
    "majority",
    "unanimous",
    "min_agreement",
    "dawid_skene",
    "per_annotator",
)
MARGINS: tuple[str, ...] = ("none", "agreement", "strength", "both")
# Formats whose rows come from pairs of candidates, and the question kinds pairs come from.
PAIR_FORMATS = ("preference", "unpaired")
PAIR_KINDS = ("pairwise", "ranking", "rating")
# The question kind each other format reads.
FORMAT_KINDS = {"ranking": ("ranking",), "ratings": ("rating",), "rubric": ("rubric",)}
# CSV only where a row is a flat record; cells that hold lists or objects are JSON text.
CSV_FORMATS = ("preference", "unpaired", "ratings", "rubric")
# Columns of the ``ratings`` format that a dimension id may not shadow.
RATINGS_COLUMNS = frozenset(
    {
        "prompt",
        "completion",
        "item_id",
        "candidate_id",
        "model",
        "question",
        "annotator",
        "annotators",
        "scores",
        "votes",
        "source",
        "judge",
        "agreement",
        "shown_at",
    }
)


class ExportOptionsInvalid(ValueError):
    """Options that cannot describe an export of this project; ``errors`` maps field → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class ExportOptions(BaseModel):
    """The options of one export. See docs/exports.md for what each one does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Format = "preference"
    file_type: FileType = "jsonl"
    aggregation: Aggregation = "majority"
    min_agreement: float = Field(
        default=0.75,
        gt=0.5,
        le=1.0,
        description="With aggregation=min_agreement: the least share of votes (or, for "
        "rankings, Kendall's W) a label needs.",
    )
    ties: Literal["keep", "drop"] = Field(
        default="drop", description="Keep or drop items and pairs whose outcome is a tie."
    )
    reviewed_only: bool = Field(default=False, description="Only annotations a reviewer accepted.")
    exclude_gold: bool = Field(default=False, description="Leave out gold items.")
    include_model_labels: bool = Field(
        default=False,
        description="Where no person labelled an item, use a judge's prediction (flagged per row).",
    )
    judges: list[int] = Field(
        default_factory=list,
        max_length=50,
        description="Judges whose predictions may stand in, in order of preference; empty for "
        "every judge of the project, oldest first.",
    )
    question: str | None = Field(
        default=None,
        max_length=64,
        description="The question the format reads; by default the first one of a kind it reads.",
    )
    dimension: str | None = Field(
        default=None,
        max_length=64,
        description="Pairs from a rating question: compare candidates on this dimension.",
    )
    weights: dict[str, float] | None = Field(
        default=None,
        description="Pairs from a rating question: compare candidates on this weighted sum of "
        "dimensions.",
    )
    margin: Margin = Field(
        default="none",
        description="preference only: add a margin column from the votes' agreement, the "
        "chosen strength, or both.",
    )

    @model_validator(mode="after")
    def _combinations(self) -> ExportOptions:
        if self.file_type == "csv" and self.format not in CSV_FORMATS:
            raise ValueError(
                f"file_type: CSV holds flat formats only ({', '.join(CSV_FORMATS)}); "
                "use jsonl, parquet or hf"
            )
        if self.margin != "none" and self.format != "preference":
            raise ValueError("margin: only the preference format has a margin")
        if self.dimension is not None and self.weights is not None:
            raise ValueError("weights: give a dimension or weights, not both")
        return self

    @classmethod
    def parse(cls, data: Any) -> ExportOptions:
        """Validate raw options (a mapping); raise ``ExportOptionsInvalid`` naming the fields."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ExportOptionsInvalid(_errors(exc)) from None

    def resolved(self, project: Project) -> ExportOptions:
        """These options checked against ``project``'s questions, defaults filled in."""
        if self.format == "raw":
            if self.aggregation != "majority" or self.question or self.dimension or self.weights:
                # raw holds every annotation as it is; nothing else applies.
                return self.model_copy(
                    update={"aggregation": "majority", "question": None, "dimension": None}
                    | {"weights": None}
                )
            return self
        questions = {q["id"]: q for q in project.questions}
        kinds = PAIR_KINDS if self.format in PAIR_FORMATS else FORMAT_KINDS[self.format]
        if self.question is None:
            found = next((q for q in project.questions if q["kind"] in kinds), None)
            if found is None:
                raise ExportOptionsInvalid(
                    {
                        "format": f"{self.format} needs a {' or '.join(kinds)} question; "
                        "this project has none"
                    }
                )
            question = found
        elif self.question not in questions:
            raise ExportOptionsInvalid({"question": f"no question {self.question!r} in project"})
        else:
            question = questions[self.question]
            if question["kind"] not in kinds:
                raise ExportOptionsInvalid(
                    {
                        "question": f"{self.format} reads a {' or '.join(kinds)} question, "
                        f"not {question['kind']}"
                    }
                )
        self._check_question(question)
        return self.model_copy(update={"question": question["id"]})

    def _check_question(self, question: dict[str, Any]) -> None:
        kind = question["kind"]
        dims = [d["id"] for d in question.get("dimensions", [])]
        if kind == "rating":
            if self.format in PAIR_FORMATS:
                if question.get("per", "candidate") != "candidate":
                    raise ExportOptionsInvalid(
                        {"question": "pairs need ratings per candidate, not per item"}
                    )
                if self.dimension is None and not self.weights and len(dims) != 1:
                    raise ExportOptionsInvalid(
                        {
                            "dimension": "name the dimension (or weights) to compare "
                            f"candidates on: {', '.join(dims)}"
                        }
                    )
                unknown = [
                    d for d in [self.dimension, *(self.weights or {})] if d and d not in dims
                ]
                if unknown:
                    raise ExportOptionsInvalid(
                        {
                            "dimension" if self.dimension else "weights": f"no dimension "
                            f"{unknown[0]!r} in {question['id']!r}; use {', '.join(dims)}"
                        }
                    )
            clash = sorted(set(dims) & RATINGS_COLUMNS)
            if self.format == "ratings" and clash:
                raise ExportOptionsInvalid(
                    {
                        "question": f"dimension id {clash[0]!r} is also a column name of the "
                        "ratings format; rename the dimension"
                    }
                )
        elif self.dimension is not None or self.weights:
            raise ExportOptionsInvalid(
                {
                    "dimension"
                    if self.dimension
                    else "weights": "only for pairs from a rating question"
                }
            )
        if self.aggregation == "dawid_skene" and self.format not in PAIR_FORMATS:
            raise ExportOptionsInvalid(
                {
                    "aggregation": "dawid_skene weighs votes between two candidates; use it with "
                    "preference or unpaired"
                }
            )

    def settings(self) -> dict[str, Any]:
        """The canonical form, every option included (for the manifest)."""
        return self.model_dump(mode="json")


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        loc = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if not loc and ": " in message:  # model-level checks name their field first
            loc, message = message.split(": ", 1)
        errors.setdefault(loc or "options", message)
    return errors
