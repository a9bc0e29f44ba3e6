"""Pages the same for every visitor but for a few values, rendered once and filled in.

Rendering a template costs more than everything else a small request does. Some pages
differ between requests only in a few printed values: the sign-up form's stamp and referral
code, the address the page on the way out leads to. Such a page is rendered once with a
mark in place of each value, and each request gets a copy with its own values put in,
escaped as the template escapes them. Nothing of a visitor is ever in what is kept: only
marks, which are random per process.

A value may only be printed by the template (escaped, as `{{ value }}` does), or tested for
being empty: a page is kept apart for each combination of empty and non-empty values, so
`{% if value %}` takes the branch the real value would. A template that did anything else
with one (a filter, a comparison) would show the mark's result instead: keep such values
out of the marks, in the key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Mapping, MutableMapping

from django.utils.html import escape

_TOKEN = secrets.token_hex(16)
# Kept pages per store, beyond which a store starts again.
MOST_PAGES = 64


def mark(name: str) -> str:
    """The mark that stands for the value `name` (letters and digits: escaping keeps it)."""
    return f"mark{name}{_TOKEN}"


def filled(
    store: MutableMapping[Hashable, str],
    key: Hashable,
    values: Mapping[str, str],
    render: Callable[[Mapping[str, str]], str],
) -> str:
    """The page `render(marks)` makes for `key`, rendered once per combination of empty
    values and kept in `store`, with `values` put in place of their marks."""
    shape = (key, tuple(bool(value) for value in values.values()))
    page = store.get(shape)
    if page is None:
        page = render({name: mark(name) if value else "" for name, value in values.items()})
        if len(store) >= MOST_PAGES:
            store.clear()
        store[shape] = page
    for name, value in values.items():
        if value:
            page = page.replace(mark(name), escape(value))
    return page
