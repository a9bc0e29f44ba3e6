"""A campaign's title and a co-host's name in a language, by one fallback rule.

The language asked for; else the site's own (LANGUAGE_CODE); else any language it is
written in (the first stored); else the slug.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from urge.campaigns.models import Campaign, CoHost


def campaign_title(campaign: Campaign, language: str) -> str:
    rows = campaign.texts.order_by("pk").values_list("language", "title")
    return in_language(rows, language) or campaign.slug


def cohost_name(cohost: CoHost, language: str) -> str:
    """Reads `cohost.names.all()`, so prefetch_related("names") saves a query per co-host."""
    rows = sorted(cohost.names.all(), key=lambda row: row.pk)
    return in_language(((row.language, row.name) for row in rows), language) or cohost.slug


def cohost_names(campaign: Campaign, language: str) -> dict[str, str]:
    """Every co-host's name by slug, in position order."""
    cohosts = campaign.cohosts.prefetch_related("names").order_by("position")
    return {cohost.slug: cohost_name(cohost, language) for cohost in cohosts}


def in_language(texts: Iterable[tuple[str, str]], language: str) -> str:
    """The text for `language` from (language, text) pairs in stored order, by the rule
    above; "" when there is none."""
    found: dict[str, str] = {}
    for code, text in texts:
        if text:
            found.setdefault(code, text)
    return (
        found.get(language) or found.get(settings.LANGUAGE_CODE) or next(iter(found.values()), "")
    )
