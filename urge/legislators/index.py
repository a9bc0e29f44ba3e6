"""The in-memory lookup index: one per data release, built once per process."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import zipcodes
from django.conf import settings
from django.db import DatabaseError, connections

from urge.legislators import overrides
from urge.legislators.models import Committee, DataRelease, Legislator, ZipDistrict
from urge.legislators.models import PostalZip as PostalZipRow
from urge.legislators.records import LegislatorRecord, Office, ZipDistrictRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ZipArea:
    state: str
    district: int
    land_share: float | None


@dataclass(frozen=True)
class PostalZip:
    """What the Postal Service says of a ZIP, for those that are not ZCTAs (PO boxes, APO...)."""

    state: str
    kind: str  # STANDARD, PO BOX, UNIQUE, MILITARY


@dataclass(frozen=True)
class LookupIndex:
    release_id: int
    as_of: datetime.date
    zips: Mapping[str, tuple[ZipArea, ...]]
    postal: Mapping[str, PostalZip]
    senators: Mapping[str, tuple[LegislatorRecord, ...]]
    house: Mapping[tuple[str, int], LegislatorRecord]
    house_seats: Mapping[str, tuple[int, ...]]  # state -> its districts, from the ZIP data
    members: Mapping[str, LegislatorRecord]  # by Bioguide ID
    committees: Mapping[str, frozenset[str]]  # committee code -> members' Bioguide IDs

    @classmethod
    def build(
        cls,
        release_id: int,
        as_of: datetime.date,
        legislators: Iterable[LegislatorRecord],
        zips: Iterable[ZipDistrictRecord],
        postal: Mapping[str, PostalZip],
        committees: Mapping[str, frozenset[str]] | None = None,
    ) -> LookupIndex:
        legislators = list(legislators)
        areas: defaultdict[str, list[ZipArea]] = defaultdict(list)
        seats: defaultdict[str, set[int]] = defaultdict(set)
        for row in zips:
            areas[row.zcta].append(ZipArea(row.state, row.district, row.land_share))
            seats[row.state].add(row.district)
        senators: defaultdict[str, list[LegislatorRecord]] = defaultdict(list)
        house: dict[tuple[str, int], LegislatorRecord] = {}
        for member in legislators:
            if member.chamber == "senate":
                senators[member.state].append(member)
            elif member.district is not None:
                house[(member.state, member.district)] = member
                seats[member.state].add(member.district)
        return cls(
            release_id=release_id,
            as_of=as_of,
            zips={zcta: tuple(_by_share(found)) for zcta, found in areas.items()},
            postal=postal,
            senators={state: tuple(_senior_first(found)) for state, found in senators.items()},
            house=house,
            house_seats={state: tuple(sorted(found)) for state, found in seats.items()},
            members={member.bioguide: member for member in legislators},
            committees=committees or {},
        )


def _by_share(areas: list[ZipArea]) -> list[ZipArea]:
    return sorted(areas, key=lambda area: (-(area.land_share or 0.0), area.state, area.district))


def _senior_first(members: list[LegislatorRecord]) -> list[LegislatorRecord]:
    return sorted(members, key=lambda member: (member.state_rank != "senior", member.last_name))


@cache
def postal_zips() -> Mapping[str, PostalZip]:
    """Every ZIP the `zipcodes` package knows, PO boxes and military ones included.

    Loading the package costs seconds and about 90 MB, so `urge sync` copies this table
    into each release and workers read it from there.
    """
    return {
        entry["zip_code"]: PostalZip(entry["state"], entry["zip_code_type"])
        for entry in zipcodes.list_all()  # type: ignore[no-untyped-call]
    }


class IndexHolder:
    """Keeps one process's index, rebuilt when another release is activated, and its members
    rebuilt when organisers change a contact detail."""

    def __init__(self) -> None:
        self._official: LookupIndex | None = None  # the release as published
        self._index: LookupIndex | None = None  # the same, with organisers' details
        self._contacts = -1  # the overrides' version in _index
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def get(self) -> LookupIndex | None:
        if time.monotonic() - self._checked_at < settings.URGE_INDEX_RECHECK_SECONDS:
            return self._index
        with self._lock:
            self._refresh()
        return self._index

    def _refresh(self) -> None:
        active = DataRelease.objects.filter(is_active=True).only("id", "activated_at").first()
        contacts = overrides.version()
        self._checked_at = time.monotonic()
        if active is None:
            self._official = self._index = None
            return
        if self._official is None or self._official.release_id != active.pk:
            self._official, self._contacts = load_official_index(active.pk), -1
        if self._contacts != contacts or self._index is None:
            self._index = with_overrides(self._official, overrides.current())
            self._contacts = contacts

    def recheck(self) -> None:
        """Look for a new release or changed overrides on the next get(), keeping what is
        built (after an organiser's edit, so that their next page shows it)."""
        self._checked_at = float("-inf")

    def forget(self) -> None:
        self._official = self._index = None
        self._contacts = -1
        self._checked_at = float("-inf")


def load_index(release_id: int) -> LookupIndex:
    """A release's index with the organisers' contact details in place."""
    return with_overrides(load_official_index(release_id), overrides.current())


def with_overrides(index: LookupIndex, found: overrides.Overrides) -> LookupIndex:
    """The index with each member's organisers' details laid over the official ones; the
    ZIP data is shared, not rebuilt."""
    if not found:
        return index
    members = {
        member.bioguide: member for member in overrides.apply_all(index.members.values(), found)
    }
    return dataclasses.replace(
        index,
        senators={
            state: tuple(members[member.bioguide] for member in found_here)
            for state, found_here in index.senators.items()
        },
        house={seat: members[member.bioguide] for seat, member in index.house.items()},
        members=members,
    )


def load_official_index(release_id: int) -> LookupIndex:
    release = DataRelease.objects.get(pk=release_id)
    members = (
        record_from_row(row) for row in Legislator.objects.filter(release=release).iterator()
    )
    zips = (
        ZipDistrictRecord(zcta, state, district, share)
        for zcta, state, district, share in ZipDistrict.objects.filter(release=release)
        .values_list("zcta", "state", "district", "land_share")
        .iterator(chunk_size=5000)
    )
    postal = {
        zip_code: PostalZip(state, kind)
        for zip_code, state, kind in PostalZipRow.objects.filter(release=release)
        .values_list("zip_code", "state", "kind")
        .iterator(chunk_size=5000)
    }
    committees = {
        code: frozenset(str(member["bioguide"]) for member in members_json)
        for code, members_json in Committee.objects.filter(release=release).values_list(
            "code", "members"
        )
    }
    as_of = (release.activated_at or release.created_at).date()
    return LookupIndex.build(release.pk, as_of, members, zips, postal, committees)


def record_from_row(row: Legislator) -> LegislatorRecord:
    return LegislatorRecord(
        bioguide=row.bioguide,
        chamber="senate" if row.chamber == "senate" else "house",
        name=row.name,
        first_name=row.first_name,
        last_name=row.last_name,
        party=row.party,
        state=row.state,
        district=row.district,
        state_rank=row.state_rank,
        phone=row.phone,
        office_address=row.office_address,
        contact_form=row.contact_form,
        website=row.website,
        term_start=row.term_start,
        term_end=row.term_end,
        twitter=row.twitter,
        facebook=row.facebook,
        youtube=row.youtube,
        instagram=row.instagram,
        mastodon=row.mastodon,
        offices=tuple(Office(**office) for office in row.offices),
        flags=tuple(row.flags),
    )


index_holder = IndexHolder()


def warm() -> None:
    """Build the index as each server worker starts, before it takes a request, so that no
    supporter waits for it; a database that is not ready yet only delays that."""
    try:
        index_holder.get()
    except DatabaseError:
        logger.warning("Could not build the lookup index at start-up; workers will build it.")
    finally:
        # Start serving on fresh connections (and none carried into a fork).
        connections.close_all()
