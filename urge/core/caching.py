"""What Django tells every cache in front of it (urge/core/httpcache.py, nginx, a CDN)."""

from typing import TypeVar

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

R = TypeVar("R", bound=HttpResponse)


def shared_by_everyone(response: R) -> R:
    """Mark a page that depends on nothing but its URL as cacheable by any cache, for
    URGE_PAGE_CACHE_SECONDS (0: for none)."""
    seconds = settings.URGE_PAGE_CACHE_SECONDS
    if seconds <= 0:
        add_never_cache_headers(response)
        return response
    patch_cache_control(response, public=True, max_age=seconds, stale_while_revalidate=seconds)
    return response


def for_this_visitor_only(response: R) -> R:
    """Mark a page made from what this visitor sent as never to be stored by anyone."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
