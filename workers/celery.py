"""The Celery app: queues and routing, all in one place.

* ``gpu``: model work (judge runs, embeddings, training the preference head). Run one worker
  process per GPU (``--pool solo`` or ``-c 1``).
* ``default``: everything else (exports, analytics, housekeeping).

Broker settings come from Django settings (``CELERY_*``): Redis in production, a SQLite file in
embedded mode.
"""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")

GPU_QUEUE = "gpu"
DEFAULT_QUEUE = "default"

# Task name → queue. Anything not listed runs on the default queue.
TASK_ROUTES: dict[str, dict[str, str]] = {
    "workers.gpu_*": {"queue": GPU_QUEUE},
    "workers.judge_*": {"queue": GPU_QUEUE},
    "workers.head_*": {"queue": GPU_QUEUE},
}

app = Celery("workers")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue(DEFAULT_QUEUE), Queue(GPU_QUEUE))
app.conf.task_default_queue = DEFAULT_QUEUE
app.conf.task_routes = TASK_ROUTES
app.autodiscover_tasks(["workers"])
