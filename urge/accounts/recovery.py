"""Recovery codes: ten one-time codes, shown once, for signing in without the phone.

Each is 12 characters of a 32-letter alphabet (60 bits), in groups of four. Typed back, it
is normalised (case, spaces, dashes, the letters people mistake for digits) and compared by
keyed hash; a code works once.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from urge.accounts.models import RecoveryCode
from urge.core.hashing import keyed_hash

COUNT = 10
# Crockford's base 32: no I, L, O or U, so nothing reads as another letter or digit.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_READ_AS = str.maketrans({"i": "1", "l": "1", "o": "0"})


def make(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the codes, to show once."""
    codes = ["".join(secrets.choice(ALPHABET) for _ in range(12)) for _ in range(COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_hash(code)) for code in codes
        )
    return ["-".join(code[at : at + 4] for at in range(0, 12, 4)) for code in codes]


def use(user: User, typed: str) -> bool:
    """Spend the code if it is one of the user's, unused; True if it was."""
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(_normalise(typed)), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent == 1


def remaining(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _normalise(typed: str) -> str:
    kept = "".join(typed.lower().split()).replace("-", "")
    return kept.translate(_READ_AS)


def _hash(code: str) -> str:
    return keyed_hash("recovery:" + code)
