"""Log lines name the route, never the token of an emailed link: whoever reads the logs must
not be able to confirm, leave or erase someone's sign-up with what they read there."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest

from tests.supporters import sign_up
from tests.wsgi import request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.core.logs import HideTokens
from urge.supporters import signup
from urge.supporters.links import (
    ALL_COHOSTS,
    CONFIRM,
    ERASE,
    UNSUBSCRIBE,
    LinkTarget,
    absolute_link,
)
from urge.supporters.models import Supporter


def working_link(purpose: str, supporter: Supporter, language: str = "en") -> str:
    """The path of the link the supporter's email gives for `purpose`."""
    pending = signup.pending_submission(supporter) or {}
    target = {
        CONFIRM: LinkTarget(str(supporter.ref), submission=str(pending.get("submission", ""))),
        UNSUBSCRIBE: LinkTarget(str(supporter.ref), ALL_COHOSTS),
        ERASE: LinkTarget(str(supporter.ref)),
    }[purpose]
    return urlsplit(absolute_link(purpose, target, "hketo", language)).path


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize("purpose", [CONFIRM, UNSUBSCRIBE, ERASE])
@pytest.mark.parametrize(
    ("method", "change", "status", "logged"),
    [
        ("PUT", lambda path: path, 405, "Method Not Allowed (PUT)"),
        ("DELETE", lambda path: path, 405, "Method Not Allowed (DELETE)"),
        ("GET", lambda path: "/fr" + path, 404, "Not Found"),
        ("GET", lambda path: "/zh-hant/zh-hant" + path, 404, "Not Found"),
        ("GET", lambda path: path + "extra/", 404, "Not Found"),
    ],
)
def test_a_wrong_request_to_a_working_link_logs_the_route_but_never_the_token(
    hketo: Campaign,
    site: HttpCache,
    caplog: pytest.LogCaptureFixture,
    purpose: str,
    method: str,
    change: object,
    status: int,
    logged: str,
) -> None:
    path = working_link(purpose, sign_up(hketo))
    caplog.set_level(logging.DEBUG)
    answer = request(site, change(path), method)  # type: ignore[operator]
    assert answer.status == status
    messages = [record.getMessage() for record in caplog.records]
    route = path.split("/")[3]  # confirm, leave or erase
    assert any(logged in message and f"/{route}/" in message for message in messages)
    token = token_of(path)
    assert not any(token in message for message in messages)
    assert token not in caplog.text
    assert token.split(":")[0] not in caplog.text  # nor the part naming the supporter


def test_the_development_servers_request_lines_lose_their_tokens_too(hketo: Campaign) -> None:
    path = working_link(ERASE, sign_up(hketo))
    record = logging.LogRecord(
        "django.server",
        logging.WARNING,
        __file__,
        1,
        '"%s" %s %s',
        (f"PUT {path} HTTP/1.1", 405, 0),
        None,
    )
    assert HideTokens().filter(record)
    assert record.getMessage() == '"PUT /c/hketo/erase/<token>/ HTTP/1.1" 405 0'


def test_paths_without_a_token_are_logged_as_they_are() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/c/hketo/nope/",), None
    )
    assert HideTokens().filter(record)
    assert record.getMessage() == "Not Found: /c/hketo/nope/"
