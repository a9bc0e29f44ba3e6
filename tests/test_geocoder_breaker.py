"""A geocoder that hangs, and a visitor who sends address after address: neither may hold the
site's threads. Against a real local server that answers late, or well."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.httpserver import LocalServer
from urge.campaigns.models import Campaign
from urge.core.breaker import Breaker
from urge.legislators.answers import configured_geocoder
from urge.legislators.geocoder import GeocodedDistrict, GeocoderUnavailable
from urge.legislators.models import DataRelease

RECORDED = Path(__file__).resolve().parent / "recorded" / "census-geocoder"
ENDPOINT = "/geocoder/geographies/onelineaddress"
# Distinctive enough that any piece of it in a log is easy to spot.
SECRET_ADDRESS = "4242 Quillfeather Lane, Smalltown, WY 82001"
SEATTLE = "1 Main St, Seattle WA 98104"


class Clock:
    """Time that moves only when the test says: the breaker's pause without the wait."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def hang(census: LocalServer) -> None:
    """The geocoder accepts the connection and then says nothing for longer than we wait."""
    census.serve(ENDPOINT, b"{}", delay=30.0)


def answer_well(census: LocalServer) -> None:
    census.serve(ENDPOINT, (RECORDED / "wy-at-large.json").read_bytes())


def timed(call: Any) -> tuple[object, float]:
    started = time.monotonic()
    try:
        outcome: object = call()
    except GeocoderUnavailable as error:
        outcome = error
    return outcome, time.monotonic() - started


def test_after_three_timeouts_it_stops_asking_and_later_asks_again(
    settings: Any, db: None, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    breaker = Breaker("The Census geocoder", clock=clock)
    with LocalServer() as census:
        hang(census)
        settings.URGE_GEOCODER_URL = census.base_url
        settings.URGE_GEOCODER_TIMEOUT = 0.3
        geocode = configured_geocoder("client", breaker)
        assert geocode is not None
        for attempt in range(3):
            clock.now += 5 if attempt else 0
            outcome, seconds = timed(lambda: geocode(SECRET_ADDRESS))
            assert isinstance(outcome, GeocoderUnavailable)
            assert seconds >= 0.3
        assert breaker.is_open
        asked = len(census.requests)

        # Open: answered at once, and nothing more reaches the geocoder.
        outcome, seconds = timed(lambda: geocode(SECRET_ADDRESS))
        assert isinstance(outcome, GeocoderUnavailable)
        assert seconds < 0.05
        clock.now += 59
        assert isinstance(timed(lambda: geocode(SECRET_ADDRESS))[0], GeocoderUnavailable)
        assert len(census.requests) == asked == 3

        # The pause is over and the geocoder is back: one call tries it, and closes it.
        answer_well(census)
        clock.now += 2
        found = geocode(SECRET_ADDRESS)
    assert found == GeocodedDistrict("WY", 0, "200 W 24TH ST, CHEYENNE, WY, 82001")
    assert not breaker.is_open
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "The Census geocoder failed 3 times within 30 seconds: not calling it for 60 seconds.",
        "The Census geocoder answers again: calling it again.",
    ]
    assert all(piece not in caplog.text for piece in ("Quillfeather", "4242", "Smalltown"))


def test_a_failed_trial_keeps_it_open_for_another_pause() -> None:
    clock = Clock()
    breaker = Breaker("A service", clock=clock)
    for _ in range(3):
        breaker.failed()
    clock.now += 61
    assert breaker.allows()  # the one trial
    assert not breaker.allows()  # the others wait for its word
    breaker.failed()
    clock.now += 59
    assert not breaker.allows()
    clock.now += 2
    assert breaker.allows()


def test_failures_spread_out_in_time_do_not_open_it() -> None:
    clock = Clock()
    breaker = Breaker("A service", clock=clock)
    for _ in range(5):
        breaker.failed()
        clock.now += 16  # two within any 30 seconds, never three
    assert not breaker.is_open
    breaker.failed()
    breaker.failed()
    assert breaker.is_open


def test_the_threads_of_a_process_share_one_breaker() -> None:
    breaker = Breaker("A service")
    threads = [threading.Thread(target=breaker.failed) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not breaker.allows()


def test_while_the_geocoder_hangs_the_page_answers_addresses_by_zip_at_once(
    client: Client, hketo: Campaign, release: DataRelease, settings: Any
) -> None:
    """The site's own breaker, through the API: three slow answers, then none waited for."""
    with LocalServer() as census:
        hang(census)
        settings.URGE_GEOCODER_URL = census.base_url
        settings.URGE_GEOCODER_TIMEOUT = 0.3
        for _ in range(3):
            client.post("/api/lookup", {"address": SEATTLE})
        started = time.monotonic()
        response = client.post("/api/lookup", {"address": SEATTLE})
        seconds = time.monotonic() - started
        assert len(census.requests) == 3
    data = response.json()
    assert seconds < 0.2
    assert data["notes"][0]["code"] == "address-fallback"
    assert data["zip"] == "98104"


def test_one_visitor_may_look_up_only_so_many_addresses(
    client: Client, hketo: Campaign, release: DataRelease, settings: Any
) -> None:
    Campaign.objects.filter(pk=hketo.pk).update(targets_house=True)
    settings.URGE_RATE_GEOCODE = (2, 3600)
    with LocalServer() as census:
        answer_well(census)
        settings.URGE_GEOCODER_URL = census.base_url
        visitor = "198.51.100.7"
        answers = [client.post("/", {"address": SEATTLE}, REMOTE_ADDR=visitor) for _ in range(3)]
        chinese = client.post("/zh-hant/", {"address": SEATTLE}, REMOTE_ADDR=visitor)
        by_zip = client.post("/", {"zip": "98104"}, REMOTE_ADDR=visitor)
        by_api = client.post("/api/lookup", {"address": SEATTLE}, REMOTE_ADDR=visitor)
        neighbour = client.post("/", {"address": SEATTLE}, REMOTE_ADDR="198.51.100.8")
        assert len(census.requests) == 3  # the visitor's two, and the neighbour's
    assert [a.status_code == 429 for a in answers] == [False, False, True]
    html = answers[2].content.decode()
    assert "Too many street addresses have been looked up from your connection" in html
    assert "Seattle WA 98104" in html  # what they typed is kept
    assert "private" in answers[2]["Cache-Control"]
    assert chinese.status_code == 429
    assert "最近從你的網絡連線查詢的街道地址太多" in chinese.content.decode()
    assert by_zip.status_code in (200, 303)  # a ZIP code is never counted
    assert by_api.status_code == 429
    assert by_api.json()["error"] == "too-many-addresses"
    assert neighbour.status_code != 429
