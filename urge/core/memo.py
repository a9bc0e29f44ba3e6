"""Facts derived from a campaign (its texts, wordings, co-hosts, target rules), kept in each
process for as long as the campaign is unchanged.

A fact is remembered under its campaign's version: the `updated_at` of the row, which every
save of the campaign or of one of its parts moves on (urge/campaigns/signals.py). A request
reads the campaign row anyway, so an edit, in the admin or by `urge load`, shows on the very
next render in every process and on every host, with no timer to tune.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
MAX_ENTRIES = 1000


class Versioned(Protocol):
    @property
    def pk(self) -> object: ...

    @property
    def updated_at(self) -> datetime: ...


V = TypeVar("V", bound=Versioned)

_forgetters: list[Callable[[], None]] = []


def per_version(function: Callable[Concatenate[V, P], R]) -> Callable[Concatenate[V, P], R]:
    """Remember `function(row, *args)` until `row` has another version."""
    store: dict[Hashable, object] = {}
    _forgetters.append(store.clear)

    @functools.wraps(function)
    def wrapper(row: V, /, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (row.pk, row.updated_at, args, tuple(sorted(kwargs.items())))
        try:
            return store[key]  # type: ignore[return-value]
        except KeyError:
            pass
        value = function(row, *args, **kwargs)
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = value
        return value

    return wrapper


def forgettable(clear: Callable[[], None]) -> None:
    """Have forget_all() call `clear` too (for a cache kept another way)."""
    _forgetters.append(clear)


def forget_all() -> None:
    """Forget every remembered fact (tests do, between tests)."""
    for clear in _forgetters:
        clear()
