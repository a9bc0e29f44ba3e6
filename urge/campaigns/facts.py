"""A campaign's facts as hot requests need them: its version read from the database on each
request, the row and what derives from it remembered per version (urge/core/memo.py)."""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.http import Http404

from urge.campaigns.models import Campaign, MessageTemplate
from urge.core.memo import forgettable, per_version

# One plain query per request: the ORM's own cost of building it was most of a request's.
_BY_SLUG = "SELECT id, updated_at FROM campaigns_campaign WHERE slug = %s"
_DEFAULT = "SELECT id, updated_at FROM campaigns_campaign WHERE is_default"


def campaign_named(slug: str) -> Campaign | None:
    return _current(_BY_SLUG, [slug])


def default_campaign() -> Campaign | None:
    return _current(_DEFAULT, [])


def _current(sql: str, params: list[Any]) -> Campaign | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    campaign = _campaign_at(row[0], row[1])
    _last_seen[campaign.slug] = campaign
    return campaign


# The campaign as this process last read it, by slug: while the database does not answer,
# the sign-up form can still come back with what the person typed (urge/supporters/views.py).
_last_seen: dict[str, Campaign] = {}
forgettable(_last_seen.clear)


def last_seen(slug: str) -> Campaign | None:
    """The campaign as this process last read it, or None if it never did."""
    return _last_seen.get(slug)


@functools.lru_cache(maxsize=256)
def _campaign_at(pk: int, version: object) -> Campaign:
    """The campaign as it is at `version` (its updated_at, as the database returns it)."""
    return Campaign.objects.get(pk=pk)


forgettable(_campaign_at.cache_clear)


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


@per_version
def languages_of(campaign: Campaign) -> list[str]:
    return campaign.languages()


@per_version
def templates_of(campaign: Campaign) -> list[MessageTemplate]:
    """The campaign's message templates, in order."""
    return list(campaign.templates.all())
