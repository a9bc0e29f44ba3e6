"""Django's LocaleMiddleware, without `Vary: Accept-Language`: on this site the path alone
decides the language.

With `i18n_patterns(prefix_default_language=False)` (urge/urls.py), a path without a
language prefix is always in the site's own language, whatever the browser asks for, and a
prefixed one in its prefix's. Django still adds the header to unprefixed paths, which would
split every shared cache into one copy per browser language setting. (Its other addition,
redirecting a 404 to a prefixed path, applies only when the default language is prefixed.)

Django's process_request also reads the language cookie and Accept-Language, then throws
that answer away whenever the path decides, as it always does here; and it looks the path's
first segment up among the languages afresh each time, raising and catching an exception
for every path without a prefix. Here the path alone is read, its first segment's language
remembered: the same language, for about a twentieth of what a small form post costs.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import trans_real


class PathLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        patterns_used, default_prefixed = is_language_prefix_patterns_used(urlconf)
        if not patterns_used or default_prefixed or not settings.USE_I18N:
            super().process_request(request)  # the browser's choice counts: Django's way
            return
        # What Django's process_request ends with here: the path's language, or the site's;
        # and, as translation.get_language() then says, that language's code.
        language = language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.to_language(language)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def language_from_path(path: str) -> str | None:
    """translation.get_language_from_path(path): its own steps, with the answer for each
    first segment remembered."""
    found = trans_real.language_code_prefix_re.match(path)
    return None if found is None else _supported(found[1])


@functools.lru_cache(maxsize=1000)  # bounded, as Django's own caches of language codes
def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: Any) -> None:
    """Tests change the languages: Django then clears its caches of them, and this one."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _supported.cache_clear()
