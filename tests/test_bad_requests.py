"""Requests no browser would send get a 4xx page in the page's language, never a 500: the
three causes a fuzzing run found (issue 12), through the stack `urge serve` runs."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from tests.wsgi import Answer, request
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease

CSRF_COOKIE = "csrftoken=" + "a" * 32


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    cache.clear()


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Whatever is logged at ERROR or above: a traceback there is a failure too."""
    caplog.set_level(logging.ERROR)
    return caplog


def logged_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


def lookup_error(answer: Answer) -> str:
    assert answer.status == 400
    return str(json.loads(answer.body)["error"])


@pytest.mark.parametrize(
    "district",
    [
        "%C2%B2",  # a superscript two: str.isdigit() says yes, int() says no
        "%D9%A3",  # an Arabic-Indic three, which int() would read as 3
        "9" * 5000,  # more digits than int() will read
    ],
)
def test_it_refuses_a_district_that_is_not_a_plain_number(
    release: DataRelease, site: HttpCache, errors: pytest.LogCaptureFixture, district: str
) -> None:
    answer = request(site, f"/api/lookup?zip=98104&district={district}")
    assert lookup_error(answer) == "bad-district"
    posted = request(site, "/api/lookup", "POST", f"zip=98104&district={district}".encode())
    assert lookup_error(posted) == "bad-district"
    assert logged_errors(errors) == []


def test_it_still_answers_a_plain_district(release: DataRelease, site: HttpCache) -> None:
    answer = request(site, "/api/lookup?zip=98101&district=9")
    assert answer.status == 200
    assert json.loads(answer.body)["districts"] == [9]


def many_fields(count: int) -> bytes:
    return urlencode([(f"field{n}", "x") for n in range(count)]).encode()


@pytest.mark.parametrize(
    ("prefix", "language", "says"),
    [
        ("", "en", '<html lang="en">\n'),
        ("", "en", '<h1 id="problem-title">Too much was sent</h1>'),
        ("/zh-hant", "zh-hant", '<html lang="zh-Hant">'),
        ("/zh-hant", "zh-hant", "送出的內容太多"),
    ],
)
def test_a_sign_up_with_more_than_a_thousand_fields_is_refused_in_the_pages_language(
    hketo: Campaign,
    site: HttpCache,
    errors: pytest.LogCaptureFixture,
    prefix: str,
    language: str,
    says: str,
) -> None:
    answer = request(site, f"{prefix}/c/hketo/join/", "POST", many_fields(1001))
    assert answer.status == 413
    assert answer.headers["Content-Language"] == language
    assert says in answer.text
    assert "private" in answer.headers["Cache-Control"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert logged_errors(errors) == []


def test_a_query_string_with_more_than_a_thousand_fields_is_refused(
    hketo: Campaign, site: HttpCache, errors: pytest.LogCaptureFixture
) -> None:
    answer = request(site, "/c/hketo/?" + many_fields(1001).decode())
    assert answer.status == 400
    assert logged_errors(errors) == []


@pytest.mark.parametrize(
    "path", ["/c/hketo/join/", "/c/hketo/join/thanks/", "/manage/signin/", "/healthz"]
)
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # A urlencoded body in a charset that cannot decode it.
        ("application/x-www-form-urlencoded; charset=utf-16", b"email=a%FF&zip_code=98104"),
        ("application/x-www-form-urlencoded; charset=utf-16", b"email=%D8%00"),
        # Multipart with no boundary, a boundary no parser accepts, and a body cut short.
        ("multipart/form-data", b"--x\r\n"),
        ("multipart/form-data; boundary=\xe9", b"--x\r\n"),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na',
        ),
        # A charset that names a codec but no text encoding: LookupError.
        (
            "multipart/form-data; boundary=x; charset=hex",
            b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--',
        ),
        ("application/x-www-form-urlencoded; charset=hex", b"email=a"),
        (
            "multipart/form-data; boundary=x; charset=utf-16",
            b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\n\xff\xfe\x00\xd8\r\n--x--',
        ),
    ],
)
def test_a_post_that_cannot_be_read_is_refused_with_a_csrf_cookie_set(
    hketo: Campaign,
    site: HttpCache,
    errors: pytest.LogCaptureFixture,
    path: str,
    content_type: str,
    body: bytes,
) -> None:
    answer = request(
        site,
        path,
        "POST",
        body,
        CONTENT_TYPE=content_type,
        HTTP_COOKIE=CSRF_COOKIE,
        HTTP_ORIGIN="http://testserver",
    )
    assert 400 <= answer.status < 500
    assert logged_errors(errors) == []


def test_a_post_that_cannot_be_read_is_refused_in_traditional_chinese(
    hketo: Campaign, site: HttpCache
) -> None:
    answer = request(
        site,
        "/zh-hant/c/hketo/join/",
        "POST",
        b"email=%D8%00",
        CONTENT_TYPE="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_COOKIE=CSRF_COOKIE,
    )
    assert answer.status == 400
    assert answer.headers["Content-Language"] == "zh-hant"
    assert "無法讀取" in answer.text


def test_a_request_for_another_host_is_refused_without_a_traceback(
    hketo: Campaign, site: HttpCache, errors: pytest.LogCaptureFixture
) -> None:
    answer = request(site, "/c/hketo/", HTTP_HOST="evil.example")
    assert answer.status == 400
    assert "This request could not be read" in answer.text
    assert logged_errors(errors) == []


@pytest.mark.parametrize("charset", ["hex", "zlib", "undefined", "idna", "punycode"])
def test_a_charset_django_cannot_decode_a_query_with_is_refused(
    hketo: Campaign, site: HttpCache, errors: pytest.LogCaptureFixture, charset: str
) -> None:
    """Django decodes the query string with it while it builds the request, before any
    middleware runs: this failed outside Django's error handling altogether."""
    answer = request(
        site,
        "/c/hketo/join/?ref=partner-a",
        "POST",
        b"email=ada%40example.org",
        CONTENT_TYPE=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert answer.status == 400
    assert logged_errors(errors) == []


def test_a_body_larger_than_django_reads_is_refused_as_too_large(
    hketo: Campaign, site: HttpCache, errors: pytest.LogCaptureFixture
) -> None:
    body = b"email=" + b"a" * (3 * 1024 * 1024)  # DATA_UPLOAD_MAX_MEMORY_SIZE is 2.5 MB
    answer = request(site, "/zh-hant/c/hketo/join/", "POST", body)
    assert answer.status == 413
    assert "送出的內容太多" in answer.text
    assert logged_errors(errors) == []
