"""Which legislators a campaign aims at: one rule, for the action page and the bill tracker."""

from __future__ import annotations

from collections.abc import Collection

from urge.legislators.index import LookupIndex
from urge.legislators.records import LegislatorRecord


def in_scope(
    member: LegislatorRecord,
    index: LookupIndex,
    *,
    senate: bool,
    house: bool,
    states: Collection[str],
    committee: str,
) -> bool:
    """Whether the member's chamber, state and committee are among the campaign's targets
    (its extra targets, named one by one, are added apart)."""
    if member.chamber == "senate" and not senate:
        return False
    if member.chamber == "house" and not house:
        return False
    if states and member.state not in states:
        return False
    return not committee or member.bioguide in index.committees.get(committee, ())
