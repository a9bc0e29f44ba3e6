"""The Congress.gov API client, against a real local server replaying hand-written answers
(tests/recorded/congress) in the shapes the API documents."""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Iterator

import pytest

from tests.congress_answers import (
    HOUSE_BILL,
    JSON,
    SECRET_KEY,
    SENATE_BILL,
    recorded,
    serve_both_bills,
)
from tests.httpserver import LocalServer
from urge.bills.bill_ids import BillId
from urge.bills.congress import CongressApi, CongressApiError, Sponsorship

HOUSE = BillId(119, "hr", 2661)
SENATE = BillId(119, "s", 900)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def api(server: LocalServer, timeout: float = 5.0) -> CongressApi:
    return CongressApi(SECRET_KEY, server.base_url, timeout)


def failure(server: LocalServer, bill: BillId = HOUSE, timeout: float = 5.0) -> str:
    with pytest.raises(CongressApiError) as raised:
        api(server, timeout).report(bill)
    # Raised `from None`: no chained urllib error carries the URL, and the key in it.
    error = raised.value
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    message = str(raised.value)
    assert SECRET_KEY not in message
    return message


def test_it_reads_the_latest_action_and_every_page_of_cosponsors(server: LocalServer) -> None:
    serve_both_bills(server)

    report = api(server).report(HOUSE)

    assert report.latest_action_date == datetime.date(2025, 4, 7)
    assert report.latest_action_text.startswith("Referred to the Committee on Foreign Affairs,")
    assert report.title == "HKETO Certification Act"
    assert report.sponsorships == (
        Sponsorship("R000007", datetime.date(2025, 4, 7), sponsor=True),
        Sponsorship("R000009", datetime.date(2025, 4, 7)),
        Sponsorship("R000200", datetime.date(2025, 5, 2), datetime.date(2025, 6, 1)),
        Sponsorship("R000100", datetime.date(2025, 5, 14)),
    )
    # A withdrawn cosponsor no longer supports it.
    assert report.supporters() == {
        "R000007": datetime.date(2025, 4, 7),
        "R000009": datetime.date(2025, 4, 7),
        "R000100": datetime.date(2025, 5, 14),
    }


def test_it_asks_the_configured_server_for_the_next_page_with_the_key(
    server: LocalServer,
) -> None:
    serve_both_bills(server)

    api(server).report(HOUSE)

    pages = [found for found in server.requests if found.path.endswith("/cosponsors")]
    # The recorded `next` names api.congress.gov: only its offset and limit were taken.
    assert [found.query["offset"] for found in pages] == [["0"], ["2"]]
    assert [found.query["limit"] for found in pages] == [["250"], ["2"]]
    for found in server.requests:
        assert found.query["api_key"] == [SECRET_KEY]
        assert found.query["format"] == ["json"]


def test_it_refuses_a_list_of_cosponsors_that_came_back_short(server: LocalServer) -> None:
    serve_both_bills(server)
    page = json.loads(recorded("hr-2661-cosponsors-page-1.json"))
    del page["pagination"]["next"]  # the second page never asked for
    server.serve(f"{HOUSE_BILL}/cosponsors", json.dumps(page).encode(), headers=JSON)

    assert "2 came of 3" in failure(server)


def test_it_stops_a_next_link_that_never_ends(server: LocalServer) -> None:
    serve_both_bills(server)
    page = json.loads(recorded("hr-2661-cosponsors-page-2.json"))
    page["pagination"]["next"] = page["pagination"].pop("prev").replace("offset=0", "offset=2")
    server.serve(
        f"{HOUSE_BILL}/cosponsors", json.dumps(page).encode(), headers=JSON, when={"offset": "2"}
    )

    assert "more than 40 pages" in failure(server)


@pytest.mark.parametrize(
    ("status", "said"),
    [
        (403, "refused the API key with HTTP status 403"),
        (404, "no such bill: HTTP status 404"),
        (429, "slow down: HTTP status 429"),
        (500, "answered with HTTP status 500"),
        (503, "answered with HTTP status 503"),
    ],
)
def test_it_names_each_refusal_plainly(server: LocalServer, status: int, said: str) -> None:
    server.serve(HOUSE_BILL, b'{"error": "no"}', status=status, headers=JSON)

    message = failure(server)

    assert said in message
    assert "(the bill of 119/hr/2661)" in message


def test_it_fails_on_a_cosponsor_page_that_is_refused(server: LocalServer) -> None:
    serve_both_bills(server)
    server.serve(f"{HOUSE_BILL}/cosponsors", b"busy", status=502, when={"offset": "2"})

    assert "HTTP status 502 (the cosponsors of 119/hr/2661)" in failure(server)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<html>Service unavailable</html>", "it is not JSON"),
        (b"[1, 2]", "it is not a JSON object"),
        (b'{"bill": {"introducedDate": "2025-04-07"}}', "it has no latest action"),
        (
            b'{"bill": {"introducedDate": "2025-04-07", "sponsors": [],'
            b' "latestAction": {"actionDate": "April 7", "text": "Introduced"}}}',
            "'April 7' is not a date",
        ),
    ],
)
def test_it_refuses_an_answer_it_does_not_understand(
    server: LocalServer, body: bytes, said: str
) -> None:
    server.serve(HOUSE_BILL, body, headers=JSON)

    assert said in failure(server)


def test_it_gives_up_on_a_server_that_never_answers(server: LocalServer) -> None:
    serve_both_bills(server)
    server.serve(f"{SENATE_BILL}/cosponsors", b"{}", headers=JSON, delay=60)

    started = time.monotonic()
    message = failure(server, SENATE, timeout=0.5)

    assert time.monotonic() - started < 5
    assert message == (
        "Congress.gov did not answer within 0.5 seconds (the cosponsors of 119/s/900)."
    )


def test_it_says_when_nothing_listens(server: LocalServer) -> None:
    closed = CongressApi(SECRET_KEY, "http://127.0.0.1:9", 2.0)  # the discard port: refused

    with pytest.raises(CongressApiError, match="could not be reached"):
        closed.report(HOUSE)


def test_it_names_bills_as_congress_gov_does() -> None:
    assert BillId.parse("119/HR/2661") == HOUSE
    assert HOUSE.label == "H.R. 2661"
    assert HOUSE.page_url == "https://www.congress.gov/bill/119th-congress/house-bill/2661"
    assert BillId(121, "sjres", 3).page_url.endswith("/121st-congress/senate-joint-resolution/3")
    assert BillId(112, "s", 1).page_url.endswith("/112th-congress/senate-bill/1")
    with pytest.raises(ValueError, match="CONGRESS/TYPE/NUMBER"):
        BillId.parse("H.R. 2661")
