"""Dashboard: where organisers and co-host staff sign in (with a second factor) to see results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "urge.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from django.contrib import admin

        from urge.dashboard import signals  # noqa: F401 - records role changes
        from urge.dashboard.admin import SecondFactorAdminSite

        # django-otp's documented way to put its check in front of the default admin site,
        # which every app has already registered its models with.
        admin.site.__class__ = SecondFactorAdminSite
