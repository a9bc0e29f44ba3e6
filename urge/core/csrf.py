"""Which posts another site's page made a browser send, from Fetch Metadata."""

from collections.abc import Mapping
from typing import Any


def sent_from_another_site(meta: Mapping[str, Any]) -> bool:
    """The browser says this request was made by another site's page (request.META).
    Browsers without Fetch Metadata say nothing, and are not refused."""
    return meta.get("HTTP_SEC_FETCH_SITE") == "cross-site"
