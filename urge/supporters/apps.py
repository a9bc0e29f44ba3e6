"""Supporters: who signed up, which co-hosts they chose, their personal data encrypted at rest."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "urge.supporters"
    label = "supporters"
    verbose_name = _("Supporters")

    def ready(self) -> None:
        from urge.supporters import checks  # noqa: F401 - registers the deploy checks
