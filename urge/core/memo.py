"""Facts every hot request needs (a campaign by its slug, its wordings, its co-hosts), kept for
a few seconds in each process instead of being queried on every request.

What is kept is read-only and small; an edit in the admin or a new `urge load` shows within
URGE_MEMO_SECONDS. Tests set it to 0, except those about this module.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Hashable
from typing import ParamSpec, TypeVar

from django.conf import settings

P = ParamSpec("P")
R = TypeVar("R")

_stores: list[dict[Hashable, tuple[float, object]]] = []


def briefly(function: Callable[P, R]) -> Callable[P, R]:
    store: dict[Hashable, tuple[float, object]] = {}
    _stores.append(store)

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        seconds = settings.URGE_MEMO_SECONDS
        if not seconds:
            return function(*args, **kwargs)
        key = (args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        found = store.get(key)
        if found is not None and found[0] > now:
            return found[1]  # type: ignore[return-value]
        value = function(*args, **kwargs)
        if len(store) > 1000:
            store.clear()
        store[key] = (now + seconds, value)
        return value

    return wrapper


def forget_all() -> None:
    for store in _stores:
        store.clear()
