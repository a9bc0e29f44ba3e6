"""Django's database sessions, storing a hash of each session key instead of the key.

The browser's cookie holds the key; the database holds only its SHA-256, so a copy of the
database (a backup, a stolen disk) cannot be replayed as a staff member's signed-in session.
Only the synchronous methods are overridden: Urge serves by WSGI, never asynchronously.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

# The Session model's key column holds 40 characters: 160 bits of the hash, plenty against
# guessing, as the keys hashed are random.
STORED_LENGTH = 40


def stored_key(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:STORED_LENGTH]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        try:
            return self.model.objects.get(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None
            return None

    def exists(self, session_key: str) -> bool:
        return bool(self.model.objects.filter(session_key=stored_key(session_key)).exists())

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        # save() makes the key first (through create()) when the session has none yet.
        assert self.session_key is not None
        return self.model(
            session_key=stored_key(self.session_key),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self.model.objects.filter(session_key=stored_key(session_key)).delete()
