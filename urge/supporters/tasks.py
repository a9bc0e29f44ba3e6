"""Background work for supporters, run by the queue worker (`urge db_worker`).

Confirmation emails are queued in batches of at most BATCH, each sent over one connection to
the mail server (urge/supporters/emails.py), so that several workers share a large group
commit's emails and none holds a task for long. Every email is named by a key made from the
id of the task that first asked for it; its retries carry that id along. The key records the
email once the server takes it, so a task run again after its worker died (urge/core/lease.py)
or handed on by a batch that ran out of time sends nothing twice; and each email is claimed
under it just before it is sent, so two runs of one task at once (a lease that ran out while
its worker was alive but slow) do not both send it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django_tasks import TaskContext, task

# Emails per task: each batch goes over one SMTP connection, and a large group commit is
# shared out between the workers, a batch each.
BATCH = 50

# Minutes before each further try of a confirmation email the mail server did not take
# (it did not answer, or said "try later"): a restart is over by the first, most outages by
# the last. After them, or at once for a final refusal, the task is left failed, and the
# organiser's dashboard counts it (urge/dashboard/queries.py).
RETRY_MINUTES = (1, 5, 30, 120)
TRIES = len(RETRY_MINUTES) + 1


def queue_confirmations(refs: Sequence[str]) -> None:
    """Queue the confirmation emails of sign-ups committed together: a task of its own for a
    single one (erasure can find and delete it by its ref), else batches of at most BATCH."""
    if len(refs) == 1:
        send_confirmation.enqueue(refs[0])
        return
    for start in range(0, len(refs), BATCH):
        send_confirmations.enqueue(list(refs[start : start + BATCH]))


@task(takes_context=True)
def send_confirmation(
    context: TaskContext, ref: str, attempt: int = 1, origin: str = "", counted: bool = False
) -> None:
    """Email the supporter named by `ref` a link that confirms their pending sign-up; if the
    mail server does not take it, try again later, up to TRIES times in all. `origin`: the
    task that first asked for this email (this one, when empty). `counted`: the email was
    counted against the address's allowance already, by the run that claimed it (tasks
    queued before there was this argument have none, and count as they always did)."""
    from urge.supporters.emails import (
        ClaimedElsewhere,
        ConfirmationNotSent,
        send_confirmation_email,
        sent_key,
    )

    origin = origin or str(context.task_result.id)
    try:
        # Only the first try counts against the address's allowance of emails, once: the
        # retries are of one email, and so is a look again at one another run claimed.
        send_confirmation_email(
            ref, counted=first_count(attempt, counted), key=sent_key(origin, ref)
        )
    except ClaimedElsewhere as claimed:
        look_again_at(claimed.until, ref, attempt, origin)
    except ConfirmationNotSent as error:
        if not error.transient or attempt >= TRIES:
            raise  # left failed: the count of emails that never went
        try_again_later(ref, attempt, origin)


def first_count(attempt: int, counted: bool) -> bool:
    """Whether this run counts the email against the address's allowance: its first try,
    unless a run before this one counted it."""
    return attempt == 1 and not counted


def look_again_at(when: datetime, ref: str, attempt: int, origin: str) -> None:
    """Another run of this task claimed the email and may be sending it now (the lease ran
    out while its worker was slow): look again `when` that claim runs out. Sent by then, it
    is skipped; left by a worker that died, it goes, and is not counted again: the run that
    claimed it counted it (the claim comes first, the count next, then the email)."""
    send_confirmation.using(run_after=when).enqueue(ref, attempt, origin, counted=True)


def try_again_later(ref: str, attempt: int, origin: str) -> None:
    """Queue try `attempt + 1` of the email, after the pause that follows try `attempt`."""
    send_confirmation.using(run_after=after_try(attempt)).enqueue(ref, attempt + 1, origin)


def after_try(attempt: int) -> datetime:
    return timezone.now() + timedelta(minutes=RETRY_MINUTES[attempt - 1])


@task(takes_context=True)
def send_confirmations(
    context: TaskContext,
    refs: list[str],
    attempt: int = 1,
    origin: str = "",
    counted: bool = False,
) -> None:
    """The confirmation emails of sign-ups committed together, over one connection. Those the
    mail server may take later are tried again together, later; one it refuses for good (or
    after the last try) is queued again on its own, so that its failure is recorded apart.
    What is not begun within half the lease is handed on at once to another task; what
    another run of this task has claimed is looked at again once that claim could have run
    out; `counted` as for send_confirmation."""
    from urge.supporters.emails import Queued, send_confirmation_emails, sent_key

    origin = origin or str(context.task_result.id)
    until = time.monotonic() + settings.URGE_TASK_LEASE_SECONDS / 2
    emails = [Queued(ref, sent_key(origin, ref)) for ref in refs]
    try:
        unsent = send_confirmation_emails(
            emails, counted=first_count(attempt, counted), until=until
        )
    except DatabaseError:
        # The database failed mid-batch (a restart, a lock held too long). Left failed, the
        # batch's other emails would never go: it is tried again whole, later, and what went
        # is skipped by its record. (Were the database still down, this fails too, and the
        # task is left failed, or left running for the lease to put back.)
        if attempt >= TRIES:
            raise
        send_confirmations.using(run_after=after_try(attempt)).enqueue(refs, attempt + 1, origin)
        return
    untried = [u.ref for u in unsent if u.error is None and u.held_until is None]
    held = [u for u in unsent if u.held_until is not None]
    later = [u.ref for u in unsent if u.error is not None and u.error.transient]
    refused = [u.ref for u in unsent if u.error is not None and not u.error.transient]
    if untried:
        send_confirmations.enqueue(untried, attempt, origin, counted=counted)
    if held:
        # Looked at again together, when the last of their claims runs out; not counted
        # again, as the run that claimed each counted it.
        when = max(u.held_until for u in held if u.held_until is not None)
        held_refs = [u.ref for u in held]
        send_confirmations.using(run_after=when).enqueue(held_refs, attempt, origin, counted=True)
    if later and attempt < TRIES:
        send_confirmations.using(run_after=after_try(attempt)).enqueue(later, attempt + 1, origin)
    else:
        refused += later
    for ref in refused:
        # Its last try, on its own: if the server refuses it again, that task is left
        # failed, and the dashboard counts it.
        send_confirmation.enqueue(ref, TRIES, origin)


@task(takes_context=True)
def resend_if_waiting(context: TaskContext, campaign_id: int, address_hash: str) -> None:
    """Send the confirmation email again if the address (by its keyed hash) has a sign-up
    awaiting it. Decided here, not in the request, so the page takes the same time for an
    address that signed up as for one that did not."""
    from urge.supporters.emails import (
        ClaimedElsewhere,
        ConfirmationNotSent,
        send_confirmation_email,
        sent_key,
    )
    from urge.supporters.models import Supporter

    supporter = Supporter.objects.filter(
        campaign_id=campaign_id, email_hash=address_hash, pending_since__isnull=False
    ).first()
    if supporter is None:
        return
    ref, origin = str(supporter.ref), str(context.task_result.id)
    try:
        send_confirmation_email(ref, key=sent_key(origin, ref))
    except ClaimedElsewhere as claimed:
        look_again_at(claimed.until, ref, 1, origin)
    except ConfirmationNotSent as error:
        if not error.transient:
            raise
        try_again_later(ref, 1, origin)
