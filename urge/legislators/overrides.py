"""Organisers' contact details for legislators, laid over the official data when it is read.

Why on read rather than written into each release: `urge sync` replaces every Legislator
row with each release, and `--rollback` returns to an older one. Keeping the overrides in a
table of their own, keyed by Bioguide ID, means no sync or rollback can lose them or bring
back an older version of them; the official values stay as published, so the sync's
comparison of releases is not disturbed by organisers' edits and its report can show where
upstream has caught up. The lookup index applies them as it is built, and rebuilds its
members (not its ZIP data) when ContactChange shows an edit (urge/legislators/index.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User
from django.db import transaction

from urge.legislators.handles import ATTRIBUTES, clean
from urge.legislators.models import ContactChange, ContactOverride
from urge.legislators.records import LegislatorRecord

Outcome = Literal["created", "updated", "unchanged", "removed"]
Overrides = Mapping[str, Mapping[str, str]]  # Bioguide ID -> detail -> value


@dataclass(frozen=True)
class Entry:
    """One detail for one legislator, with where it was found and when."""

    bioguide: str
    field: str
    value: str
    source: str
    checked_on: datetime.date


def current() -> dict[str, dict[str, str]]:
    """Every override, by Bioguide ID then detail."""
    found: dict[str, dict[str, str]] = {}
    for bioguide, field, value in ContactOverride.objects.values_list("bioguide", "field", "value"):
        found.setdefault(bioguide, {})[field] = value
    return found


def version() -> int:
    """Moves on with every change to the overrides, from any process or host."""
    latest = ContactChange.objects.order_by("-id").values_list("id", flat=True).first()
    return latest or 0


def applied(member: LegislatorRecord, details: Mapping[str, str]) -> LegislatorRecord:
    """The member with the organisers' details in place of the official ones."""
    changes: dict[str, Any] = {
        ATTRIBUTES[field]: value for field, value in details.items() if field in ATTRIBUTES
    }
    return dataclasses.replace(member, **changes) if changes else member


def apply_all(members: Iterable[LegislatorRecord], overrides: Overrides) -> list[LegislatorRecord]:
    return [applied(member, overrides.get(member.bioguide, {})) for member in members]


@transaction.atomic
def save(entry: Entry, by: User | None, via: str) -> Outcome:
    """Add or change one override (its value checked again here), recording the change."""
    value = clean(entry.field, entry.value)
    row = (
        ContactOverride.objects.select_for_update()
        .filter(bioguide=entry.bioguide, field=entry.field)
        .first()
    )
    if row is not None and (row.value, row.source, row.checked_on) == (
        value,
        entry.source,
        entry.checked_on,
    ):
        return "unchanged"
    old_value = row.value if row is not None else ""
    if row is None:
        row = ContactOverride(bioguide=entry.bioguide, field=entry.field)
    row.value, row.source, row.checked_on = value, entry.source, entry.checked_on
    row.changed_by = by
    row.save()
    _record(entry.bioguide, entry.field, old_value, value, entry.source, entry.checked_on, by, via)
    return "updated" if old_value else "created"


@transaction.atomic
def remove(bioguide: str, field: str, by: User | None, via: str) -> Outcome:
    """Drop one override, so the official value (if any) shows again."""
    row = ContactOverride.objects.select_for_update().filter(bioguide=bioguide, field=field).first()
    if row is None:
        return "unchanged"
    row.delete()
    _record(bioguide, field, row.value, "", "", None, by, via)
    return "removed"


def _record(
    bioguide: str,
    field: str,
    old_value: str,
    new_value: str,
    source: str,
    checked_on: datetime.date | None,
    by: User | None,
    via: str,
) -> None:
    ContactChange.objects.create(
        bioguide=bioguide,
        field=field,
        old_value=old_value,
        new_value=new_value,
        source=source,
        checked_on=checked_on,
        by=by,
        via=via,
    )


def overrides_of(bioguide: str) -> dict[str, ContactOverride]:
    return {row.field: row for row in ContactOverride.objects.filter(bioguide=bioguide)}


def changes_of(bioguide: str, most: int = 50) -> list[ContactChange]:
    return list(ContactChange.objects.filter(bioguide=bioguide).select_related("by")[:most])
