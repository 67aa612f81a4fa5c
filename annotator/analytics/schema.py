"""The dashboard report's shape, for the API schema (and so the browser app's types).

The report is built as plain JSON by ``report`` and by the sections other apps register; these
models document it. Values that are undefined (too little data) are ``null``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, RootModel


class MetricEstimate(BaseModel):
    value: float | None
    low: float | None  # percentile bootstrap interval
    high: float | None
    n: int  # units the value rests on


class CohenKappaMatrix(BaseModel):
    kappa: list[list[float | None]]  # annotator x annotator, in the report's annotator order
    overlap: list[list[int]]  # items both answered


class PartAgreement(BaseModel):
    question: str
    key: str  # "pref", or "quality.helpful" for a dimension, criterion or option
    label: str
    kind: str
    level: Literal["nominal", "ordinal", "interval"]
    categories: list[str]
    units: int
    values: int
    alpha: MetricEstimate
    fleiss_kappa: MetricEstimate | None
    raw_agreement: MetricEstimate | None
    cohen_kappa: CohenKappaMatrix | None


class AnnotatorRow(BaseModel):
    id: int
    username: str
    annotations: int
    items_per_hour: float | None
    median_seconds: float | None
    consensus_agreement: float | None  # share matching the majority of the others
    consensus_compared: int
    gold_answered: int
    gold_accuracy: float | None
    reliability: float | None  # Dawid-Skene accuracy
    self_agreement: MetricEstimate  # on repeated items
    triads: int
    cyclic_triads: int


class ModelLeaderboard(BaseModel):
    question: str
    source: Literal["people", "judge"]
    models: list[str]
    scores: list[float | None]  # Bradley-Terry log-strengths, mean 0
    low: list[float | None]
    high: list[float | None]
    comparisons: list[int]
    tie_parameter: float | None
    win_rate: list[list[float | None]]  # row model beats column model (ties count half)
    counts: list[list[int]]
    rank_correlation: RankCorrelation | None = None  # a judge's board against people's
    judge: int | None = None
    judge_name: str | None = None


class RankCorrelation(BaseModel):
    spearman: float | None
    kendall: float | None
    n: int


class LabelBias(BaseModel):
    question: str
    source: Literal["people"]
    longer_wins: MetricEstimate
    first_shown_wins: MetricEstimate


class JudgeCalibration(BaseModel):
    edges: list[float]
    predicted: list[float | None]
    observed: list[float | None]
    count: list[int]
    ece: float | None


class JudgePart(BaseModel):
    question: str
    key: str
    label: str
    level: Literal["nominal", "ordinal", "interval"]
    categories: list[str]
    judged: int
    compared: int | None = None
    accuracy: MetricEstimate | None = None
    accuracy_without_ties: MetricEstimate | None = None
    kappa: float | None = None
    confusion: list[list[int]] | None = None  # rows: people's majority; columns: the judge
    spearman: float | None = None
    kendall: float | None = None
    correlated: int | None = None
    calibration: JudgeCalibration | None = None
    flip_rate: MetricEstimate | None = None
    first_position: MetricEstimate | None = None
    longer_wins: MetricEstimate | None = None


class JudgeReport(BaseModel):
    judge: int
    name: str
    kind: str
    predictions: int
    parts: list[JudgePart]
    leaderboards: list[ModelLeaderboard]


class ReportProgress(BaseModel):
    items: int
    items_done: int
    annotations: int
    annotators: int


class Report(BaseModel):
    progress: ReportProgress
    annotators_count: int
    parts: list[PartAgreement]
    annotators: list[AnnotatorRow]
    leaderboards: list[ModelLeaderboard]
    bias: list[LabelBias]
    judges: list[JudgeReport] = []


class ModelLeaderboards(RootModel[list[ModelLeaderboard]]):
    """People's boards, then each judge's."""


ModelLeaderboard.model_rebuild()
