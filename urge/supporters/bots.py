"""Telling people from scripts without any outside service: a honeypot, a minimum fill time,
and, when an operator turns it on for a spike of abuse, a small proof of work.

Each form carries a signed stamp of when it was shown, good for one sign-up. One that fills
the field people never see, or fails the puzzle, is a bot: it is answered exactly as a real
sign-up is, and nothing is stored, so it learns nothing about what gave it away. A submission
sooner than a person could type may still be a person whose browser filled the form in for
them: they are asked to press once more, with everything they sent kept, never told it
worked when it did not. So is one whose stamp a sign-up has spent already: a script reusing
one page's stamp, or a person who pressed twice.

Spent stamps are kept where the rate limits count (urge/core/ratelimit.py `first_use`), not
in a table: the check is atomic across a server's worker processes (and across hosts, with
Redis), costs no database write, and each entry expires with its stamp, so nothing needs
purging. What that store can forget (its counts when `urge serve` restarts, or on a host of
its own without Redis, or an entry crowded out by a flood) lets a stamp be used again only
within its lifetime, and the per-connection sign-up limit still holds.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from enum import Enum

from django.conf import settings
from django.core import signing

from urge.core.ratelimit import first_use

SALT = "urge.supporters.form-stamp"
# A form left open longer than this is sent back to be submitted again. Hours, not a day:
# long enough for anyone typing, and short enough to bound how long a copied stamp is any use.
STAMP_MAX_AGE = 2 * 3600
HONEYPOT = "website"


class Verdict(Enum):
    PERSON = "person"
    BOT = "bot"
    TOO_FAST = "too-fast"  # sent sooner than a person types: ask to press once more
    STALE = "stale"  # a form too old, or a stamp that does not read: ask to send it again
    NEEDS_WORK = "needs-work"  # the puzzle is on and was not attempted (no JavaScript)


def new_stamp() -> str:
    """A signed token of the moment the form was shown, with a random part for the puzzle."""
    return signing.TimestampSigner(salt=SALT).sign(secrets.token_urlsafe(12))


def stamp_made(stamp: str) -> float | None:
    """When the stamp was made (Unix seconds), or None if it is forged or too old."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        signer.unsign(stamp, max_age=STAMP_MAX_AGE)
    except signing.BadSignature:
        return None
    return float(signing.b62_decode(stamp.rsplit(signer.sep, 2)[1]))


def stamp_age(stamp: str) -> float | None:
    """Seconds since the stamp was made, or None if it is forged or too old."""
    made = stamp_made(stamp)
    return None if made is None else time.time() - made


def spend(stamp: str) -> bool:
    """Use the stamp up for the sign-up in hand: False if a sign-up used it already (or it
    does not read). Called once the form is sound, so that a form sent back for a mistake
    keeps a stamp that works."""
    made = stamp_made(stamp)
    if made is None:
        return False
    return first_use("form-stamp", stamp, until=made + STAMP_MAX_AGE)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def work_is_done(stamp: str, email: str, nonce: str, bits: int) -> bool:
    """SHA-256 of stamp, address and nonce starts with `bits` zero bits (act.js finds one)."""
    if bits <= 0:
        return True
    digest = hashlib.sha256(f"{stamp}:{email.strip().lower()}:{nonce}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def judge(stamp: str, honeypot: str, email: str, nonce: str) -> Verdict:
    if honeypot:
        return Verdict.BOT
    age = stamp_age(stamp)
    if age is None:
        return Verdict.STALE
    if age < settings.URGE_SIGNUP_MIN_SECONDS:
        return Verdict.TOO_FAST
    bits = settings.URGE_SIGNUP_POW_BITS
    if bits and not nonce:
        return Verdict.NEEDS_WORK
    if not work_is_done(stamp, email, nonce, bits):
        return Verdict.BOT
    return Verdict.PERSON
