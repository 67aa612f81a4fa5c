"""Core domain tables. Fields and constraints only; behaviour lives in services."""

from annotator.models.annotations import (
    Annotation,
    AnnotationStatus,
    AnnotationVersion,
    Assignment,
    AssignmentStatus,
    Review,
    ReviewDecision,
    ReviewStatus,
)
from annotator.models.exports import Export, ExportStatus
from annotator.models.items import Candidate, Item
from annotator.models.metrics import MetricsSnapshot
from annotator.models.projects import AssignmentOrder, Membership, Project, Role

__all__ = [
    "Annotation",
    "AnnotationStatus",
    "AnnotationVersion",
    "Assignment",
    "AssignmentOrder",
    "AssignmentStatus",
    "Candidate",
    "Export",
    "ExportStatus",
    "Item",
    "Membership",
    "MetricsSnapshot",
    "Project",
    "Review",
    "ReviewDecision",
    "ReviewStatus",
    "Role",
]
