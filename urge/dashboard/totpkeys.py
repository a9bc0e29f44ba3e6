"""TOTP secrets sealed at rest: a copy of the database gives nobody a staff member's codes.

django-otp stores each authenticator's secret as hex in a column of 80 characters, from
which anyone holding the database can compute every future code. Here the secret is sealed
with AES-GCM under a key derived (HKDF) from the site's first URGE_ENCRYPTION_KEYS key:
"s1:" and 64 url-safe base64 characters (nonce, ciphertext, tag), which fits the column on
PostgreSQL, where a Fernet token would not. Any listed site key opens it; `urge rotatekeys`
seals it anew under the first.
"""

from __future__ import annotations

import base64
import os
from binascii import unhexlify

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from urge.supporters.crypto import UndecryptableError, check_keys

PREFIX = "s1:"
_CONTEXT = b"urge totp secret"


def _aead(site_key: str) -> AESGCM:
    material = base64.urlsafe_b64decode(site_key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CONTEXT).derive(material)
    return AESGCM(derived)


def seal(secret: bytes) -> str:
    site_keys = check_keys(settings.URGE_ENCRYPTION_KEYS)
    nonce = os.urandom(12)
    sealed = _aead(site_keys[0]).encrypt(nonce, secret, _CONTEXT)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def open_secret(value: str) -> bytes:
    """The secret; a value stored before sealing is its hex, as django-otp wrote it."""
    if not is_sealed(value):
        return unhexlify(value.encode())
    data = value.removeprefix(PREFIX)
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    for site_key in check_keys(settings.URGE_ENCRYPTION_KEYS):
        try:
            return _aead(site_key).decrypt(raw[:12], raw[12:], _CONTEXT)
        except InvalidTag:
            continue
    raise UndecryptableError("No configured key opens this authenticator's secret.")
