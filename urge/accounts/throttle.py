"""Slowing down password and code guessing without locking the real person out.

Every try counts against the visitor's address (many names from one place) and, from a
browser the account has not signed in from before, against the account (one name from many
places). A browser where the account completed both factors carries a signed device cookie
for it (OWASP's "device cookie"): its tries count only against its address, so an attacker
spending the account's tries from elsewhere never locks its owner out of their own browser.
Limits: URGE_RATE_SIGNIN per window, counted for passwords and codes apart.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare

from urge.accounts.authlog import account_key, record
from urge.accounts.models import AuthEvent
from urge.core.ratelimit import client_key, hit, limit

DEVICE_SALT = "urge.accounts.device"
DEVICE_DAYS = 180


def device_cookie_name() -> str:
    return "__Host-urge-device" if settings.HTTPS else "urge-device"


def within_signin_limit(request: HttpRequest, step: str, username: str) -> bool:
    """Count one try at `step` ("signin" or "verify"); False, recorded, once over a limit."""
    tries = limit("signin", counter=step)
    by_address = hit(tries, client_key(request))
    account = account_key(username)
    trusted = is_trusted_device(request, account)
    by_account = trusted or hit(limit("signin", counter=f"{step}-account"), account)
    if by_address and by_account:
        return True
    record(AuthEvent.SLOWED, request, username=username)
    return False


def is_trusted_device(request: HttpRequest, account: str) -> bool:
    value = request.get_signed_cookie(
        device_cookie_name(), default="", salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400
    )
    return bool(value) and constant_time_compare(str(value), account)


def remember_device(response: HttpResponse, username: str) -> None:
    """Mark this browser as one the account signed in from with both factors."""
    response.set_signed_cookie(
        device_cookie_name(),
        account_key(username),
        salt=DEVICE_SALT,
        max_age=DEVICE_DAYS * 86400,
        secure=settings.HTTPS,
        httponly=True,
        samesite="Lax",
    )
