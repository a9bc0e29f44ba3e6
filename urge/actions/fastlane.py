"""Recording an action posted by the page's script (`Accept: application/json`, answered
204) in the fast lane: the view's own checks, counting and group commit, without middleware."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.utils import translation

from urge.actions.recording import record
from urge.actions.views import ActionRefused, check_action, counts
from urge.campaigns.facts import campaign_named
from urge.core.fastlane import Answer, public_path
from urge.legislators.index import index_holder

PATH = public_path(r"c/(?P<slug>[-\w]+)/act/go/")


def go(environ: dict[str, Any], match: re.Match[str], body: bytes) -> Answer | None:
    """None (to Django) for a form post, an unknown campaign and anything refused."""
    if "application/json" not in environ.get("HTTP_ACCEPT", ""):
        return None
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    try:
        parsed = parse_qs(body.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return None
    fields = {name: values[-1] for name, values in parsed.items()}  # as QueryDict.get does
    campaign = campaign_named(match["slug"])
    if campaign is None:
        return None
    with translation.override(match["language"] or settings.LANGUAGE_CODE):
        try:
            checked = check_action(campaign, index_holder.get(), fields)
        except ActionRefused:
            return None
    if counts(environ):
        record(
            campaign,
            checked.channel,
            checked.member.bioguide,
            checked.variant,
            checked.member.state,
        )
    return Answer(b"", "text/html; charset=utf-8", status="204 No Content")
