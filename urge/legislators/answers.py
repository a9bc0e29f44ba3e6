"""Answers as people read them: JSON for the API, and the words the page says for each case."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from urge.core.breaker import Breaker
from urge.core.ratelimit import hit, limit
from urge.legislators.geocoder import GeocodedDistrict, GeocoderUnavailable, geocode_address
from urge.legislators.index import LookupIndex
from urge.legislators.lookup import MILITARY_STATES, NO_SEATS, Answer, Geocode, Note, Seat
from urge.legislators.records import LegislatorRecord
from urge.legislators.states import STATE_NAMES

NOTE_MESSAGES: dict[Note, Promise] = {
    Note.NO_SENATORS: _("Washington, DC and the US territories have no senators."),
    Note.HOUSE_NEEDS_ADDRESS: _(
        "This ZIP code does not tell which House district you live in: "
        "enter your street address to find your representative."
    ),
    Note.HOUSE_CANDIDATES: _(
        "This ZIP code is split between House districts: pick yours, "
        "or enter your street address to be sure."
    ),
    Note.ADDRESS_FALLBACK: _(
        "We could not place that street address, so these results are for its ZIP code."
    ),
    Note.ZIP_PLUS4_NOT_USED: _(
        "The four extra ZIP+4 digits do not narrow down the House district in our data."
    ),
    Note.SENATE_VACANCY: _("One of this state's Senate seats is vacant."),
}


# Three failures (timeouts included) within 30 s, and each thread of this process answers
# addresses by their ZIP code for 60 s instead of waiting on the geocoder: a geocoder that
# hangs would otherwise hold a thread for URGE_GEOCODER_TIMEOUT on every address, and a few
# dozen visitors would hold them all. Per process, shared by its threads (urge/core/breaker.py).
GEOCODER_BREAKER = Breaker("The Census geocoder", failures=3, within=30.0, pause=60.0)


class TooManyAddresses(Exception):
    """This visitor has looked up more street addresses than URGE_RATE_GEOCODE allows."""


def configured_geocoder(client: str, breaker: Breaker = GEOCODER_BREAKER) -> Geocode | None:
    """The Census geocoder as settings allow it, or None when it is turned off. Each address
    counts against the limit of `client` (a keyed hash: urge/core/ratelimit.py), and while
    `breaker` is open addresses are answered by their ZIP code without asking the geocoder."""
    if not settings.URGE_GEOCODER:
        return None

    def geocode(address: str) -> GeocodedDistrict | None:
        if not hit(limit("geocode"), client):
            raise TooManyAddresses
        if not breaker.allows():
            raise GeocoderUnavailable("The Census geocoder is not called for now.")
        try:
            found = geocode_address(
                address,
                base_url=settings.URGE_GEOCODER_URL,
                timeout=settings.URGE_GEOCODER_TIMEOUT,
            )
        except GeocoderUnavailable:
            breaker.failed()
            raise
        breaker.succeeded()
        return found

    return geocode


def answer_json(answer: Answer, index: LookupIndex) -> dict[str, Any]:
    members = [*answer.senators, *(seat.member for seat in answer.house if seat.member)]
    return {
        "status": str(answer.status),
        "zip": answer.zip5 or None,
        "state": answer.state or None,
        "states": list(answer.states),
        "districts": list(answer.districts),
        "exact": answer.exact,
        "notes": [
            {"code": str(note), "message": str(NOTE_MESSAGES[note])} for note in answer.notes
        ],
        "legislators": [legislator_json(member) for member in members],
        "vacant_seats": [seat_json(seat) for seat in answer.house if seat.member is None],
        "state_names": state_names(answer, members),
        "data": {"release": index.release_id, "as_of": index.as_of.isoformat()},
    }


def state_names(answer: Answer, members: list[LegislatorRecord]) -> dict[str, str]:
    """The English name of every state code in the answer. The API speaks one language
    whatever the request's: one answer per ZIP code for every shared cache, and codes that
    a caller translates as its own pages need (urge/legislators/state_labels.py does so here)."""
    codes = {answer.state, *answer.states, *(member.state for member in members)}
    codes |= {seat.state for seat in answer.house}
    return {code: state_name(code) for code in sorted(codes) if code}


def legislator_json(member: LegislatorRecord) -> dict[str, Any]:
    return {
        "bioguide": member.bioguide,
        "name": member.name,
        "chamber": member.chamber,
        "party": member.party,
        "state": member.state,
        "district": member.district,
        "state_rank": member.state_rank or None,
        "phone": member.phone or None,
        "office_address": member.office_address or None,
        "contact_form": member.contact_form or None,
        "website": member.website or None,
        "social": {
            platform: handle
            for platform, handle in (
                ("twitter", member.twitter),
                ("facebook", member.facebook),
                ("youtube", member.youtube),
                ("instagram", member.instagram),
                ("mastodon", member.mastodon),
                ("bluesky", member.bluesky),
                ("threads", member.threads),
            )
            if handle
        },
        "district_offices": [
            {"city": office.city, "address": office.address, "phone": office.phone or None}
            for office in member.offices
        ],
    }


def seat_json(seat: Seat) -> dict[str, Any]:
    return {"state": seat.state, "district": seat.district}


def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


# Where a military voter may be registered: every code with a seat in Congress.
VOTING_STATES = sorted(set(STATE_NAMES) - MILITARY_STATES - NO_SEATS)
HOUSE_NOTES = frozenset({Note.HOUSE_NEEDS_ADDRESS, Note.HOUSE_CANDIDATES, Note.ZIP_PLUS4_NOT_USED})


def page_context(answer: Answer | None, targets_house: bool) -> dict[str, Any]:
    """What the page shows of an answer: House details only when the campaign targets the
    House, or when there is no senator to show (DC and the territories have a delegate)."""
    if answer is None:
        return {}
    show_house = targets_house or not answer.senators
    notes = [note for note in answer.notes if show_house or note not in HOUSE_NOTES]
    return {
        "answer_messages": [NOTE_MESSAGES[note] for note in notes],
        "show_house": show_house,
        "voting_states": VOTING_STATES,
    }
