"""Which contact details each legislator still lacks once organisers' overrides are applied."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from urge.legislators.handles import (
    ATTRIBUTES,
    CONTACT_FORM,
    FIELDS,
    PHONE,
    PLATFORMS,
    X,
    handle_on,
)
from urge.legislators.overrides import Overrides, apply_all
from urge.legislators.records import LegislatorRecord
from urge.legislators.sources import _seat_label

# What a post or an email cannot do without: the gaps the sync lists member by member.
ESSENTIAL = (X, CONTACT_FORM)


@dataclass(frozen=True)
class MemberGaps:
    member: LegislatorRecord
    missing: tuple[str, ...]  # details in FIELDS order

    @property
    def essential(self) -> tuple[str, ...]:
        return tuple(field for field in self.missing if field in ESSENTIAL)


def missing(member: LegislatorRecord) -> tuple[str, ...]:
    """The details the member has no usable value for (a handle that is not valid on its
    platform counts as missing, since no post will carry it)."""
    return tuple(field for field in FIELDS if not _usable(member, field))


def _usable(member: LegislatorRecord, field: str) -> bool:
    if field in PLATFORMS:
        return bool(handle_on(member, field))
    if field in (CONTACT_FORM, PHONE):
        return bool(str(getattr(member, ATTRIBUTES[field])).strip())
    return True


def gaps(members: Iterable[LegislatorRecord]) -> list[MemberGaps]:
    return [MemberGaps(member, missing(member)) for member in members]


@dataclass(frozen=True)
class ChamberGaps:
    chamber: str
    members: int
    counts: Mapping[str, int]  # detail -> members without it
    listed: tuple[MemberGaps, ...]  # those without an essential detail, by state and name


def by_chamber(
    official: Sequence[LegislatorRecord], overrides: Overrides
) -> tuple[ChamberGaps, ...]:
    """The gaps of a release's members, the Senate first, with overrides applied."""
    found = gaps(apply_all(official, overrides))
    result = []
    for chamber in ("senate", "house"):
        here = [entry for entry in found if entry.member.chamber == chamber]
        counts = {field: sum(1 for entry in here if field in entry.missing) for field in FIELDS}
        listed = sorted(
            (entry for entry in here if entry.essential),
            key=lambda entry: (entry.member.state, entry.member.district or 0, entry.member.name),
        )
        result.append(ChamberGaps(chamber, len(here), counts, tuple(listed)))
    return tuple(result)


def stale_overrides(
    official: Sequence[LegislatorRecord], overrides: Overrides
) -> tuple[list[str], list[str]]:
    """(Bioguide IDs overridden but not in the data, "ID detail" where upstream now gives
    the same value): overrides an organiser may want to remove."""
    members = {member.bioguide: member for member in official}
    absent = sorted(bioguide for bioguide in overrides if bioguide not in members)
    same = sorted(
        f"{bioguide} {field}"
        for bioguide, details in overrides.items()
        if bioguide in members
        for field, value in details.items()
        if _official_value(members[bioguide], field) == value
    )
    return absent, same


def _official_value(member: LegislatorRecord, field: str) -> str:
    if field in PLATFORMS:
        return handle_on(member, field)
    return str(getattr(member, ATTRIBUTES.get(field, ""), ""))


def seat_label(member: LegislatorRecord) -> str:
    """CA-12, or the state alone for a senator."""
    if member.chamber == "senate":
        return member.state
    return _seat_label(member.state, member.district)
