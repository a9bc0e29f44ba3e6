"""django-csp's middleware, with the site's policy built once instead of on every response.

Urge's Content-Security-Policy is the same for every response (settings.py), no nonces,
except that the embeddable action's pages name the sites that may frame them (built here,
once per list of sites). django-csp builds the header string afresh each time, which took
about a tenth of a small request. A response that asks for anything else (a nonce, a view's own
policy, an exemption) goes through django-csp's own path unchanged.
"""

from __future__ import annotations

import functools
from typing import Any, TypeVar

from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase

PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def site_policy() -> str:
    return build_policy()


@functools.lru_cache(maxsize=64)
def framed_policy(origins: tuple[str, ...]) -> str:
    """The site's policy, except that this site's own pages and `origins` may frame it."""
    return build_policy(replace={"frame-ancestors": [SELF, *origins]})


R = TypeVar("R", bound=HttpResponse)


def may_be_framed_by(response: R, origins: list[str]) -> R:
    """Let pages at `origins` (exact origins, checked when they were saved) show `response`
    in a frame, as may this site's own (the dashboard's preview). X-Frame-Options has no way
    to name them, so it is left out; browsers that know frame-ancestors ignore it anyway."""
    response[HEADER] = framed_policy(tuple(origins))
    response.xframe_options_exempt = True  # read by Django's XFrameOptionsMiddleware
    return response


@functools.cache
def report_only() -> bool:
    """Whether a report-only policy is set. Remembered: asking the settings for one they do
    not have (Urge has none) raises and catches two exceptions each time, about half a
    percent of a small form post."""
    return bool(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))


@receiver(setting_changed)
def _forget(*, setting: str, **_kwargs: Any) -> None:
    """A test that sets a report-only policy has it seen at the next response."""
    if setting == "CONTENT_SECURITY_POLICY_REPORT_ONLY":
        report_only.cache_clear()


class SitePolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or report_only()
            or any(hasattr(response, name) for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = site_policy()
        return response
