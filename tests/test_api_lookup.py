"""`GET /api/lookup`: the same answers as the page, as JSON (documented in the README)."""

import logging
from pathlib import Path

import pytest
from django.test import Client

from tests.httpserver import LocalServer
from urge.legislators.models import DataRelease

RECORDED = Path(__file__).parent / "recorded" / "census-geocoder"


def test_it_answers_a_zip_with_the_legislators_and_their_details(
    client: Client, release: DataRelease
) -> None:
    response = client.get("/api/lookup", {"zip": "98104"})
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "found"
    assert (data["zip"], data["state"], data["states"]) == ("98104", "WA", ["WA"])
    assert (data["districts"], data["exact"], data["notes"]) == ([7], True, [])
    assert data["data"]["release"] == release.pk
    senior = data["legislators"][0]
    assert senior == {
        "bioguide": "S000001",
        "name": "Sara S000001",
        "chamber": "senate",
        "party": "Independent",
        "state": "WA",
        "district": None,
        "state_rank": "senior",
        "phone": "202-224-0001",
        "office_address": "1 Capitol Hill Washington DC 20510",
        "contact_form": "https://s000001.example.gov/contact",
        "website": "https://s000001.example.gov",
        "social": {"twitter": "SenatorAra", "mastodon": "@ara@example.social"},
        "district_offices": [
            {"city": "Seattle", "address": "1 Main St, Seattle, WA 98101", "phone": "206-555-0100"}
        ],
    }
    assert [member["chamber"] for member in data["legislators"]] == ["senate", "senate", "house"]


def test_it_explains_each_case_with_a_status_and_notes(
    client: Client, release: DataRelease
) -> None:
    def get(**query: str) -> dict[str, object]:
        return client.get("/api/lookup", query).json()  # type: ignore[no-any-return]

    assert get(zip="86515")["status"] == "choose-state"
    assert get(zip="86515")["states"] == ["AZ", "NM"]
    assert get(zip="86515", state="nm")["state"] == "NM"
    assert get(zip="09001")["status"] == "military"
    assert get(zip="96941")["status"] == "no-members"
    assert get(zip="00000")["status"] == "unknown-zip"
    split = get(zip="98101")
    assert split["exact"] is False
    assert split["notes"][0]["code"] == "house-candidates"  # type: ignore[index]
    assert get(zip="98101", district="9")["districts"] == [9]
    assert get(zip="94577")["vacant_seats"] == [{"state": "CA", "district": 14}]
    assert [note["code"] for note in get(zip="20500")["notes"]] == ["no-senators"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"zip": "123"}, "bad-zip"),
        ({}, "empty"),
        ({"zip": "98101", "district": "x"}, "bad-district"),
    ],
)
def test_it_refuses_bad_input_with_a_reason(
    client: Client, release: DataRelease, query: dict[str, str], error: str
) -> None:
    response = client.get("/api/lookup", query)
    assert response.status_code == 400
    assert response.json()["error"] == error
    assert response.json()["message"]


def test_it_says_when_no_data_is_loaded(client: Client, db: None) -> None:
    response = client.get("/api/lookup", {"zip": "98101"})
    assert response.status_code == 503
    assert response.json()["error"] == "not-loaded"


def test_it_geocodes_a_street_address_with_the_census_geocoder(
    client: Client, release: DataRelease, settings: object
) -> None:
    with LocalServer() as census:
        census.serve(
            "/geocoder/geographies/onelineaddress",
            (RECORDED / "wy-at-large.json").read_bytes(),
        )
        settings.URGE_GEOCODER_URL = census.base_url  # type: ignore[attr-defined]
        data = client.post("/api/lookup", {"address": "1 Main St, Seattle WA 98104"}).json()
        [request] = census.requests
    assert request.query["address"] == ["1 Main St, Seattle WA 98104"]
    assert data["state"] == "WY"


def test_an_address_that_cannot_be_geocoded_falls_back_to_its_zip_and_says_so(
    client: Client, release: DataRelease, settings: object
) -> None:
    with LocalServer() as census:
        census.serve("/geocoder/geographies/onelineaddress", b"busy", status=503)
        settings.URGE_GEOCODER_URL = census.base_url  # type: ignore[attr-defined]
        data = client.post("/api/lookup", {"address": "1 Main St, Seattle WA 98104"}).json()
    assert data["notes"][0]["code"] == "address-fallback"
    assert data["districts"] == [7]


@pytest.mark.parametrize("field", ["address", "zip"])
def test_an_address_in_the_url_is_refused_before_it_goes_anywhere(
    client: Client, release: DataRelease, settings: object, field: str
) -> None:
    with LocalServer() as census:
        settings.URGE_GEOCODER_URL = census.base_url  # type: ignore[attr-defined]
        response = client.get("/api/lookup", {field: "1 Main St, Seattle WA 98104"})
        assert census.requests == []
    assert response.status_code == 400
    assert response.json()["error"] == "address-by-post"
    assert "private" in response["Cache-Control"]


def test_with_the_geocoder_turned_off_no_address_leaves_the_server(
    client: Client, release: DataRelease, settings: object
) -> None:
    with LocalServer() as census:
        settings.URGE_GEOCODER = False  # type: ignore[attr-defined]
        settings.URGE_GEOCODER_URL = census.base_url  # type: ignore[attr-defined]
        data = client.post("/api/lookup", {"address": "1 Main St, Seattle WA 98104"}).json()
        assert census.requests == []
    assert data["notes"][0]["code"] == "address-fallback"


def test_it_stores_and_logs_nothing_about_the_person(
    client: Client, release: DataRelease, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/lookup", {"zip": "98104"}, REMOTE_ADDR="203.0.113.9")
        client.get("/api/lookup", {"zip": "00000"})
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert writes == []
    assert "98104" not in caplog.text
    assert "203.0.113.9" not in caplog.text
    assert "00000" not in caplog.text
    assert response.cookies == {}


def test_it_speaks_one_language_with_state_codes_and_their_english_names(
    client: Client, release: DataRelease
) -> None:
    # The API has no language: one answer per ZIP code, whatever the caller's language, so
    # that every shared cache keeps one copy; callers translate the codes as they need.
    english = client.get("/api/lookup", {"zip": "86515"})
    asked_in_chinese = client.get(
        "/api/lookup", {"zip": "86515"}, headers={"accept-language": "zh-Hant"}
    )
    assert asked_in_chinese.json() == english.json()
    assert asked_in_chinese["Content-Language"] == "en"
    assert "Accept-Language" not in asked_in_chinese.get("Vary", "")
    assert english.json()["state_names"] == {"AZ": "Arizona", "NM": "New Mexico"}
    assert client.get("/zh-hant/api/lookup", {"zip": "86515"}).status_code == 404

    found = client.get("/api/lookup", {"zip": "98101"}).json()
    assert found["state_names"] == {"WA": "Washington"}
    vacant = client.get("/api/lookup", {"zip": "94577"}).json()
    assert vacant["state_names"] == {"CA": "California"}
