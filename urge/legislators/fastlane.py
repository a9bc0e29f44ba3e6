"""`GET /api/lookup?zip=...` in the fast lane: the same JSON as the view, without middleware."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from django.core.serializers.json import DjangoJSONEncoder

from urge.core.fastlane import Answer
from urge.legislators.answers import answer_json
from urge.legislators.index import index_holder
from urge.legislators.lookup import QueryError, ZipQuery, lookup_zip, parse_query

PATH = re.compile(r"^/api/lookup$")


def api_lookup(environ: dict[str, Any], match: re.Match[str], body: bytes) -> Answer | None:
    """A lookup by ZIP alone; None (to Django) for addresses, choices and every error."""
    params = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if list(params) != ["zip"] or len(params["zip"]) != 1:
        return None
    index = index_holder.get()
    if index is None:
        return None
    try:
        query = parse_query(params["zip"][0])
    except QueryError:
        return None
    if not isinstance(query, ZipQuery):
        return None
    data = answer_json(lookup_zip(index, query), index)
    return Answer(json.dumps(data, cls=DjangoJSONEncoder).encode(), "application/json")
