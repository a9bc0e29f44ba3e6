"""Log lines without the tokens of emailed links: the path is logged, its token cut out.

Django logs the path of every 4xx and 5xx answer ("Method Not Allowed (PUT): /c/x/erase/…",
"Not Found: …"), and the path of a confirm, leave or erase link is its authority: whoever
read the log could use it. Every token Urge puts in a URL is a value signed by
django.core.signing (`value:timestamp:signature`, one path segment), so the filter cuts
that shape wherever it stands, whatever the route, method or language prefix around it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

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
