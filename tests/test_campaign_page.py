"""The public campaign page, as a supporter's browser receives it."""

import re

import pytest
from django.test import Client

from urge.campaigns.models import Campaign


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_default_campaign_in_english(client: Client, hketo: Campaign) -> None:
    html = get(client, "/")
    assert '<html lang="en">' in html
    assert "Bring the HKETO Certification Act to a vote in the Senate</h1>" in html
    assert "H.R. 2661" in html
    assert "Hong Kong Democracy Council" in html
    assert "As of April 7, 2025" in html


def test_it_shows_the_campaign_in_traditional_chinese(client: Client, hketo: Campaign) -> None:
    html = get(client, "/zh-hant/")
    assert '<html lang="zh-Hant">' in html
    assert "促請參議院表決《香港經濟貿易辦事處認證法案》</h1>" in html
    assert "香港民主委員會" in html
    assert "找出你的參議員" in html  # a UI string, from the compiled catalogue


def test_it_serves_each_campaign_at_its_own_address(client: Client, hketo: Campaign) -> None:
    def title(html: str) -> str:
        return html.split("<h1", 1)[1].split("</h1>", 1)[0]

    assert title(get(client, "/c/hketo/")) == title(get(client, "/"))
    assert client.get("/c/nothing-here/").status_code == 404


def test_it_links_every_language_version(client: Client, hketo: Campaign) -> None:
    html = get(client, "/c/hketo/")
    assert '<link rel="alternate" hreflang="en" href="http://testserver/c/hketo/">' in html
    assert (
        '<link rel="alternate" hreflang="zh-Hant" href="http://testserver/zh-hant/c/hketo/">'
        in html
    )
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/c/hketo/">' in html
    assert '<link rel="canonical" href="http://testserver/c/hketo/">' in html
    assert '<a href="http://testserver/zh-hant/c/hketo/" hreflang="zh-Hant"' in html


def test_it_loads_nothing_from_another_origin(client: Client, hketo: Campaign) -> None:
    for url in ("/", "/zh-hant/"):
        html = get(client, url)
        loaded = re.findall(
            r'<(?:script|img|iframe|source|link)\b[^>]*?(?:src|href)="([^"]+)"', html
        )
        outside = [
            address
            for address in loaded
            if address.startswith(("http:", "https:", "//"))
            and not address.startswith("http://testserver/")
        ]
        assert loaded
        assert outside == []


def test_it_sets_no_cookie_and_sends_the_security_headers(client: Client, hketo: Campaign) -> None:
    response = client.get("/")
    assert response.cookies == {}
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "http" not in policy  # no other origin is allowed
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_it_sends_hsts_only_over_https(client: Client, hketo: Campaign) -> None:
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", secure=True)
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=63072000")


def test_it_compresses_the_page(client: Client, hketo: Campaign) -> None:
    response = client.get("/", headers={"accept-encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_it_explains_itself_when_no_campaign_is_loaded(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 404
    assert "urge load campaigns/hketo" in response.content.decode()


@pytest.mark.django_db
def test_it_sends_readers_to_english_when_a_campaign_lacks_their_language(
    client: Client, hketo: Campaign
) -> None:
    hketo.texts.filter(language="zh-hant").delete()
    response = client.get("/zh-hant/c/hketo/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/c/hketo/"
    assert "zh-Hant" not in get(client, "/c/hketo/").split("</head>")[0]


def test_it_tells_plainly_what_is_not_on_the_page_yet(client: Client, hketo: Campaign) -> None:
    html = get(client, "/")
    assert 'class="lookup"' not in html  # no legislator data loaded: no form that cannot work
    assert "Legislator data is not loaded on this site yet" in html
