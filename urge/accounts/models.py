"""The staff accounts' event log: who signed in, failed, was slowed down or changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthEvent(models.Model):
    """One thing that happened to a staff account; never a password, never a plain address.

    `account` is a keyed hash of the name typed (so that tries at names that do not exist
    are counted together, and nothing typed is stored); `address` a keyed hash of the
    visitor's address. Kept URGE_AUTH_LOG_DAYS, then removed by `urge purge`.
    """

    SIGNED_IN = "signed-in"
    PASSWORD_FAILED = "password-failed"  # noqa: S105 - a kind of event
    CODE_FAILED = "code-failed"
    SLOWED = "slowed-down"
    SIGNED_OUT = "signed-out"
    SESSION_ENDED = "session-ended"
    PASSWORD_CHANGED = "password-changed"  # noqa: S105
    ROLE_CHANGED = "role-changed"
    RECOVERY_USED = "recovery-code-used"
    RECOVERY_MADE = "recovery-codes-made"
    CHOICES = [
        (SIGNED_IN, _("signed in with both factors")),
        (PASSWORD_FAILED, _("wrong password or name")),
        (CODE_FAILED, _("wrong authenticator code")),
        (SLOWED, _("refused: too many tries")),
        (SIGNED_OUT, _("signed out")),
        (SESSION_ENDED, _("session ended: idle or too old")),
        (PASSWORD_CHANGED, _("password changed")),
        (ROLE_CHANGED, _("role given, changed or taken away")),
        (RECOVERY_USED, _("signed in with a recovery code")),
        (RECOVERY_MADE, _("new recovery codes made")),
    ]

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("what"), max_length=20, choices=CHOICES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="urge_auth_events",
    )
    account = models.CharField(_("account (keyed hash)"), max_length=64, blank=True)
    address = models.CharField(_("address (keyed hash)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("sign-in event")
        verbose_name_plural = _("sign-in events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator, for a lost phone.

    Stored as a keyed hash (URGE_HASH_KEY): the database holds nothing that signs anyone in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="urge_recovery_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    made_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code #{self.pk}"
