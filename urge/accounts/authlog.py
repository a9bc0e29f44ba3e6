"""Recording staff accounts' events (models.AuthEvent), from Django's sign-in signals and
from the dashboard's own steps (the code, the throttle, password and role changes)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from urge.accounts.models import AuthEvent
from urge.core.hashing import keyed_hash
from urge.core.ratelimit import client_key

# Session keys of the staff session policy (urge/accounts/sessionpolicy.py).
STARTED = "urge-started"
SEEN = "urge-seen"


def account_key(username: str) -> str:
    """The keyed hash that stands for a name typed at sign-in, existing or not."""
    return keyed_hash("user:" + username.lower())


def record(
    kind: str,
    request: HttpRequest | None = None,
    user: User | AbstractBaseUser | AnonymousUser | None = None,
    username: str = "",
) -> AuthEvent:
    known = user if isinstance(user, User) else None
    if known is None and username:
        known = _account_named(username)  # a wrong password for a real account is theirs
    name = username or (known.get_username() if known is not None else "")
    return AuthEvent.objects.create(
        kind=kind,
        user=known,
        account=account_key(name) if name else "",
        address=client_key(request) if request is not None else "",
    )


def _account_named(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@receiver(user_logged_in)
def _session_begins(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # The password step: the session's clock starts here. (Signing in counts once the
    # code is right too: the dashboard records that.)
    now = time.time()
    request.session[STARTED] = now
    request.session[SEEN] = now


@receiver(user_login_failed)
def _password_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(AuthEvent.PASSWORD_FAILED, request, username=str(credentials.get("username", "")))


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "urge_session_ended", False):
        record(AuthEvent.SIGNED_OUT, request, user)
