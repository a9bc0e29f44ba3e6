"""The laptop's outbox: each email written to a file named after its recipient's hash.

Django's file backend writes every message of a connection into one file named by the time,
so nothing could find and remove one person's mail. Here each message, for each recipient,
is a file of its own, `<recipient hash>-<time>-<random>.eml`: erasing a supporter removes
the copies of every email sent to them (`forget`), with nothing in a name that says who.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from urge.core.hashing import email_hash

_TAG = 32  # hex digits of the recipient's hash in a file name


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = _folder()
        for message in email_messages:
            data = message.message().as_bytes()
            for recipient in message.recipients():
                stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
                name = f"{email_hash(recipient)[:_TAG]}-{stamp}-{secrets.token_hex(3)}.eml"
                descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as file:
                    file.write(data)
        return len(email_messages)


def forget(address_hashes: Iterable[str]) -> int:
    """Overwrite and delete every email in the outbox to these addresses (by their hash);
    returns how many. Nothing to do when email is really sent."""
    if getattr(settings, "EMAIL_BACKEND", "") != f"{__name__}.OutboxBackend":
        return 0
    removed = 0
    folder = _folder()
    for address_hash in set(address_hashes):
        for path in folder.glob(f"{address_hash[:_TAG]}-*.eml"):
            with path.open("r+b") as file:
                file.write(b"\0" * path.stat().st_size)
                file.flush()
                os.fsync(file.fileno())
            path.unlink()
            removed += 1
    return removed


def _folder() -> Path:
    folder = Path(settings.EMAIL_FILE_PATH)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder
