"""Second factor: each person's TOTP device (django-otp), its enrolment and its codes."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from urge.dashboard.models import SealedTOTPDevice

# The device model comes from an untyped library; this names what the rest of the app holds.
Device = Any


def confirmed_device(user: User) -> Device | None:
    return SealedTOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> Device:
    """The device being set up: the one left unconfirmed last time, or a new one."""
    waiting = SealedTOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return waiting or SealedTOTPDevice.objects.create(user=user, name="Urge", confirmed=False)


def device_for_code(user: User) -> Device:
    """What a code is checked against: the confirmed device, and only without one a new one.

    Whoever knows the password can enrol only while no device is confirmed; after that,
    adding a device takes an organiser (in the admin) deleting the old one.
    """
    return confirmed_device(user) or enrolment_device(user)


def check_code(device: Device, code: str) -> Device | None:
    """The device, confirmed, if `code` is its current code; None if not.

    django-otp refuses a code already used and slows down repeated failures.
    """
    code = "".join(code.split())
    if len(code) != device.digits or not code.isdigit():
        return None
    with transaction.atomic():
        locked = SealedTOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_token(code):
            return None
        if not locked.confirmed:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            SealedTOTPDevice.objects.filter(user=locked.user_id, confirmed=False).delete()
    return locked


def secret_text(device: Device) -> str:
    """The key as authenticator apps take it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def qr_svg(device: Device) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (CSP allows inline SVG, not data: URLs)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        border=4,
        dark="#000",
        light="#fff",
        title=_("QR code to scan with your authenticator app"),
        svgclass="qr",
    )
    # segno writes every part of this markup itself and escapes the title.
    return mark_safe(svg)  # noqa: S308
