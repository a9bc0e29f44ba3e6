"""Who represents a ZIP code or an address: a deliberate answer for every case, never a guess.

Nothing here stores or logs what the person typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from urge.legislators.geocoder import GeocodedDistrict, GeocoderUnavailable
from urge.legislators.index import LookupIndex
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import SENATE_STATES

ZIP = re.compile(r"^(\d{5})(?:-?(\d{4}))?-?$")
ZIP_IN_ADDRESS = re.compile(r"\b(\d{5})(?:-\d{4})?\s*$")
DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63]")
MILITARY_STATES = frozenset({"AA", "AE", "AP"})
# Freely associated states: US ZIP codes, but no seat in Congress.
NO_SEATS = frozenset({"FM", "MH", "PW"})
MAX_ADDRESS_LENGTH = 200


class QueryError(ValueError):
    """What the person typed is neither a ZIP code nor an address; `code` says which problem."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ZipQuery:
    zip5: str
    plus4: str = ""


@dataclass(frozen=True)
class AddressQuery:
    address: str


Query = ZipQuery | AddressQuery


def parse_query(raw: str) -> Query:
    """Read what people type: spaces, full-width digits, dashes of any kind, a missing dash."""
    text = DASHES.sub("-", unicodedata.normalize("NFKC", raw))
    text = " ".join(text.split())
    if not text:
        raise QueryError("empty")
    compact = text.replace(" ", "")
    if match := ZIP.match(compact):
        return ZipQuery(match[1], match[2] or "")
    if compact.replace("-", "").isdigit():
        raise QueryError("bad-zip")
    if len(text) > MAX_ADDRESS_LENGTH:
        raise QueryError("too-long")
    if not (any(ch.isdigit() for ch in text) and any(ch.isalpha() for ch in text)):
        raise QueryError("not-an-address")
    return AddressQuery(text)


class Status(StrEnum):
    FOUND = "found"  # the state is known: senators (if any) and the House seat or candidates
    CHOOSE_STATE = "choose-state"  # the ZIP crosses a state line
    MILITARY = "military"  # APO/FPO/DPO: ask the state where the person votes
    NO_MEMBERS = "no-members"  # a ZIP with no seat in Congress (freely associated states)
    UNKNOWN_ZIP = "unknown-zip"


class Note(StrEnum):
    NO_SENATORS = "no-senators"  # DC and the territories
    HOUSE_NEEDS_ADDRESS = "house-needs-address"  # the ZIP does not tell the House district
    HOUSE_CANDIDATES = "house-candidates"  # it is one of several named districts
    ADDRESS_FALLBACK = "address-fallback"  # the address did not geocode: answered by its ZIP
    ZIP_PLUS4_NOT_USED = "zip-plus4-not-used"  # ZIP+4 does not narrow the district in our data
    SENATE_VACANCY = "senate-vacancy"


@dataclass(frozen=True)
class Seat:
    state: str
    district: int
    member: LegislatorRecord | None  # None: the seat is vacant


@dataclass(frozen=True)
class Answer:
    status: Status
    zip5: str = ""
    state: str = ""
    states: tuple[str, ...] = ()
    senators: tuple[LegislatorRecord, ...] = ()
    house: tuple[Seat, ...] = ()  # one seat when exact, else the candidates
    exact: bool = False
    notes: tuple[Note, ...] = field(default=())

    @property
    def districts(self) -> tuple[int, ...]:
        return tuple(seat.district for seat in self.house)


def lookup_zip(
    index: LookupIndex, query: ZipQuery, state: str = "", district: int | None = None
) -> Answer:
    """The answer for a ZIP, optionally narrowed by the state or district the person chose."""
    areas = index.zips.get(query.zip5, ())
    postal = index.postal.get(query.zip5)
    states = tuple(dict.fromkeys(area.state for area in areas))
    if postal is not None and postal.state not in states:
        # The Postal Service and the Census tabulation disagree (57717 is mailed in South
        # Dakota but tabulated in Montana and Wyoming): offer both rather than guess.
        states = (*states, postal.state)
    if not states:
        return Answer(Status.UNKNOWN_ZIP, zip5=query.zip5)
    if states[0] in MILITARY_STATES:
        if state in SENATE_STATES or state in index.house_seats:
            return _for_state(index, query, state, (), district)
        return Answer(Status.MILITARY, zip5=query.zip5, states=states)
    if states[0] in NO_SEATS:
        return Answer(Status.NO_MEMBERS, zip5=query.zip5, state=states[0])
    if len(states) > 1 and state not in states:
        return Answer(Status.CHOOSE_STATE, zip5=query.zip5, states=tuple(sorted(states)))
    chosen = state if state in states else states[0]
    districts = tuple(area.district for area in areas if area.state == chosen)
    return _for_state(index, query, chosen, districts, district)


def lookup_district(index: LookupIndex, found: GeocodedDistrict, zip5: str = "") -> Answer:
    """The answer for a geocoded address: exact by nature."""
    query = ZipQuery(zip5)
    return _for_state(index, query, found.state, (found.district,), found.district)


def zip_in_address(address: str) -> ZipQuery | None:
    match = ZIP_IN_ADDRESS.search(address)
    return ZipQuery(match[1]) if match else None


def _for_state(
    index: LookupIndex,
    query: ZipQuery,
    state: str,
    districts: tuple[int, ...],
    chosen: int | None,
) -> Answer:
    notes: list[Note] = []
    seats = index.house_seats.get(state, ())
    if not districts and len(seats) == 1:
        districts = seats  # an at-large state or a territory: one seat whatever the ZIP
    if chosen is not None and chosen in districts:
        districts = (chosen,)
    senators: tuple[LegislatorRecord, ...] = ()
    if state in SENATE_STATES:
        senators = index.senators.get(state, ())
        if len(senators) < 2:
            notes.append(Note.SENATE_VACANCY)
    else:
        notes.append(Note.NO_SENATORS)
    if not districts:
        notes.append(Note.HOUSE_NEEDS_ADDRESS)
    elif len(districts) > 1:
        notes.append(Note.HOUSE_CANDIDATES)
    if query.plus4 and len(districts) > 1:
        notes.append(Note.ZIP_PLUS4_NOT_USED)
    house = tuple(Seat(state, seat, index.house.get((state, seat))) for seat in districts)
    return Answer(
        Status.FOUND,
        zip5=query.zip5,
        state=state,
        states=(state,),
        senators=senators,
        house=house,
        exact=len(house) == 1,
        notes=tuple(notes),
    )


Geocode = Callable[[str], GeocodedDistrict | None]


def lookup(
    index: LookupIndex,
    query: Query,
    *,
    state: str = "",
    district: int | None = None,
    geocode: Geocode | None = None,
) -> Answer:
    """Answer any query. Addresses go to `geocode` (None when it is turned off); an address
    that cannot be placed is answered by its ZIP code, with a note saying so."""
    if isinstance(query, ZipQuery):
        return lookup_zip(index, query, state, district)
    fallback = zip_in_address(query.address)
    if geocode is not None:
        try:
            found = geocode(query.address)
        except GeocoderUnavailable:
            found = None
        if found is not None:
            return lookup_district(index, found, fallback.zip5 if fallback else "")
    if fallback is None:
        raise QueryError("address-not-found")
    answer = lookup_zip(index, fallback, state, district)
    return replace(answer, notes=(Note.ADDRESS_FALLBACK, *answer.notes))
