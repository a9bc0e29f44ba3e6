"""The HTTP cache in front of Django keeps only what Django marked public, for as long as it
said, apart by URL and by the headers the page varies on; and serves it as it was."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import pytest

from tests.wsgi import request
from urge.core.httpcache import HttpCache

PUBLIC = ("Cache-Control", "public, max-age=60")


class Page:
    """A WSGI app that counts how often it really renders."""

    def __init__(self, *headers: tuple[str, str], status: str = "200 OK") -> None:
        self.status = status
        self.headers = list(headers) if headers else [PUBLIC]
        self.renders = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.renders += 1
        start_response(self.status, [("Content-Type", "text/html"), *self.headers])
        return [f"render {self.renders}".encode()]


def test_it_replays_a_public_page_with_its_own_headers_and_bytes() -> None:
    page = Page(PUBLIC, ("Content-Language", "zh-hant"))
    cache = HttpCache(page)
    first, again = request(cache, "/"), request(cache, "/")
    assert again.body == first.body == b"render 1"
    assert page.renders == 1
    assert again.headers["Content-Language"] == "zh-hant"
    assert again.headers["Cache-Control"] == "public, max-age=60"
    assert again.headers["Age"] == "0"  # the one header a cache adds


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200 OK", []),  # Django did not say
        ("200 OK", [("Cache-Control", "max-age=60")]),  # not public
        ("200 OK", [("Cache-Control", "public, max-age=0")]),
        ("200 OK", [("Cache-Control", "public, max-age=60, private")]),
        ("200 OK", [("Cache-Control", "public, no-store, max-age=60")]),
        ("200 OK", [PUBLIC, ("Set-Cookie", "a=b")]),
        ("200 OK", [PUBLIC, ("Vary", "*")]),
        ("404 Not Found", [PUBLIC]),
    ],
)
def test_it_keeps_only_what_django_marked_public(
    status: str, headers: list[tuple[str, str]]
) -> None:
    page = Page(*headers, status=status) if headers else Page(("X", "y"), status=status)
    cache = HttpCache(page)
    request(cache, "/")
    request(cache, "/")
    assert page.renders == 2


@pytest.mark.parametrize(
    "meta",
    [
        {"REQUEST_METHOD": "POST"},
        {"REQUEST_METHOD": "HEAD"},
        {"HTTP_AUTHORIZATION": "Basic eA=="},
        {"HTTP_IF_NONE_MATCH": '"x"'},
    ],
)
def test_requests_it_must_not_answer_go_to_django(meta: dict[str, str]) -> None:
    page = Page()
    cache = HttpCache(page)
    method = meta.pop("REQUEST_METHOD", "GET")
    request(cache, "/", method, b"", **meta)
    request(cache, "/", method, b"", **meta)
    assert page.renders == 2


def test_it_keeps_urls_apart_query_string_included() -> None:
    page = Page()
    cache = HttpCache(page)
    for path in ("/c/x/", "/c/x/?ref=a", "/c/x/?ref=b", "/zh-hant/c/x/"):
        request(cache, path)
    request(cache, "/c/x/", HTTP_HOST="other.example.org")
    request(cache, "/c/x/", HTTP_X_FORWARDED_PROTO="https")
    assert page.renders == 6
    assert request(cache, "/c/x/?ref=a").body == b"render 2"


def test_it_keeps_apart_what_the_page_varies_on_and_nothing_else() -> None:
    page = Page(PUBLIC, ("Vary", "Accept-Encoding"))
    cache = HttpCache(page)
    request(cache, "/", HTTP_ACCEPT_ENCODING="gzip")
    request(cache, "/", HTTP_ACCEPT_ENCODING="gzip", HTTP_ACCEPT_LANGUAGE="fr")
    request(cache, "/", HTTP_ACCEPT_ENCODING="br")
    assert page.renders == 2


def test_it_renders_again_once_the_time_is_up() -> None:
    page = Page(("Cache-Control", "public, max-age=1"))
    cache = HttpCache(page)
    request(cache, "/")
    time.sleep(1.05)
    assert request(cache, "/").body == b"render 2"


def test_it_keeps_at_most_so_many_pages() -> None:
    page = Page()
    cache = HttpCache(page, max_entries=2)
    for path in ("/a", "/b", "/c", "/c", "/a"):
        request(cache, path)
    assert page.renders == 4  # /a was dropped to make room for /c


def test_it_keeps_at_most_so_many_bytes() -> None:
    page = Page()
    cache = HttpCache(page, max_bytes=len(b"render 1") * 2)
    for path in ("/a", "/b", "/c", "/c", "/b", "/a"):
        request(cache, path)
    assert page.renders == 4  # /a was dropped to make room for /c
    assert cache.bytes == len(b"render 1") * 2


def test_pages_stored_together_expire_spread_out_but_never_after_their_max_age() -> None:
    cache = HttpCache(Page())
    for n in range(50):
        request(cache, f"/c/x/act/?t={n}")
    lifetimes = [entry.lifetime for entry in cache.entries.values()]
    assert all(48 <= lifetime <= 60 for lifetime in lifetimes)
    assert max(lifetimes) - min(lifetimes) > 1
