"""Embedded mode keeps the channel layer's rows in their own SQLite file."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

CHANNELS_DB = "channels"
CHANNELS_APP = "channels_lite"


class EmbeddedRouter:
    """channels_lite tables live (only) in the ``channels`` database; nothing else does."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return CHANNELS_DB if model._meta.app_label == CHANNELS_APP else None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return CHANNELS_DB if model._meta.app_label == CHANNELS_APP else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return (app_label == CHANNELS_APP) == (db == CHANNELS_DB)
