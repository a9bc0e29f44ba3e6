"""The site's Content-Security-Policy middleware (urge/core/csp.py) remembers that there is no
report-only policy, and sees one as soon as the settings have it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory

from urge.core.csp import SitePolicyMiddleware

REPORT_ONLY = "Content-Security-Policy-Report-Only"


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<p>A page.</p>")


def _through(middleware: SitePolicyMiddleware) -> HttpResponseBase:
    response = middleware(RequestFactory().get("/c/hketo/"))
    assert isinstance(response, HttpResponseBase)  # a sync chain's answer
    return response


def test_a_report_only_policy_is_sent_once_the_settings_have_one(settings: Any) -> None:
    middleware = SitePolicyMiddleware(_page)
    first = _through(middleware)
    assert "default-src 'none'" in first["Content-Security-Policy"]
    assert REPORT_ONLY not in first
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    second = _through(middleware)
    assert second[REPORT_ONLY] == "default-src 'self'"
    assert "default-src 'none'" in second["Content-Security-Policy"]
