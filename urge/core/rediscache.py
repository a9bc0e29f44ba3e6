"""Redis as Django's cache, where Redis down makes a slower site, never a broken one.

With REDIS_URL set, the cache and the rate limits live in Redis. When it does not answer,
reads find nothing and writes keep nothing; but `add` and `incr`, whose answers callers act
on (is this key new? how many so far?), raise CacheUnavailable rather than guess, and the
rate limits then count in this host's shared table
(urge/core/ratelimit.py), which is lenient across hosts but never refuses a page. After a
failure every call skips Redis for a pause (a circuit breaker), so a Redis that hangs costs
one timeout per pause, not one per request; and the log says so once per outage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from urge.core.breaker import Breaker
from urge.core.memo import forgettable

logger = logging.getLogger(__name__)

T = TypeVar("T")
# Not only a Redis gone: one out of memory, read-only after a failover, or without its
# primary answers with an error, and a page must not fail for it either.
REDIS_DOWN = (RedisError,)
# Seconds a connection or command may take: Redis on the same network answers in
# milliseconds, and a request thread must not wait on one that is gone.
SOCKET_SECONDS = 1.0
# Seconds without trying Redis after it failed; then one call tries it again.
PAUSE_SECONDS = 15.0

breaker = Breaker("Redis", failures=1, within=PAUSE_SECONDS, pause=PAUSE_SECONDS)
forgettable(breaker.reset)


class CacheUnavailable(Exception):
    """Redis did not answer (or is skipped for a while after it did not)."""


def caches_for(redis_url: str | None) -> dict[str, dict[str, Any]]:
    """Django's CACHES: Redis when a URL is given, else each process's own memory."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "urge.core.rediscache.ForgivingRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "urge",
            "OPTIONS": {
                "socket_connect_timeout": SOCKET_SECONDS,
                "socket_timeout": SOCKET_SECONDS,
            },
        }
    }


def attempt(call: Callable[[], T]) -> T:
    """`call()`, or CacheUnavailable when Redis does not answer or is being skipped."""
    if not breaker.allows():
        raise CacheUnavailable
    try:
        result = call()
    except REDIS_DOWN as error:
        starting = not breaker.is_open
        breaker.failed()
        if starting:
            logger.warning(
                "Redis did not answer (%s): pages are made without the cache, and rate "
                "limits count on this host alone, until it does.",
                type(error).__name__,
            )
        raise CacheUnavailable from None
    breaker.succeeded()
    return result


def forgiving(call: Callable[[], T], fallback: T) -> T:
    try:
        return attempt(call)
    except CacheUnavailable:
        return fallback


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, answering as an empty cache while Redis is down. `add`, `incr`
    and `decr` raise CacheUnavailable instead: "not added" or no count would be a guess that
    the caller acts on."""

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        return attempt(lambda: super(ForgivingRedisCache, self).add(key, value, timeout, version))

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return forgiving(
            lambda: super(ForgivingRedisCache, self).get(key, default, version), default
        )

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        forgiving(lambda: super(ForgivingRedisCache, self).set(key, value, timeout, version), None)

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return forgiving(
            lambda: super(ForgivingRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return forgiving(lambda: super(ForgivingRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return forgiving(lambda: super(ForgivingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return forgiving(lambda: super(ForgivingRedisCache, self).has_key(key, version), False)

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        return forgiving(
            lambda: super(ForgivingRedisCache, self).set_many(data, timeout, version), []
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        forgiving(lambda: super(ForgivingRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        forgiving(lambda: super(ForgivingRedisCache, self).clear(), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return attempt(lambda: super(ForgivingRedisCache, self).incr(key, delta, version))

    def answers(self) -> bool:
        """Whether Redis answers PING now, asked past the breaker: /readyz reports what is,
        not what the last failure left the breaker thinking. (Within SOCKET_SECONDS.)"""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except REDIS_DOWN:
            return False
