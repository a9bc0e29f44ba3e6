"""Background work for supporters, run by the queue worker (`urge db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_confirmation(ref: str) -> None:
    """Email the supporter named by `ref` a link that confirms their pending sign-up."""
    from urge.supporters.emails import send_confirmation_email

    send_confirmation_email(ref)
