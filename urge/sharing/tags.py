"""Link-preview tags (Open Graph, read by Facebook, Bluesky, Threads, Mastodon, messaging apps
and search engines; the X card, which X reads beside them): what a shared link shows.

Every URL in them is absolute on URGE_SITE_URL, whatever Host the page was asked under: a
crawler keeps and shows them long after. og:url keeps a known referral code, so that a
link shared from a co-host's post still counts for that co-host when it is shared on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from urge.campaigns.facts import languages_of
from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.sharing.preview import preview_for
from urge.sharing.referrals import campaign_link, site_url

# Open Graph locales are language_TERRITORY. Traditional Chinese as written in Hong Kong,
# whose diaspora these campaigns are run by and for.
OG_LOCALES = {"en": "en_US", "zh-hant": "zh_HK"}
DESCRIPTION_CHARS = 300


@dataclass(frozen=True)
class LinkPreview:
    title: str
    description: str
    url: str
    locale: str
    other_locales: list[str] = field(default_factory=list)
    image: str = ""  # absolute; "" when `urge load` has made none yet
    image_width: int = 0
    image_height: int = 0


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language, language.replace("-", "_"))


def link_preview(campaign: Campaign, ref: str = "") -> LinkPreview:
    """The tags for the campaign in the active language; `ref` must be a known code."""
    language = translation.get_language()
    page = campaign_page(campaign, language) or campaign_page(campaign, settings.LANGUAGE_CODE)
    shown = page.language if page else language
    found = LinkPreview(
        title=page.text.title if page else campaign.slug,
        description=Truncator(page.text.ask).chars(DESCRIPTION_CHARS) if page else "",
        url=campaign_link(campaign, ref),
        locale=og_locale(shown),
        other_locales=[og_locale(code) for code in languages_of(campaign) if code != shown],
    )
    picture = preview_for(campaign, shown)
    if picture is None:
        return found
    path = reverse("urge-preview-image", kwargs={"slug": campaign.slug, "digest": picture.digest})
    return replace(
        found, image=site_url(path), image_width=picture.width, image_height=picture.height
    )
