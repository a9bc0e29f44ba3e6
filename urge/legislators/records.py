"""The records parsed from the official data files, and the findings about them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

Chamber = Literal["senate", "house"]


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
    # Not in the official data: only organisers' additions (urge/legislators/overrides.py)
    # fill these in.
    bluesky: str = ""
    threads: str = ""


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
