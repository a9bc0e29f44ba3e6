"""Official legislator and ZIP-district data, kept as whole releases that are switched on at once.

Like MapIt's generations: a sync imports a new release while the old one keeps
answering lookups, then activates it in the same transaction. The previous
release stays, so a bad upstream update can be rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataRelease(models.Model):
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    source = models.CharField(_("source"), max_length=500)
    counts = models.JSONField(_("counts"), default=dict)
    report = models.JSONField(_("validation report"), default=list)

    class Meta:
        verbose_name = _("data release")
        verbose_name_plural = _("data releases")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_release"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"


class Legislator(models.Model):
    release = models.ForeignKey(DataRelease, on_delete=models.CASCADE, related_name="legislators")
    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    chamber = models.CharField(_("chamber"), max_length=6)
    name = models.CharField(_("name"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    party = models.CharField(_("party"), max_length=50)
    state = models.CharField(_("state"), max_length=2)
    district = models.PositiveSmallIntegerField(_("district"), null=True, blank=True)
    state_rank = models.CharField(_("state rank"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    contact_form = models.URLField(_("contact form"), max_length=500, blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    twitter = models.CharField(max_length=100, blank=True)
    facebook = models.CharField(max_length=200, blank=True)
    youtube = models.CharField(max_length=200, blank=True)
    instagram = models.CharField(max_length=100, blank=True)
    mastodon = models.CharField(max_length=200, blank=True)
    offices = models.JSONField(_("district offices"), default=list)
    flags = models.JSONField(_("data problems"), default=list)

    class Meta:
        verbose_name = _("legislator")
        verbose_name_plural = _("legislators")
        constraints = [
            models.UniqueConstraint(fields=["release", "bioguide"], name="one_member_per_release")
        ]

    def __str__(self) -> str:
        return self.name


class ZipDistrict(models.Model):
    """One ZIP code tabulation area's overlap with one congressional district."""

    release = models.ForeignKey(DataRelease, on_delete=models.CASCADE, related_name="zips")
    zcta = models.CharField(_("ZCTA"), max_length=5)
    state = models.CharField(_("state"), max_length=2)
    district = models.PositiveSmallIntegerField(_("district"))
    land_share = models.FloatField(_("share of land area"), null=True, blank=True)

    class Meta:
        verbose_name = _("ZIP district")
        verbose_name_plural = _("ZIP districts")
        indexes = [models.Index(fields=["release", "zcta"])]

    def __str__(self) -> str:
        return f"{self.zcta} {self.state}-{self.district}"


class PostalZip(models.Model):
    """A ZIP code as the Postal Service knows it, PO boxes and military ZIPs included.

    Taken from the `zipcodes` package at sync time, so that workers never load it.
    """

    release = models.ForeignKey(DataRelease, on_delete=models.CASCADE, related_name="postal")
    zip_code = models.CharField(_("ZIP code"), max_length=5)
    state = models.CharField(_("state"), max_length=2)
    kind = models.CharField(_("kind"), max_length=10)

    class Meta:
        verbose_name = _("postal ZIP code")
        verbose_name_plural = _("postal ZIP codes")

    def __str__(self) -> str:
        return self.zip_code


class Committee(models.Model):
    release = models.ForeignKey(DataRelease, on_delete=models.CASCADE, related_name="committees")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=300)
    chamber = models.CharField(_("chamber"), max_length=6)
    parent_code = models.CharField(_("parent committee"), max_length=10, blank=True)
    members = models.JSONField(_("members"), default=list)  # [{"bioguide", "rank", "title"}]

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="one_committee_per_release")
        ]

    def __str__(self) -> str:
        return self.name


class ContactOverride(models.Model):
    """One contact detail an organiser added or corrected for a legislator, by Bioguide ID.

    Kept apart from the releases on purpose: `urge sync` replaces every Legislator row with
    each release, while these rows stay, and the lookup index lays them over whichever
    release is active when it is built (urge/legislators/overrides.py). The official value
    stays as published, so the dashboard can show both and the sync can say when upstream
    has caught up.
    """

    FIELD_CHOICES = [
        ("x", _("X handle")),
        ("bluesky", _("Bluesky handle")),
        ("threads", _("Threads handle")),
        ("mastodon", _("Mastodon handle")),
        ("contact_form", _("contact form")),
        ("phone", _("phone number")),
    ]

    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    field = models.CharField(_("detail"), max_length=20, choices=FIELD_CHOICES)
    value = models.CharField(_("value"), max_length=300)
    source = models.CharField(
        _("source"), max_length=500, help_text=_("A web address, or a note of where it came from.")
    )
    checked_on = models.DateField(_("checked on"))
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("contact override")
        verbose_name_plural = _("contact overrides")
        constraints = [
            models.UniqueConstraint(fields=["bioguide", "field"], name="one_override_per_detail")
        ]

    def __str__(self) -> str:
        return f"{self.bioguide} {self.field}"


class ContactChange(models.Model):
    """Who changed which contact detail, when, and from what to what: every save and removal
    of a ContactOverride, from the dashboard or from a file. Its newest id is also the
    version the lookup index compares to notice an edit."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    bioguide = models.CharField(_("Bioguide ID"), max_length=10, db_index=True)
    field = models.CharField(_("detail"), max_length=20, choices=ContactOverride.FIELD_CHOICES)
    old_value = models.CharField(_("old value"), max_length=300, blank=True)
    new_value = models.CharField(_("new value"), max_length=300, blank=True)  # "": removed
    source = models.CharField(_("source"), max_length=500, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    by = models.ForeignKey(  # kept, as the audit log keeps its people
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    via = models.CharField(_("via"), max_length=200)  # "dashboard", or the file loaded

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.bioguide} {self.field} at {self.at:%Y-%m-%d %H:%M}"
