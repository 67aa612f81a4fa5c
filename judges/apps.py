from django.apps import AppConfig


class JudgesConfig(AppConfig):
    name = "judges"
    verbose_name = "Judges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The core's dashboard report gets the judges-vs-people section without importing us.
        from annotator.analytics.sections import section_register  # noqa: PLC0415
        from judges.metrics import judges_section  # noqa: PLC0415

        section_register("judges", judges_section)
