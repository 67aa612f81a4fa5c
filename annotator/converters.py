"""The ``<id:…>`` path converter: a database id, at most 18 digits.

Django's ``<int:…>`` takes any number of digits, and an id past 64 bits made SQLite raise
``OverflowError`` (a 500) where PostgreSQL simply finds nothing. No id reaches 10^18, so a
longer one is a URL that matches no route: a 404 on every database.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")
