"""Referral codes, their counts, and each campaign's link-preview images.

A referral is only ever a number: a counter per campaign, code, day and kind, added to in
place (urge/sharing/counting.py). No action row, sign-up or consent gets a column from here,
so nothing stored by this app can say what any one person did.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from urge.campaigns.models import LANGUAGE_CHOICES, Campaign, CoHost


class ReferralCode(models.Model):
    """A code organisers made for one campaign, for a post, a newsletter or a partner.

    Each co-host's slug is a code as well, without a row here: its own link works from the
    moment it is loaded."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="referral_codes")
    code = models.SlugField(_("code"), max_length=64)
    label = models.CharField(_("what it is for"), max_length=200, blank=True)
    # Whose staff see its results beside their own link; none: the organisers only.
    cohost = models.ForeignKey(
        CoHost,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral_codes",
        verbose_name=_("co-host"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="urge_referral_codes",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="one_referral_code_per_name")
        ]

    def __str__(self) -> str:
        return self.code


class ReferralCount(models.Model):
    """How many of one kind of step came through one code on one day (UTC).

    `kind` is "lookup" (a ZIP answer that found legislators), "signup" (a sign-up confirmed
    by email) or an action channel's value (post-x, call-reached, share-x...)."""

    LOOKUP = "lookup"
    SIGNUP = "signup"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="referral_counts")
    code = models.CharField(_("code"), max_length=64)
    day = models.DateField(_("day (UTC)"))
    kind = models.CharField(_("kind"), max_length=20)
    total = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("referral count")
        verbose_name_plural = _("referral counts")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "code", "day", "kind"], name="one_count_per_code_day_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.day} {self.kind}: {self.total}"


class PreviewImage(models.Model):
    """The picture a shared link shows (Open Graph), one per campaign and language, drawn by
    `urge load` (urge/sharing/preview.py). Kept in the database so that every host serves
    the same bytes, under a URL named by their hash."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="preview_images")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    digest = models.CharField(_("content hash"), max_length=16)
    png = models.BinaryField(_("PNG image"))
    width = models.PositiveSmallIntegerField(_("width"))
    height = models.PositiveSmallIntegerField(_("height"))
    # False when no font on the machine that drew it had the title's characters.
    has_title = models.BooleanField(_("shows the title"), default=True)
    made_at = models.DateTimeField(_("made at"), auto_now=True)

    class Meta:
        verbose_name = _("preview image")
        verbose_name_plural = _("preview images")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="one_preview_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.language} {self.digest}"
