from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "urge.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from urge.accounts import authlog  # noqa: F401 - connects the sign-in signals
