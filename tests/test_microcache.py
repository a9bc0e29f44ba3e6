"""The whole-page micro-cache in front of Django: what it keeps, for whom, and for how long."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from urge.campaigns.models import Campaign
from urge.core.microcache import MARKER, MicroCache


class Page:
    """A WSGI app that counts how often it really renders."""

    def __init__(self, status: str = "200 OK", headers: list[tuple[str, str]] | None = None):
        self.status = status
        self.headers = headers if headers is not None else [(MARKER, "60")]
        self.renders = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.renders += 1
        start_response(self.status, [("Content-Type", "text/html"), *self.headers])
        return [f"render {self.renders}".encode()]


def get(app: MicroCache, **environ: str) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "HTTP_HOST": "example.org",
        "wsgi.url_scheme": "https",
    }
    body = b"".join(app({**base, **environ}, start_response))
    return seen["status"], seen["headers"], body


def test_it_answers_a_repeat_visit_without_rendering_again() -> None:
    page = Page()
    cache = MicroCache(page)
    first, again = get(cache), get(cache)
    assert first == again
    assert first[2] == b"render 1"
    assert page.renders == 1
    assert MARKER not in first[1]  # the marker stays between the view and the cache


@pytest.mark.parametrize(
    "environ",
    [
        {"REQUEST_METHOD": "POST"},
        {"QUERY_STRING": "ref=x"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_AUTHORIZATION": "Basic eA=="},
    ],
)
def test_it_never_serves_requests_that_may_differ_per_person(environ: dict[str, str]) -> None:
    page = Page()
    cache = MicroCache(page)
    get(cache, **environ)
    get(cache, **environ)
    assert page.renders == 2


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        ("200 OK", []),  # the view did not ask
        ("404 Not Found", [(MARKER, "60")]),
        ("200 OK", [(MARKER, "60"), ("Set-Cookie", "a=b")]),
    ],
)
def test_it_keeps_only_pages_that_ask_succeed_and_set_no_cookie(
    status: str, headers: list[tuple[str, str]]
) -> None:
    page = Page(status, headers)
    cache = MicroCache(page)
    get(cache)
    get(cache)
    assert page.renders == 2


def test_it_keeps_pages_apart_by_host_path_scheme_and_compression() -> None:
    page = Page()
    cache = MicroCache(page)
    get(cache)
    get(cache, HTTP_HOST="other.example.org")
    get(cache, PATH_INFO="/zh-hant/")
    get(cache, HTTP_X_FORWARDED_PROTO="http")
    get(cache, HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.renders == 5


def test_it_renders_again_once_the_time_is_up() -> None:
    page = Page(headers=[(MARKER, "1")])
    cache = MicroCache(page)
    get(cache)
    time.sleep(1.05)
    assert get(cache)[2] == b"render 2"


def test_the_campaign_page_asks_for_it_and_a_lookup_answer_does_not(
    hketo: Campaign, settings: Any
) -> None:
    settings.URGE_PAGE_CACHE_SECONDS = 2
    client = Client()
    assert client.get("/")[MARKER] == "2"
    assert MARKER not in client.post("/", {"zip": "98104"})
    assert MARKER not in client.get("/c/hketo/join/")


def test_the_parts_of_the_page_that_are_the_same_for_all_are_rendered_once_for_a_while(
    hketo: Campaign, settings: Any
) -> None:
    settings.URGE_PAGE_CACHE_SECONDS = 60
    cache.clear()
    client = Client()
    assert "Find your legislators" in client.get("/").content.decode()
    hketo.steps.filter(position=1, language="en").update(title="A title changed quietly")
    assert "A title changed quietly" not in client.post("/", {"zip": "98104"}).content.decode()
    hketo.save()  # an edit through the admin or `urge load` saves the campaign
    assert "A title changed quietly" in client.post("/", {"zip": "98104"}).content.decode()
    cache.clear()
