"""What the public campaign page says of the tracked bills, remembered per campaign version."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from urge.bills.models import TrackedBill
from urge.campaigns.models import Campaign
from urge.core.memo import per_version


@dataclass(frozen=True)
class BillStatus:
    label: str  # H.R. 2661
    url: str  # its page on Congress.gov
    latest_action_date: datetime.date
    latest_action_text: str  # in English, as Congress.gov writes it
    checked_on: datetime.date


@per_version
def tracked_status(campaign: Campaign) -> list[BillStatus]:
    """The campaign's tracked bills that have been read at least once, in their order.

    A check writes its bill, which makes a new campaign version (urge/bills/signals.py): the
    page shows the new answer on its next render, within the page cache's time.
    """
    rows = TrackedBill.objects.filter(campaign=campaign, checked_at__isnull=False)
    return [
        BillStatus(
            label=row.identifier.label,
            url=row.identifier.page_url,
            latest_action_date=row.latest_action_date,
            latest_action_text=row.latest_action_text,
            checked_on=timezone.localdate(row.checked_at),
        )
        for row in rows
        if row.latest_action_date is not None and row.checked_at is not None
    ]
