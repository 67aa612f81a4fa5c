"""One project with a person in every role, and one object of every kind the API addresses.

The authorisation tests call every endpoint as each of these people. Everything is built through
the same services the API uses (labeling through ``assignment_next``, exports through
``export_create`` and ``export_build``), so the objects are the ones users really create.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from celery import current_app
from django.contrib.auth.models import User
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from annotator.exports.options import ExportOptions
from annotator.models import (
    Annotation,
    Assignment,
    Candidate,
    Export,
    Item,
    Membership,
    Project,
    Role,
)
from annotator.services.distribution import assignment_next
from annotator.services.exports import export_build, export_create
from judges.models import Judge, JudgeRun, Prediction, RunStatus
from tests.annotator.exports.builders import annotate
from tests.annotator.labeling import project_with_items
from tests.factories import PASSWORD, member, new_project, new_user

# Who calls: nobody, a signed-in stranger, each role in the project, and the owner of another one.
ROLES = (
    "anonymous",
    "outsider",
    "annotator",
    "reviewer",
    "manager",
    "owner",
    "other_owner",
)
MEMBER_ROLES = {
    "annotator": Role.ANNOTATOR,
    "reviewer": Role.REVIEWER,
    "manager": Role.MANAGER,
    "owner": Role.OWNER,
}
QUESTIONS = [{"id": "pref", "kind": "pairwise", "tie": True}]
GOLD = {"pref": {"winner": "b"}}
# The candidates' models, never shown to annotators while the project is blind.
MODEL_NAMES = ("secret-model-zero", "secret-model-one")
PEER = "peer-zeta"  # another annotator, whose answers the annotator must never see


@dataclass
class World:
    project: Project
    other_project: Project
    users: dict[str, User]
    # Another annotator of the project, whose answers the annotator must never see.
    peer: User
    item: Item
    gold_item: Item
    assignment: Assignment  # the annotator's open one
    annotation: Annotation  # the annotator's own, submitted
    peer_annotation: Annotation
    peer_membership: Membership
    export: Export
    judge: Judge
    run: JudgeRun
    prediction: Prediction
    tokens: dict[str, str] = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        """An API client that authenticates as ``role`` with a real API token."""
        client = APIClient()
        if role != "anonymous":
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.token(role)}")
        return client

    def token(self, role: str) -> str:
        return self.tokens[role]

    def path_parameters(self) -> dict[str, Any]:
        """The object each path parameter of the API names."""
        return {
            "project_id": self.project.pk,
            "item_id": self.item.pk,
            "assignment_id": self.assignment.pk,
            "annotation_id": self.annotation.pk,
            "member_id": self.peer_membership.pk,
            "export_id": self.export.pk,
            "judge_id": self.judge.pk,
            "run_id": self.run.pk,
            "token_key": self.tokens["owner"][: CONSTANTS.TOKEN_KEY_LENGTH],
        }


def _queued(*args: Any, **kwargs: Any) -> None:
    """Stands in for the broker while the world is built: no worker runs these tests."""


def world_build(monkeypatch: Any) -> World:
    monkeypatch.setattr(current_app, "send_task", _queued)
    project = project_with_items(4, questions=QUESTIONS, overlap=2, name="Matrix")
    users = {role: member(project, code) for role, code in MEMBER_ROLES.items()}
    users["outsider"] = new_user()
    users["other_owner"] = new_user()
    other_project = new_project(name="Elsewhere")
    Membership.objects.create(project=other_project, user=users["other_owner"], role=Role.OWNER)
    peer = member(project, Role.ANNOTATOR)
    peer.username = PEER
    peer.save(update_fields=["username"])
    for position, name in enumerate(MODEL_NAMES):
        Candidate.objects.filter(item__project=project, position=position).update(model_name=name)
    items = list(Item.objects.filter(project=project).order_by("pk"))
    gold_item = items[-1]
    gold_item.gold = GOLD
    gold_item.save(update_fields=["gold"])
    item = items[0]

    annotation = annotate(items[1], users["annotator"], {"pref": {"winner": "a"}})
    peer_annotation = annotate(item, peer, {"pref": {"winner": "b"}})
    assignment = assignment_next(project=project, user=users["annotator"])
    assert assignment is not None

    export = export_create(
        project=project, user=users["owner"], options=ExportOptions.parse({"format": "raw"})
    )
    export_build(export_id=export.pk)
    export.refresh_from_db()

    judge = Judge.objects.create(
        project=project,
        name="rm",
        kind="reward_model",
        config={"model": "/models/rm"},
        questions=["pref"],
        created_by=users["owner"],
    )
    # A preference head makes the project's active learning trainable.
    Judge.objects.create(
        project=project, name="head", kind="preference_head", config={}, questions=["pref"]
    )
    run = JudgeRun.objects.create(
        judge=judge,
        project=project,
        status=RunStatus.DONE,
        total_items=1,
        done_items=1,
        created_by=users["owner"],
    )
    prediction = Prediction.objects.create(
        run=run,
        judge=judge,
        project=project,
        item=item,
        question_id="pref",
        value={"winner": "a"},
        probability=0.8,
    )
    world = World(
        project=project,
        other_project=other_project,
        users=users,
        peer=peer,
        item=item,
        gold_item=gold_item,
        assignment=assignment,
        annotation=annotation,
        peer_annotation=peer_annotation,
        peer_membership=Membership.objects.get(project=project, user=peer),
        export=export,
        judge=judge,
        run=run,
        prediction=prediction,
    )
    # Made up front: a token created inside a rolled-back savepoint would vanish with it.
    world.tokens = {role: AuthToken.objects.create(user=user)[1] for role, user in users.items()}
    return world


__all__ = ["GOLD", "MODEL_NAMES", "PASSWORD", "PEER", "ROLES", "World", "world_build"]
