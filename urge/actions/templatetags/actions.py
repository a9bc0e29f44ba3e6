"""Template helpers for the action page."""

from urllib.parse import parse_qsl, urlencode

from django import template

from urge.campaigns.models import Stance

register = template.Library()


@register.simple_tag
def variant_query(page_query: str, channel: str, key: str) -> str:
    """The action page's query with one channel's wording changed."""
    pairs = [(name, value) for name, value in parse_qsl(page_query) if name != channel]
    return "?" + urlencode([*pairs, (channel, key)])


@register.filter
def stance(value: str) -> str:
    return str(dict(Stance.CHOICES).get(value, value))
