"""A role given, changed or taken away goes into the staff accounts' event log; every change
made in the admin into the audit log; rotated site keys seal the authenticators' secrets anew."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from urge.accounts.authlog import account_key, record
from urge.accounts.models import AuthEvent
from urge.core import adminlog
from urge.core.signals import admin_changed, keys_rotated
from urge.dashboard import audit
from urge.dashboard.models import AuditEntry, SealedTOTPDevice, StaffRole

AUDITED_AS = {
    adminlog.ADDED: AuditEntry.ADMIN_ADDED,
    adminlog.CHANGED: AuditEntry.ADMIN_CHANGED,
    adminlog.DELETED: AuditEntry.ADMIN_DELETED,
}


@receiver(post_save, sender=StaffRole)
def _role_given(sender: Any, instance: StaffRole, **kwargs: Any) -> None:
    record(AuthEvent.ROLE_CHANGED, user=instance.user)


@receiver(post_delete, sender=StaffRole)
def _role_taken(sender: Any, instance: StaffRole, **kwargs: Any) -> None:
    # By the account's hash, not a link to it: the account itself may be the thing being
    # deleted, in the same transaction.
    AuthEvent.objects.create(
        kind=AuthEvent.ROLE_CHANGED, account=account_key(instance.user.get_username())
    )


@receiver(admin_changed)
def _changed_in_the_admin(
    sender: Any, user: User, action: str, objects: list[Model], **kwargs: Any
) -> None:
    audit.admin_changes(user, AUDITED_AS[action], objects)


@receiver(keys_rotated)
def _reseal_authenticators(sender: Any, **kwargs: Any) -> str:
    devices = list(SealedTOTPDevice.objects.all())
    for device in devices:
        device.reseal()
    return f"Sealed {len(devices)} authenticator secrets with the newest key."
