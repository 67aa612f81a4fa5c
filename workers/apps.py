from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "workers"
    verbose_name = "Workers"

    def ready(self) -> None:
        # Importing the app makes it Celery's current app in every Django process, so the web
        # process can enqueue by task name with the same broker settings and routes. Task
        # modules are only imported by worker processes (autodiscovery runs at worker start).
        from workers import celery  # noqa: F401, PLC0415  # only once apps are ready
