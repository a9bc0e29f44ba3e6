"""The fast lane answers `/api/lookup?zip=` exactly as Django does, and hands it the rest."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from urge.actions import fastlane as actions_fastlane
from urge.actions.models import ActionEvent
from urge.campaigns.models import Campaign
from urge.core.fastlane import Answer, FastLane, Handler, Route
from urge.legislators.fastlane import PATH, api_lookup
from urge.legislators.models import DataRelease
from urge.supporters import bots
from urge.supporters import fastlane as supporters_fastlane
from urge.supporters.models import Supporter


@pytest.fixture(autouse=True)
def _one_connection_per_test() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's own connection
    (on PostgreSQL that would end the transaction the test runs in)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


class Counting:
    """A real route, counting the requests it answered itself."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.answered = 0

    def __call__(self, environ: dict[str, Any], match: Any, body: bytes) -> Answer | None:
        answer = self.handler(environ, match, body)
        self.answered += answer is not None
        return answer


def django_alone() -> FastLane:
    return FastLane(WSGIHandler(), [])


@pytest.fixture
def lane() -> tuple[FastLane, Counting]:
    route = Counting(api_lookup)
    return FastLane(WSGIHandler(), [Route("lookup", "GET", PATH, route)]), route


def call(
    app: FastLane, query: str, *, body: bytes = b"", **environ: str
) -> tuple[str, dict[str, str], bytes]:
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
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.errors": io.StringIO(),
    }
    result = app({**base, **environ}, start_response)
    body = b"".join(result)
    getattr(result, "close", lambda: None)()
    return seen["status"], seen["headers"], body


def comparable(answer: tuple[str, dict[str, str], bytes]) -> tuple[str, dict[str, str], bytes]:
    """Gzip bodies carry random padding (against BREACH): compare what they say. The CSP
    header lists its directives in no fixed order: compare them as a set."""
    status, headers, body = answer
    csp = headers.get("Content-Security-Policy", "")
    headers = {**headers, "Content-Security-Policy": "; ".join(sorted(csp.split("; ")))}
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    # Whether a short body is sent compressed depends on that padding, for Django too.
    headers = {k: v for k, v in headers.items() if k not in ("Content-Length", "Content-Encoding")}
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
        by_django_again = call(django_alone(), f"zip={zip_code}", HTTP_ACCEPT_ENCODING=encoding)
        assert comparable(by_lane) == comparable(by_django_again)
    assert route.answered == 3
    assert by_django[0] == "200 OK"
    assert "Content-Security-Policy" in by_django[1]
    if not encoding:
        assert "Content-Encoding" not in by_django[1]


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
    extra: dict[str, Any] = environ  # never a body: these are headers and the method
    by_lane = call(app, query, **extra)
    assert route.answered == answered
    assert by_lane == call(django_alone(), query, **extra)


ACTION = {"target": "S000001", "channel": "post-x", "variant": "ask-for-a-vote", "text": "Hi"}


def post_action(app: FastLane, path: str = "/c/hketo/act/go/", **fields: str) -> Any:
    return call(
        app,
        "",
        body=urlencode({**ACTION, **fields}).encode(),
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_ACCEPT="application/json",
    )


@pytest.fixture
def action_lane() -> tuple[FastLane, Counting]:
    route = Counting(actions_fastlane.go)
    return FastLane(WSGIHandler(), [Route("act", "POST", actions_fastlane.PATH, route)]), route


def test_it_counts_an_action_as_the_view_does(
    hketo: Campaign, release: DataRelease, action_lane: tuple[FastLane, Counting]
) -> None:
    app, route = action_lane
    by_django = post_action(app)
    by_lane = post_action(app)
    by_lane_in_chinese = post_action(app, "/zh-hant/c/hketo/act/go/", channel="call-reached")
    assert route.answered == 2
    assert by_django[0] == by_lane[0] == by_lane_in_chinese[0] == "204 No Content"
    assert comparable(by_lane) == comparable(by_django)
    events = ActionEvent.objects.order_by("pk")
    assert [(e.channel, e.target, e.variant) for e in events] == [
        ("post-x", "S000001", "ask-for-a-vote"),
        ("post-x", "S000001", "ask-for-a-vote"),
        ("call-reached", "S000001", "ask-for-a-vote"),
    ]


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "post-telegram"},
        {"target": "Z999999"},
        {"variant": "no-such-wording"},
        {"text": " "},
        {"channel": "post-mastodon", "instance": "x/y"},
    ],
)
def test_it_leaves_refusals_to_the_view(
    hketo: Campaign,
    release: DataRelease,
    action_lane: tuple[FastLane, Counting],
    fields: dict[str, str],
) -> None:
    app, route = action_lane
    post_action(app)  # learned
    refused = post_action(app, **fields)
    assert route.answered == 0
    assert refused == post_action(django_alone(), **fields)
    assert refused[0].startswith("400")
    assert ActionEvent.objects.count() == 1


PERSON = {
    "first_name": "Mei",
    "last_name": "Wong",
    "zip_code": "98104",
    "cohost_hkdc": "on",
    "website": "",
}


def post_sign_up(app: FastLane, path: str = "/c/hketo/join/", **fields: str) -> Any:
    data = {**PERSON, "stamp": bots.new_stamp(), **fields}
    return call(
        app,
        "",
        body=urlencode(data).encode(),
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )


@pytest.fixture
def join_lane(settings: Any) -> tuple[FastLane, Counting]:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    route = Counting(supporters_fastlane.join)
    return FastLane(WSGIHandler(), [Route("join", "POST", supporters_fastlane.PATH, route)]), route


def test_it_stores_a_sound_sign_up_as_the_view_does(
    hketo: Campaign, join_lane: tuple[FastLane, Counting]
) -> None:
    app, route = join_lane
    by_django = post_sign_up(app, email="one@example.org")
    by_lane = post_sign_up(app, email="two@example.org")
    in_chinese = post_sign_up(app, "/zh-hant/c/hketo/join/", email="three@example.org")
    assert route.answered == 2
    assert comparable(by_lane) == comparable(by_django)
    assert by_lane[0] == "303 See Other"
    assert by_lane[1]["Location"] == "/c/hketo/join/thanks/"
    assert in_chinese[1]["Location"] == "/zh-hant/c/hketo/join/thanks/"
    assert sorted(Supporter.objects.values_list("language", flat=True)) == ["en", "en", "zh-hant"]
    assert {s.email for s in Supporter.objects.all()} == {
        "one@example.org",
        "two@example.org",
        "three@example.org",
    }


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "not-an-address"},
        {"email": "bot@example.org", "website": "http://spam.example"},
        {"email": "old@example.org", "stamp": "forged"},
    ],
)
def test_it_leaves_every_other_outcome_to_the_view(
    hketo: Campaign, join_lane: tuple[FastLane, Counting], fields: dict[str, str]
) -> None:
    app, route = join_lane
    post_sign_up(app, email="first@example.org")  # learned
    answer = post_sign_up(app, **fields)
    assert route.answered == 0
    assert answer[0] == post_sign_up(django_alone(), **fields)[0]
    assert Supporter.objects.count() == 1
