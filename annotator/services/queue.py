"""The item queue in plain SQL: the hot path of ``next``.

``next`` runs for every item a person labels, and most of its cost in the ORM was building and
compiling the same few querysets on every call (about 4 ms of Python per call against 3 ms of
database time). These statements are the same ones, written once. They run on PostgreSQL and on
SQLite; the row locks (``FOR UPDATE [SKIP LOCKED]``) are only added where the backend has them
(SQLite serialises writers instead, see ``annotator.services.distribution``).

Table and column names come from the models' metadata, so a renamed table breaks here loudly
instead of silently querying the wrong thing; values are always bound as parameters.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from django.db import connection

from annotator.models import (
    Annotation,
    Assignment,
    AssignmentOrder,
    AssignmentStatus,
    Candidate,
    Item,
    Membership,
)

ORDER_BY: dict[str, str] = {
    AssignmentOrder.SEQUENTIAL: "i.id",
    AssignmentOrder.RANDOM: "i.shuffle, i.id",
    AssignmentOrder.PRIORITY: "i.priority DESC, i.id",
    AssignmentOrder.ACTIVE: "i.priority DESC, i.id",
}
ACTIVE = AssignmentStatus.ACTIVE.value


def _lock(*, skip_locked: bool) -> str:
    features = connection.features
    if not features.has_select_for_update:
        return ""
    if skip_locked and features.has_select_for_update_skip_locked:
        return " FOR UPDATE OF i SKIP LOCKED"
    return " FOR UPDATE"


@cache
def _pick_sql(order: str, *, gold: bool, passed: int, lock: str) -> str:
    """SQL for the first item of the queue this person may take, row-locked; cached per shape."""
    # The first conditions match the partial queue indexes' predicate (done = false AND gold IS
    # NULL), so the planner walks the index in queue order and stops at the first hit.
    pool = "i.gold IS NOT NULL" if gold else "i.done = FALSE AND i.gold IS NULL"
    live_count = (
        f"(SELECT COUNT(*) FROM {Assignment._meta.db_table} s"  # noqa: S608  # names from models
        " WHERE s.item_id = i.id AND s.status = %(active)s AND s.expires_at > %(now)s)"
    )
    # A first, lock-free filter on free slots; the count is taken again under the row lock.
    slots = (
        "" if gold else f" AND {live_count} < %(overlap)s + i.extra_overlap - i.annotation_count"
    )
    placeholders = ", ".join(f"%(p{n})s" for n in range(passed))
    excluded = f" AND i.id NOT IN ({placeholders})" if passed else ""
    return (
        f"SELECT i.id, i.annotation_count, i.extra_overlap FROM {Item._meta.db_table} i"  # noqa: S608  # as above
        f" WHERE i.project_id = %(project)s AND {pool}"
        f" AND NOT EXISTS (SELECT 1 FROM {Annotation._meta.db_table} a"
        "  WHERE a.item_id = i.id AND a.annotator_id = %(user)s)"
        # Not the item already on this person's screen (when fetching ahead).
        f" AND NOT EXISTS (SELECT 1 FROM {Assignment._meta.db_table} s"
        "  WHERE s.item_id = i.id AND s.annotator_id = %(user)s"
        "  AND s.status = %(active)s AND s.expires_at > %(now)s)"
        f"{slots}{excluded}"
        f" ORDER BY {ORDER_BY[order]} LIMIT 1{lock}"
    )


def queue_pick(
    *,
    project_id: int,
    user_id: int,
    order: str,
    overlap: int,
    now: datetime,
    gold: bool,
    passed: list[int],
    lock: bool = True,
    wait: bool = False,
) -> tuple[int, int] | None:
    """Lock and return ``(item id, slots wanted)`` of the next candidate item, or None.

    Slots wanted are the item's overlap (the project's plus its ``extra_overlap``) minus its
    counted annotations: how many more people may take it, live assignments aside.

    Items locked by other transactions are skipped, not waited for; ``passed`` are items this
    request already found full under their lock. ``lock=False`` only asks whether there is one
    (locked items included). ``wait=True`` waits for the first item's lock instead of skipping.
    """
    lock_sql = _lock(skip_locked=not wait) if lock else ""
    sql = _pick_sql(order, gold=gold, passed=len(passed), lock=lock_sql)
    params: dict[str, int | str | datetime] = {
        "project": project_id,
        "user": user_id,
        "active": ACTIVE,
        "now": now,
        "overlap": overlap,
        **{f"p{n}": pk for n, pk in enumerate(passed)},
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (int(row[0]), overlap + int(row[2]) - int(row[1])) if row else None


def queue_live_count(*, item_id: int, now: datetime) -> int:
    """Unexpired active assignments of an item (call with the item row locked)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Assignment._meta.db_table}"  # noqa: S608  # names from models
            " WHERE item_id = %s AND status = %s AND expires_at > %s",
            [item_id, ACTIVE, now],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def queue_candidate_keys(*, item_id: int) -> list[str]:
    """The item's candidate keys in source order."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "key" FROM {Candidate._meta.db_table}'  # noqa: S608  # names from models
            " WHERE item_id = %s ORDER BY position",
            [item_id],
        )
        return [str(key) for (key,) in cursor.fetchall()]


def queue_lock_member(*, project_id: int, user_id: int) -> None:
    """Lock this person's membership row: one person's ``next`` calls run one at a time."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Membership._meta.db_table}"  # noqa: S608  # names from models
            f" WHERE project_id = %s AND user_id = %s{_lock(skip_locked=False)}",
            [project_id, user_id],
        )
        cursor.fetchone()
