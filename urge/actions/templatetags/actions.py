"""Template helpers for the action page."""

from urllib.parse import parse_qsl, urlencode

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from urge.actions.messages import LOCAL_BLANKS, NAME_BLANK, TOWN_BLANK
from urge.campaigns.models import Campaign, Stance
from urge.campaigns.stance_kinds import kinds_of

register = template.Library()


@register.simple_tag
def variant_query(page_query: str, channel: str, key: str) -> str:
    """The action page's query with one channel's wording changed."""
    pairs = [(name, value) for name, value in parse_qsl(page_query) if name != channel]
    return "?" + urlencode([*pairs, (channel, key)])


@register.filter
def stance(value: str, campaign: Campaign | None = None) -> str:
    """The stance's label in the page's language; give the campaign for the stances it
    defined itself (urge/campaigns/stance_kinds.py)."""
    if campaign is not None:
        return kinds_of(campaign).label(value)
    return str(dict(Stance.CHOICES).get(value, value))


BLANK_KINDS = {NAME_BLANK: "name", TOWN_BLANK: "town"}


@register.filter
def blanks(text: str) -> SafeString:
    """The text (escaped unless already safe HTML) with each blank for the supporter's name or
    town, in English or in the page's language, marked for act.js to fill in as they type."""
    html = str(conditional_escape(text))
    for blank, kind in BLANK_KINDS.items():
        for word in {blank, str(LOCAL_BLANKS[blank])}:
            escaped = str(conditional_escape(word))
            marked = format_html(
                '<span data-blank="{}" data-empty="{}">{}</span>', kind, word, word
            )
            html = html.replace(escaped, marked)
    return mark_safe(html)  # noqa: S308 (escaped above; the spans are built by format_html)
