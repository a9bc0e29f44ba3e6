"""A role given, changed or taken away goes into the staff accounts' event log; rotated site
keys seal the authenticators' secrets anew."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from urge.accounts.authlog import record
from urge.accounts.models import AuthEvent
from urge.core.signals import keys_rotated
from urge.dashboard.models import SealedTOTPDevice, StaffRole


@receiver(post_save, sender=StaffRole)
@receiver(post_delete, sender=StaffRole)
def _role_changed(sender: Any, instance: StaffRole, **kwargs: Any) -> None:
    record(AuthEvent.ROLE_CHANGED, user=instance.user)


@receiver(keys_rotated)
def _reseal_authenticators(sender: Any, **kwargs: Any) -> str:
    devices = list(SealedTOTPDevice.objects.all())
    for device in devices:
        device.reseal()
    return f"Sealed {len(devices)} authenticator secrets with the newest key."
