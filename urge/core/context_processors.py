"""Template values every page needs."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from urge.core.languages import language_tag


def language(request: HttpRequest) -> dict[str, str | int]:
    return {
        "lang_tag": language_tag(translation.get_language()),
        # How long parts of public pages that are the same for everyone may be reused.
        "page_cache_seconds": settings.URGE_PAGE_CACHE_SECONDS,
    }
