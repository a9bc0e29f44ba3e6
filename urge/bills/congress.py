"""Reading a bill's latest action and its cosponsors from the Congress.gov API (v3).

Plain urllib, as the Census geocoder client (urge/legislators/geocoder.py) does. The API key
travels in the query string, as the API documents it, so no error raised here carries the
URL: each is raised `from None` with a message of our own, which names the bill and never
the key.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

from urge.bills.bill_ids import BillId

CONGRESS_API = "https://api.congress.gov"
USER_AGENT = "Urge (+https://github.com/)"
PAGE_SIZE = 250  # the largest page the API gives
# A bound on pages of cosponsors: 40 pages of 250 is far more than Congress has members, so a
# `next` link that never ends is an error rather than a loop.
MAX_PAGES = 40


@dataclass(frozen=True)
class Sponsorship:
    """One legislator's name on a bill: its sponsor, or a cosponsor since a date."""

    bioguide: str
    since: datetime.date
    withdrawn_on: datetime.date | None = None
    sponsor: bool = False


@dataclass(frozen=True)
class BillReport:
    """What Congress.gov says of one bill now."""

    bill: BillId
    title: str
    latest_action_date: datetime.date
    latest_action_text: str
    sponsorships: tuple[Sponsorship, ...]

    def supporters(self) -> dict[str, datetime.date]:
        """Who sponsors or cosponsors the bill today (withdrawals left out), and since when."""
        return {
            entry.bioguide: entry.since for entry in self.sponsorships if entry.withdrawn_on is None
        }


class CongressApiError(Exception):
    """The API gave no usable answer. The message is plain English and never holds the key."""


class CongressApi:
    def __init__(self, api_key: str, base_url: str = CONGRESS_API, timeout: float = 10.0) -> None:
        if urlsplit(base_url).scheme not in {"http", "https"}:
            raise ValueError("The Congress.gov API's URL must start with http:// or https://.")
        if not api_key:
            raise ValueError("The Congress.gov API needs a key (URGE_CONGRESS_API_KEY).")
        self._key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def report(self, bill: BillId) -> BillReport:
        """The bill's title, latest action and sponsors, every page of cosponsors read."""
        data = self._get(bill, "the bill", bill.api_path, {})
        body = data.get("bill")
        if not isinstance(body, dict):
            raise _unexpected(bill, "the bill", "it has no bill")
        latest = body.get("latestAction")
        if not isinstance(latest, dict):
            raise _unexpected(bill, "the bill", "it has no latest action")
        introduced = _date(bill, "the bill", body.get("introducedDate"))
        sponsors = tuple(
            Sponsorship(_bioguide(bill, "the bill", entry), introduced, sponsor=True)
            for entry in _items(bill, "the bill", body, "sponsors")
        )
        text = latest.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _unexpected(bill, "the bill", "the latest action has no text")
        return BillReport(
            bill=bill,
            title=str(body.get("title") or ""),
            latest_action_date=_date(bill, "the bill", latest.get("actionDate")),
            latest_action_text=" ".join(text.split()),
            sponsorships=sponsors + self._cosponsors(bill),
        )

    def _cosponsors(self, bill: BillId) -> tuple[Sponsorship, ...]:
        what = "the cosponsors"
        path = f"{bill.api_path}/cosponsors"
        params: dict[str, str] = {"offset": "0", "limit": str(PAGE_SIZE)}
        found: list[Sponsorship] = []
        pagination: dict[str, Any] = {}
        for _page in range(MAX_PAGES):
            data = self._get(bill, what, path, params)
            for entry in _items(bill, what, data, "cosponsors"):
                withdrawn = entry.get("sponsorshipWithdrawnDate")
                found.append(
                    Sponsorship(
                        bioguide=_bioguide(bill, what, entry),
                        since=_date(bill, what, entry.get("sponsorshipDate")),
                        withdrawn_on=_date(bill, what, withdrawn) if withdrawn else None,
                    )
                )
            given = data.get("pagination")
            pagination = given if isinstance(given, dict) else {}
            following = pagination.get("next")
            if not following:
                break
            params = _next_params(bill, path, following)
        else:
            raise _unexpected(bill, what, f"it went on for more than {MAX_PAGES} pages")
        _check_count(bill, found, pagination)
        return tuple(found)

    def _get(self, bill: BillId, what: str, path: str, params: dict[str, str]) -> dict[str, Any]:
        query = urlencode({**params, "format": "json", "api_key": self._key})
        body = _fetch(f"{self.base_url}{path}?{query}", self.timeout, bill, what)
        try:
            data = json.loads(body)
        except ValueError:
            raise _unexpected(bill, what, "it is not JSON") from None
        if not isinstance(data, dict):
            raise _unexpected(bill, what, "it is not a JSON object")
        return data


def _check_count(bill: BillId, found: list[Sponsorship], pagination: dict[str, Any]) -> None:
    """A page lost on the way would silently drop cosponsors: count them against the totals.

    The list holds withdrawn cosponsors too; `countIncludingWithdrawnCosponsors` counts them
    all, `count` those who still are (or, where it comes alone, perhaps all of them).
    """
    everyone = pagination.get("countIncludingWithdrawnCosponsors")
    current = pagination.get("count")
    still = sum(1 for entry in found if entry.withdrawn_on is None)
    if isinstance(everyone, int):
        complete = len(found) == everyone
    elif isinstance(current, int):
        complete = current in {len(found), still}
    else:
        complete = True  # nothing to check against
    if not complete:
        total = everyone if isinstance(everyone, int) else current
        raise _unexpected(bill, "the cosponsors", f"{len(found)} came of {total}")


def _next_params(bill: BillId, path: str, following: object) -> dict[str, str]:
    # Only the next page's offset and limit are taken from the link: the request goes to the
    # configured API, with our key, whatever host the link names, so the key goes nowhere else.
    if not isinstance(following, str):
        raise _unexpected(bill, "the cosponsors", "the next page's link is not text")
    parts = urlsplit(following)
    query = parse_qs(parts.query)
    offset = query.get("offset", [""])[0]
    if not parts.path.endswith(path) or not offset.isdigit():
        raise _unexpected(bill, "the cosponsors", "the next page's link is not understood")
    limit = query.get("limit", [str(PAGE_SIZE)])[0]
    return {"offset": offset, "limit": limit if limit.isdigit() else str(PAGE_SIZE)}


def _fetch(url: str, timeout: float, bill: BillId, what: str) -> bytes:
    # The scheme was checked in CongressApi: only http and https reach here.
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    request = Request(url, headers=headers)  # noqa: S310
    about = f"{what} of {bill}"
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            status: int = response.status
            body: bytes = response.read()
    except HTTPError as error:
        error.close()
        raise CongressApiError(_refusal(error.code, about)) from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(timeout, about) from None
        raise CongressApiError(f"Congress.gov could not be reached ({about}).") from None
    except TimeoutError:
        raise _timed_out(timeout, about) from None
    except (OSError, HTTPException):
        raise CongressApiError(
            f"The connection to Congress.gov broke off before it answered ({about})."
        ) from None
    if status != 200:
        raise CongressApiError(_refusal(status, about))
    return body


def _refusal(status: int, about: str) -> str:
    if status in {401, 403}:
        return (
            f"Congress.gov refused the API key with HTTP status {status} ({about}): "
            "check URGE_CONGRESS_API_KEY."
        )
    if status == 404:
        return f"Congress.gov has no such bill: HTTP status 404 ({about})."
    if status == 429:
        return f"Congress.gov asks us to slow down: HTTP status 429 ({about})."
    return f"Congress.gov answered with HTTP status {status} ({about})."


def _timed_out(timeout: float, about: str) -> CongressApiError:
    return CongressApiError(f"Congress.gov did not answer within {timeout:g} seconds ({about}).")


def _unexpected(bill: BillId, what: str, why: str) -> CongressApiError:
    return CongressApiError(
        f"Congress.gov's answer about {what} of {bill} was not understood: {why}."
    )


def _items(bill: BillId, what: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _unexpected(bill, what, f"{key} is not a list of objects")
    return items


def _bioguide(bill: BillId, what: str, entry: dict[str, Any]) -> str:
    bioguide = entry.get("bioguideId")
    if not (isinstance(bioguide, str) and 1 <= len(bioguide) <= 10 and bioguide.isalnum()):
        raise _unexpected(bill, what, "a legislator has no Bioguide ID")
    return bioguide


def _date(bill: BillId, what: str, value: object) -> datetime.date:
    # Dates come as YYYY-MM-DD; some fields carry a time after them.
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise _unexpected(bill, what, f"{str(value)[:40]!r} is not a date")
