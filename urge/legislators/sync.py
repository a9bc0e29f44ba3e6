"""The work behind `urge sync`: read official data, compare it with the active release,
import it as a new release and activate it, or return to the previous one."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db import transaction
from django.utils import timezone

from urge.legislators.checks import validate
from urge.legislators.committees import parse_committees
from urge.legislators.download import SOURCES, DownloadFailed, ProgressCallback, download
from urge.legislators.index import PostalZip as PostalZipRecord
from urge.legislators.index import postal_zips, record_from_row
from urge.legislators.models import Committee, DataRelease, Legislator, PostalZip, ZipDistrict
from urge.legislators.records import (
    CommitteeRecord,
    Finding,
    LegislatorRecord,
    MembershipRecord,
    ZipDistrictRecord,
)
from urge.legislators.sources import parse_legislators
from urge.legislators.zipfiles import parse_census_relationship, parse_zccd_csv

# Releases kept besides the active one, for `urge sync --rollback`.
KEEP_INACTIVE = 2
CENSUS_ZIP_FILE = "tab20_cd11920_zcta520_natl.txt"
CSV_ZIP_FILE = "zccd.csv"
BATCH = 2000

Say = Callable[[str], None]
T = TypeVar("T")


class SyncError(Exception):
    """The data could not be read or the release could not be changed; nothing was written."""


@dataclass(frozen=True)
class Snapshot:
    source: str
    legislators: tuple[LegislatorRecord, ...]
    zips: tuple[ZipDistrictRecord, ...]
    committees: tuple[CommitteeRecord, ...]
    memberships: tuple[MembershipRecord, ...]
    findings: tuple[Finding, ...]
    postal: Mapping[str, PostalZipRecord]


@dataclass
class Plan:
    active: DataRelease | None
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    zips_added: int = 0
    zips_removed: int = 0
    zips_total: int = 0


def _find(folder: Path, name: str) -> Path | None:
    """A data file in the folder itself or one level down (the layout of URGE_DATA_DIR)."""
    for candidate in (folder / name, *sorted(folder.glob(f"*/{name}"))):
        if candidate.is_file():
            return candidate
    return None


def _read_structured(folder: Path, stem: str, say: Say) -> Any:
    for suffix in (".json", ".yaml"):
        path = _find(folder, stem + suffix)
        if path is None:
            continue
        say(f"  reading {path}")
        try:
            text = path.read_text(encoding="utf-8")
            if suffix == ".json":
                return json.loads(text)
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as error:
            raise SyncError(f"{path} could not be read: {error}") from None
    return None


def read_snapshot(
    folder: Path, say: Say, postal: Mapping[str, PostalZipRecord] | None = None
) -> Snapshot:
    if not folder.is_dir():
        raise SyncError(f"{folder} is not a folder.")
    current = _read_structured(folder, "legislators-current", say)
    if current is None:
        raise SyncError(f"No legislators-current.json or .yaml in {folder}.")
    social = _read_structured(folder, "legislators-social-media", say) or []
    offices = _read_structured(folder, "legislators-district-offices", say) or []
    parsed = _safely(lambda: parse_legislators(current, social, offices))
    zips, zip_findings = _read_zips(folder, say)
    committees, memberships, committee_findings = _safely(
        lambda: parse_committees(
            _read_structured(folder, "committees-current", say) or [],
            _read_structured(folder, "committee-membership-current", say) or {},
        )
    )
    findings = (
        *parsed.findings,
        *zip_findings,
        *committee_findings,
        *validate(parsed.legislators, zips),
    )
    return Snapshot(
        source=str(folder),
        legislators=parsed.legislators,
        zips=zips,
        committees=committees,
        memberships=memberships,
        findings=tuple(findings),
        postal=postal_zips() if postal is None else postal,
    )


def _safely(parse: Callable[[], T]) -> T:
    try:
        return parse()
    except Exception as error:  # a shape the parser did not expect: report, change nothing
        raise SyncError(
            f"The data has an unexpected shape ({type(error).__name__}: {error})."
        ) from error


def _read_zips(folder: Path, say: Say) -> tuple[tuple[ZipDistrictRecord, ...], tuple[Finding, ...]]:
    census = _find(folder, CENSUS_ZIP_FILE)
    csv = _find(folder, CSV_ZIP_FILE)
    path = census or csv
    if path is None:
        raise SyncError(f"No ZIP-district file ({CENSUS_ZIP_FILE} or {CSV_ZIP_FILE}) in {folder}.")
    say(f"  reading {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SyncError(f"{path} could not be read: {error}") from None
    parse = parse_census_relationship if path == census else parse_zccd_csv
    zips, findings = _safely(lambda: parse(text))
    if not zips:
        raise SyncError(f"{path} holds no ZIP-district rows.")
    return zips, findings


def active_release() -> DataRelease | None:
    return DataRelease.objects.filter(is_active=True).first()


def plan_release(snapshot: Snapshot) -> Plan:
    active = active_release()
    plan = Plan(active=active, zips_total=len(snapshot.zips))
    before: dict[str, LegislatorRecord] = {}
    old_zips: set[tuple[str, str, int]] = set()
    if active is not None:
        before = {
            row.bioguide: record_from_row(row)
            for row in Legislator.objects.filter(release=active).iterator()
        }
        old_zips = set(
            ZipDistrict.objects.filter(release=active)
            .values_list("zcta", "state", "district")
            .iterator(chunk_size=5000)
        )
    for member in snapshot.legislators:
        label = f"{member.bioguide} {member.name}"
        old = before.pop(member.bioguide, None)
        if old is None:
            plan.created.append(label)
        elif old != member:
            plan.updated.append(label)
        else:
            plan.unchanged.append(label)
    plan.retired = [f"{member.bioguide} {member.name}" for member in before.values()]
    new_zips = {(row.zcta, row.state, row.district) for row in snapshot.zips}
    plan.zips_added = len(new_zips - old_zips)
    plan.zips_removed = len(old_zips - new_zips)
    return plan


@transaction.atomic
def commit_release(snapshot: Snapshot, say: Say) -> DataRelease:
    """Import the snapshot as a new release, then make it the active one."""
    release = DataRelease.objects.create(
        source=snapshot.source,
        counts={
            "legislators": len(snapshot.legislators),
            "senators": sum(1 for m in snapshot.legislators if m.chamber == "senate"),
            "zip_districts": len(snapshot.zips),
            "zctas": len({row.zcta for row in snapshot.zips}),
            "committees": len(snapshot.committees),
            "postal_zips": len(snapshot.postal),
        },
        report=[_finding_json(finding) for finding in snapshot.findings],
    )
    say(f"  importing {len(snapshot.legislators)} legislators")
    Legislator.objects.bulk_create(
        (_legislator_row(release, member) for member in snapshot.legislators), batch_size=BATCH
    )
    _import_zips(release, snapshot.zips, say)
    say("  importing the Postal Service's ZIP codes")
    PostalZip.objects.bulk_create(
        (
            PostalZip(release=release, zip_code=zip_code, state=postal.state, kind=postal.kind)
            for zip_code, postal in snapshot.postal.items()
        ),
        batch_size=BATCH,
    )
    say(f"  importing {len(snapshot.committees)} committees")
    Committee.objects.bulk_create(_committee_rows(release, snapshot), batch_size=BATCH)
    _activate(release)
    _prune()
    return release


def _import_zips(release: DataRelease, zips: tuple[ZipDistrictRecord, ...], say: Say) -> None:
    for start in range(0, len(zips), BATCH * 5):
        chunk = zips[start : start + BATCH * 5]
        ZipDistrict.objects.bulk_create(
            (
                ZipDistrict(
                    release=release,
                    zcta=row.zcta,
                    state=row.state,
                    district=row.district,
                    land_share=row.land_share,
                )
                for row in chunk
            ),
            batch_size=BATCH,
        )
        say(f"  importing ZIP districts: {start + len(chunk):,} of {len(zips):,}")


def _activate(release: DataRelease) -> None:
    DataRelease.objects.filter(is_active=True).exclude(pk=release.pk).update(is_active=False)
    release.is_active = True
    release.activated_at = timezone.now()
    release.save(update_fields=["is_active", "activated_at"])


def _prune() -> None:
    inactive = DataRelease.objects.filter(is_active=False).order_by("-id")
    for old in inactive[KEEP_INACTIVE:]:
        old.delete()


@transaction.atomic
def rollback_release() -> tuple[DataRelease, DataRelease]:
    """Return to the newest release before the active one: (now active, no longer active)."""
    active = DataRelease.objects.select_for_update().filter(is_active=True).first()
    if active is None:
        raise SyncError("No release is active, so there is nothing to roll back.")
    previous = DataRelease.objects.filter(pk__lt=active.pk).order_by("-id").first()
    if previous is None:
        raise SyncError(f"Release {active} is the only one kept; there is none to return to.")
    _activate(previous)
    return previous, active


def _finding_json(finding: Finding) -> dict[str, str]:
    return {"kind": finding.kind, "subject": finding.subject, "message": finding.message}


def _legislator_row(release: DataRelease, member: LegislatorRecord) -> Legislator:
    return Legislator(
        release=release,
        bioguide=member.bioguide,
        chamber=member.chamber,
        name=member.name,
        first_name=member.first_name,
        last_name=member.last_name,
        party=member.party,
        state=member.state,
        district=member.district,
        state_rank=member.state_rank,
        phone=member.phone,
        office_address=member.office_address,
        contact_form=member.contact_form,
        website=member.website,
        term_start=member.term_start,
        term_end=member.term_end,
        twitter=member.twitter,
        facebook=member.facebook,
        youtube=member.youtube,
        instagram=member.instagram,
        mastodon=member.mastodon,
        offices=[
            {"city": office.city, "address": office.address, "phone": office.phone}
            for office in member.offices
        ],
        flags=list(member.flags),
    )


def _committee_rows(release: DataRelease, snapshot: Snapshot) -> list[Committee]:
    members: dict[str, list[dict[str, object]]] = {}
    for membership in snapshot.memberships:
        members.setdefault(membership.committee_code, []).append(
            {"bioguide": membership.bioguide, "rank": membership.rank, "title": membership.title}
        )
    return [
        Committee(
            release=release,
            code=committee.code,
            name=committee.name,
            chamber=committee.chamber,
            parent_code=committee.parent_code or "",
            members=members.get(committee.code, []),
        )
        for committee in snapshot.committees
    ]


def fetch_online(
    cache_dir: Path,
    progress: ProgressCallback | None,
    say: Say,
    sources: dict[str, str] = SOURCES,
) -> Path:
    """Download every source into `cache_dir` (only what changed upstream); raise on failure."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    for name, url in sources.items():
        try:
            fetched = download(url, cache_dir, progress=progress)
        except DownloadFailed as error:
            raise SyncError(str(error)) from None
        say(f"  {name}: {'downloaded' if fetched.changed else 'not modified upstream'}")
    return cache_dir
