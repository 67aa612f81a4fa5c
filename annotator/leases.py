"""Leases: how a background job says "a live worker has this", and how a dead one is noticed.

A worker that takes a job (a judge batch, an export build) stamps it with a lease, renews the
lease from a heartbeat thread while it works, and clears it when done. If the worker dies
(SIGKILL, the OOM killer, a lost machine) the lease runs out; every worker's watchdog
(``workers.watchdog``) looks for such jobs every ``MOOT_RECOVERY_EVERY_S`` seconds and queues
them again. Nothing depends on the broker redelivering the dead worker's message (Redis does
that only after its visibility timeout, an hour).

A job that fails because the database went away is not a failed job: the worker gives the
lease up at once (``lease_give_up``) so the watchdog retries it, and ``MOOT_TASK_MAX_ATTEMPTS``
stops a job that kills its worker every time from being retried for ever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import Model, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


def lease_expiry(seconds: float, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=seconds)


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` says the database was unreachable (or restarted) rather than the job bad.

    psycopg reports a lost connection, a server shutting down and a refused connection as
    ``OperationalError``; Django as ``InterfaceError`` once the connection is known closed.
    """
    return isinstance(exc, OperationalError | InterfaceError)


@contextmanager
def heartbeat(renew: Callable[[], object], *, every_s: float, name: str) -> Iterator[None]:
    """Call ``renew`` every ``every_s`` seconds on a thread until the block ends.

    A renewal that fails (the database is down for a moment) is logged and tried again at the
    next beat; the thread never dies of it. It uses, and closes, its own connection.
    """
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every_s):
                try:
                    renew()
                except DatabaseError as exc:
                    logger.warning("%s: could not renew the lease: %s", name, exc)
                    db_connection.close()
        finally:
            db_connection.close()

    thread = threading.Thread(target=beat, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def lease_give_up(give_up: Callable[[], object], *, what: str) -> None:
    """Let the watchdog retry a job now, after a transient failure; a no-op if that fails too.

    When the database is still down, the lease simply runs out and the result is the same.
    """
    if db_connection.connection is not None and not db_connection.is_usable():
        db_connection.close()  # the broken one; the next query opens another
    try:
        give_up()
    except DatabaseError as exc:
        logger.warning("%s: could not give the lease up (%s); it will run out", what, exc)
    else:
        logger.warning("%s: the database was unreachable; it will be retried", what)


def leases_expired_requeue(stale: QuerySet[M], requeue: Callable[[M], object], limit: int) -> int:
    """Hand out again the jobs of ``stale`` (their lease ran out); return how many.

    ``requeue`` resets a job and publishes its task. Each job is done inside its own
    transaction with its row locked: a worker handed the task waits on the lock until the
    commit, and a broker that is down (``requeue`` raises) rolls it back for the next sweep.
    Jobs another sweep has locked are skipped, so any number of workers may sweep at once.
    """
    requeued = 0
    for pk in list(stale.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            job = stale.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if job is None:
                continue
            requeue(job)
        requeued += 1
    return requeued
