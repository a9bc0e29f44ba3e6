"""The audit log: one entry for every look at personal data, written before the data is shown."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from urge.campaigns.models import Campaign, CoHost
from urge.dashboard.models import AuditEntry


def record(
    user: User,
    campaign: Campaign,
    what: str,
    cohost: CoHost | None = None,
    rows: int | None = None,
    supporter_id: int | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user,
        campaign=campaign,
        cohost=cohost,
        what=what,
        rows=rows,
        supporter_id=supporter_id,
    )


def entries_for(campaign: Campaign) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(campaign=campaign)
        .select_related("user", "cohost")
        .order_by("-at", "-pk")
    )
