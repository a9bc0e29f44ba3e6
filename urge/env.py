"""Strict parsing of settings from environment variables.

A typo in production configuration should stop the site at start-up, not
quietly fall back to a default: `DEBUG=yes` raises rather than guessing.
"""

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"true", "1", "on"})
FALSE_WORDS = frozenset({"false", "0", "off"})


class Env:
    """Typed access to one mapping of environment variables."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def string(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        return default if value is None else value

    def optional_string(self, name: str) -> str | None:
        return self._raw(name)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        allowed = ", ".join(sorted(TRUE_WORDS | FALSE_WORDS))
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use one of: {allowed}.")

    def integer(self, name: str, default: int, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
        return number

    def choice(self, name: str, choices: Sequence[str], default: str) -> str:
        """One of a few words, in any case: `URGE_LOG_FORMAT=JSON` reads as "json"."""
        value = self._raw(name)
        if value is None:
            return default
        word = value.lower()
        if word not in choices:
            allowed = ", ".join(choices)
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {allowed}.")
        return word

    def strings(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        items = [item.strip() for item in value.split(",")]
        if any(item == "" for item in items):
            raise ImproperlyConfigured(f"{name}={value!r} has an empty item in its list.")
        return items

    def rate(self, name: str, default: str) -> tuple[int, int]:
        """A rate limit written "count/seconds", like "20/3600": at most 20 in each hour."""
        value = self._raw(name) or default
        count, slash, seconds = value.partition("/")
        if not (slash and count.strip().isdigit() and seconds.strip().isdigit()):
            raise ImproperlyConfigured(
                f'{name}={value!r} must look like "20/3600" (at most 20 in each 3600 seconds).'
            )
        if int(seconds) < 1:
            raise ImproperlyConfigured(f"{name}={value!r} needs a window of at least 1 second.")
        return int(count), int(seconds)


def private_file(path: Path) -> None:
    """Make `path` readable by its owner alone: created so if missing, tightened if not.

    SQLite gives its -wal and -shm files the database file's permissions, so a database made
    this way never has a moment when another account on the host can read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) & 0o077:
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)
