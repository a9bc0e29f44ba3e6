"""django-csp's middleware, with the site's policy built once instead of on every response.

Urge's Content-Security-Policy is the same for every response (settings.py): no nonces, no
view that changes it. django-csp builds the header string afresh each time, which took about
a tenth of a small request. A response that asks for anything else (a nonce, a view's own
policy, an exemption) goes through django-csp's own path unchanged.
"""

from __future__ import annotations

import functools

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

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


class SitePolicyMiddleware(CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or any(hasattr(response, name) for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = site_policy()
        return response
