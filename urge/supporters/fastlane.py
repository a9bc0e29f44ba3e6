"""A sign-up that passes every check, in the fast lane: the view's own form, bot checks, rate
limit and group commit, answered with the view's 303 to the thank-you page.

Everything else (a mistake in a field, a bot, a form too old, a closed campaign, a refusal
by the database) goes to the view, which answers it. The rate limit is counted here only
for a sign-up about to be stored; one over the limit is counted again by the view, which
says so.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from urge.campaigns.facts import campaign_named
from urge.core.csrf import sent_from_another_site
from urge.core.fastlane import Answer, public_path
from urge.core.ratelimit import Limit, address_key, hit
from urge.supporters import bots, signup
from urge.supporters.forms import SignupForm
from urge.supporters.views import cohost_choices, is_open

PATH = public_path(r"c/(?P<slug>[-\w]+)/join/")


def join(environ: dict[str, Any], match: re.Match[str], body: bytes) -> Answer | None:
    if sent_from_another_site(environ):
        return None
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return None
    campaign = campaign_named(match["slug"])
    if campaign is None or not is_open(campaign):
        return None
    data = QueryDict(body, encoding="utf-8")
    language = match["language"] or settings.LANGUAGE_CODE
    with translation.override(language):
        verdict = bots.judge(
            data.get("stamp", ""),
            data.get(bots.HONEYPOT, ""),
            data.get("email", ""),
            data.get("work", ""),
        )
        if verdict is not bots.Verdict.PERSON:
            return None
        form = SignupForm(cohost_choices(campaign, language), data)
        if not form.is_valid():
            return None
        if not hit(Limit.from_setting("signup", "URGE_RATE_SIGNUP"), address_key(environ)):
            return None
        try:
            signup.submit(campaign, form.submission(language))
        except DatabaseError:
            return None
        thanks = reverse("urge-join-thanks", args=[campaign.slug])
    return Answer(b"", "text/html; charset=utf-8", status="303 See Other", location=thanks)
