"""Handing a co-host its supporters, and the people who left it, for its own mailing list.

A co-host copies its supporters into its own CRM (Action Network, say) and emails them from
there, so Urge must tell it who is new and who has left, or it keeps writing to people who
withdrew. Three files, all about this co-host's consents alone:

- the export: everyone who may be contacted now;
- the changes: only those whose consent to this co-host, or whose details, were confirmed
  since the co-host's last export (a new sign-up, a sign-up sent again and confirmed, or
  someone who left and came back);
- the suppression file: everyone who left this co-host's list or erased themselves since a
  day the co-host picks (by default, since its last suppression file). A person who left
  appears with their email address, which Urge still holds for the co-hosts they stayed
  with; an erased person, whose address is gone with their key, appears with the `urge_id`
  the co-host got in its exports. Only people the co-host could have received are in it: a
  look at its supporters' details (an export or the list) happened while their consent
  stood. Whoever left before the co-host ever looked gives it nothing new to forget.

Times are kept per co-host (HandOff) and move only when a file is made and sent. A file
starts a minute before the kept time: a consent stamped just before an export began may
commit just after it, and must not fall between two files. A person in two files is harmless
to a CRM, which updates by email address; a person in neither is the failure to avoid.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from urge.campaigns.models import CoHost
from urge.dashboard.export import member_id, safe_cell, table_lines
from urge.dashboard.models import AuditEntry, HandOff
from urge.dashboard.queries import exportable
from urge.supporters.datakeys import DataKeyGone
from urge.supporters.models import Consent, Departure, Supporter

# How long a transaction may take between stamping a time and committing it.
LATE_COMMIT = timedelta(minutes=1)
# How long reading a big export may take between its rows and its audit entry's time.
SLOW_EXPORT = timedelta(minutes=10)

SUPPRESSION_HEADER = ["email", "urge_id", "reason", "left_on"]


def kept(cohost: CoHost) -> HandOff:
    """The co-host's kept times; an unsaved, empty one before its first download."""
    return HandOff.objects.filter(cohost=cohost).first() or HandOff(cohost=cohost)


def advance(cohost: CoHost, field: str, started: datetime) -> None:
    """Keep `started` (when the file's rows began to be read) as the co-host's time for
    `field`, unless a download that began later has already kept its own."""
    with transaction.atomic():
        row, _created = HandOff.objects.select_for_update().get_or_create(cohost=cohost)
        if getattr(row, field) is None or getattr(row, field) < started:
            setattr(row, field, started)
            row.save(update_fields=[field])


def starting_from(moment: datetime | None) -> datetime | None:
    """Where a file that follows a download made at `moment` begins (None: the beginning)."""
    return None if moment is None else moment - LATE_COMMIT


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def changed_since(cohost: CoHost, since: datetime | None) -> QuerySet[Supporter]:
    """Who may be contacted now and is new or changed since `since` (everyone if None)."""
    people = exportable(cohost)
    if since is None:
        return people
    return people.filter(Q(consent_confirmed_at__gte=since) | Q(updated_at__gte=since))


@dataclass(frozen=True)
class Leaver:
    """One line of the suppression file, before the address is read."""

    supporter_id: int
    kind: str  # Departure.WITHDREW or Departure.ERASED
    at: datetime


def leavers(cohost: CoHost, since: datetime | None) -> list[Leaver]:
    """Whoever left this co-host's list or erased themselves since `since`, once each, and
    is neither back on the list nor someone the co-host could never have received."""
    departures = _departures(cohost, since)
    latest: dict[int, Leaver] = {}
    for supporter_id, kind, at in departures.order_by("at", "pk").values_list(
        "supporter_id", "kind", "at"
    ):
        erased = kind == Departure.ERASED or _was_erased(latest.get(supporter_id))
        latest[supporter_id] = Leaver(supporter_id, Departure.ERASED if erased else kind, at)
    who = departures.values("supporter_id")  # a subquery: any number of people
    keep = _could_have_received(cohost, who) - _back_on_the_list(cohost, who)
    return [leaver for leaver in latest.values() if leaver.supporter_id in keep]


def _departures(cohost: CoHost, since: datetime | None) -> QuerySet[Departure]:
    found = Departure.objects.filter(cohost=cohost)
    return found if since is None else found.filter(at__gte=since)


def _was_erased(leaver: Leaver | None) -> bool:
    return leaver is not None and leaver.kind == Departure.ERASED


def _back_on_the_list(cohost: CoHost, who: QuerySet[Departure, Any]) -> set[int]:
    """Those who have since agreed again: telling the CRM to unsubscribe them would undo it."""
    return set(
        Consent.objects.filter(
            cohost=cohost,
            withdrawn_at__isnull=True,
            supporter_id__in=who,
            supporter__anonymised_at__isnull=True,
        ).values_list("supporter_id", flat=True)
    )


def _could_have_received(cohost: CoHost, who: QuerySet[Departure, Any]) -> set[int]:
    """Those whose consent to this co-host stood when its staff downloaded a file of people
    (an export or the changes): what a co-host's list can hold. A page of the list on screen
    does not count, or one look at page 1 of 5,000 would hand the co-host, in a suppression
    file, the address of someone on page 80 who then left it."""
    looks = sorted(
        AuditEntry.objects.filter(cohost=cohost, what__in=AuditEntry.HANDED_OFF).values_list(
            "at", flat=True
        )
    )
    windows = Consent.objects.filter(cohost=cohost, supporter_id__in=who)
    received = set()
    for supporter_id, confirmed_at, withdrawn_at in windows.values_list(
        "supporter_id", "confirmed_at", "withdrawn_at"
    ):
        first_look = bisect_left(looks, confirmed_at)
        ended = None if withdrawn_at is None else withdrawn_at + SLOW_EXPORT
        if first_look < len(looks) and (ended is None or looks[first_look] <= ended):
            received.add(supporter_id)
    return received


def suppression_rows(cohost: CoHost, since: datetime | None) -> list[list[str]]:
    """The suppression file's rows, oldest departure first: each address read if Urge still
    has it, the co-host's id for the person always."""
    people = leavers(cohost, since)
    departed = Supporter.objects.filter(pk__in=_departures(cohost, since).values("supporter_id"))
    refs = dict(departed.values_list("pk", "ref"))
    addresses = _addresses(departed, {p.supporter_id for p in people if p.kind != Departure.ERASED})
    ordered = sorted(people, key=lambda leaver: (leaver.at, leaver.supporter_id))
    return [
        [
            safe_cell(addresses.get(leaver.supporter_id, "")),
            member_id(cohost, refs[leaver.supporter_id]),
            leaver.kind,
            leaver.at.astimezone(UTC).date().isoformat(),
        ]
        for leaver in ordered
    ]


def _addresses(departed: QuerySet[Supporter], wanted: set[int]) -> dict[int, str]:
    """The email addresses Urge still holds of the people `wanted`, who left a list: not of
    those anonymised since by Urge's own purge of a closed campaign, whose addresses are gone."""
    held = departed.filter(anonymised_at__isnull=True)
    try:
        return {pk: email for pk, email in held.values_list("pk", "email") if pk in wanted}
    except DataKeyGone:  # one person's key is gone: read them one by one, and skip that one
        return {pk: _address(held, pk) for pk in wanted}


def _address(held: QuerySet[Supporter], supporter_id: int) -> str:
    try:
        return str(held.filter(pk=supporter_id).values_list("email", flat=True).first() or "")
    except DataKeyGone:
        return ""


def suppression_lines(cohost: CoHost, since: datetime | None) -> Iterator[str]:
    """The suppression file, as CSV lines."""
    return table_lines(SUPPRESSION_HEADER, suppression_rows(cohost, since))
