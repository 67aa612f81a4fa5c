"""WSGI entry point (HTTP only; live events need the ASGI application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings.base")
application = get_wsgi_application()
