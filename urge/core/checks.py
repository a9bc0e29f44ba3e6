"""Checks of the settings urge/core reads: the deploy checks (`urge check --deploy`) warn,
and urge.E001 stops `urge serve` and every command (Django runs the checks before them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Error as CheckError
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


@register(Tags.caches)
def several_hosts_share_redis(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Without Redis, each host counts rate limits and caches in its own memory: N hosts would
    grant N times every limit, silently. Nothing in one process can see the other hosts, so the
    operator says how many there are (URGE_HOSTS), and the site refuses to start on a count
    above 1 without REDIS_URL."""
    hosts = settings.URGE_HOSTS
    if hosts <= 1 or settings.REDIS_URL:
        return []
    return [
        CheckError(
            f"URGE_HOSTS is {hosts} but REDIS_URL is not set: each host would count rate "
            f"limits and cache pages on its own, so {hosts} hosts would grant {hosts} times "
            "every limit.",
            hint=(
                "Set REDIS_URL to one Redis that every host uses, or URGE_HOSTS=1 if this "
                "host alone serves the site."
            ),
            id="urge.E001",
        )
    ]


# One email to a mail server that keeps timing out can wait EMAIL_TIMEOUT several times
# (connecting, each command of the conversation); a batch begins no email after half the
# lease. Ten timeouts leave room for that before a second worker may take the task.
LEASE_TIMEOUTS = 10


@register(deploy=True)
def lease_outlasts_slow_mail(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """A lease shorter than a slow mail server can keep a worker puts its task back while the
    worker is still sending (urge/core/lease.py). Each email is claimed, so neither sends what
    the other has claimed, but a claim runs out with the lease too: only a lease long enough
    keeps one slow email from going twice."""
    lease, timeout = settings.URGE_TASK_LEASE_SECONDS, settings.EMAIL_TIMEOUT
    if lease >= LEASE_TIMEOUTS * timeout:
        return []
    return [
        CheckWarning(
            f"URGE_TASK_LEASE_SECONDS is {lease}, less than {LEASE_TIMEOUTS} times "
            f"EMAIL_TIMEOUT ({timeout}): a worker waiting on a slow mail server could have "
            "its task given to another worker while it still sends.",
            hint=(
                f"Set URGE_TASK_LEASE_SECONDS to at least {LEASE_TIMEOUTS * timeout}, or "
                "lower EMAIL_TIMEOUT."
            ),
            id="urge.W005",
        )
    ]
