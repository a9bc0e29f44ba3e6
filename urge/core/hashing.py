"""Keyed hashes: recognise a value seen before (an address, an account) without storing it."""

import hashlib
import hmac
import unicodedata

from django.conf import settings


def keyed_hash(value: str) -> str:
    """An HMAC of the value: finds duplicates without storing what can be guessed back."""
    key = settings.URGE_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    """One form per address: Unicode-normalised, trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def email_hash(email: str) -> str:
    """The keyed hash that stands for an address: in a supporter's row, in an outbox file's
    name, in a queued task."""
    return keyed_hash("email:" + normalise_email(email))
