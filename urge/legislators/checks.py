"""Cross-check the parsed members against the states and the ZIP seats: vacant, over-full."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from urge.legislators.records import Finding, LegislatorRecord, ZipDistrictRecord
from urge.legislators.sources import _seat_label
from urge.legislators.states import SENATE_STATES, STATE_NAMES


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
