"""The database not answering: a 503 page in the page's language, never a blank 500, and a
sign-up's form comes back with everything typed. Through the production stack, on SQLite
(a database file that cannot be opened) and PostgreSQL (a port where nothing listens)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

from tests.services import free_port
from tests.wsgi import Answer, request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.core.memo import forget_all
from urge.supporters import bots

PERSON = {
    "first_name": "Ah Ming",
    "last_name": "Chan",
    "email": "ah.ming.chan@example.org",
    "zip_code": "98104",
    "phone": "206-555-0143",
    "cohost_dc4hk": "on",
}


@pytest.fixture(autouse=True)
def _signups(settings: Any) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    # The group-commit writer thread keeps a connection of its own, to the test database,
    # which this test cannot take away: requests write in their own thread instead.
    settings.URGE_GROUP_COMMIT = False


@contextmanager
def database_down(tmp_path: Path) -> Iterator[None]:
    """Every query of this thread goes to a database that cannot be reached."""
    real = connections["default"]
    unreachable = dict(real.settings_dict)
    if real.vendor == "sqlite":
        unreachable["NAME"] = str(tmp_path / "no-such-folder" / "urge.sqlite3")
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(free_port()))
        pool = unreachable.get("OPTIONS", {}).get("pool")
        if pool:  # a pool of its own, which gives up soon (pools are kept by alias)
            unreachable["OPTIONS"] = {**unreachable["OPTIONS"], "pool": {**pool, "timeout": 1}}
    broken = type(real)(unreachable, alias="default-down")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        if isinstance(broken, PostgresWrapper) and broken.pool is not None:
            broken.close_pool()
        connections["default"] = real


def sign_up(site: HttpCache, path: str = "/c/hketo/join/") -> Answer:
    form = {**PERSON, "stamp": bots.new_stamp(), "website": ""}
    return request(site, path, "POST", urlencode(form).encode())


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/c/hketo/join/", "We could not save your sign-up just now, and nothing was stored."),
        ("/zh-hant/c/hketo/join/", "我們剛才未能儲存你的登記"),
    ],
)
def test_the_sign_up_form_comes_back_with_everything_typed(
    hketo: Campaign, site: HttpCache, tmp_path: Path, path: str, words: str
) -> None:
    assert request(site, path).status == 200  # this process has shown the form
    with database_down(tmp_path):
        answer = sign_up(site, path)

    assert answer.status == 503
    assert words in answer.text
    assert f'<form class="join" method="post" action="{path}"' in answer.text
    for name in ("first_name", "last_name", "email", "zip_code", "phone"):
        assert f'value="{PERSON[name]}"' in answer.text
    assert 'id="id_cohost_dc4hk" checked' in answer.text
    assert 'id="id_cohost_hkdc" checked' not in answer.text
    assert "no-store" in answer.headers["Cache-Control"]


def test_a_process_that_never_saw_the_campaign_keeps_what_was_typed_in_the_page(
    hketo: Campaign, site: HttpCache, tmp_path: Path
) -> None:
    forget_all()  # a worker just started: it knows nothing of the campaign
    with database_down(tmp_path):
        answer = sign_up(site, "/zh-hant/c/hketo/join/")

    assert answer.status == 503
    assert answer.headers["Retry-After"] == "60"
    assert "no-store" in answer.headers["Cache-Control"]
    assert '<html lang="zh-Hant">' in answer.text
    assert "你輸入的資料仍保留在這一頁" in answer.text
    assert 'action="/zh-hant/c/hketo/join/"' in answer.text
    for name, value in PERSON.items():
        assert f'name="{name}" value="{value}"' in answer.text


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/c/hketo/", "en", "This site is not answering just now"),
        ("/zh-hant/c/hketo/", "zh-Hant", "本網站暫時未能回應"),
        ("/c/hketo/join/", "en", "This site is not answering just now"),
    ],
)
def test_every_page_answers_503_in_its_language(
    hketo: Campaign, site: HttpCache, tmp_path: Path, path: str, lang: str, words: str
) -> None:
    forget_all()
    with database_down(tmp_path):
        answer = request(site, path)
    assert answer.status == 503
    assert f'<html lang="{lang}">' in answer.text
    assert words in answer.text
    assert "<form" not in answer.text  # nothing was sent, nothing to send again


def test_the_log_says_the_database_is_down_without_a_traceback_per_request(
    hketo: Campaign, site: HttpCache, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO), database_down(tmp_path):
        for _ in range(3):
            request(site, "/c/hketo/")
            sign_up(site)
    said = [r for r in caplog.records if "database did not answer" in r.getMessage()]
    assert len(said) == 1
    assert all(r.exc_info is None for r in caplog.records)
    assert "Ah Ming" not in caplog.text
