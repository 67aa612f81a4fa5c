"""Who may see and change judges and runs: the project's roles, through ``access_project``."""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from annotator.access import access_project
from judges.models import Judge, JudgeRun

Owned = TypeVar("Owned", Judge, JudgeRun)


def _in_project(rows: QuerySet[Owned], pk: int, user: User | AnonymousUser, minimum: str) -> Owned:
    """The row if the caller holds ``minimum`` in its project; 404 when not a member, 403 when
    the role is too low (as for the project itself)."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    access_project(user=user, project_id=row.project_id, minimum=minimum)
    return row


def access_judge(*, user: User | AnonymousUser, judge_id: int, minimum: str) -> Judge:
    return _in_project(Judge.objects.select_related("project"), judge_id, user, minimum)


def access_run(*, user: User | AnonymousUser, run_id: int, minimum: str) -> JudgeRun:
    return _in_project(JudgeRun.objects.select_related("judge"), run_id, user, minimum)
