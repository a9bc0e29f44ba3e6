"""The "share this" step, after a supporter acts or signs up: the campaign's link, and ready
text for each platform.

Nothing about the supporter is in it. The link is the campaign page's, with a co-host's code
only when the supporter came by one (the page they are on has it in its own URL), so it is
the same link everybody who came that way gets. Each button posts to the action endpoint
(urge/actions/views.py), which counts the share as it counts any action (channel share-x,
share-email...) and sends the browser on to the platform, as it does for posts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.sharing.referrals import campaign_link

# The platforms offered, in order, with their names (not translated: brands). Each is an
# action channel "share-<platform>" (urge/actions/models.py).
PLATFORMS = (
    ("x", "X"),
    ("bluesky", "Bluesky"),
    ("threads", "Threads"),
    ("mastodon", "Mastodon"),
    ("facebook", "Facebook"),
    ("whatsapp", "WhatsApp"),
    ("telegram", "Telegram"),
)
EMAIL = "share-email"
COPY = "share-copy"  # the copy button (share.js): counted, sends nobody anywhere
CHANNELS = (*(f"share-{platform}" for platform, _name in PLATFORMS), EMAIL, COPY)


@dataclass(frozen=True)
class ShareMessage:
    url: str
    title: str
    text: str  # for a post or a chat: the title, then the link
    subject: str  # for an email
    body: str


@dataclass(frozen=True)
class ShareButton:
    channel: str
    label: str


@dataclass(frozen=True)
class ShareStep:
    slug: str
    ref: str
    message: ShareMessage
    buttons: list[ShareButton]


def share_message(campaign: Campaign, ref: str = "") -> ShareMessage:
    """What is shared, in the active language; `ref` must be a known code (or "")."""
    page = campaign_page(campaign, translation.get_language())
    page = page or campaign_page(campaign, settings.LANGUAGE_CODE)
    title = page.text.title if page else campaign.slug
    url = campaign_link(campaign, ref)
    values = {"title": title, "url": url}
    return ShareMessage(
        url=url,
        title=title,
        text=_("%(title)s. Take part: %(url)s") % values,
        subject=title,
        body="\n\n".join(
            part
            for part in (page.text.ask if page else "", _("Take part: %(url)s") % values)
            if part
        ),
    )


def share_step(campaign: Campaign, ref: str = "") -> ShareStep:
    buttons = [
        ShareButton(f"share-{platform}", _("Share on %(platform)s") % {"platform": name})
        for platform, name in PLATFORMS
    ]
    buttons.append(ShareButton(EMAIL, _("Share by email")))
    return ShareStep(campaign.slug, ref, share_message(campaign, ref), buttons)
