"""Redis configured but not answering: the site carries on without it. Pages are made without
the cache, rate limits count in this host's shared table, and the log says so once, not
once per request. Driven through the production stack (tests/wsgi.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from tests.services import free_port
from tests.wsgi import request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.core.rediscache import caches_for
from urge.supporters import bots
from urge.supporters.models import Supporter

PAGES = ["/", "/c/hketo/", "/zh-hant/c/hketo/", "/c/hketo/join/", "/c/hketo/join/thanks/"]


@pytest.fixture
def redis_down() -> Iterator[str]:
    """REDIS_URL names a loopback port where nothing listens."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    with override_settings(REDIS_URL=url, CACHES=caches_for(url)):
        yield url


def sign_up(site: HttpCache, email: str) -> int:
    form = {
        "first_name": "Ah Ming",
        "last_name": "Chan",
        "email": email,
        "zip_code": "98104",
        "cohost_dc4hk": "on",
        "stamp": bots.new_stamp(),
        "website": "",
    }
    return request(site, "/c/hketo/join/", "POST", urlencode(form).encode()).status


@pytest.mark.usefixtures("redis_down")
def test_every_page_answers_without_redis(hketo: Campaign, site: HttpCache) -> None:
    for path in PAGES:
        assert request(site, path).status == 200, path


@pytest.mark.usefixtures("redis_down")
def test_a_sign_up_is_stored_without_redis(hketo: Campaign, site: HttpCache, settings: Any) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    assert sign_up(site, "ah.ming.chan@example.org") == 303
    assert Supporter.objects.count() == 1


@pytest.mark.usefixtures("redis_down")
def test_rate_limits_still_hold_counted_on_this_host(
    hketo: Campaign, site: HttpCache, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    settings.URGE_RATE_SIGNUP = (2, 3600)
    answers = [sign_up(site, f"person{n}@example.org") for n in range(3)]
    assert answers == [303, 303, 429]


@pytest.mark.usefixtures("redis_down")
def test_the_log_says_redis_is_down_once_not_once_per_request(
    hketo: Campaign, site: HttpCache, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    with caplog.at_level(logging.WARNING):
        request(site, "/c/hketo/")
        first = [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()]
        for path in PAGES * 3:
            request(site, path)
        sign_up(site, "ah.ming.chan@example.org")
    every = [r.getMessage() for r in caplog.records if "Redis" in r.getMessage()]
    assert every == first
    (said,) = [line for line in every if "Redis did not answer" in line]
    assert "rate limits count on this host alone" in said
