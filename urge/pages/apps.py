"""Pages: the public pages that combine the other apps (the campaign page and its ZIP form)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "urge.pages"
    label = "pages"
    verbose_name = _("Pages")
