"""The site's keys, and keyed hashes for look-ups.

Keys come from the environment, never the database. URGE_ENCRYPTION_KEYS lists Fernet keys,
newest first; new data is encrypted with the first, and any of them decrypts. They encrypt
each supporter's own data key (urge/supporters/datakeys.py), which encrypts that supporter's
personal fields. To rotate: put a new key first, run `urge rotatekeys`, then drop the old key.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from urge.core.hashing import email_hash, normalise_email

__all__ = [
    "UndecryptableError",
    "check_keys",
    "decrypt",
    "email_hash",
    "encrypt",
    "normalise_email",
    "rotate",
]


class UndecryptableError(Exception):
    """Stored data that none of the configured keys can open (a key was dropped too soon)."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "URGE_ENCRYPTION_KEYS is not set: personal data cannot be stored. Make a key with "
            "`urge genkey` (or python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "URGE_ENCRYPTION_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from None


def check_keys(keys: list[str]) -> list[str]:
    """The keys, once they are known to be present and well formed (ImproperlyConfigured)."""
    _fernet(tuple(keys))
    return keys


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.URGE_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return _keys().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("No configured key opens this value.") from None


def rotate(token: str) -> str:
    """The same text encrypted under the newest key."""
    try:
        return _keys().rotate(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError("No configured key opens this value.") from None
