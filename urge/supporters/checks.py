"""Deploy checks (`urge check --deploy`) of the keys that encrypt personal data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet
from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning

HINT = (
    "Make a key with `urge genkey`, put it first in URGE_ENCRYPTION_KEYS, and keep a copy "
    "apart from the database: without it nothing stored can be read."
)


@register(Tags.security, deploy=True)
def encryption_keys(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Without a working key every sign-up fails when it is stored; said here, before the
    first supporter finds out. A bad key is named by its place in the list, never quoted."""
    keys = list(settings.URGE_ENCRYPTION_KEYS)
    if not keys:
        return [
            CheckWarning(
                "URGE_ENCRYPTION_KEYS is not set: sign-ups cannot be stored.",
                hint=HINT,
                id="urge.W003",
            )
        ]
    return [
        CheckWarning(
            f"URGE_ENCRYPTION_KEYS: key {place} of {len(keys)} is not a Fernet key "
            "(32 bytes in url-safe base64).",
            hint=HINT,
            id="urge.W004",
        )
        for place, key in enumerate(keys, start=1)
        if not _is_key(key)
    ]


def _is_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True
