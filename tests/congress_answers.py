"""The hand-written Congress.gov answers of tests/recorded/congress, served by a LocalServer."""

from __future__ import annotations

from pathlib import Path

from tests.httpserver import LocalServer

RECORDED = Path(__file__).resolve().parent / "recorded" / "congress"
JSON = {"Content-Type": "application/json"}
HOUSE_BILL = "/v3/bill/119/hr/2661"
SENATE_BILL = "/v3/bill/119/s/900"  # stands for the companion, whose number is unconfirmed
# Distinctive, so that a leak of it anywhere is easy to find.
SECRET_KEY = "tests-only-congress-key-4f2b9c"


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def serve_both_bills(server: LocalServer) -> None:
    """Both bills, the House bill's cosponsors over two pages."""
    server.serve(HOUSE_BILL, recorded("hr-2661.json"), headers=JSON)
    server.serve(
        f"{HOUSE_BILL}/cosponsors", recorded("hr-2661-cosponsors-page-1.json"), headers=JSON
    )
    server.serve(
        f"{HOUSE_BILL}/cosponsors",
        recorded("hr-2661-cosponsors-page-2.json"),
        headers=JSON,
        when={"offset": "2"},
    )
    server.serve(SENATE_BILL, recorded("s-900.json"), headers=JSON)
    server.serve(f"{SENATE_BILL}/cosponsors", recorded("s-900-cosponsors.json"), headers=JSON)
