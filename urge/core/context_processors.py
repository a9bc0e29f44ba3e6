"""Template values every page needs."""

from django.http import HttpRequest
from django.utils import translation

from urge.core.languages import language_tag


def language(request: HttpRequest) -> dict[str, str]:
    return {"lang_tag": language_tag(translation.get_language())}
