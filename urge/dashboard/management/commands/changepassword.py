"""`urge changepassword NAME`: Django's command, with the change written to the sign-in event
log as a change at /manage/password/ is, so that no staff account's password changes unseen
through the app's own commands."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.models import User

from urge.accounts.authlog import record
from urge.accounts.models import AuthEvent


class Command(changepassword.Command):
    help = (
        "Change a staff member's password (by default, the account named as the current "
        "user); the change goes to the sign-in event log."
    )

    def handle(self, *args: Any, **options: Any) -> str | None:
        done = super().handle(*args, **options)  # raises on no such user, or no change
        username = options["username"] or getpass.getuser()
        user = User.objects.using(options["database"]).get(username=username)
        record(AuthEvent.PASSWORD_CHANGED, user=user)
        return done
