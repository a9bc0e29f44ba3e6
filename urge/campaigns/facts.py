"""A campaign's facts as hot requests need them: the row from the database on each request,
what derives from it remembered per version (urge/core/memo.py)."""

from __future__ import annotations

from django.http import Http404

from urge.campaigns.models import Campaign, MessageTemplate
from urge.core.memo import per_version


def campaign_named(slug: str) -> Campaign | None:
    return Campaign.objects.filter(slug=slug).first()


def campaign_or_404(slug: str) -> Campaign:
    campaign = campaign_named(slug)
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


@per_version
def wordings(campaign: Campaign) -> frozenset[tuple[str, str]]:
    """The (channel kind, wording key) pairs the campaign's messages offer."""
    rows = MessageTemplate.objects.filter(campaign=campaign).values_list("channel", "key")
    return frozenset(rows)


def default_campaign() -> Campaign | None:
    return Campaign.objects.filter(is_default=True).first()


@per_version
def languages_of(campaign: Campaign) -> list[str]:
    return campaign.languages()


@per_version
def templates_of(campaign: Campaign) -> list[MessageTemplate]:
    """The campaign's message templates, in order."""
    return list(campaign.templates.all())
