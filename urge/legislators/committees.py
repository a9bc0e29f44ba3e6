"""Parse the committee and committee membership files."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from urge.legislators.records import CommitteeRecord, Finding, MembershipRecord
from urge.legislators.untrusted import _items, _mapping, _text, _whole_number

_COMMITTEE_CHAMBERS = frozenset({"senate", "house", "joint"})


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
