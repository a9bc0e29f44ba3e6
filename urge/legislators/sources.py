"""Parse the official legislator files: current members, their social media and offices."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from urge.legislators.records import (
    Chamber,
    Finding,
    LegislatorRecord,
    Office,
    ParsedLegislators,
)
from urge.legislators.states import SENATE_STATES, STATE_NAMES
from urge.legislators.untrusted import (
    _BadRecord,
    _date,
    _items,
    _mapping,
    _text,
    _whole_number,
    is_web_url,
)

_CHAMBERS: dict[str, Chamber] = {"sen": "senate", "rep": "house"}


def _bioguide_of(entry: object) -> str:
    record = _mapping(entry)
    ids = _mapping(record.get("id")) if record else None
    return _text(ids.get("bioguide")) if ids else ""


@dataclass
class _Problems:
    """Collects a member's flags and the matching findings, which share one subject."""

    subject: str
    flags: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(self, kind: str, flag: str, message: str) -> None:
        self.flags.append(flag)
        self.findings.append(Finding(kind, self.subject, message))


@dataclass(frozen=True)
class _Seat:
    chamber: Chamber
    state: str
    district: int | None


def parse_legislators(current: Any, social: Any, offices: Any) -> ParsedLegislators:
    """Current members from legislators-current, joined with social media and district offices."""
    findings: list[Finding] = []
    socials = _socials_by_bioguide(social, findings)
    office_lists = _offices_by_bioguide(offices, findings)
    records: list[LegislatorRecord] = []
    seen: set[str] = set()
    for number, entry in enumerate(_items(current), start=1):
        bioguide = _bioguide_of(entry)
        try:
            if bioguide in seen:
                raise _BadRecord("appears twice; the second record was left out")
            record, problems = _legislator(entry, socials, office_lists)
        except _BadRecord as error:
            findings.append(_bad_record(f"legislators-current record #{number}", bioguide, error))
            continue
        seen.add(bioguide)
        records.append(record)
        findings.extend(problems)
    return ParsedLegislators(tuple(records), tuple(findings))


def _bad_record(where: str, bioguide: str, error: _BadRecord) -> Finding:
    subject = f"{where} ({bioguide})" if bioguide else where
    return Finding("bad-record", subject, f"The record {error}.")


def _legislator(
    entry: object,
    socials: Mapping[str, Mapping[str, Any]],
    office_lists: Mapping[str, tuple[Office, ...]],
) -> tuple[LegislatorRecord, list[Finding]]:
    raw = _mapping(entry)
    bioguide = _bioguide_of(entry)
    if raw is None or not bioguide:
        raise _BadRecord("has no bioguide ID and was left out")
    term = _current_term(raw)
    seat = _seat(term)
    first, last, official = _names(raw)
    name = official or f"{first} {last}".strip()
    if not name:
        raise _BadRecord("has no name at all and was left out")
    start, end = _dates(term)
    problems = _Problems(f"{bioguide} {name} ({_seat_description(seat)})")
    if not official:
        problems.add(
            "no-name",
            "no official name (built from first and last name)",
            f"{name} has no official full name; it was built from the first and last name.",
        )
    links = _Links(term, problems, name)
    media = socials.get(bioguide, {})
    record = LegislatorRecord(
        bioguide=bioguide,
        chamber=seat.chamber,
        name=name,
        first_name=first,
        last_name=last,
        party=_text(term.get("party")),
        state=seat.state,
        district=seat.district,
        state_rank=_text(term.get("state_rank")),
        phone=_required(term, "phone", problems, name),
        office_address=_required(term, "address", problems, name),
        contact_form=links.contact_form,
        website=links.website,
        term_start=start,
        term_end=end,
        twitter=_text(media.get("twitter")),
        facebook=_text(media.get("facebook")),
        # A channel ID ("UC" + 22 characters) stands in when there is no legacy username.
        youtube=_text(media.get("youtube")) or _text(media.get("youtube_id")),
        instagram=_text(media.get("instagram")),
        mastodon=_text(media.get("mastodon")),
        offices=office_lists.get(bioguide, ()),
        flags=tuple(problems.flags),
    )
    return record, problems.findings


def _current_term(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    terms = _items(raw.get("terms"))
    term = _mapping(terms[-1]) if terms else None
    if term is None:
        raise _BadRecord("has no terms and was left out")
    return term


def _seat(term: Mapping[str, Any]) -> _Seat:
    chamber = _CHAMBERS.get(_text(term.get("type")))
    if chamber is None:
        raise _BadRecord("has no term type ('sen' or 'rep') and was left out")
    state = _text(term.get("state")).upper()
    if state not in STATE_NAMES:
        raise _BadRecord("has no known state and was left out")
    if chamber == "senate":
        return _Seat(chamber, state, None)
    if state not in SENATE_STATES:
        # Delegates and the resident commissioner hold their territory's single seat.
        return _Seat(chamber, state, 0)
    district = _whole_number(term.get("district"))
    if district is None:
        raise _BadRecord("is a representative without a district and was left out")
    return _Seat(chamber, state, district)


def _names(raw: Mapping[str, Any]) -> tuple[str, str, str]:
    names = _mapping(raw.get("name")) or {}
    return _text(names.get("first")), _text(names.get("last")), _text(names.get("official_full"))


def _dates(term: Mapping[str, Any]) -> tuple[datetime.date, datetime.date]:
    start, end = _date(term.get("start")), _date(term.get("end"))
    if start is None or end is None:
        raise _BadRecord("has a current term without valid start and end dates and was left out")
    return start, end


def _seat_label(state: str, district: int | None) -> str:
    if district is None:
        return state
    return f"{state}-{district}" if district else f"{state}-AL"


def _seat_description(seat: _Seat) -> str:
    if seat.chamber == "senate":
        return f"{seat.state} senator"
    if seat.state not in SENATE_STATES:
        return f"{seat.state} delegate"
    return f"{_seat_label(seat.state, seat.district)} representative"


_MISSING = {
    "phone": ("no-phone", "no phone number", "DC office phone number"),
    "address": ("no-address", "no DC office address", "DC office address"),
}


def _required(term: Mapping[str, Any], key: str, problems: _Problems, name: str) -> str:
    value = _text(term.get(key))
    if not value:
        kind, flag, what = _MISSING[key]
        problems.add(kind, flag, f"{name} has no {what} in the upstream data.")
    return value


class _Links:
    """The member's website and contact form, with malformed URLs left out and reported."""

    def __init__(self, term: Mapping[str, Any], problems: _Problems, name: str) -> None:
        self.website = self._checked(term, "url", "website", problems, name)
        self.contact_form = self._checked(term, "contact_form", "contact form", problems, name)

    @staticmethod
    def _checked(
        term: Mapping[str, Any], key: str, label: str, problems: _Problems, name: str
    ) -> str:
        url = _text(term.get(key))
        if url and not is_web_url(url):
            problems.add(
                "malformed-url",
                f"malformed {label} URL {url!r} left out",
                f"{name}'s {label} URL {url!r} is not a web address; it was left out.",
            )
            return ""
        if not url:
            kind = "no-website" if key == "url" else "no-contact-form"
            problems.add(kind, f"no {label}", f"{name} has no {label} URL in the upstream data.")
        return url


def _socials_by_bioguide(social: Any, findings: list[Finding]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for number, entry in enumerate(_items(social), start=1):
        bioguide = _bioguide_of(entry)
        media = _mapping((_mapping(entry) or {}).get("social"))
        if not bioguide or media is None:
            subject = f"legislators-social-media record #{number}"
            error = _BadRecord("has no bioguide ID or no social block and was left out")
            findings.append(_bad_record(subject, bioguide, error))
            continue
        found[bioguide] = media
    return found


def _offices_by_bioguide(offices: Any, findings: list[Finding]) -> dict[str, tuple[Office, ...]]:
    found: dict[str, tuple[Office, ...]] = {}
    for number, entry in enumerate(_items(offices), start=1):
        bioguide = _bioguide_of(entry)
        where = f"legislators-district-offices record #{number}"
        if not bioguide:
            findings.append(_bad_record(where, "", _BadRecord("has no bioguide ID")))
            continue
        raw = _mapping(entry) or {}
        found[bioguide] = tuple(_offices(raw.get("offices"), where, bioguide, findings))
    return found


def _offices(raw: object, where: str, bioguide: str, findings: list[Finding]) -> Iterator[Office]:
    for number, entry in enumerate(_items(raw), start=1):
        office = _office(_mapping(entry) or {})
        if office is None:
            error = _BadRecord(f"has office #{number} without a city or address; it was left out")
            findings.append(_bad_record(where, bioguide, error))
            continue
        yield office


def _office(raw: Mapping[str, Any]) -> Office | None:
    city = _text(raw.get("city"))
    street = _text(raw.get("address"))
    if not city and not street:
        return None
    state_zip = f"{_text(raw.get('state'))} {_text(raw.get('zip'))}".strip()
    parts = (street, _text(raw.get("suite")), _text(raw.get("building")), city, state_zip)
    return Office(city, ", ".join(part for part in parts if part), _text(raw.get("phone")))
