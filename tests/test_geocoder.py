"""The Census geocoder client, against a real local server replaying documented answers.

The answers in tests/recorded/census-geocoder were written by hand after the geocoder's documented
response shape, since the real service cannot be reached from where the tests run.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.httpserver import LocalServer
from urge.legislators.geocoder import GeocodedDistrict, GeocoderUnavailable, geocode_address

RECORDED = Path(__file__).resolve().parent / "recorded" / "census-geocoder"
ENDPOINT = "/geocoder/geographies/onelineaddress"
# Distinctive enough that any leak of it, or of a piece of it, is easy to spot.
SECRET_ADDRESS = "4242 Quillfeather Lane, Smalltown, OH 45000"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def replay(server: LocalServer, name: str) -> None:
    server.serve(
        ENDPOINT,
        (RECORDED / name).read_bytes(),
        headers={"Content-Type": "application/json;charset=UTF-8"},
    )


@pytest.mark.parametrize(
    ("recording", "expected"),
    [
        ("il-07.json", GeocodedDistrict("IL", 7, "233 S WACKER DR, CHICAGO, IL, 60606")),
        ("wy-at-large.json", GeocodedDistrict("WY", 0, "200 W 24TH ST, CHEYENNE, WY, 82001")),
        (
            "dc-delegate.json",
            GeocodedDistrict("DC", 0, "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC, 20500"),
        ),
        (
            "al-two-congresses.json",
            GeocodedDistrict("AL", 2, "600 DEXTER AVE, MONTGOMERY, AL, 36104"),
        ),
    ],
)
def test_it_reads_the_district_from_each_recorded_answer(
    server: LocalServer, recording: str, expected: GeocodedDistrict
) -> None:
    replay(server, recording)
    assert geocode_address("an address", base_url=server.base_url) == expected


def test_it_chooses_the_newest_congress_whatever_the_layer_order(server: LocalServer) -> None:
    answer = json.loads((RECORDED / "al-two-congresses.json").read_text(encoding="utf-8"))
    geographies = answer["result"]["addressMatches"][0]["geographies"]
    # Move the older Congress's layer first, so neither first nor last is a safe guess.
    older = geographies.pop("118th Congressional Districts")
    answer["result"]["addressMatches"][0]["geographies"] = {
        "118th Congressional Districts": older,
        **geographies,
    }
    server.serve(ENDPOINT, json.dumps(answer).encode())

    found = geocode_address("an address", base_url=server.base_url)

    assert found is not None
    assert found.district == 2


def test_it_answers_none_when_the_address_has_no_match(server: LocalServer) -> None:
    replay(server, "no-match.json")
    assert geocode_address("1 Nowhere Rd", base_url=server.base_url) is None


def test_it_takes_the_state_from_the_district_when_the_states_layer_is_missing(
    server: LocalServer,
) -> None:
    answer = json.loads((RECORDED / "il-07.json").read_text(encoding="utf-8"))
    del answer["result"]["addressMatches"][0]["geographies"]["States"]
    server.serve(ENDPOINT, json.dumps(answer).encode())

    found = geocode_address("an address", base_url=server.base_url)

    assert found is not None
    assert (found.state, found.district) == ("IL", 7)


def test_it_sends_the_documented_query_and_names_only_urge(server: LocalServer) -> None:
    replay(server, "il-07.json")

    geocode_address("233 S Wacker Dr, Chicago, IL 60606", base_url=server.base_url)

    [received] = server.requests
    assert received.path == ENDPOINT
    assert received.query == {
        "address": ["233 S Wacker Dr, Chicago, IL 60606"],
        "benchmark": ["Public_AR_Current"],
        "vintage": ["Current_Current"],
        "layers": ["all"],
        "format": ["json"],
    }
    assert received.headers["user-agent"].startswith("Urge")
    assert "Python-urllib" not in received.headers["user-agent"]


def unavailable(server: LocalServer, *, timeout: float = 4.0) -> GeocoderUnavailable:
    with pytest.raises(GeocoderUnavailable) as caught:
        geocode_address(SECRET_ADDRESS, base_url=server.base_url, timeout=timeout)
    return caught.value


def assert_address_not_revealed(error: GeocoderUnavailable) -> None:
    # The whole printed traceback, chained causes included, is what a log would keep.
    printed = "".join(traceback.format_exception(error)) + repr(error)
    for piece in ("Quillfeather", "4242", "Smalltown", "45000"):
        assert piece not in printed


def test_it_gives_up_when_the_geocoder_is_too_slow(server: LocalServer) -> None:
    server.serve(ENDPOINT, (RECORDED / "il-07.json").read_bytes(), delay=5.0)

    error = unavailable(server, timeout=0.2)

    assert "did not answer within 0.2 seconds" in str(error)
    assert_address_not_revealed(error)


def test_it_reports_a_server_error(server: LocalServer) -> None:
    server.serve(ENDPOINT, b"Internal Server Error", status=500)

    error = unavailable(server)

    assert "HTTP status 500" in str(error)
    assert_address_not_revealed(error)


def test_it_reports_an_answer_that_is_not_json(server: LocalServer) -> None:
    server.serve(ENDPOINT, b"<html>Service Temporarily Unavailable</html>")

    error = unavailable(server)

    assert "not JSON" in str(error)
    assert_address_not_revealed(error)


def test_it_reports_json_of_the_wrong_shape(server: LocalServer) -> None:
    server.serve(ENDPOINT, b'{"errors": ["Specify House number and Street name"], "status": "400"}')

    error = unavailable(server)

    assert "not understood" in str(error)
    assert_address_not_revealed(error)


def test_it_reports_a_server_that_cannot_be_reached() -> None:
    with LocalServer() as stopped:
        base_url = stopped.base_url
    # The server is closed now, so the port refuses connections.
    with pytest.raises(GeocoderUnavailable, match="could not be reached") as caught:
        geocode_address(SECRET_ADDRESS, base_url=base_url)
    assert_address_not_revealed(caught.value)
