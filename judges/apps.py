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

        # Exports use judges' predictions where no person labelled an item, and list them all
        # in the raw format.
        from annotator.exports.source import model_labels_register  # noqa: PLC0415
        from judges.exports import JudgeLabels  # noqa: PLC0415

        model_labels_register(JudgeLabels())

        # New human labels may retrain a project's preference head; new items need priorities.
        from annotator.signals import items_changed, labels_changed  # noqa: PLC0415
        from judges.active import labels_touch, priorities_touch  # noqa: PLC0415

        def _on_labels(*, project_id: int, **_: object) -> None:
            labels_touch(project_id=project_id)

        def _on_items(*, project_id: int, **_: object) -> None:
            priorities_touch(project_id=project_id)

        labels_changed.connect(_on_labels, weak=False, dispatch_uid="judges.labels_touch")
        items_changed.connect(_on_items, weak=False, dispatch_uid="judges.priorities_touch")
