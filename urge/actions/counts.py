"""How many actions went to each legislator: counts only, for the public scoreboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from urge.actions.models import SHARES, ActionEvent, Channel
from urge.actions.recording import TOTALS_SECONDS
from urge.campaigns.models import Campaign


@dataclass(frozen=True)
class TargetCounts:
    post: int = 0
    email: int = 0
    call: int = 0

    @property
    def all(self) -> int:
        return self.post + self.email + self.call


NO_ACTIONS = TargetCounts()


def counts_by_target(campaign: Campaign) -> dict[str, TargetCounts]:
    """Actions so far per legislator (Bioguide ID) and kind, as the campaign page's totals
    count them (a skipped call is no action), remembered as briefly as those totals."""
    key = f"urge:counts-by-target:{campaign.pk}"
    found: dict[str, TargetCounts] | None = cache.get(key)
    if found is None:
        found = _count(campaign)
        cache.set(key, found, TOTALS_SECONDS)
    return found


def _count(campaign: Campaign) -> dict[str, TargetCounts]:
    kinds: dict[str, dict[str, int]] = {}
    rows = (
        ActionEvent.objects.filter(campaign=campaign)
        .exclude(channel__in=[Channel.CALL_SKIPPED, *SHARES])
        .values("target", "channel")
        .annotate(count=Count("id"))
    )
    for row in rows:
        per_kind = kinds.setdefault(row["target"], {"post": 0, "email": 0, "call": 0})
        per_kind[Channel(row["channel"]).kind] += row["count"]
    return {target: TargetCounts(**per_kind) for target, per_kind in kinds.items()}
