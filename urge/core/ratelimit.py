"""Rate limits: one interface, `hit(limit, key)`, counting per keyed hash, never an address.

Where the counts live follows from the configuration: with REDIS_URL, in Redis, shared by
every host; otherwise in the table every worker of this server shares
(urge/core/sharedcounts.py). Each count lasts as long as its own window. The limits come
from URGE_RATE_* settings, parsed when the site starts (urge/env.py): a typo stops it there.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from urge.core.hashing import keyed_hash
from urge.core.sharedcounts import shared

# A limit's name, and the setting that holds its (count, seconds).
SETTINGS = {
    "signup": "URGE_RATE_SIGNUP",
    "resend": "URGE_RATE_RESEND",
    "action": "URGE_RATE_ACTION",
    "signin": "URGE_RATE_SIGNIN",
    "mail-hour": "URGE_RATE_MAIL_HOUR",
    "mail-day": "URGE_RATE_MAIL_DAY",
}


@dataclass(frozen=True)
class Limit:
    """At most `count` hits in each window of `seconds`, per key."""

    name: str
    count: int
    seconds: int


def limit(name: str, counter: str = "") -> Limit:
    """The configured limit `name` (a key of SETTINGS); `counter` names a separate count of
    it (the sign-in limit counts passwords and codes apart)."""
    count, seconds = getattr(settings, SETTINGS[name])
    return Limit(counter or name, count, seconds)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the right entry of X-Forwarded-For behind proxies."""
    return meta_address(request.META)


def meta_address(meta: Mapping[str, Any]) -> str:
    """The same, from a WSGI environ (which is what request.META is)."""
    proxies = settings.URGE_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            return forwarded[-proxies]
    return str(meta.get("REMOTE_ADDR", ""))


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the visitor's address: counts repeat visits, reveals no address."""
    return address_key(request.META)


def address_key(meta: Mapping[str, Any]) -> str:
    return keyed_hash("ip:" + meta_address(meta))


def hit(limit: Limit, key: str, now: float | None = None) -> bool:
    """Count one hit; True while the key is within its limit, False once over it."""
    now = time.time() if now is None else now
    window = int(now // limit.seconds)
    ends = (window + 1) * limit.seconds
    counter_key = f"{limit.name}:{window}:{key}"
    if settings.REDIS_URL:
        count = _hit_in_cache(counter_key, ends - int(now))
    else:
        count = shared().hit(counter_key, ends, int(now))
    return count <= limit.count


def _hit_in_cache(counter_key: str, seconds: int) -> int:
    cache.add(counter_key, 0, timeout=seconds + 1)
    try:
        return int(cache.incr(counter_key))
    except ValueError:  # expired between add and incr: start again
        cache.add(counter_key, 1, timeout=seconds + 1)
        return 1
