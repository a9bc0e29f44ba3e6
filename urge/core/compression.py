"""Django's gzip middleware, for bodies large enough for compressing to matter.

A body under ONE_SEGMENT bytes saves at most a few hundred bytes compressed, and arrives in
the same round trip either way (it and its headers fit in TCP's first window of ten
segments); compressing it costs the server more than some whole answers do (the page on the
way out after a post: its compression was about a tenth of the post's CPU). Such bodies go as
they are, with no `Vary: Accept-Encoding` either, since they are the same for every browser.
Larger ones, and streamed ones, get Django's own handling, unchanged.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# About one TCP segment on Ethernet (1,460 bytes of payload).
ONE_SEGMENT = 1_400


class SiteGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.streaming and len(response.content) < ONE_SEGMENT:  # type: ignore[attr-defined]
            return response
        return super().process_response(request, response)
