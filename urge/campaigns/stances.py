"""Recording legislators' stances, from the dashboard or a campaign folder, each change kept.

Which wins when both say something: a stance recorded in the dashboard. `urge load` keeps it
and changes only the stances the folder recorded; `urge load --force` replaces every stance
with the folder's. Cosponsorships that `urge track` reads from Congress.gov (urge/bills) come
in between: they replace the folder's built-in stances, never one of the campaign's own kinds
(`stance_kinds` in campaign.yaml: the organisers chose it over the built-in one on purpose)
and never a dashboard one, and `urge load` keeps them, except where the folder gives that
legislator one of the campaign's own kinds. Each change, whoever made it, leaves a
StanceChange row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from urge.campaigns.folder_targets import StanceSpec
from urge.campaigns.models import Campaign, Stance, StanceChange
from urge.campaigns.stance_kinds import BUILT_IN


@dataclass(frozen=True)
class StanceValue:
    """What is recorded about one legislator: the stance, its source and its date."""

    stance: str
    source: str
    date: datetime.date | None

    @classmethod
    def of(cls, row: Stance | None) -> StanceValue:
        if row is None:
            return NONE
        return cls(row.stance, row.source, row.date)


NONE = StanceValue("", "", None)  # no stance recorded


def _log(
    campaign: Campaign,
    bioguide: str,
    old: StanceValue,
    new: StanceValue,
    via: str,
    user: User | None = None,
) -> StanceChange:
    return StanceChange.objects.create(
        campaign=campaign,
        bioguide=bioguide,
        user=user,
        via=via,
        old_stance=old.stance,
        old_source=old.source,
        old_date=old.date,
        new_stance=new.stance,
        new_source=new.source,
        new_date=new.date,
    )


@transaction.atomic
def record_stance(campaign: Campaign, bioguide: str, new: StanceValue, user: User) -> bool:
    """An organiser's record of one legislator's stance; False if it changes nothing.

    Saving the Stance row makes a new version of the campaign (urge/campaigns/signals.py), so
    the public pages show it within their cache time.
    """
    row = Stance.objects.select_for_update().filter(campaign=campaign, bioguide=bioguide).first()
    old = StanceValue.of(row)
    if old == new:
        return False
    _write(row or Stance(campaign=campaign, bioguide=bioguide), new, Stance.FROM_DASHBOARD)
    _log(campaign, bioguide, old, new, StanceChange.BY_DASHBOARD, user)
    return True


def load_folder_stances(campaign: Campaign, specs: Iterable[StanceSpec], force: bool) -> int:
    """Make the campaign's stances the folder's, except those recorded in the dashboard
    (all of them with `force`). Returns how many dashboard stances were kept."""
    wanted = {spec.bioguide: StanceValue(spec.stance, spec.source, spec.date) for spec in specs}
    via = StanceChange.BY_FORCED_LOAD if force else StanceChange.BY_LOAD
    kept = 0
    for row in campaign.stances.all():
        if row.origin == Stance.FROM_DASHBOARD and not force:
            kept += 1
            wanted.pop(row.bioguide, None)
            continue
        folder_says = wanted.get(row.bioguide, NONE).stance
        if row.origin == Stance.FROM_TRACKER and not force and not own_kind(folder_says):
            # The official record, refreshed daily; a withdrawal is the tracker's to remove.
            # A stance of the campaign's own kind replaces it, and the tracker keeps that.
            wanted.pop(row.bioguide, None)
            continue
        new = wanted.pop(row.bioguide, NONE)
        old = StanceValue.of(row)
        if new == NONE:
            row.delete()
        elif new != old or row.origin != Stance.FROM_FOLDER:
            _write(row, new, Stance.FROM_FOLDER)
        if new != old:
            _log(campaign, row.bioguide, old, new, via)
    for bioguide, new in wanted.items():
        _write(Stance(campaign=campaign, bioguide=bioguide), new, Stance.FROM_FOLDER)
        _log(campaign, bioguide, NONE, new, via)
    return kept


def own_kind(stance: str) -> bool:
    """Whether `stance` is one of the campaign's own kinds (campaign.yaml `stance_kinds`: a
    folder's stances are of those or built in, `urge load` checks), which the tracker leaves
    as the organisers wrote it."""
    return bool(stance) and stance not in BUILT_IN


def kinds_kept_in_use(slug: str, kinds: Iterable[str]) -> dict[str, list[str]]:
    """The stances `urge load` (without --force) would keep though their kind is neither
    built in nor among the folder's `kinds`, as {stance: [Bioguide IDs]}: the folder may not
    drop a kind the dashboard still records."""
    rows = (
        Stance.objects.filter(campaign__slug=slug)
        .exclude(origin=Stance.FROM_FOLDER)
        .exclude(stance__in=[*BUILT_IN, *kinds])
        .order_by("stance", "bioguide")
    )
    found: dict[str, list[str]] = {}
    for stance, bioguide in rows.values_list("stance", "bioguide"):
        found.setdefault(stance, []).append(bioguide)
    return found


@dataclass(frozen=True)
class TrackedCounts:
    """What one run of the tracker did to a campaign's stances."""

    created: int = 0
    changed: int = 0
    removed: int = 0
    kept: int = 0  # recorded in the dashboard, so left as the organisers wrote them
    own_kinds: int = 0  # of the campaign's own kinds, from its folder: left as they are


def record_tracked_stances(campaign: Campaign, wanted: Mapping[str, StanceValue]) -> TrackedCounts:
    """Make the tracker's stances those in `wanted` (bioguide -> cosponsor, source, date).

    A dashboard stance is never touched, nor a folder stance of one of the campaign's own
    kinds (a "leads the Senate bill" says more than "cosponsor"); any other folder stance
    gives way to the official record; a stance the tracker recorded before and no longer
    wants (a withdrawn cosponsorship, a legislator the campaign no longer targets) is
    removed. Run it inside a transaction.
    """
    created = changed = removed = kept = own_kinds = 0
    rows = {row.bioguide: row for row in campaign.stances.select_for_update()}
    for bioguide, row in rows.items():
        if row.origin == Stance.FROM_TRACKER and bioguide not in wanted:
            old = StanceValue.of(row)
            row.delete()
            _log(campaign, bioguide, old, NONE, StanceChange.BY_TRACKER)
            removed += 1
    for bioguide, new in sorted(wanted.items()):
        found = rows.get(bioguide)
        if found is not None and found.origin == Stance.FROM_DASHBOARD:
            kept += 1
            continue
        if found is not None and found.origin == Stance.FROM_FOLDER and own_kind(found.stance):
            own_kinds += 1
            continue
        old = StanceValue.of(found)
        if old == new and found is not None and found.origin == Stance.FROM_TRACKER:
            continue
        _write(found or Stance(campaign=campaign, bioguide=bioguide), new, Stance.FROM_TRACKER)
        if old != new:
            _log(campaign, bioguide, old, new, StanceChange.BY_TRACKER)
            created, changed = (created + 1, changed) if found is None else (created, changed + 1)
    return TrackedCounts(
        created=created, changed=changed, removed=removed, kept=kept, own_kinds=own_kinds
    )


def _write(row: Stance, new: StanceValue, origin: str) -> None:
    """Save `new` into `row`; saving makes a new version of the campaign."""
    if new.date is None:
        raise ValueError("a recorded stance has a date")
    row.stance, row.source, row.date, row.origin = new.stance, new.source, new.date, origin
    row.save()


def changes_for(campaign: Campaign) -> QuerySet[StanceChange]:
    """The campaign's stance history, newest first."""
    return campaign.stance_changes.select_related("user").order_by("-at", "-pk")
