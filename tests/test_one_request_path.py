"""Every answer comes from Django's middleware and views, through the HTTP cache `urge serve`
puts in front, with the settings it uses in production: nothing one visitor sends reaches
another visitor's page, and an organiser's edit shows at the next render."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache

from tests.wsgi import Answer, request
from urge.actions.models import ActionEvent
from urge.campaigns.models import Campaign
from urge.core.httpcache import HttpCache
from urge.legislators.models import DataRelease
from urge.supporters import bots
from urge.supporters.models import Supporter

ACT = "/c/hketo/act/?t=S000001%2CS000002&state=WA"


@pytest.fixture(autouse=True)
def _production(settings: Any) -> None:
    from django.conf import settings as configured

    assert configured.URGE_PAGE_CACHE_SECONDS == 10  # as `urge serve` runs, by default
    assert configured.URGE_GROUP_COMMIT
    cache.clear()


def refs_in(answer: Answer) -> list[str]:
    return re.findall(r"ref=([\w-]+)", answer.text)


def test_referral_codes_never_reach_another_visitor(hketo: Campaign, site: HttpCache) -> None:
    """The defect: a ref inside a cached part of the page was shown to the next visitors."""
    for _ in range(2):  # the second round is answered from the cache
        assert refs_in(request(site, "/c/hketo/?ref=partner-a")) == ["partner-a"]
        assert refs_in(request(site, "/c/hketo/?ref=partner-b")) == ["partner-b"]
        assert refs_in(request(site, "/c/hketo/")) == []
        assert refs_in(request(site, "/")) == []
    served = request(site, "/c/hketo/?ref=partner-b")
    assert "Age" in served.headers  # from the cache, yet still partner-b's own page
    form = request(site, "/c/hketo/join/?ref=partner-a")
    assert 'name="ref" value="partner-a"' in form.text
    assert 'name="ref" value="partner-a"' not in request(site, "/c/hketo/join/").text


def test_the_sign_up_form_is_never_shared(hketo: Campaign, site: HttpCache) -> None:
    """Its time stamp is made for each visitor: two visits, two stamps."""
    stamps = [
        re.findall(r'name="stamp" value="([^"]+)"', request(site, "/c/hketo/join/").text)
        for _ in range(2)
    ]
    assert len(stamps[0]) == 1
    assert stamps[0] != stamps[1]


def test_the_campaign_and_action_pages_are_cacheable_by_any_cache(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    for path in ("/c/hketo/", "/zh-hant/c/hketo/", ACT, "/zh-hant" + ACT):
        first = request(site, path)
        assert first.status == 200
        assert "public" in first.headers["Cache-Control"]
        assert "max-age=10" in first.headers["Cache-Control"]
        assert "Set-Cookie" not in first.headers
        assert "Accept-Language" not in first.headers.get("Vary", "")  # the path decides
        again = request(site, path)
        assert again.body == first.body
        assert again.headers["Age"] == "0"


def test_the_zip_answer_leads_to_the_cached_action_page(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    answer = request(site, "/c/hketo/", "POST", b"zip=98101")
    assert answer.status == 303
    assert answer.headers["Location"] == ACT
    request(site, ACT)
    assert "Age" in request(site, ACT).headers


def test_an_answer_with_what_a_visitor_typed_is_kept_by_no_cache(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    answer = request(site, "/c/hketo/", "POST", b"zip=86515")
    assert answer.status == 200
    assert "86515" in answer.text
    assert "private" in answer.headers["Cache-Control"]
    assert "86515" not in request(site, "/c/hketo/").text


def test_a_sign_up_in_traditional_chinese_is_answered_in_traditional_chinese(
    hketo: Campaign, site: HttpCache, settings: Any
) -> None:
    settings.URGE_SIGNUP_MIN_SECONDS = 0
    fields = {
        "first_name": "Ah Ming",
        "last_name": "Chan",
        "email": "ah.ming@example.org",
        "zip_code": "98104",
        "stamp": bots.new_stamp(),
    }
    answer = request(site, "/zh-hant/c/hketo/join/", "POST", urlencode(fields).encode())
    assert answer.status == 303
    assert answer.headers["Content-Language"] == "zh-hant"
    assert answer.headers["Location"] == "/zh-hant/c/hketo/join/thanks/"
    assert Supporter.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "method", "body", "meta"),
    [
        ("/api/lookup?zip=98101", "GET", b"", {}),
        ("/c/hketo/act/go/", "POST", b"channel=call-reached&target=S000001&variant=ask", {}),
        (
            "/c/hketo/act/go/",
            "POST",
            b"channel=email-copy&target=S000001&variant=ask&text=Hi",
            {"HTTP_ACCEPT": "application/json"},
        ),
        ("/c/hketo/join/", "POST", b"email=x", {}),
    ],
)
def test_every_route_gets_the_sites_security_headers(
    hketo: Campaign,
    release: DataRelease,
    site: HttpCache,
    path: str,
    method: str,
    body: bytes,
    meta: dict[str, str],
) -> None:
    answer = request(site, path, method, body, **meta)
    assert answer.status < 500
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_an_action_posted_by_the_pages_script_is_counted_through_django(
    hketo: Campaign, release: DataRelease, site: HttpCache
) -> None:
    """As act.js posts it: the form's fields URL-encoded, asking for JSON; and as it did
    before, multipart FormData, which a page still open from then may send."""
    # R000012's office lists no usable contact form: copying the letter is the email.
    fields = {"channel": "email-copy", "target": "R000012", "variant": "letter"}
    answer = request(
        site,
        "/c/hketo/act/go/",
        "POST",
        urlencode(fields).encode(),
        CONTENT_TYPE="application/x-www-form-urlencoded;charset=UTF-8",
        HTTP_ACCEPT="application/json",
    )
    boundary = "----urge"
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    before = request(
        site,
        "/c/hketo/act/go/",
        "POST",
        f"{body}--{boundary}--\r\n".encode(),
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        HTTP_ACCEPT="application/json",
    )
    assert (answer.status, before.status) == (204, 204)
    assert ActionEvent.objects.filter(channel="email-copy").count() == 2


def test_an_organisers_edit_shows_at_the_next_render(hketo: Campaign, site: HttpCache) -> None:
    assert "A new first step" not in request(site, "/c/hketo/?v=1").text
    step = hketo.steps.get(position=1, language="en")
    step.title = "A new first step"
    step.save()  # as the admin or `urge load` saves it
    assert "A new first step" in request(site, "/c/hketo/?v=2").text


def test_the_json_lookup_is_cacheable_by_zip_with_an_etag_per_release(
    release: DataRelease, site: HttpCache, settings: Any
) -> None:
    settings.URGE_GEOCODER = False  # addresses answered by their ZIP, here
    first = request(site, "/api/lookup?zip=98101")
    assert first.status == 200
    assert "public" in first.headers["Cache-Control"]
    assert first.headers["ETag"] == f'"release-{release.pk}"'
    again = request(site, "/api/lookup?zip=98101", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status == 304
    by_address = request(site, "/api/lookup", "POST", b"address=1600+Pennsylvania+Ave+NW+20500")
    assert by_address.status == 200
    assert "private" in by_address.headers["Cache-Control"]
