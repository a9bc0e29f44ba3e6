"""Keyed hashes: recognise a value seen before (an address, an account) without storing it."""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(value: str) -> str:
    """An HMAC of the value: finds duplicates without storing what can be guessed back."""
    key = settings.URGE_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
