"""A real SMTP server on 127.0.0.1 for tests, and Django's settings pointed at it.

Name the fixture in a test module to use it:

    from tests import smtp
    from tests.smtp import SmtpServer

    smtp_server = smtp.smtp_server

    def test_it_sends(smtp_server: SmtpServer) -> None:
        ...
        (message,) = smtp_server.wait_for(1)
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.test import override_settings

# The longest a recipient in `SmtpServer.held` waits for the one that releases it.
HOLD_SECONDS = 30.0


class SmtpServer:
    """Collects every message it receives, parsed; `wait_for` blocks until enough arrive."""

    def __init__(self) -> None:
        self._messages: list[EmailMessage] = []
        self._envelopes: list[Envelope] = []
        self._sessions: list[Session] = []  # the connection each message came over
        self._arrived = threading.Condition()
        # Bound here, on a free port, and handed to the server: no race for a port number.
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self._controller = _Controller(self, self._socket)
        # Addresses the server turns away, as a mail server does an unknown mailbox...
        self.refused: set[str] = set()
        # ...and those it asks to try again later, as a greylisting server does.
        self.deferred: set[str] = set()
        # Called with the number of messages taken so far: when a recipient is named, and
        # when a message has been taken but not yet acknowledged ("250").
        self.on_recipient: Callable[[int], None] | None = None
        self.on_taken: Callable[[int], None] | None = None
        # A slow server, for one connection at a time: the first time an address is named,
        # the answer waits this many seconds (`slow`), or until another address (`held`'s
        # value) has been named over any connection (HOLD_SECONDS at most).
        self.slow: dict[str, float] = {}
        self.held: dict[str, str] = {}
        self._named: set[str] = set()

    @property
    def messages(self) -> list[EmailMessage]:
        with self._arrived:
            return list(self._messages)

    @property
    def recipients(self) -> list[list[str]]:
        """Each message's envelope recipients (RCPT TO), in order of arrival."""
        with self._arrived:
            return [list(envelope.rcpt_tos) for envelope in self._envelopes]

    @property
    def connections(self) -> int:
        """How many connections carried the messages received."""
        with self._arrived:
            return len({id(session) for session in self._sessions})

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """The first `count` messages, once they have arrived; fails the test after `timeout`."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._messages) >= count, timeout):
                pytest.fail(f"Expected {count} emails, got {len(self._messages)}.")
            return list(self._messages[:count])

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.on_recipient is not None:
            self.on_recipient(len(self.messages))
        self._named.add(address)
        await asyncio.sleep(self.slow.pop(address, 0.0))
        release = self.held.pop(address, None)
        waited = 0.0
        while release is not None and release not in self._named and waited < HOLD_SECONDS:
            await asyncio.sleep(0.05)
            waited += 0.05
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if address in self.deferred:
            return f"451 4.7.1 <{address}>: Recipient address deferred: try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        raw = content if isinstance(content, bytes) else str(content).encode()
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._arrived:
            self._messages.append(message)
            self._envelopes.append(envelope)
            self._sessions.append(session)
            self._arrived.notify_all()
        if self.on_taken is not None:
            self.on_taken(len(self.messages))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
        self._socket.close()


class _Controller(Controller):
    def __init__(self, handler: SmtpServer, sock: socket.socket) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=sock.getsockname()[1])
        self._sock = sock

    def _create_server(self) -> Any:
        coroutine: Any = self.loop.create_server(self._factory_invoker, sock=self._sock)
        return coroutine


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server, with Django's SMTP backend sending to it."""
    # The server's own log quotes every line received, addresses included.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    server = SmtpServer()
    server.start()
    settings = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    )
    with settings:
        yield server
    server.stop()
    server_log.setLevel(level)
