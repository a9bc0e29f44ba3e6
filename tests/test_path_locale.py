"""The page's language comes from its path alone (urge/core/locale.py), chosen as Django's own
LocaleMiddleware chooses it, whatever the browser's cookie and Accept-Language say; and the
request's host is worked out once (urge/core/unreadable.py), a refused one refused each time."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

from urge.core.locale import PathLocaleMiddleware
from urge.core.unreadable import WSGIRequest

PATHS = [
    "/",
    "/c/hketo/",
    "/c/hketo/act/go/",
    "/zh-hant/c/hketo/",
    "/zh-hant",
    "/zh-HANT/c/hketo/",
    "/zh/c/hketo/",
    "/en/c/hketo/",
    "/en-gb/c/hketo/",
    "/fr/c/hketo/",
    "/manage/",
    "/zh-hant\n/c/",
    "/" + "x" * 600 + "/",
]
BROWSERS: list[dict[str, str]] = [
    {},
    {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9,en-US;q=0.8"},
    {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"},
    {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}=zh-hant"},
]


def _chosen(middleware: Any, request: HttpRequest) -> tuple[str, str | None]:
    with translation.override(None):
        middleware.process_request(request)
        return request.LANGUAGE_CODE, translation.get_language()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("meta", BROWSERS)
def test_the_language_is_the_one_djangos_middleware_chooses(
    path: str, meta: dict[str, str]
) -> None:
    ours = _chosen(PathLocaleMiddleware(HttpResponse), _get(path, meta))
    djangos = _chosen(LocaleMiddleware(HttpResponse), _get(path, meta))
    assert ours == djangos


def _get(path: str, meta: dict[str, str]) -> HttpRequest:
    request = RequestFactory().get(path)
    request.META.update(meta)
    return request


def test_a_change_of_languages_is_seen(settings: Any) -> None:
    request = RequestFactory().get("/fr/c/hketo/")
    assert _chosen(PathLocaleMiddleware(HttpResponse), request)[0] == "en"
    settings.LANGUAGES = [*settings.LANGUAGES, ("fr", "French")]
    request = RequestFactory().get("/fr/c/hketo/")
    assert _chosen(PathLocaleMiddleware(HttpResponse), request)[0] == "fr"


def _request(host: str) -> WSGIRequest:
    environ = RequestFactory().get("/c/hketo/", HTTP_HOST=host).environ
    environ["wsgi.input"] = io.BytesIO(b"")
    return WSGIRequest(environ)


def test_the_host_is_worked_out_once_and_a_refused_one_each_time() -> None:
    allowed = _request("localhost")
    assert allowed.get_host() == allowed.get_host() == "localhost"
    refused = _request("evil.example")
    for _ in range(2):
        with pytest.raises(DisallowedHost):
            refused.get_host()
