"""Recording an action: durable before the supporter's browser is sent on."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from urge.actions.models import ActionEvent, Channel
from urge.campaigns.models import Campaign
from urge.core.groupcommit import GroupCommit

TOTALS_SECONDS = 30


def _write(events: Sequence[ActionEvent]) -> list[ActionEvent]:
    return ActionEvent.objects.bulk_create(events)


# One per process: under a spike, concurrent actions share a transaction.
_events: GroupCommit[ActionEvent, ActionEvent] = GroupCommit(_write)


def record(campaign: Campaign, channel: Channel, target: str, variant: str, state: str) -> None:
    """Store one action; returns once it is committed."""
    event = ActionEvent(
        campaign=campaign,
        channel=channel,
        target=target,
        variant=variant,
        target_state=state,
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
    )
    _events.submit(event)


def totals(campaign: Campaign) -> dict[str, int]:
    """Actions so far by kind (post, email, call), cached briefly: the page shows them to all."""
    key = f"urge:totals:{campaign.pk}"
    found: dict[str, int] | None = cache.get(key)
    if found is None:
        found = {"post": 0, "email": 0, "call": 0}
        rows = ActionEvent.objects.filter(campaign=campaign).values("channel")
        for row in rows.annotate(count=Count("id")):
            kind = Channel(row["channel"]).kind
            if row["channel"] != Channel.CALL_SKIPPED:
                found[kind] += row["count"]
        found["all"] = found["post"] + found["email"] + found["call"]
        cache.set(key, found, TOTALS_SECONDS)
    return found
