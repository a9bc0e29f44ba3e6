"""The public pages' views are found once per path and language (urge/core/routes.py): the
same match Django's resolver gives, a path with a token never remembered, a path that
matches nothing refused each time."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import Resolver404, ResolverMatch, get_resolver
from django.utils import translation

from urge.core import routes

PATHS = [
    "/c/hketo/",
    "/c/hketo/act/",
    "/c/hketo/act/go/",
    "/c/hketo/join/",
    "/c/hketo/join/thanks/",
    "/zh-hant/c/hketo/",
    "/zh-hant/c/hketo/act/go/",
    "/c/hketo/confirm/a-token/",
    "/api/lookup",
    "/c/hketo/preview/abc.png",
]


def _seen(match: ResolverMatch) -> tuple[Any, ...]:
    return (
        match.func,
        match.args,
        match.kwargs,
        match.url_name,
        match.route,
        match.view_name,
        match.namespace,
        match.tried,
    )


def _django(path: str) -> tuple[Any, ...] | None:
    try:
        return _seen(get_resolver().resolve(path))
    except Resolver404:
        return None


def _ours(path: str) -> tuple[Any, ...] | None:
    try:
        return _seen(routes.resolve(get_resolver(), path))
    except Resolver404:
        return None


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("path", PATHS)
def test_the_same_match_as_djangos_the_first_time_and_after(path: str, language: str) -> None:
    with translation.override(language):
        expected = _django(path)
        assert _ours(path) == expected
        assert _ours(path) == expected


def test_a_prefixed_path_is_remembered_per_language() -> None:
    with translation.override("zh-hant"):
        assert _ours("/zh-hant/c/hketo/") is not None
    with translation.override("en"):
        assert _ours("/zh-hant/c/hketo/") is None


def test_a_path_with_a_token_is_not_remembered() -> None:
    routes.resolve(get_resolver(), "/c/hketo/confirm/a-secret-token/")
    routes.resolve(get_resolver(), "/c/hketo/join/")
    remembered = [path for _resolver, _language, path in routes._remembered]
    assert remembered == ["/c/hketo/join/"]


def test_a_path_that_matches_nothing_is_refused_each_time() -> None:
    for _ in range(2):
        with pytest.raises(Resolver404):
            routes.resolve(get_resolver(), "/c/hketo/no-such-page/")
    assert not routes._remembered


def test_what_is_remembered_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(routes, "MAX_REMEMBERED", 2)
    for slug in ("a", "b", "c"):
        routes.resolve(get_resolver(), f"/c/{slug}/")
    assert 0 < len(routes._remembered) <= 2


@pytest.mark.parametrize(
    "route",
    [
        "c/<slug:slug>/confirm/([0-9a-f]+)/$",  # a nested re_path's group, its ^ dropped
        "c/(?P<token>[^/]+)/",
        "^c/<slug:slug>/",
        "c/<str:token>/",
    ],
)
def test_a_route_that_may_capture_anything_but_slugs_is_never_kept(route: str) -> None:
    assert not routes._slugs_only(route)


def test_a_route_of_slugs_alone_is_kept() -> None:
    assert routes._slugs_only("c/<slug:slug>/act/go/")
