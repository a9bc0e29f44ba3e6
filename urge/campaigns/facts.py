"""A campaign's facts as hot requests need them, from memory for a few seconds at a time."""

from __future__ import annotations

from django.http import Http404

from urge.campaigns.models import Campaign, MessageTemplate
from urge.core.memo import briefly


@briefly
def campaign_named(slug: str) -> Campaign | None:
    return Campaign.objects.filter(slug=slug).first()


def campaign_or_404(slug: str) -> Campaign:
    campaign = campaign_named(slug)
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


@briefly
def wordings(campaign_id: int) -> frozenset[tuple[str, str]]:
    """The (channel kind, wording key) pairs the campaign's messages offer."""
    rows = MessageTemplate.objects.filter(campaign_id=campaign_id).values_list("channel", "key")
    return frozenset(rows)


@briefly
def default_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_default=True).first()


@briefly
def languages_of(campaign: Campaign) -> list[str]:
    return campaign.languages()
