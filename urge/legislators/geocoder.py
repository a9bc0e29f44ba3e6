"""Finding the congressional district of a street address with the Census Bureau geocoder."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from urge.legislators.states import FIPS_TO_STATE

CENSUS_GEOCODER = "https://geocoding.geo.census.gov"
PATH = "/geocoder/geographies/onelineaddress"
# Names the software only: nothing that could tell the Census Bureau which site or person asks.
USER_AGENT = "Urge (+https://github.com/)"
DISTRICT_LAYER_SUFFIX = "Congressional Districts"
# District code 98 is a non-voting delegate's seat; like at-large 00 it is the single seat.
DELEGATE_DISTRICT = 98


@dataclass(frozen=True)
class GeocodedDistrict:
    state: str  # USPS code, e.g. "IL"
    district: int  # 0 for an at-large or delegate seat
    matched_address: str


class GeocoderUnavailable(Exception):
    """The geocoder could not give an answer; the message is plain English and never the address."""


def geocode_address(
    address: str, *, base_url: str = CENSUS_GEOCODER, timeout: float = 4.0
) -> GeocodedDistrict | None:
    """The district of the first match for `address`, or None when the geocoder finds no match."""
    body = _fetch(_url(base_url, address), timeout)
    try:
        answer = json.loads(body)
    except ValueError:
        raise GeocoderUnavailable("The Census geocoder sent an answer that is not JSON.") from None
    return _parse(answer)


def _url(base_url: str, address: str) -> str:
    if urlsplit(base_url).scheme not in {"http", "https"}:
        raise ValueError("The geocoder's base URL must start with http:// or https://.")
    query = urlencode(
        {
            "address": address,
            "benchmark": "Public_AR_Current",
            "vintage": "Current_Current",
            "layers": "all",
            "format": "json",
        }
    )
    return f"{base_url.rstrip('/')}{PATH}?{query}"


def _fetch(url: str, timeout: float) -> bytes:
    # Every error below is raised `from None`: the original exceptions carry the request URL,
    # and with it the address, into any traceback that gets logged.
    # The scheme was checked in _url: only http and https reach here.
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    request = Request(url, headers=headers)  # noqa: S310
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310
            status: int = response.status
            body: bytes = response.read()
    except HTTPError as error:
        error.close()
        raise GeocoderUnavailable(
            f"The Census geocoder answered with HTTP status {error.code}."
        ) from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timed_out(timeout) from None
        raise GeocoderUnavailable("The Census geocoder could not be reached.") from None
    except TimeoutError:
        raise _timed_out(timeout) from None
    except (OSError, HTTPException):
        raise GeocoderUnavailable(
            "The connection to the Census geocoder broke off before it answered."
        ) from None
    if status != 200:
        raise GeocoderUnavailable(f"The Census geocoder answered with HTTP status {status}.")
    return body


def _timed_out(timeout: float) -> GeocoderUnavailable:
    return GeocoderUnavailable(f"The Census geocoder did not answer within {timeout:g} seconds.")


def _unexpected(what: str) -> GeocoderUnavailable:
    return GeocoderUnavailable(f"The Census geocoder's answer was not understood: {what}.")


def _parse(answer: object) -> GeocodedDistrict | None:
    result = answer.get("result") if isinstance(answer, dict) else None
    matches = result.get("addressMatches") if isinstance(result, dict) else None
    if not isinstance(matches, list):
        raise _unexpected("it has no list of address matches")
    if not matches:
        return None
    match = matches[0]
    if not isinstance(match, dict):
        raise _unexpected("a match is not an object")
    geographies = match.get("geographies")
    if not isinstance(geographies, dict):
        raise _unexpected("the match has no geographies")
    district = _newest_district(geographies)
    geoid = district.get("GEOID")
    if not (isinstance(geoid, str) and len(geoid) == 4 and geoid.isdigit()):
        raise _unexpected("the district code is not four digits")
    number = int(geoid[2:])
    matched_address = match.get("matchedAddress")
    if not isinstance(matched_address, str):
        raise _unexpected("the match has no matched address")
    return GeocodedDistrict(
        state=_state(geographies, district, geoid),
        district=0 if number == DELEGATE_DISTRICT else number,
        matched_address=matched_address,
    )


def _newest_district(geographies: dict[Any, Any]) -> dict[Any, Any]:
    # The layer is named after the Congress ("119th Congressional Districts"), and around
    # redistricting the answer can hold two; the newest session is the one in office.
    newest: dict[Any, Any] | None = None
    newest_session = -1
    for key, layer in geographies.items():
        if not (isinstance(key, str) and key.endswith(DISTRICT_LAYER_SUFFIX)):
            continue
        if not isinstance(layer, list):
            continue
        for entry in layer:
            if not isinstance(entry, dict):
                continue
            session = _session(key, entry)
            if newest is None or session > newest_session:
                newest, newest_session = entry, session
    if newest is None:
        raise _unexpected("the match has no congressional district")
    return newest


def _session(key: str, entry: dict[Any, Any]) -> int:
    session = entry.get("CDSESSN")
    if isinstance(session, str) and session.isdigit():
        return int(session)
    if isinstance(session, int):
        return session
    # Without CDSESSN the layer name still says which Congress it is.
    ordinal = re.match(r"\d+", key)
    return int(ordinal.group()) if ordinal else -1


def _state(geographies: dict[Any, Any], district: dict[Any, Any], geoid: str) -> str:
    states = geographies.get("States")
    if isinstance(states, list) and states and isinstance(states[0], dict):
        usps = states[0].get("STUSAB")
        if isinstance(usps, str) and len(usps) == 2 and usps.isalpha():
            return usps.upper()
    fips = district.get("STATE")
    for code in (fips, geoid[:2]):
        if isinstance(code, str) and code in FIPS_TO_STATE:
            return FIPS_TO_STATE[code]
    raise _unexpected("the state of the district is not known")
