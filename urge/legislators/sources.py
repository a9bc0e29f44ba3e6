"""Parse and cross-check the official legislator, committee and ZIP-to-district data files."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from urge.legislators.states import FIPS_TO_STATE, SENATE_STATES, STATE_NAMES

Chamber = Literal["senate", "house"]

_CHAMBERS: dict[str, Chamber] = {"sen": "senate", "rep": "house"}
_COMMITTEE_CHAMBERS = frozenset({"senate", "house", "joint"})
# Census codes the single seat of an at-large state as 00 and a non-voting delegate as 98.
_AT_LARGE_CODES = frozenset({"00", "98"})
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class Office:
    city: str
    address: str
    phone: str


@dataclass(frozen=True)
class LegislatorRecord:
    bioguide: str
    chamber: Chamber
    name: str
    first_name: str
    last_name: str
    party: str
    state: str
    district: int | None
    state_rank: str
    phone: str
    office_address: str
    contact_form: str
    website: str
    term_start: datetime.date
    term_end: datetime.date
    twitter: str
    facebook: str
    youtube: str
    instagram: str
    mastodon: str
    offices: tuple[Office, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ZipDistrictRecord:
    zcta: str
    state: str
    district: int
    land_share: float | None


@dataclass(frozen=True)
class CommitteeRecord:
    code: str
    name: str
    chamber: str
    parent_code: str | None


@dataclass(frozen=True)
class MembershipRecord:
    committee_code: str
    bioguide: str
    rank: int | None
    title: str


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str
    message: str


@dataclass(frozen=True)
class ParsedLegislators:
    legislators: tuple[LegislatorRecord, ...]
    findings: tuple[Finding, ...]


class _BadRecord(Exception):
    """A record too broken to keep; the message says why, for the finding."""


# --- small readers for untrusted decoded JSON/YAML -------------------------------------------


def _text(value: object) -> str:
    # Upstream occasionally writes numbers (a suite "350", a zip) where text is expected.
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    return ""


def _mapping(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _date(value: object) -> datetime.date | None:
    # YAML decodes unquoted dates itself; JSON leaves them as ISO strings.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_web_url(url: str) -> bool:
    """Whether `url` is an http(s) address with a plausible host name."""
    if any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(_HOST.match(host))


def _bioguide_of(entry: object) -> str:
    record = _mapping(entry)
    ids = _mapping(record.get("id")) if record else None
    return _text(ids.get("bioguide")) if ids else ""


# --- legislators -----------------------------------------------------------------------------


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


# --- ZIP (ZCTA) to district crosswalks --------------------------------------------------------

_ZipKey = tuple[str, str, int]


def parse_zccd_csv(text: str) -> tuple[tuple[ZipDistrictRecord, ...], tuple[Finding, ...]]:
    """The us-zipcodes-congress zccd.csv: one row per (ZCTA, state, district)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"state_fips", "state_abbr", "zcta", "cd"}
    if not needed <= set(reader.fieldnames or ()):
        message = f"The CSV header lacks the columns {', '.join(sorted(needed))}; nothing was read."
        return (), (Finding("bad-record", "ZCTA header", message),)
    keys: dict[_ZipKey, None] = {}
    findings: list[Finding] = []
    # Line 1 is the header.
    for line, row in enumerate(reader, start=2):
        key = _zccd_key(row)
        if key is None:
            findings.append(_bad_zip_row(f"ZCTA row {line}", row))
            continue
        keys[key] = None
    records = (ZipDistrictRecord(zcta, state, district, None) for zcta, state, district in keys)
    return tuple(sorted(records, key=_zip_sort_key)), tuple(findings)


def _zccd_key(row: Mapping[str, str | None]) -> _ZipKey | None:
    fips = (row.get("state_fips") or "").strip().zfill(2)
    state = (row.get("state_abbr") or "").strip().upper()
    zcta = _zcta((row.get("zcta") or "").strip())
    district = _whole_number(row.get("cd") or "")
    if FIPS_TO_STATE.get(fips) != state or zcta is None or district is None:
        return None
    # Upstream writes at-large seats as 0; a stray Census delegate code means the same.
    return zcta, state, 0 if district == 98 else district


def _zcta(value: str) -> str | None:
    # Spreadsheets strip leading zeros (New England ZCTAs start with 0).
    if not value.isdigit() or len(value) > 5:
        return None
    return value.zfill(5)


def _bad_zip_row(subject: str, row: object) -> Finding:
    return Finding("bad-record", subject, f"The row {row!r} is malformed; it was skipped.")


def _zip_sort_key(record: ZipDistrictRecord) -> tuple[str, str, int]:
    return record.zcta, record.state, record.district


@dataclass(frozen=True)
class _CensusColumns:
    district: int
    zcta: int
    zcta_land: int
    part_land: int


def parse_census_relationship(
    text: str,
) -> tuple[tuple[ZipDistrictRecord, ...], tuple[Finding, ...]]:
    """The Census congressional district to ZCTA relationship file (pipe-delimited)."""
    lines = text.lstrip("\ufeff").splitlines()
    columns = _census_columns(lines[0] if lines else "")
    if columns is None:
        message = "The Census header lacks the CD, ZCTA or land-area columns; nothing was read."
        return (), (Finding("bad-record", "Census header", message),)
    shares: dict[_ZipKey, float | None] = {}
    findings: list[Finding] = []
    for line_number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            row = _census_row(line.split("|"), columns)
        except _BadRecord as error:
            findings.append(Finding("bad-record", f"Census row {line_number}", f"The row {error}."))
            continue
        if row is not None:
            key, share = row
            shares[key] = _add_shares(shares[key], share) if key in shares else share
    records = (ZipDistrictRecord(*key, share) for key, share in shares.items())
    return tuple(sorted(records, key=_zip_sort_key)), tuple(findings)


def _census_columns(header: str) -> _CensusColumns | None:
    names = [name.strip() for name in header.split("|")]

    def first(prefix: str) -> int | None:
        return next((i for i, name in enumerate(names) if name.startswith(prefix)), None)

    # Prefixes, because the suffix names the Congress (CD119_20, CD120_20, ...).
    district, zcta = first("GEOID_CD"), first("GEOID_ZCTA5")
    zcta_land, part_land = first("AREALAND_ZCTA5"), first("AREALAND_PART")
    if district is None or zcta is None or zcta_land is None or part_land is None:
        return None
    return _CensusColumns(district, zcta, zcta_land, part_land)


def _census_row(fields: list[str], columns: _CensusColumns) -> tuple[_ZipKey, float | None] | None:
    """The row's key and land share; None for rows that map no land to a real district."""
    if len(fields) <= max(columns.district, columns.zcta, columns.zcta_land, columns.part_land):
        raise _BadRecord("has too few columns; it was skipped")
    geoid, zcta_text = fields[columns.district].strip(), fields[columns.zcta].strip()
    # ZZ is water or undefined; an empty ZCTA is land no ZIP code covers.
    if geoid.upper().endswith("ZZ") or not zcta_text:
        return None
    part, total = _area(fields[columns.part_land]), _area(fields[columns.zcta_land])
    if part == 0:
        return None
    state, district = _census_district(geoid)
    zcta = _zcta(zcta_text)
    if zcta is None or len(zcta_text) != 5:
        raise _BadRecord(f"has a malformed ZCTA {zcta_text!r}; it was skipped")
    return (zcta, state, district), (part / total if total else None)


def _area(value: str) -> int:
    area = _whole_number(value)
    if area is None:
        raise _BadRecord(f"has a malformed land area {value!r}; it was skipped")
    return area


def _census_district(geoid: str) -> tuple[str, int]:
    state = FIPS_TO_STATE.get(geoid[:2])
    code = geoid[2:]
    if state is None or len(geoid) != 4 or not code.isdigit():
        raise _BadRecord(f"has a malformed district GEOID {geoid!r}; it was skipped")
    return state, 0 if code in _AT_LARGE_CODES else int(code)


def _add_shares(first: float | None, second: float | None) -> float | None:
    if first is None or second is None:
        return first if second is None else second
    return first + second


# --- committees -------------------------------------------------------------------------------


def parse_committees(
    committees: Any,
    membership: Any,
    *,
    known_bioguides: Collection[str] | None = None,
) -> tuple[tuple[CommitteeRecord, ...], tuple[MembershipRecord, ...], tuple[Finding, ...]]:
    """Committees with their subcommittees, and who sits on each.

    With `known_bioguides`, memberships of anyone else are left out as "unknown-member".
    """
    findings: list[Finding] = []
    found = _committees(committees, findings)
    codes = {committee.code for committee in found}
    members = _memberships(membership, codes, known_bioguides, findings)
    return tuple(found), tuple(members), tuple(findings)


def _committees(raw: Any, findings: list[Finding]) -> list[CommitteeRecord]:
    found: dict[str, CommitteeRecord] = {}
    for number, entry in enumerate(_items(raw), start=1):
        for record in _committee_family(_mapping(entry) or {}, number, findings):
            if record.code in found:
                message = f"The committee code {record.code} appears twice; the second was skipped."
                findings.append(Finding("bad-record", f"committee {record.code}", message))
                continue
            found[record.code] = record
    return list(found.values())


def _committee_family(
    raw: Mapping[str, Any], number: int, findings: list[Finding]
) -> Iterator[CommitteeRecord]:
    code, name, chamber = (
        _text(raw.get("thomas_id")),
        _text(raw.get("name")),
        _text(raw.get("type")),
    )
    if not code or not name or chamber not in _COMMITTEE_CHAMBERS:
        message = "The committee lacks a code, a name or a chamber type; it was skipped."
        findings.append(Finding("bad-record", f"committee #{number} {code}".strip(), message))
        return
    yield CommitteeRecord(code, name, chamber, None)
    for sub in _items(raw.get("subcommittees")):
        sub_map = _mapping(sub) or {}
        sub_code, sub_name = _text(sub_map.get("thomas_id")), _text(sub_map.get("name"))
        if not sub_code or not sub_name:
            message = "A subcommittee lacks a code or a name; it was skipped."
            findings.append(Finding("bad-record", f"committee {code}", message))
            continue
        yield CommitteeRecord(code + sub_code, sub_name, chamber, code)


def _memberships(
    raw: Any,
    codes: Collection[str],
    known_bioguides: Collection[str] | None,
    findings: list[Finding],
) -> list[MembershipRecord]:
    found: dict[tuple[str, str], MembershipRecord] = {}
    for code, members in (_mapping(raw) or {}).items():
        if code not in codes:
            message = f"Members are listed for the unknown committee code {code!r}; skipped."
            findings.append(Finding("bad-record", f"committee {code}", message))
            continue
        for number, entry in enumerate(_items(members), start=1):
            record = _membership(code, number, _mapping(entry) or {}, known_bioguides, findings)
            if record is not None:
                found.setdefault((record.committee_code, record.bioguide), record)
    return list(found.values())


def _membership(
    code: str,
    number: int,
    raw: Mapping[str, Any],
    known_bioguides: Collection[str] | None,
    findings: list[Finding],
) -> MembershipRecord | None:
    bioguide = _text(raw.get("bioguide"))
    if not bioguide:
        message = "The member entry has no bioguide ID; it was skipped."
        findings.append(Finding("bad-record", f"committee {code} member #{number}", message))
        return None
    if known_bioguides is not None and bioguide not in known_bioguides:
        name = _text(raw.get("name")) or "someone"
        message = f"{name} ({bioguide}) is listed on {code} but is not a current member; skipped."
        findings.append(Finding("unknown-member", f"committee {code} member {bioguide}", message))
        return None
    return MembershipRecord(code, bioguide, _whole_number(raw.get("rank")), _text(raw.get("title")))


# --- cross-checks -----------------------------------------------------------------------------


def validate(
    legislators: Sequence[LegislatorRecord], zips: Sequence[ZipDistrictRecord]
) -> tuple[Finding, ...]:
    """Vacant and over-full seats, found by comparing members with the states and ZIP seats."""
    findings = {*_senate_findings(legislators), *_house_findings(legislators, zips)}
    return tuple(sorted(findings, key=lambda f: (f.kind, f.subject, f.message)))


def _senate_findings(legislators: Iterable[LegislatorRecord]) -> Iterator[Finding]:
    counts = Counter(member.state for member in legislators if member.chamber == "senate")
    for state in sorted(SENATE_STATES | set(counts)):
        count = counts[state]
        name = STATE_NAMES.get(state, state)
        if state not in SENATE_STATES:
            message = f"{name} has {count} senator(s) in the data but elects none."
        elif count < 2:
            message = f"{name} has {count} senator(s) in the data, not 2: a Senate seat is vacant."
        elif count > 2:
            message = f"{name} has {count} senators in the data, more than its 2 seats."
        else:
            continue
        yield Finding("senate-seats", f"state {state}", message)


def _house_findings(
    legislators: Iterable[LegislatorRecord], zips: Iterable[ZipDistrictRecord]
) -> Iterator[Finding]:
    house = [member for member in legislators if member.chamber == "house"]
    filled = {(member.state, member.district) for member in house}
    delegated = {member.state for member in house if member.state not in SENATE_STATES}
    seats = {(row.state, row.district) for row in zips}
    for state, district in sorted(seats):
        held = state in delegated if state not in SENATE_STATES else (state, district) in filled
        if not held:
            yield _vacancy(state, district)
    mapped_states = {state for state, _ in seats}
    for member in house:
        seat = (member.state, member.district)
        # A territory missing from the ZIP data entirely is mapped by ZIP prefix elsewhere.
        if member.state in SENATE_STATES and member.state in mapped_states and seat not in seats:
            yield _unmapped(member)


def _vacancy(state: str, district: int) -> Finding:
    label = _seat_label(state, district)
    name = STATE_NAMES.get(state, state)
    if state not in SENATE_STATES:
        what = f"the non-voting seat for {name}"
    elif district == 0:
        what = f"{name}'s at-large House seat"
    else:
        what = f"{name}'s district {district}"
    message = f"No current member holds {what}, though ZIP codes map to it: the seat is vacant."
    return Finding("vacant-seat", label, message)


def _unmapped(member: LegislatorRecord) -> Finding:
    label = _seat_label(member.state, member.district)
    message = f"{member.name} represents {label}, but no ZIP code maps to that district."
    return Finding("no-zip-data", f"{member.bioguide} {member.name} ({label})", message)
