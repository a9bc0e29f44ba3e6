"""The page in other languages: links for the switcher and hreflang alternates."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

# HTML's lang and hreflang want BCP 47 tags; Django's codes are lower-case.
BCP47 = {"en": "en", "zh-hant": "zh-Hant"}


def language_tag(code: str) -> str:
    return BCP47.get(code, code)


@dataclass(frozen=True)
class Alternate:
    code: str
    tag: str
    name: str
    url: str
    current: bool


def alternates(
    request: HttpRequest, url_name: str, kwargs: dict[str, str], languages: list[str]
) -> list[Alternate]:
    current = translation.get_language()
    found = []
    for code, _name in settings.LANGUAGES:
        if code not in languages:
            continue
        with translation.override(code):
            path = reverse(url_name, kwargs=kwargs)
        found.append(
            Alternate(
                code=code,
                tag=language_tag(code),
                name=translation.get_language_info(code)["name_local"],
                url=request.build_absolute_uri(path),
                current=code == current,
            )
        )
    return found
