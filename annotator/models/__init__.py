"""Core domain tables. Fields and constraints only; behaviour lives in services."""

from annotator.models.items import Candidate, Item
from annotator.models.projects import AssignmentOrder, Membership, Project, Role

__all__ = ["AssignmentOrder", "Candidate", "Item", "Membership", "Project", "Role"]
