"""Deploy checks (`urge check --deploy`) of the settings urge/core reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

from urge.core.proxies import seen_uncounted_proxy

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", ".localhost"}


@register(Tags.security, deploy=True)
def proxy_count(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Whether there is a proxy in front can only be seen in a request, which this command
    never gets. So: a public site (HTTPS, or hosts other than this machine's) whose
    URGE_PROXY_COUNT was left unset is warned; setting it, to 0 too, says the operator
    knows. A process that saw a proxy's request while the count was 0 says that instead."""
    found: list[CheckMessage] = []
    if seen_uncounted_proxy():
        found.append(
            CheckWarning(
                "Requests came with X-Forwarded-For from a private address while "
                "URGE_PROXY_COUNT is 0: every visitor counts as the proxy for rate limits.",
                hint="Set URGE_PROXY_COUNT to the number of proxies in front of the site.",
                id="urge.W002",
            )
        )
    public = settings.HTTPS or any(host not in LOCAL_HOSTS for host in settings.ALLOWED_HOSTS)
    if public and not settings.URGE_PROXY_COUNT_GIVEN and settings.URGE_PROXY_COUNT == 0:
        found.append(
            CheckWarning(
                "URGE_PROXY_COUNT is not set, so it is 0, on a site served to others: behind "
                "a reverse proxy (nginx, a load balancer, a CDN), every visitor would have "
                "the proxy's address and share one rate limit.",
                hint=(
                    "Set URGE_PROXY_COUNT to the number of proxies that append to "
                    "X-Forwarded-For, or to 0 if visitors connect to `urge serve` directly."
                ),
                id="urge.W001",
            )
        )
    return found
