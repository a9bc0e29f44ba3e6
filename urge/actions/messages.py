"""Templates filled in for one target: the text sent (English) and its rendering for the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from urge.actions.targets import Target
from urge.campaigns.models import Campaign, MessageTemplate
from urge.campaigns.placeholders import fill
from urge.legislators.handles import handle_on
from urge.legislators.state_labels import state_label
from urge.legislators.states import STATE_NAMES

PLATFORMS = ("x", "bluesky", "threads", "mastodon")

# What only the supporter knows. The page is cached and shared, so it never learns them:
# letters and scripts carry these blanks, which act.js fills in on the page as the supporter
# types, and which a supporter without JavaScript fills in their copy or says aloud.
NAME_BLANK = "[your name]"
TOWN_BLANK = "[your town]"
# The same blanks in the rendering a Chinese reader sees beside the English text.
LOCAL_BLANKS = {NAME_BLANK: _("[your name]"), TOWN_BLANK: _("[your town]")}


@dataclass(frozen=True)
class Context:
    """What a message may say besides the target: the campaign and what the supporter gave."""

    bill: str
    bill_number: str
    campaign_url: str
    supporter_state: str = ""
    supporter_city: str = ""
    supporter_state_code: str = ""  # for the state's name in the page's language


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
        supporter_state_code=supporter_state if supporter_state in STATE_NAMES else "",
    )


def choose(
    templates: Sequence[MessageTemplate],
    channel: str,
    stance: str,
    language: str,
    follows: str = "",
) -> list[MessageTemplate]:
    """The variants of a channel for this stance and page language, in the folder's order.

    A stance the campaign defined (`follows` then names the built-in stance it follows) gets
    the templates that name it; where none in the channel does, those of the stance it follows.
    """
    offered = [
        template
        for template in templates
        if template.channel == channel
        and (not template.languages or language in template.languages)
    ]
    if follows and not any(stance in template.stances for template in offered):
        stance = follows
    return [template for template in offered if not template.stances or stance in template.stances]


def mention(target: Target, platform: str | None) -> str:
    """`@handle` where the target has a valid one on that platform (from the official data
    or an organiser's override); otherwise title and name, so a post never carries a
    mention that goes nowhere, nor anything odd the data held in its place."""
    handle = handle_on(target.member, platform)
    return f"@{handle}" if handle else f"{target.title} {target.member.name}"


def values(target: Target, context: Context, platform: str | None) -> dict[str, str]:
    """The placeholders' values in the text offices read: English."""
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


def local_values(
    target: Target, context: Context, platform: str | None, language: str
) -> dict[str, str]:
    """The placeholders' values in a rendering for readers of `language`: titles and states
    in their words. Handles, names and links stay as the offices see them."""
    filled = values(target, context, platform)
    member = target.member
    with translation.override(language):
        title = target.title_label
        target_state = state_label(member.state, language)
        state = context.supporter_state_code or member.state
        known = state in STATE_NAMES
        supporter_state = state_label(state, language) if known else filled["supporter_state"]
    local = {
        "target_title": title,
        "target_state": target_state,
        "supporter_state": supporter_state,
        "supporter_city": context.supporter_city or supporter_state,
    }
    if filled["target_mention"] == f"{target.title} {member.name}":
        local["target_mention"] = local["target_handle"] = f"{title} {member.name}"
    return filled | local


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
    local = local_values(target, context, platform, language) if language != "en" else filled
    if template.channel != MessageTemplate.POST and not context.supporter_city:
        # A letter or a call names the supporter's town, which the page cannot know: a blank
        # to fill. A post keeps the state, as a blank there would go out unfilled.
        filled = filled | {"supporter_city": TOWN_BLANK}
        local = local | {"supporter_city": _local_blank(TOWN_BLANK, language)}
    text = fill(template.text, filled)
    rendering = template.rendering.get(language, {}) if language != "en" else {}
    rendering_text = fill(rendering.get("text", ""), local)
    if template.channel == MessageTemplate.POST:
        text, rendering_text = keep_reach(text), keep_reach(rendering_text)
    return Message(
        key=template.key,
        subject=fill(template.subject, filled),
        text=text,
        rendering_subject=fill(rendering.get("subject", ""), local),
        rendering_text=rendering_text,
    )


def _local_blank(blank: str, language: str) -> str:
    with translation.override(language):
        return str(LOCAL_BLANKS[blank])


def signed(letter: Message, target: Target, context: Context, language: str) -> Message:
    """The letter with the supporter's name and town below it, as blanks to fill: no letter
    leaves the page unsigned, and the page still knows nothing about who signs it."""
    state = values(target, context, None)["supporter_state"]
    text = _sign_off(letter.text, NAME_BLANK, f"{TOWN_BLANK}, {state}")
    if not letter.rendering_text:
        return replace(letter, text=text)
    local_state = local_values(target, context, None, language)["supporter_state"]
    name, town = _local_blank(NAME_BLANK, language), _local_blank(TOWN_BLANK, language)
    separator = "，" if language.startswith("zh") else ", "  # noqa: RUF001 (Chinese comma)
    rendering = _sign_off(letter.rendering_text, name, f"{town}{separator}{local_state}")
    return replace(letter, text=text, rendering_text=rendering)


def _sign_off(text: str, name: str, place: str) -> str:
    return f"{text.rstrip()}\n\n{name}\n{place}"
