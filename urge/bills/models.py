"""The bills a campaign tracks, and what Congress.gov last said of each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from urge.bills.bill_ids import TYPES, BillId
from urge.campaigns.models import Campaign


class TrackedBill(models.Model):
    """A bill `urge track` checks for a campaign (the campaign's own, its companion in the
    other chamber), with the answer of the last check that succeeded."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tracked_bills")
    congress = models.PositiveSmallIntegerField(_("Congress"))
    bill_type = models.CharField(
        _("type"), max_length=8, choices=[(code, label) for code, (_w, label) in TYPES.items()]
    )
    number = models.PositiveIntegerField(_("number"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Empty until the first check that succeeds.
    title = models.TextField(_("title"), blank=True)
    latest_action_date = models.DateField(_("latest action on"), null=True, blank=True)
    latest_action_text = models.TextField(_("latest action"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tracked bill")
        verbose_name_plural = _("tracked bills")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "congress", "bill_type", "number"], name="one_bill_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign.slug}: {self.identifier}"

    @property
    def identifier(self) -> BillId:
        return BillId(self.congress, self.bill_type, self.number)


class Cosponsorship(models.Model):
    """A legislator's name on a tracked bill, as of the last check: its sponsor, or a
    cosponsor since a date (and, if they took their name off, when)."""

    bill = models.ForeignKey(TrackedBill, on_delete=models.CASCADE, related_name="cosponsorships")
    bioguide = models.CharField(_("Bioguide ID"), max_length=10)
    since = models.DateField(_("since"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    sponsor = models.BooleanField(_("sponsor"), default=False)

    class Meta:
        verbose_name = _("cosponsorship")
        verbose_name_plural = _("cosponsorships")
        ordering = ["since", "bioguide"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "bioguide"], name="one_cosponsorship_each")
        ]

    def __str__(self) -> str:
        return f"{self.bioguide} on {self.bill.identifier}"
