"""Erasing a supporter's personal data while keeping the anonymous fact that they signed up.

Blanking the row is not enough: the database keeps old versions of it (SQLite's WAL and free
pages, PostgreSQL's dead rows and WAL, every backup). What makes those copies unreadable is
destroying the supporter's data key (urge/supporters/datakeys.py): taken out of use inside the
transaction that blanks the row (so that a sign-up of the same address, from then on, gets a
new key and never the erased one), destroyed once it commits, put back if it does not; the
laptop outbox's copies of their emails go at the same time. Should the process die in between,
`urge purge` finishes the job: it destroys keys taken aside and every key no supporter uses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from urge.core import outbox
from urge.supporters import datakeys, departures
from urge.supporters.models import Consent, Supporter

# What stays: the campaign, when they signed up and confirmed, and the page language, so
# that counts of sign-ups survive without saying anything about who signed up.
BLANKED = {
    "email": "",
    "first_name": "",
    "last_name": "",
    "zip_code": "",
    "phone": "",
    "pending": "",
    "email_hash": None,
    "pending_since": None,
}

# Data keys younger than this may belong to a sign-up still being written.
ORPHAN_AGE_SECONDS = 3600


def erase(supporter: Supporter) -> None:
    """Blank everything personal about one supporter and withdraw every consent they gave,
    as they asked: the co-hosts they agreed to hear from are told (see departures.py)."""
    anonymise(Supporter.objects.filter(pk=supporter.pk), requested=True)
    supporter.refresh_from_db()


def anonymise(supporters: QuerySet[Supporter], requested: bool = False) -> int:
    """Erase the supporters not yet anonymised; returns how many were.

    `requested`: the people asked for it, and each co-host is told. Urge's own purge of a
    closed campaign is not requested: it forgets Urge's copy, and nobody left a co-host's list.
    """
    now = timezone.now()
    with _keys_taken_aside() as aside, transaction.atomic():
        chosen = supporters.filter(anonymised_at__isnull=True)
        # Locked: a confirmation or a change of choices waits for the erasure, then finds
        # nothing to change.
        rows = list(chosen.select_for_update().values_list("ref", "campaign_id", "email_hash"))
        refs = [str(ref) for ref, _campaign, _hash in rows]
        hashes = [address_hash for _ref, _campaign, address_hash in rows if address_hash]
        if requested:
            departures.record_erasures(chosen.values_list("pk", flat=True), now)
        Consent.objects.filter(supporter__in=chosen, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        # A referral code came from the link the person followed, and may be theirs alone.
        Consent.objects.filter(supporter__in=chosen).update(referral="")
        _forget_queued_emails(refs, hashes)
        count = chosen.update(anonymised_at=now, **BLANKED)
        aside.extend(_doom_keys(rows))
    return count


def delete(supporters: QuerySet[Supporter]) -> int:
    """Delete these supporters' rows (unconfirmed sign-ups past their time), and their keys."""
    with _keys_taken_aside() as aside, transaction.atomic():
        rows = list(supporters.select_for_update().values_list("ref", "campaign_id", "email_hash"))
        supporters.delete()
        aside.extend(_doom_keys(rows))
    return len(rows)


def destroy_orphan_keys(dry_run: bool = False) -> int:
    """Destroy the data keys, older than an hour, of no supporter still holding data, and the
    keys an erasure took aside and never destroyed (its process died); returns how many.
    A key taken aside whose supporter still holds data (the erasure's transaction was rolled
    back by an outer one) is put back instead."""
    live = {
        datakeys.key_name(campaign_id, address_hash)
        for campaign_id, address_hash in Supporter.objects.filter(
            anonymised_at__isnull=True, email_hash__isnull=False
        ).values_list("campaign_id", "email_hash")
        if address_hash
    }
    orphans = [name for name in datakeys.names(ORPHAN_AGE_SECONDS) if name not in live]
    doomed = list(datakeys.doomed_files(ORPHAN_AGE_SECONDS))
    if dry_run:
        return len(orphans) + sum(1 for name, _path in doomed if name not in live)
    datakeys.restore(path for name, path in doomed if name in live)
    gone = datakeys.destroy_files(path for name, path in doomed if name not in live)
    return gone + datakeys.destroy(orphans)


@contextmanager
def _keys_taken_aside() -> Iterator[list[Path]]:
    """Collects the keys an erasure takes aside; puts them back if its transaction fails."""
    aside: list[Path] = []
    try:
        yield aside
    except BaseException:
        datakeys.restore(aside)
        raise


def _doom_keys(rows: Iterable[tuple[object, int, str | None]]) -> list[Path]:
    """Take the rows' keys out of use now; destroy them, and the outbox's copies of the
    emails to them, once the transaction commits."""
    hashes = [(campaign, address_hash) for _ref, campaign, address_hash in rows if address_hash]
    if not hashes:
        return []
    aside = datakeys.doom(
        datakeys.key_name(campaign, address_hash) for campaign, address_hash in hashes
    )

    def destroy() -> None:
        datakeys.destroy_files(aside)
        outbox.forget(address_hash for _campaign, address_hash in hashes)
        _checkpoint()

    transaction.on_commit(destroy)
    return aside


def _checkpoint() -> None:
    # Moves SQLite's WAL into the database file (where secure_delete has zeroed the old
    # row) and empties it. Only a help: with readers busy it may not finish, and the key's
    # destruction is what counts.
    if connection.vendor == "sqlite":
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _forget_queued_emails(refs: list[str], hashes: list[str]) -> None:
    # The email tasks would find nothing to send anyway; deleting them keeps no trace of the
    # ref, or of the address's keyed hash (blanked in the row), waiting in the queue.
    from urge.supporters.tasks import resend_if_waiting, send_confirmation

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    if refs:
        waiting.filter(
            task_path=send_confirmation.module_path, args_kwargs__args__0__in=refs
        ).delete()
    if hashes:
        waiting.filter(
            task_path=resend_if_waiting.module_path, args_kwargs__args__1__in=hashes
        ).delete()
