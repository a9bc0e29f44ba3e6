"""Templates filled in for one target: the text sent (English) and its rendering for the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from urge.actions.targets import Target
from urge.campaigns.models import Campaign, MessageTemplate
from urge.campaigns.placeholders import fill
from urge.legislators.states import STATE_NAMES

PLATFORMS = ("x", "bluesky", "threads", "mastodon")


@dataclass(frozen=True)
class Context:
    """What a message may say besides the target: the campaign and what the supporter gave."""

    bill: str
    bill_number: str
    campaign_url: str
    supporter_state: str = ""
    supporter_city: str = ""


@dataclass(frozen=True)
class Message:
    key: str
    subject: str
    text: str
    rendering_subject: str = ""  # in the page's language, when it is not English
    rendering_text: str = ""


def context_for(campaign: Campaign, campaign_url: str, supporter_state: str = "") -> Context:
    text = campaign.texts.filter(language="en").first()
    name = text.bill_name if text else ""
    return Context(
        bill=f"{name} ({campaign.bill_number})" if name else campaign.bill_number,
        bill_number=campaign.bill_number,
        campaign_url=campaign_url,
        supporter_state=STATE_NAMES.get(supporter_state, ""),
    )


def choose(
    templates: Sequence[MessageTemplate], channel: str, stance: str, language: str
) -> list[MessageTemplate]:
    """The variants of a channel for this stance and page language, in the folder's order."""
    return [
        template
        for template in templates
        if template.channel == channel
        and (not template.stances or stance in template.stances)
        and (not template.languages or language in template.languages)
    ]


def mention(target: Target, platform: str | None) -> str:
    """`@handle` where the target has one on that platform; otherwise title and name, so a
    post never carries a mention that goes nowhere."""
    member = target.member
    if platform == "x" and member.twitter:
        return f"@{member.twitter}"
    if platform == "mastodon" and member.mastodon.count("@") == 2:
        return member.mastodon if member.mastodon.startswith("@") else f"@{member.mastodon}"
    return f"{target.title} {member.name}"


def values(target: Target, context: Context, platform: str | None) -> dict[str, str]:
    member = target.member
    handle = mention(target, platform)
    state = context.supporter_state or STATE_NAMES.get(member.state, member.state)
    return {
        "target_name": member.name,
        "target_last_name": member.last_name,
        "target_title": target.title,
        "target_mention": handle,
        "target_handle": handle,
        "target_state": STATE_NAMES.get(member.state, member.state),
        "supporter_state": state,
        "supporter_city": context.supporter_city or state,
        "bill": context.bill,
        "bill_number": context.bill_number,
        "campaign_url": context.campaign_url,
    }


def keep_reach(text: str) -> str:
    """A post starting with @ is shown only to people who follow both accounts on X."""
    return f".{text}" if text.startswith("@") else text


def render_for_target(
    template: MessageTemplate,
    target: Target,
    context: Context,
    language: str,
    platform: str | None = None,
) -> Message:
    filled = values(target, context, platform)
    text = fill(template.text, filled)
    rendering = template.rendering.get(language, {}) if language != "en" else {}
    rendering_text = fill(rendering.get("text", ""), filled)
    if template.channel == MessageTemplate.POST:
        text, rendering_text = keep_reach(text), keep_reach(rendering_text)
    return Message(
        key=template.key,
        subject=fill(template.subject, filled),
        text=text,
        rendering_subject=fill(rendering.get("subject", ""), filled),
        rendering_text=rendering_text,
    )
