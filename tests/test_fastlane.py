"""The fast lane answers `/api/lookup?zip=` exactly as Django does, and hands it the rest."""

from __future__ import annotations

import gzip
import io
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler

from urge.core.fastlane import Answer, FastLane
from urge.legislators.fastlane import api_lookup
from urge.legislators.models import DataRelease


class Counting:
    """The real route, counting the requests it answered itself."""

    def __init__(self) -> None:
        self.answered = 0

    def __call__(self, environ: dict[str, Any]) -> Answer | None:
        answer = api_lookup(environ)
        self.answered += answer is not None
        return answer


@pytest.fixture
def lane() -> tuple[FastLane, Counting]:
    route = Counting()
    return FastLane(WSGIHandler(), {"/api/lookup": route}), route


def call(app: FastLane, query: str, **environ: str) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = status
        seen["headers"] = {k: v for k, v in headers if k != "Date"}

    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/lookup",
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    result = app({**base, **environ}, start_response)
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    return seen["status"], seen["headers"], body


def comparable(answer: tuple[str, dict[str, str], bytes]) -> tuple[str, dict[str, str], bytes]:
    """Gzip bodies carry random padding (against BREACH): compare what they hold. The CSP
    header lists its directives in no fixed order: compare them as a set."""
    status, headers, body = answer
    csp = headers.get("Content-Security-Policy", "")
    headers = {**headers, "Content-Security-Policy": "; ".join(sorted(csp.split("; ")))}
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
        headers = {k: v for k, v in headers.items() if k != "Content-Length"}
    return status, headers, body


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
def test_it_answers_as_django_does_once_django_has_answered_first(
    release: DataRelease, lane: tuple[FastLane, Counting], encoding: str
) -> None:
    app, route = lane
    by_django = call(app, "zip=98104", HTTP_ACCEPT_ENCODING=encoding)
    assert route.answered == 0
    for zip_code in ("98104", "98104", "20001"):
        by_lane = call(app, f"zip={zip_code}", HTTP_ACCEPT_ENCODING=encoding)
        by_django_again = call(
            FastLane(WSGIHandler(), {}), f"zip={zip_code}", HTTP_ACCEPT_ENCODING=encoding
        )
        assert comparable(by_lane) == comparable(by_django_again)
    assert route.answered == 3
    assert by_django[0] == "200 OK"
    assert "Content-Security-Policy" in by_django[1]
    assert (by_django[1].get("Content-Encoding") == "gzip") == bool(encoding)


@pytest.mark.parametrize(
    ("query", "environ"),
    [
        ("zip=98104&state=WA", {}),  # a choice: Django's view
        ("address=1+Main+St+98104", {}),
        ("zip=9810", {}),  # an error
        ("zip=98104", {"HTTP_HOST": "evil.example"}),  # a host Django refuses
        ("zip=98104", {"REQUEST_METHOD": "HEAD"}),
    ],
)
def test_it_hands_django_everything_else(
    release: DataRelease, lane: tuple[FastLane, Counting], query: str, environ: dict[str, str]
) -> None:
    app, route = lane
    call(app, "zip=98104")  # learned
    answered = route.answered
    by_lane = call(app, query, **environ)
    assert route.answered == answered
    assert by_lane == call(FastLane(WSGIHandler(), {}), query, **environ)
