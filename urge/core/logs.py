"""Log lines without the tokens of emailed links: the path is logged, its token cut out.

Django logs the path of every 4xx and 5xx answer ("Method Not Allowed (PUT): /c/x/erase/…",
"Not Found: …"), and the path of a confirm, leave or erase link is its authority: whoever
read the log could use it. Every token Urge puts in a URL is a value signed by
django.core.signing (`value:timestamp:signature`, one path segment), so the filter cuts
that shape wherever it stands, whatever the route, method or language prefix around it.

With URGE_LOG_FORMAT=json each line is one JSON object (`JsonLines`), for hosts whose log
collector reads fields rather than text. Its fields are a fixed list, never a record's
"extra" values: Django hands its log calls the request object (whose text is the full path)
and, for runserver, the client's socket (whose text is the visitor's IP address).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pythonjsonlogger.json import JsonFormatter

# What separates path segments, and a path from the rest of a log line.
SEPARATORS = re.compile(r"([/\s\"'?#]+)")
# The end of a segment holding a signed value: ":" (or its %3A escape), the base-62
# timestamp, ":" and a base64 signature (27 characters for SHA-1, 43 for SHA-256).
# Possessive quantifiers and a segment at a time: the time taken grows with the length of
# the line, never faster, however a visitor shapes the path (a log filter that backtracks
# is a way to stall the server with long URLs).
SIGNED_END = re.compile(r"(?::|%3A)[0-9A-Za-z]++(?::|%3A)[0-9A-Za-z_-]{20,}+\Z", re.IGNORECASE)
PLACEHOLDER = "<token>"


def without_tokens(text: str) -> str:
    """The text with each signed path segment replaced by PLACEHOLDER."""
    parts = SEPARATORS.split(text)
    # split() with a group puts the separators at the odd places.
    return "".join(
        PLACEHOLDER if index % 2 == 0 and SIGNED_END.search(part) else part
        for index, part in enumerate(parts)
    )


class HideTokens(logging.Filter):
    """Rewrites a record's message and arguments before any handler formats it.

    Installed on the loggers that log request paths (settings.LOGGING): a filter on a logger
    runs before every handler, this site's own and any an operator adds (a filter on one
    handler would leave the others the token)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_tokens(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {key: _cleaned(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_cleaned(value) for value in record.args)
        return True


def _cleaned(value: Any) -> Any:
    return without_tokens(value) if isinstance(value, str) else value


# The methods a request may name in a log line; any other word a client sends is "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})


class JsonLines(JsonFormatter):
    """One JSON object a line: time (UTC), level, logger and message; for a line about a
    request, its route name, method and status (never its path, query or address); for an
    error, the traceback, with tokens cut out as from messages."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = _timestamp(record.created)
        log_data["level"] = record.levelname
        log_data["logger"] = record.name
        log_data["message"] = record.message
        log_data.update(request_fields(record))
        for field in ("exc_info", "stack_info"):
            if message_dict.get(field):
                log_data[field] = without_tokens(str(message_dict[field]))


def _timestamp(created: float) -> str:
    moment = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")


def request_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The route, method and status of the request a record is about, from what Django's log
    calls pass along (`request`, `status_code`); read by attribute, so that a socket (what
    runserver passes as `request`) or any other object gives nothing."""
    found: dict[str, Any] = {}
    request = getattr(record, "request", None)
    route = getattr(getattr(request, "resolver_match", None), "view_name", None)
    if isinstance(route, str):
        found["route"] = route
    method = getattr(request, "method", None)
    if isinstance(method, str):
        found["method"] = method if method in METHODS else "other"
    status = getattr(record, "status_code", None)
    if isinstance(status, int):
        found["status"] = status
    return found


def granian_log_config(var_dir: Path) -> Path:
    """A file for granian's --log-config: its own lines (a worker started or died) as JSON
    too. Its access log stays off whatever its flags say: it would record IP addresses."""
    config = {
        "filters": {"hide_tokens": {"()": f"{__name__}.HideTokens"}},
        "formatters": {"json": {"()": f"{__name__}.JsonLines"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["hide_tokens"],
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "loggers": {
            "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "granian.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        },
    }
    path = var_dir / "granian-logging.json"
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    staged.write_text(json.dumps(config))
    staged.replace(path)  # whole, even with another server writing it at the same moment
    return path
