"""What the public campaign page shows, in one language, gathered in few queries."""

from dataclasses import dataclass

from urge.campaigns.models import Campaign, CampaignText, CoHost, Section, Step
from urge.campaigns.names import cohost_name
from urge.core.memo import per_version


@dataclass(frozen=True)
class CoHostLink:
    name: str
    url: str


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    language: str
    text: CampaignText
    steps: list[Step]
    sections: list[Section]
    cohosts: list[CoHostLink]


@per_version
def campaign_page(campaign: Campaign, language: str) -> CampaignPage | None:
    """The page in `language`, or None when the campaign is not written in it."""
    text = CampaignText.objects.filter(campaign=campaign, language=language).first()
    if text is None:
        return None
    cohosts = CoHost.objects.filter(campaign=campaign).prefetch_related("names")
    return CampaignPage(
        campaign=campaign,
        language=language,
        text=text,
        steps=list(Step.objects.filter(campaign=campaign, language=language)),
        sections=list(Section.objects.filter(campaign=campaign, language=language)),
        cohosts=[
            CoHostLink(name=cohost_name(cohost, language), url=cohost.url) for cohost in cohosts
        ],
    )
