"""Background work for supporters, run by the queue worker (`urge db_worker`)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

# Minutes before each further try of a confirmation email the mail server did not take
# (it did not answer, or said "try later"): a restart is over by the first, most outages by
# the last. After them, or at once for a final refusal, the task is left failed, and the
# organiser's dashboard counts it (urge/dashboard/queries.py).
RETRY_MINUTES = (1, 5, 30, 120)
TRIES = len(RETRY_MINUTES) + 1


@task()
def send_confirmation(ref: str, attempt: int = 1) -> None:
    """Email the supporter named by `ref` a link that confirms their pending sign-up; if the
    mail server does not take it, try again later, up to TRIES times in all."""
    from urge.supporters.emails import ConfirmationNotSent, send_confirmation_email

    try:
        # Only the first try counts against the address's allowance of emails: the
        # retries are of one email.
        send_confirmation_email(ref, counted=attempt == 1)
    except ConfirmationNotSent as error:
        if not error.transient or attempt >= TRIES:
            raise  # left failed: the count of emails that never went
        try_again_later(ref, attempt)


def try_again_later(ref: str, attempt: int) -> None:
    """Queue try `attempt + 1` of the email, after the pause that follows try `attempt`."""
    run_after = timezone.now() + timedelta(minutes=RETRY_MINUTES[attempt - 1])
    send_confirmation.using(run_after=run_after).enqueue(ref, attempt + 1)


@task()
def send_confirmations(refs: list[str]) -> None:
    """The confirmation emails of sign-ups committed together. One that the mail server
    does not take is queued again on its own, so that its failure is recorded apart: later,
    if the server may take it then, else at once."""
    from urge.supporters.emails import ConfirmationNotSent, send_confirmation_email

    for ref in refs:
        try:
            send_confirmation_email(ref)
        except ConfirmationNotSent as error:
            if error.transient:
                try_again_later(ref, 1)
            else:
                send_confirmation.enqueue(ref)


@task()
def resend_if_waiting(campaign_id: int, address_hash: str) -> None:
    """Send the confirmation email again if the address (by its keyed hash) has a sign-up
    awaiting it. Decided here, not in the request, so the page takes the same time for an
    address that signed up as for one that did not."""
    from urge.supporters.emails import ConfirmationNotSent, send_confirmation_email
    from urge.supporters.models import Supporter

    supporter = Supporter.objects.filter(
        campaign_id=campaign_id, email_hash=address_hash, pending_since__isnull=False
    ).first()
    if supporter is None:
        return
    try:
        send_confirmation_email(str(supporter.ref))
    except ConfirmationNotSent as error:
        if not error.transient:
            raise
        try_again_later(str(supporter.ref), 1)
