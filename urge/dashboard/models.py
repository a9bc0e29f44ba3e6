"""Who may see what (roles per campaign), and the audit log of every look at personal data."""

from __future__ import annotations

from binascii import unhexlify
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from urge.campaigns.models import Campaign, CoHost
from urge.dashboard import totpkeys


class StaffRole(models.Model):
    """A person's role in one campaign: organiser (everything) or staff of one co-host."""

    ORGANISER = "organiser"
    COHOST = "cohost"
    CHOICES = [(ORGANISER, _("organiser")), (COHOST, _("co-host staff"))]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="urge_roles"
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=10, choices=CHOICES)
    cohost = models.ForeignKey(
        CoHost,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        help_text=_("Only for co-host staff: the organisation whose supporters they see."),
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="organiser", cohost__isnull=True)
                | Q(role="cohost", cohost__isnull=False),
                name="cohost_staff_name_their_cohost",
            ),
            models.UniqueConstraint(
                fields=["user", "campaign", "cohost"], name="one_role_per_cohost"
            ),
            # The constraint above cannot hold organisers: their co-host is NULL, and NULLs
            # never collide in a unique index.
            models.UniqueConstraint(
                fields=["user", "campaign"],
                condition=Q(cohost__isnull=True),
                name="one_organiser_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"

    def clean(self) -> None:
        if self.cohost is not None and self.cohost.campaign_id != self.campaign_id:
            raise ValidationError({"cohost": _("This co-host belongs to another campaign.")})


class AuditEntry(models.Model):
    """One look at personal data (a list viewed, a supporter viewed, an export downloaded), one
    role given, one change made in the admin, or one page refused.

    Never a name, an email or a path: a supporter by id, a record by its kind and id, a page by
    its route's name.
    """

    LIST_VIEWED = "list-viewed"
    SUPPORTER_VIEWED = "supporter-viewed"
    EXPORTED = "exported"
    CHANGES_EXPORTED = "changes-exported"
    SUPPRESSION = "suppression"
    ROLE_GIVEN = "role-given"
    ADMIN_ADDED = "admin-added"
    ADMIN_CHANGED = "admin-changed"
    ADMIN_DELETED = "admin-deleted"
    REFUSED = "refused"
    CHOICES = [
        (LIST_VIEWED, _("viewed a list")),
        (SUPPORTER_VIEWED, _("viewed a supporter")),
        (EXPORTED, _("exported")),
        (CHANGES_EXPORTED, _("exported the changes")),
        (SUPPRESSION, _("downloaded the suppression file")),
        (ROLE_GIVEN, _("gave a role (urge addstaff)")),
        (ADMIN_ADDED, _("added in the admin")),
        (ADMIN_CHANGED, _("changed in the admin")),
        (ADMIN_DELETED, _("deleted in the admin")),
        (REFUSED, _("was refused a page")),
    ]
    # The looks that hand a co-host a file of people for its own list.
    HANDED_OFF = (EXPORTED, CHANGES_EXPORTED)

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # Empty for what was done on the command line (`urge addstaff`).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="urge_audit_entries",
    )
    # Empty for what concerns the whole site: accounts, devices, changes in the admin.
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    cohost = models.ForeignKey(
        CoHost, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    what = models.CharField(_("what"), max_length=20, choices=CHOICES)
    # Which supporter (by id, never by name) or how many rows a list or export held.
    supporter_id = models.BigIntegerField(_("supporter"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # The record a role or an admin change touched: its model ("auth.user") and id.
    # Defaults kept in the database (db_default): the release before this one, running beside
    # it during an upgrade, writes entries without these columns.
    model = models.CharField(_("kind of record"), max_length=100, blank=True, db_default="")
    object_id = models.CharField(_("record id"), max_length=64, blank=True, db_default="")
    # The page refused, by its route's name ("urge-dashboard-supporters"), never its path.
    route = models.CharField(_("page"), max_length=100, blank=True, db_default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]

    def __str__(self) -> str:
        who = self.user if self.user is not None else "urge addstaff"
        return f"{self.what} by {who} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def subject(self) -> str:
        """The record touched, as people read it: "staff role #12"."""
        if not self.model:
            return ""
        try:
            kind = str(apps.get_model(self.model)._meta.verbose_name)
        except (LookupError, ValueError):
            kind = self.model
        return f"{kind} #{self.object_id}"


class HandOff(models.Model):
    """When a co-host's staff last downloaded its supporters, and its suppression file: where
    "changes since my last export" and the suppression file's default start from
    (urge/dashboard/handoff.py). Moved only by a file actually made and sent."""

    cohost = models.OneToOneField(
        CoHost, on_delete=models.CASCADE, primary_key=True, related_name="handoff"
    )
    exported_at = models.DateTimeField(_("last export"), null=True, blank=True)
    suppression_at = models.DateTimeField(_("last suppression file"), null=True, blank=True)

    class Meta:
        verbose_name = _("hand-off to a co-host")
        verbose_name_plural = _("hand-offs to co-hosts")

    def __str__(self) -> str:
        return f"hand-off to {self.cohost}"


class SealedTOTPDevice(TOTPDevice):  # type: ignore[misc]
    """django-otp's TOTP authenticator, its secret sealed at rest (urge/dashboard/totpkeys.py).

    A proxy: the same table and django-otp's own code checking, with the secret read through
    `bin_key`, which every use of the secret in django-otp goes through.
    """

    class Meta:
        proxy = True
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    @property
    def bin_key(self) -> bytes:
        return totpkeys.open_secret(self._stored_key())

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self._stored_key()
        if not totpkeys.is_sealed(stored):
            self.key = totpkeys.seal(unhexlify(stored.encode()))
        super().save(*args, **kwargs)

    def _stored_key(self) -> str:
        return str(vars(self)["key"])  # the column django-otp declares, untyped

    def reseal(self) -> None:
        """Seal the secret anew under the first site key (`urge rotatekeys`)."""
        self.key = totpkeys.seal(self.bin_key)
        self.save(update_fields=["key"])
