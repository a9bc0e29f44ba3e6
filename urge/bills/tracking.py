"""Checking a campaign's tracked bills: store what Congress.gov says, and turn cosponsorship
into a "cosponsor" stance for each cosponsor the campaign targets."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from urge.bills.congress import BillReport, CongressApi
from urge.bills.models import Cosponsorship, TrackedBill
from urge.campaigns.models import Campaign, Stance
from urge.campaigns.stances import StanceValue, TrackedCounts, record_tracked_stances
from urge.campaigns.targeting import in_scope
from urge.legislators.index import LookupIndex


@dataclass(frozen=True)
class Checked:
    """One campaign's bills as just read, and what storing them did to its stances."""

    campaign: Campaign
    reports: list[BillReport]
    stances: TrackedCounts | None  # None: no legislator data, so stances were left alone


def campaigns_tracked() -> list[Campaign]:
    return list(Campaign.objects.filter(tracked_bills__isnull=False).distinct().order_by("slug"))


def read_reports(api: CongressApi, campaign: Campaign) -> list[BillReport]:
    """Every tracked bill of the campaign, read before anything is written: one that fails
    raises CongressApiError and leaves the others unwritten too."""
    return [api.report(tracked.identifier) for tracked in campaign.tracked_bills.all()]


@transaction.atomic
def store(
    campaign: Campaign,
    reports: Sequence[BillReport],
    index: LookupIndex | None,
    now: datetime.datetime,
) -> Checked:
    """Write the reports and the stances they imply, in one transaction."""
    for tracked, report in zip(campaign.tracked_bills.all(), reports, strict=True):
        _store_bill(tracked, report, now)
    if index is None:
        return Checked(campaign, list(reports), None)
    wanted = cosponsor_stances(reports, targeted(campaign, index))
    return Checked(campaign, list(reports), record_tracked_stances(campaign, wanted))


def _store_bill(tracked: TrackedBill, report: BillReport, now: datetime.datetime) -> None:
    tracked.title = report.title
    tracked.latest_action_date = report.latest_action_date
    tracked.latest_action_text = report.latest_action_text
    tracked.checked_at = now
    tracked.save()  # a new version of the campaign (urge/bills/signals.py)
    tracked.cosponsorships.all().delete()
    Cosponsorship.objects.bulk_create(
        Cosponsorship(
            bill=tracked,
            bioguide=entry.bioguide,
            since=entry.since,
            withdrawn_on=entry.withdrawn_on,
            sponsor=entry.sponsor,
        )
        # A sponsor is also listed once as such; the first mention wins.
        for entry in {entry.bioguide: entry for entry in reversed(report.sponsorships)}.values()
    )


def cosponsor_stances(reports: Iterable[BillReport], targeted: set[str]) -> dict[str, StanceValue]:
    """A "cosponsor" stance for each targeted legislator who sponsors or cosponsors one of the
    bills, sourced to that bill's page and dated from their earliest name on one of them."""
    wanted: dict[str, StanceValue] = {}
    for report in reports:
        for bioguide, since in report.supporters().items():
            if bioguide not in targeted:
                continue
            before = wanted.get(bioguide)
            if before is None or (before.date is not None and since < before.date):
                wanted[bioguide] = StanceValue(Stance.COSPONSOR, report.bill.page_url, since)
    return wanted


def targeted(campaign: Campaign, index: LookupIndex) -> set[str]:
    """The Bioguide IDs of everyone the campaign asks supporters to contact."""
    states = frozenset(campaign.target_states)
    chosen = {
        member.bioguide
        for member in index.members.values()
        if in_scope(
            member,
            index,
            senate=campaign.targets_senate,
            house=campaign.targets_house,
            states=states,
            committee=campaign.target_committee,
        )
    }
    extra = campaign.extra_targets.values_list("bioguide", flat=True)
    return chosen | {bioguide for bioguide in extra if bioguide in index.members}
