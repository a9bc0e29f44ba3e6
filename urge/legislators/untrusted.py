"""Small readers for untrusted decoded JSON/YAML, and the error for a record too broken."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


class _BadRecord(Exception):
    """A record too broken to keep; the message says why, for the finding."""


def _text(value: object) -> str:
    # Upstream occasionally writes numbers (a suite "350", a zip) where text is expected.
    if isinstance(value, bool):
        return ""
    if isinstance(value, str | int):
        return str(value).strip()
    return ""


def _mapping(value: object) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _date(value: object) -> datetime.date | None:
    # YAML decodes unquoted dates itself; JSON leaves them as ISO strings.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def is_web_url(url: str) -> bool:
    """Whether `url` is an http(s) address with a plausible host name."""
    if any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(_HOST.match(host))
