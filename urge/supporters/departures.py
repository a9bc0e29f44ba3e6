"""Recording that a supporter left a co-host's list, or erased themselves.

A co-host that copied someone into its own mailing list keeps emailing them after they leave
unless it is told. Each departure is kept as a row of its own, written in the transaction
that withdraws the consent or erases the person, so that a co-host's suppression file
(urge/dashboard/handoff.py) finds everyone who left since a given moment. The row names the
supporter row and the co-host, never anything personal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from urge.supporters.models import Consent, Departure


def record_withdrawals(supporter_id: int, cohost_ids: Iterable[int], at: datetime) -> None:
    """The supporter left these co-hosts' lists at `at`."""
    _record(((supporter_id, cohost_id) for cohost_id in set(cohost_ids)), Departure.WITHDREW, at)


def record_erasures(supporter_ids: Iterable[int], at: datetime) -> None:
    """These supporters asked to be erased: every co-host they ever agreed to hear from is
    told, those whose list they had already left too, since a co-host may still keep them
    (unsubscribed) in its own list."""
    pairs = (
        Consent.objects.filter(supporter_id__in=list(supporter_ids))
        .values_list("supporter_id", "cohost_id")
        .distinct()
    )
    _record(pairs, Departure.ERASED, at)


def _record(pairs: Iterable[tuple[int, int]], kind: str, at: datetime) -> None:
    Departure.objects.bulk_create(
        Departure(supporter_id=supporter_id, cohost_id=cohost_id, kind=kind, at=at)
        for supporter_id, cohost_id in pairs
    )
