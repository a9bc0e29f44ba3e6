"""Legislators: official data releases, the lookup index, finding who represents a ZIP."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislatorsConfig(AppConfig):
    name = "urge.legislators"
    label = "legislators"
    verbose_name = _("Legislators")

    def ready(self) -> None:
        from urge.core.health import add_check
        from urge.legislators.readiness import data_release

        add_check("data release", data_release)
