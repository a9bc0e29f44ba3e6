"""Actions: the messages a supporter sends each target, and counting them without knowing who."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "urge.actions"
    label = "actions"
    verbose_name = _("Actions")
