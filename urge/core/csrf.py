"""Which posts another site's page made a browser send, from Fetch Metadata and Origin."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def sent_from_another_site(meta: Mapping[str, Any]) -> bool:
    """The browser says this request was made by another site's page (request.META).
    Browsers without Fetch Metadata say nothing, and are not refused."""
    return meta.get("HTTP_SEC_FETCH_SITE") == "cross-site"


def sent_from_this_site(request: HttpRequest) -> bool:
    """The browser says this post came from one of this site's own pages: Fetch Metadata
    says same-origin, or, from a browser without it, the Origin is this site's. A post that
    says neither proves nothing, so nothing it names is trusted (a page that takes no CSRF
    token, because it sets no cookie, has only these to go on)."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return bool(fetch_site == "same-origin")
    origin = request.META.get("HTTP_ORIGIN")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"
