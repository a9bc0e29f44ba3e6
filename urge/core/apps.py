"""What every part of the site shares: the base page, styles, serving."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "urge.core"
    label = "core"

    def ready(self) -> None:
        from urge.core import checks  # noqa: F401 - registers the checks
