"""Bills: the campaign's bills as Congress.gov reports them, checked by `urge track`."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillsConfig(AppConfig):
    name = "urge.bills"
    label = "bills"
    verbose_name = _("Bills")

    def ready(self) -> None:
        from urge.bills import signals

        signals.connect()
