"""What is compressed: pages large enough for it to matter, as Django compresses them; not the
small answers on the way out, which arrive in the same round trip either way."""

from __future__ import annotations

import gzip

from django.test import Client

from urge.campaigns.models import Campaign
from urge.core.compression import ONE_SEGMENT
from urge.legislators.models import DataRelease

GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_the_campaign_page_is_compressed_and_varies_on_accept_encoding(
    hketo: Campaign, release: DataRelease
) -> None:
    response = Client(headers=GZIP).get("/c/hketo/")
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"<!doctype html>" in gzip.decompress(response.content).lower()


def test_the_page_on_the_way_out_goes_as_it_is_the_same_for_every_browser(
    hketo: Campaign, release: DataRelease
) -> None:
    fields = {"target": "S000001", "channel": "email-form", "variant": "letter"}
    answers = [
        Client(headers={**headers, "Sec-Fetch-Site": "same-origin"}).post(
            "/c/hketo/act/go/", fields
        )
        for headers in (GZIP, {})
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert all("Content-Encoding" not in a.headers for a in answers)
    assert all("Accept-Encoding" not in a.headers.get("Vary", "") for a in answers)
    assert answers[0].content == answers[1].content
    assert len(answers[0].content) < ONE_SEGMENT
    assert b"On your way" in answers[0].content
