"""Which view answers a public path, worked out once per path and language.

Django matches the path against the URL patterns afresh on every request: the admin's, then
each app's in turn, raising and catching an exception for each app whose patterns all fail,
and listing every pattern it tried (for the debug 404 page). For a campaign's pages that was
about a tenth of what a form post costs. The answer depends only on the URL patterns, the
path and, for the language-prefixed patterns, the active language, and the patterns use no
converter that looks anything up; so here it is remembered, keyed on all three (a new set
of patterns, as tests make, is a new resolver: a new key).

Only the public pages go through here (the staff's resolve as Django resolves them), and only
paths whose captured values are all slugs are remembered: a path with a token (the links
in supporters' emails) is worked out each time, so that no token stays in memory. A path
that matches nothing raises Resolver404 each time, as before. What is remembered is bounded:
past MAX_REMEMBERED paths it starts again from none.
"""

from __future__ import annotations

import re

from django.urls import ResolverMatch, URLResolver
from django.utils import translation

from urge.core.memo import forgettable

MAX_REMEMBERED = 1024
# A route's converters, as `path()` writes them ("c/<slug:slug>/join/").
_CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")

_remembered: dict[tuple[URLResolver, str | None, str], ResolverMatch] = {}


def resolve(resolver: URLResolver, path: str) -> ResolverMatch:
    """resolver.resolve(path), the same match for the same path, resolver and language.

    The match is shared by the requests for that path: nothing in Django or Urge changes a
    ResolverMatch once made (views get their own copy of its keyword arguments)."""
    key = (resolver, translation.get_language(), path)
    match = _remembered.get(key)
    if match is None:
        match = resolver.resolve(path)
        if _slugs_only(match.route or ""):
            if len(_remembered) >= MAX_REMEMBERED:
                _remembered.clear()
            _remembered[key] = match
    return match


def _slugs_only(route: str) -> bool:
    """Whether every value the route captures is a slug (a campaign's, a co-host's, a
    legislator's); False for a regular expression's route, which says nothing of them (any
    group, named or not: Django drops the `^` of a nested one when it joins them)."""
    if "(" in route or "^" in route:
        return False
    return all(kind == "slug" for kind in _CONVERTER.findall(route))


def forget() -> None:
    """Start again from no path remembered (for tests)."""
    _remembered.clear()


forgettable(forget)
