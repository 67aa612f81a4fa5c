"""Celery workers: the app, queues and routing, and thin tasks over the services.

``celery -A workers worker -Q gpu`` on GPU machines, ``-Q default`` elsewhere.
"""

from workers.celery import app

__all__ = ["app"]
