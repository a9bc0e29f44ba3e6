"""The sites a campaign lets embed its action (campaign.yaml's `embed_origins`).

Each one goes, as written, into the embed pages' `Content-Security-Policy: frame-ancestors`,
so it must be an exact origin as a browser serialises it: a scheme, a lower-case host and
perhaps a port, with no path, no wildcard and nothing a header could be split on. A
campaign names its co-hosts' sites over HTTPS; plain HTTP only for a test on this machine.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HTTPS_ORIGIN = re.compile(rf"^https://{LABEL}(?:\.{LABEL})+(?::[1-9][0-9]{{0,4}})?$")
LOCAL_ORIGIN = re.compile(r"^http://(?:localhost|127\.0\.0\.1)(?::[1-9][0-9]{0,4})?$")
EXAMPLE = "https://www.example.org"


def origin_problem(value: object) -> str | None:
    """Why `value` cannot be an embedding site's origin, or None if it can."""
    if not isinstance(value, str) or not value:
        return f"must be a site's address, such as {EXAMPLE}, not {value!r}"
    if HTTPS_ORIGIN.match(value) or LOCAL_ORIGIN.match(value):
        _rest, colon, port = value.rpartition(":")
        if colon and port.isdigit() and int(port) > 65535:
            return f"{value!r} has no such port"
        if value.endswith(":443"):
            return f"{value!r} names the default port: write {value[:-4]!r}"
        return None
    suggestion = _origin_of(value)
    if suggestion and suggestion != value and origin_problem(suggestion) is None:
        return f"{value!r} is not an origin: write {suggestion!r}"
    if value.startswith("http://"):
        return f"{value!r} must use https (http only for localhost or 127.0.0.1, to test)"
    return f"{value!r} is not an origin such as {EXAMPLE} (https, a host name, no path)"


def _origin_of(value: str) -> str:
    """The origin a mistyped address most likely meant ('' if none)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return ""
    if not parts.scheme or not parts.hostname or parts.username or parts.password:
        return ""
    scheme = parts.scheme.lower()
    default = {"https": 443, "http": 80}.get(scheme)
    shown_port = f":{port}" if port is not None and port != default else ""
    return f"{scheme}://{parts.hostname.lower()}{shown_port}"


def origin_problems(values: object) -> list[tuple[int | None, str]]:
    """Every problem with a list of origins: (its index, or None for the list, message)."""
    if not isinstance(values, list):
        return [(None, f"must be a list of sites' addresses, such as [{EXAMPLE}]")]
    problems: list[tuple[int | None, str]] = []
    seen: set[str] = set()
    for index, value in enumerate(values):
        problem = origin_problem(value)
        if problem is None and value in seen:
            problem = f"{value!r} is listed twice"
        if problem is not None:
            problems.append((index, problem))
        elif isinstance(value, str):
            seen.add(value)
    return problems


def validate_embed_origins(values: object) -> None:
    """The model field's check, so that the admin refuses what `urge load` would."""
    problems = origin_problems(values)
    if problems:
        raise ValidationError(
            [message if index is None else f"[{index}]: {message}" for index, message in problems]
        )
