"""URLs: the public pages in every language, plus the admin and a health check."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from urge.core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="urge-healthz"),
    path("", include("urge.legislators.urls")),
    *i18n_patterns(
        path("", include("urge.pages.urls")),
        path("", include("urge.actions.urls")),
        path("", include("urge.supporters.urls")),
        path("manage/", include("urge.dashboard.urls")),
        prefix_default_language=False,
    ),
]
