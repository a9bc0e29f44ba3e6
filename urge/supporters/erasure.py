"""Erasing a supporter's personal data while keeping the anonymous fact that they signed up."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

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


def erase(supporter: Supporter) -> None:
    """Blank everything personal about one supporter and withdraw every consent they gave."""
    anonymise(Supporter.objects.filter(pk=supporter.pk))
    supporter.refresh_from_db()


def anonymise(supporters: QuerySet[Supporter]) -> int:
    """Erase the supporters not yet anonymised; returns how many were."""
    now = timezone.now()
    with transaction.atomic():
        chosen = supporters.filter(anonymised_at__isnull=True)
        rows = list(chosen.values_list("ref", "email_hash"))
        refs = [str(ref) for ref, _hash in rows]
        hashes = [address_hash for _ref, address_hash in rows if address_hash]
        Consent.objects.filter(supporter__in=chosen, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
        # A referral code came from the link the person followed, and may be theirs alone.
        Consent.objects.filter(supporter__in=chosen).update(referral="")
        _forget_queued_emails(refs, hashes)
        return chosen.update(anonymised_at=now, **BLANKED)


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
