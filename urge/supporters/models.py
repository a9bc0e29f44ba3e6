"""A supporter of a campaign, and their consent to hear from each co-host."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from urge.campaigns.models import Campaign, CoHost
from urge.supporters import datakeys
from urge.supporters.fields import EncryptedTextField


class Supporter(models.Model):
    """One person's sign-up to one campaign.

    Personal fields are sealed under the supporter's own data key. A sign-up, first or
    repeated, is held in `pending` until the emailed link confirms it: nobody who merely
    knows an address can change what its owner agreed to. Erasure and purging blank every
    personal field, keep the row, so that anonymous counts survive, and destroy the key.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="supporters")
    # Names the supporter in signed links without revealing how many others signed up.
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Finds the same person signing up again without storing the address in the clear;
    # NULL once the supporter is anonymised (NULLs, unlike empty strings, are never equal,
    # so any number of anonymised rows pass the unique constraint).
    email_hash = models.CharField(  # noqa: DJ001
        _("email hash"), max_length=64, null=True, blank=True
    )
    email = EncryptedTextField(_("email"))
    first_name = EncryptedTextField(_("first name"))
    last_name = EncryptedTextField(_("last name"))
    zip_code = EncryptedTextField(_("ZIP code"))
    phone = EncryptedTextField(_("phone"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed at"), null=True, blank=True)
    # The latest unconfirmed submission (JSON: fields, chosen co-hosts, wording), encrypted.
    pending = EncryptedTextField(_("awaiting confirmation"), blank=True, default="")
    pending_since = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # When a confirmed sign-up last applied its details and choices (the first one, or one
    # sent again): what a co-host's "changes since my last export" looks for. NULL on rows
    # from before it existed, whose consents' own times say the same.
    updated_at = models.DateTimeField(_("last confirmed sign-up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email_hash"], name="one_supporter_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"supporter #{self.pk}"  # never the name: this string ends up in logs

    def data_key_name(self) -> str:
        """The key this row's personal fields are sealed under (urge/supporters/datakeys.py)."""
        if not self.email_hash:
            raise ValueError("An anonymised supporter has no data key.")
        return datakeys.key_name(self.campaign_id, self.email_hash)


class Consent(models.Model):
    """Permission for one co-host to contact one supporter, with the exact words shown."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    cohost = models.ForeignKey(CoHost, on_delete=models.PROTECT, related_name="consents")
    wording = models.TextField(_("wording shown"))
    wording_version = models.CharField(_("wording version"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    referral = models.CharField(_("referral code"), max_length=64, blank=True)
    given_at = models.DateTimeField(_("given at"))
    confirmed_at = models.DateTimeField(_("confirmed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"consent #{self.pk}"


class Departure(models.Model):
    """A supporter leaving one co-host's list, or erasing themselves, and when: what that
    co-host's suppression file is made of (urge/dashboard/handoff.py).

    Nothing personal: the supporter row it points at is blanked by an erasure, and the file
    names an erased person only by an id derived from that row's random `ref`. Urge's own
    purge of a closed campaign is no departure: the person left nobody's list.
    """

    WITHDREW = "withdrew"
    ERASED = "erased"
    KINDS = [(WITHDREW, _("left the list")), (ERASED, _("erased their details"))]

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="departures")
    cohost = models.ForeignKey(CoHost, on_delete=models.CASCADE, related_name="departures")
    kind = models.CharField(_("kind"), max_length=10, choices=KINDS)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        indexes = [models.Index(fields=["cohost", "at"], name="departures_by_cohost")]

    def __str__(self) -> str:
        return f"departure #{self.pk}"


class SentEmail(models.Model):
    """A confirmation email the mail server has taken, by the key of the queued request that
    asked for it (urge/supporters/emails.py): a task run again, after its worker was killed or
    its lease ran out, skips what is recorded here instead of sending it twice. The key is a
    hash of random identifiers, nothing about the person; `urge purge` deletes old ones."""

    key = models.CharField(max_length=32, primary_key=True)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"sent email {self.key}"


class EmailClaim(models.Model):
    """A confirmation email one run of a task is sending now, by the same key as SentEmail.

    Taken, and committed, just before the email goes to the mail server, and dropped when it
    is recorded as sent or did not go: a second run of the same task (its lease ran out while
    its first worker was still alive but slow) leaves a claimed email to the run that holds it.
    A claim older than URGE_TASK_LEASE_SECONDS is taken to be a dead worker's and may be taken
    over, so an email whose worker died between its claim and its sending still goes."""

    key = models.CharField(max_length=32, primary_key=True)
    run = models.CharField(max_length=32)  # the run of a task that holds it (random)
    claimed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"email claim {self.key}"
