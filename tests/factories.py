"""Factories for the core domain."""

from __future__ import annotations

from typing import Any, cast

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from annotator.models import Membership, Project, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation  # type: ignore[untyped-decorator]  # factory_boy is untyped here
    def _save(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"project-{n}")
    questions = factory.LazyFunction(
        lambda: [{"id": "pref", "kind": "pairwise", "prompt": "", "required": True}]
    )


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


# Typed entry points: factory_boy's own annotations return the factory type, not the model.


def new_user(**fields: Any) -> User:
    return cast(User, UserFactory(**fields))


def new_project(**fields: Any) -> Project:
    return cast(Project, ProjectFactory(**fields))


def member(project: Project, role: str) -> User:
    """A new user who holds ``role`` in ``project``."""
    return cast(Membership, MembershipFactory(project=project, role=role)).user
