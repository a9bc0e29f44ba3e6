"""Requests through the stack `urge serve` runs (urge/wsgi.py): the HTTP cache, then Django
with all of its middleware, in the test's own thread and database transaction."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from wsgiref.util import setup_testing_defaults

from urge.core.httpcache import WSGIApp


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


def request(app: WSGIApp, path: str, method: str = "GET", body: bytes = b"", **meta: str) -> Answer:
    route, _sep, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        **meta,
    }
    if body:
        environ.setdefault("CONTENT_TYPE", "application/x-www-form-urlencoded")
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    result = app(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return Answer(int(seen["status"][:3]), seen["headers"], content)
