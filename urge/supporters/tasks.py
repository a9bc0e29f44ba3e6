"""Background work for supporters, run by the queue worker (`urge db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_confirmation(ref: str) -> None:
    """Email the supporter named by `ref` a link that confirms their pending sign-up."""
    from urge.supporters.emails import send_confirmation_email

    send_confirmation_email(ref)


@task()
def send_confirmations(refs: list[str]) -> None:
    """The confirmation emails of sign-ups committed together. One that the mail server
    refuses is queued again on its own, so that its failure is recorded apart."""
    from urge.supporters.emails import ConfirmationNotSent, send_confirmation_email

    for ref in refs:
        try:
            send_confirmation_email(ref)
        except ConfirmationNotSent:
            send_confirmation.enqueue(ref)


@task()
def resend_if_waiting(campaign_id: int, address_hash: str) -> None:
    """Send the confirmation email again if the address (by its keyed hash) has a sign-up
    awaiting it. Decided here, not in the request, so the page takes the same time for an
    address that signed up as for one that did not."""
    from urge.supporters.emails import send_confirmation_email
    from urge.supporters.models import Supporter

    supporter = Supporter.objects.filter(
        campaign_id=campaign_id, email_hash=address_hash, pending_since__isnull=False
    ).first()
    if supporter is not None:
        send_confirmation_email(str(supporter.ref))
