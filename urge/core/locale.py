"""Django's LocaleMiddleware, without `Vary: Accept-Language`: on this site the path alone
decides the language.

With `i18n_patterns(prefix_default_language=False)` (urge/urls.py), a path without a
language prefix is always in the site's own language, whatever the browser asks for, and a
prefixed one in its prefix's. Django still adds the header to unprefixed paths, which would
split every shared cache into one copy per browser language setting. (Its other addition,
redirecting a 404 to a prefixed path, applies only when the default language is prefixed.)
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class PathLocaleMiddleware(LocaleMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
