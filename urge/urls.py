"""URLs: the public pages in every language, plus the admin. (`/healthz` and `/readyz` are
answered before the URLs are looked at, by urge/core/health.py.)"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("urge.legislators.urls")),
    # Link-preview images, one URL whatever the page's language (urge/sharing/views.py).
    path("", include("urge.sharing.urls")),
    *i18n_patterns(
        path("", include("urge.pages.urls")),
        path("", include("urge.actions.urls")),
        path("", include("urge.supporters.urls")),
        path("manage/", include("urge.dashboard.urls")),
        prefix_default_language=False,
    ),
]

# A bad request a view raises gets the same page, in the page's language, as one the
# middleware refuses before any view runs.
handler400 = "urge.core.unreadable.bad_request"
# A database error raised outside a view (in a middleware) gets the 503 page a view's gets.
handler500 = "urge.core.unavailable.server_error"
