"""Every worker's watchdog: queue again the jobs whose worker died.

A thread in each worker process (started when the worker is ready, stopped at its shutdown)
looks every ``MOOT_RECOVERY_EVERY_S`` seconds for judge batches and export builds whose lease
ran out (see ``annotator.leases``) and queues them again. It needs neither the broker nor a beat
scheduler to keep going: a failed sweep (the database or the broker is down) is logged and
tried again at the next one, so whatever stops, recovery starts again on its own. Any number
of workers may sweep at once; each job is queued again by one of them.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection

from annotator.services.exports import exports_recover
from judges.services import judge_runs_recover

logger = logging.getLogger(__name__)


def sweep() -> int:
    """Queue again what lost its worker; return how many jobs."""
    recovered = 0
    for name, recover in (("judge batches", judge_runs_recover), ("exports", exports_recover)):
        try:
            count = recover()
        except Exception as exc:  # the database or the broker is down: next time
            logger.warning("recovery of %s failed, trying again later: %s", name, exc)
            connection.close()
            continue
        if count:
            logger.warning("queued %d of %s again after their worker died", count, name)
        recovered += count
    return recovered


class Watchdog:
    def __init__(self, every_s: float | None = None) -> None:
        self.every_s = every_s if every_s is not None else settings.MOOT_RECOVERY_EVERY_S
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="moot-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        try:
            # At once first: a worker that starts after a crash picks up what the dead one held.
            while True:
                try:
                    sweep()
                    connection.close()
                except Exception:
                    logger.exception("watchdog sweep failed; trying again later")
                if self._stop.wait(self.every_s):
                    return
        finally:
            connection.close()
