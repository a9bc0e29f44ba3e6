"""The lookup as JSON: `GET /api/lookup?zip=...` or `?address=...` (documented in the README)."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import condition, require_GET

from urge.core.caching import for_this_visitor_only, shared_by_everyone
from urge.legislators.answers import answer_json, configured_geocoder
from urge.legislators.forms import ERRORS
from urge.legislators.index import index_holder
from urge.legislators.lookup import QueryError, lookup, parse_query


def _release_etag(request: HttpRequest) -> str | None:
    """One ETag per data release: an answer changes only when another release is active."""
    index = index_holder.get()
    return f"release-{index.release_id}" if index is not None else None


@require_GET
@condition(etag_func=_release_etag)
def api_lookup(request: HttpRequest) -> JsonResponse:
    response = _lookup(request)
    if request.GET.get("address") or response.status_code >= 500:
        for_this_visitor_only(response)  # an address is the visitor's own; an outage passes
    else:
        shared_by_everyone(response)  # an answer by ZIP is everyone's, until another release
    return response


def _lookup(request: HttpRequest) -> JsonResponse:
    index = index_holder.get()
    if index is None:
        return _error(503, "not-loaded", "Legislator data is not loaded on this server yet.")
    raw = request.GET.get("address") or request.GET.get("zip", "")
    district = request.GET.get("district", "")
    if district and not district.isdigit():
        return _error(400, "bad-district", "district must be a whole number.")
    try:
        answer = lookup(
            index,
            parse_query(raw),
            state=request.GET.get("state", "").upper(),
            district=int(district) if district else None,
            geocode=configured_geocoder(),
        )
    except QueryError as error:
        return _error(400, error.code, str(ERRORS[error.code]))
    return JsonResponse(answer_json(answer, index))


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)
