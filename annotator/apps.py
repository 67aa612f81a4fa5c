from django.apps import AppConfig


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Moot"
    default_auto_field = "django.db.models.BigAutoField"
