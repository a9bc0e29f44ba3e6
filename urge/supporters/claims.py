"""What a confirmation email's key records: that the mail server took it (SentEmail), and
that a run of a task is sending it now (EmailClaim). urge/supporters/emails.py says why.

Each is committed at once, on its own, and without waiting for the disk: lost in a crash of
the machine, a record or a claim costs at most a second copy of an email, never a missing
one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from enum import Enum

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from urge.supporters.models import EmailClaim, SentEmail


class Claim(Enum):
    """What a run found when it claimed an email."""

    MINE = "mine"  # to send
    TAKEN_OVER = "taken over"  # to send, from a run whose lease ran out: it counted it
    HELD = "held"  # by another run, within its lease
    SENT = "sent"


def already_sent(keys: list[str]) -> set[str]:
    """The keys of those emails that went: a batch's first look, before its first email."""
    if not keys:
        return set()
    return set(SentEmail.objects.filter(key__in=keys).values_list("key", flat=True))


def lease() -> timedelta:
    return timedelta(seconds=settings.URGE_TASK_LEASE_SECONDS)


def claim_runs_out(key: str) -> datetime:
    """When the claim on `key` may be taken over: it runs out with the lease of the task
    (now, if it has gone meanwhile)."""
    claimed_at = EmailClaim.objects.filter(key=key).values_list("claimed_at", flat=True).first()
    return claimed_at + lease() if claimed_at else timezone.now()


def claimed(key: str, run: str) -> Claim:
    """Claim the email under `key` for `run`, committed before it is sent: a new claim, or
    one whose lease ran out (its worker died, or is too slow to be waited for). Then the
    record of what went is read again, for a run that recorded it since the batch began.
    No key (a direct call): nothing to claim. A claim taken over is TAKEN_OVER: the run that
    left it had counted the email against the address's allowance just after claiming it."""
    if not key:
        return Claim.MINE
    mine = Claim.MINE
    with not_waiting_for_the_disk(), transaction.atomic():
        if not _new_claim(key, run):
            ran_out = timezone.now() - lease()
            taken = EmailClaim.objects.filter(key=key, claimed_at__lt=ran_out).update(
                run=run, claimed_at=timezone.now()
            )
            if not taken:
                return Claim.HELD
            mine = Claim.TAKEN_OVER
        # Read after the claim is ours: a run that sent the email recorded it and dropped
        # its claim in one commit, so either its claim kept this one out or its record is
        # here to see.
        if SentEmail.objects.filter(key=key).exists():
            return Claim.SENT
    return mine


def _new_claim(key: str, run: str) -> bool:
    try:
        with transaction.atomic():
            EmailClaim.objects.create(key=key, run=run)
    except IntegrityError:
        return False
    return True


def release(key: str, run: str) -> None:
    """Drop this run's claim on an email it did not send, for a later try to take at once."""
    if key:
        with not_waiting_for_the_disk():
            EmailClaim.objects.filter(key=key, run=run).delete()


def record_sent(key: str, run: str) -> None:
    """Commit the record at once, on its own (the worker runs tasks outside any transaction),
    with the claim dropped in the same commit: the sooner it is down, the smaller the moment
    in which a killed worker leaves an email sent but not recorded. A run that overlapped
    this one and recorded it first is no error."""
    if key:
        with not_waiting_for_the_disk(), transaction.atomic():
            SentEmail.objects.bulk_create([SentEmail(key=key)], ignore_conflicts=True)
            EmailClaim.objects.filter(key=key, run=run).delete()


@contextlib.contextmanager
def not_waiting_for_the_disk() -> Iterator[None]:
    """The commit inside does not wait for the disk (fsync): it survives the worker being
    killed, and is lost only if the machine (or the database server) stops within a moment
    of it; then only a record goes, and an email may go twice, never missing. Everything
    else keeps the site's durability: on PostgreSQL, SET LOCAL ends with its transaction (a
    pooler never hands it on); on SQLite, the pragma is put back at once, and the next
    commit that waits for the disk takes this one with it (one WAL)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")
            yield
        return
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (level,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA synchronous = {int(level)}")
