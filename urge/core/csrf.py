"""CSRF protection that works with `Referrer-Policy: no-referrer`.

With no referrer, browsers send `Origin: null` on form posts and no Referer at all,
so Django's origin and referer checks would refuse every form on the site. Modern
browsers also send `Sec-Fetch-Site`, which they set themselves and which pages cannot
forge: when it says the post came from this very origin, that stands in for those two
checks. The CSRF token is still required on every unsafe request.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware


def sent_from_another_site(meta: Mapping[str, Any]) -> bool:
    """The browser says this request was made by another site's page (request.META or a WSGI
    environ). Browsers without Fetch Metadata say nothing, and are not refused."""
    return meta.get("HTTP_SEC_FETCH_SITE") == "cross-site"


def _posted_from_this_origin(request: HttpRequest) -> bool:
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


class FetchMetadataCsrfMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null" and _posted_from_this_origin(request):
            return True
        return super()._origin_verified(request)  # type: ignore[misc, no-any-return]

    def _check_referer(self, request: HttpRequest) -> None:
        if _posted_from_this_origin(request):
            return
        super()._check_referer(request)  # type: ignore[misc]
