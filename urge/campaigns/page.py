"""What the public campaign page shows, in one language, gathered in few queries."""

from dataclasses import dataclass

from urge.campaigns.models import Campaign, CampaignText, CoHost, Section, Step
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
    cohosts = CoHost.objects.filter(campaign=campaign, names__language=language).values_list(
        "names__name", "url"
    )
    return CampaignPage(
        campaign=campaign,
        language=language,
        text=text,
        steps=list(Step.objects.filter(campaign=campaign, language=language)),
        sections=list(Section.objects.filter(campaign=campaign, language=language)),
        cohosts=[CoHostLink(name=name, url=url) for name, url in cohosts],
    )
