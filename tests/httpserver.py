"""A real HTTP server on 127.0.0.1 for tests: canned answers by path, 304s, delays, and requests."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Canned:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait: before anything is sent, or after `delay_after` bytes of the body.
    delay: float = 0.0
    delay_after: int | None = None


@dataclass(frozen=True)
class Received:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case, so tests need not guess the client's spelling


NOT_FOUND = Canned(
    status=404, body=b"Nothing is served here.\n", headers={"Content-Type": "text/plain"}
)


class LocalServer:
    """Serves canned answers from a thread until closed; use it as a context manager.

    >>> with LocalServer() as server:
    ...     url = server.serve("/file.txt", b"hello", headers={"ETag": '"v1"'})
    """

    def __init__(self) -> None:
        self._canned: dict[str, Canned] = {}
        # Answers for a path only when the query has these parameters, checked first.
        self._when: list[tuple[str, dict[str, str], Canned]] = []
        self._received: list[Received] = []
        self._lock = threading.Lock()
        # Set on close so that handlers sleeping in a delay wake up instead of outliving the test.
        self.closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        # A short poll interval: close() waits for the next poll, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="test-http-server",
            daemon=True,
        )
        self._started = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def serve(
        self,
        path: str,
        body: bytes = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        delay_after: int | None = None,
        when: dict[str, str] | None = None,
    ) -> str:
        """Answer requests for `path` (query ignored, unless `when` names parameters the
        query must have, as for the pages of a paginated answer) from now on; returns the
        full URL."""
        canned = Canned(
            status=status,
            body=body,
            headers=dict(headers or {}),
            delay=delay,
            delay_after=delay_after,
        )
        with self._lock:
            if when:
                self._when.append((path, dict(when), canned))
            else:
                self._canned[path] = canned
        return self.url(path)

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def start(self) -> LocalServer:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    def close(self) -> None:
        self.closing.set()
        if self._started:
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _record(self, received: Received) -> Canned:
        with self._lock:
            self._received.append(received)
            for path, params, canned in reversed(self._when):  # the newest wins
                if path == received.path and all(
                    received.query.get(name) == [value] for name, value in params.items()
                ):
                    return canned
            return self._canned.get(received.path, NOT_FOUND)


class _Server(ThreadingHTTPServer):
    # Daemon handler threads: a client that timed out must not keep the test run waiting.
    daemon_threads = True
    owner: LocalServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        received = Received(
            method="GET",
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in self.headers.items()},
        )
        canned = self.server.owner._record(received)
        # The client may have given up (a timeout under test); then there is no one to answer.
        with contextlib.suppress(ConnectionError):
            self._answer(canned)

    def _answer(self, canned: Canned) -> None:
        closing = self.server.owner.closing
        if canned.delay and canned.delay_after is None:
            closing.wait(canned.delay)
        if canned.status == 200 and _not_modified(
            canned.headers,
            self.headers.get("If-None-Match"),
            self.headers.get("If-Modified-Since"),
        ):
            self.send_response(304)
            for name, value in canned.headers.items():
                if name.lower() in {"etag", "last-modified"}:
                    self.send_header(name, value)
            self.end_headers()
            return
        self.send_response(canned.status)
        given = {name.lower() for name in canned.headers}
        for name, value in canned.headers.items():
            self.send_header(name, value)
        # A test may set Content-Length itself to announce more than it sends.
        if "content-length" not in given:
            self.send_header("Content-Length", str(len(canned.body)))
        if "content-type" not in given:
            self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        if canned.delay_after is None:
            self.wfile.write(canned.body)
            return
        self.wfile.write(canned.body[: canned.delay_after])
        self.wfile.flush()
        closing.wait(canned.delay)
        self.wfile.write(canned.body[canned.delay_after :])

    def log_message(self, format: str, *args: Any) -> None:
        # Quiet: the default writes every request line, query included, to stderr.
        pass


def _not_modified(
    canned_headers: dict[str, str], if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """Whether the client's copy is current, by RFC 9110: If-None-Match wins over the date."""
    ours = {name.lower(): value for name, value in canned_headers.items()}
    etag = ours.get("etag")
    if if_none_match is not None:
        if etag is None:
            return False
        theirs = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in theirs or etag.removeprefix("W/") in theirs
    last_modified = ours.get("last-modified")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
